// The Worker's type-check for npm start's dev loop (dev-loop.ts): the same check as `npm run typecheck`'s first half
// (tsc -p tsconfig.json: the Worker, its shared code and its tests), incremental, so a check after one edit re-reads
// only what the edit touched. Its build info lives with the local state (.wrangler/), never in the tree.

import { execFile } from "node:child_process";
import { join } from "node:path";

export interface TypeCheck {
  ok: boolean;
  /** Each error as tsc prints it, the first line of each: `src/worker/x.ts(3,5): error TS2322: …`. */
  errors: string[];
}

export function typeCheck(root: string, buildInfoFile: string): Promise<TypeCheck> {
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const args = [tsc, "-p", join(root, "tsconfig.json"), "--incremental", "--tsBuildInfoFile", buildInfoFile, "--pretty", "false"];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: root, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const errors = `${stdout}\n${stderr}`.split("\n").filter((line) => /\berror TS\d+:/.test(line));
      // tsc exits 2 with errors it printed; anything else (no tsc, a crash) is not a verdict on the code.
      if (error && errors.length === 0) return reject(new Error(`type-check: tsc failed without reporting errors: ${(stderr || stdout || error.message).trim().split("\n")[0]}`));
      resolve({ ok: errors.length === 0, errors });
    });
  });
}
