// Somebody else's server on a port the stack wants: another process, answering every request (GET /health too) with
// 200, as a leftover stack from an earlier run would. A launcher must refuse the port and name this process rather
// than take its answers for its own.
import { spawn } from "node:child_process";

// One line, so that /proc and ps show the same command line.
const SERVER = `const server = require("node:http").createServer((request, response) => response.end('{"status":"ok"}')); server.listen(0, "127.0.0.1", () => console.log(server.address().port));`;

export interface PortHolder {
  port: number;
  pid: number;
  /** Its command line as /proc shows it, arguments joined by spaces. */
  command: string;
  stop(): Promise<void>;
}

export async function holdPort(): Promise<PortHolder> {
  const args = ["-e", SERVER, "port-holder-for-a-test"];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.setEncoding("utf8");
    child.stdout.once("data", (line: string) => resolve(Number(line.trim())));
    child.once("exit", (code) => reject(new Error(`the port holder exited (${code}) before listening`)));
  });
  return {
    port,
    pid: child.pid!,
    command: [process.execPath, ...args].join(" "),
    async stop() {
      child.kill("SIGKILL");
      await exited;
    },
  };
}
