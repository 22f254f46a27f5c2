// Regenerates the chart fonts' subsets (src/backend/jobs/chart/fonts/) from the dejavu-fonts-ttf package, keeping
// the code points of SUBSET_RANGES (font-subset.ts says why subsets). A maintainer's tool, run after changing the
// ranges or upgrading the fonts; it needs Python's fontTools (`pip install fonttools`, or Debian's
// python3-fonttools). The output is committed, so neither the backend nor the tests need Python.
//
//   PYTHON=/usr/bin/python3 node_modules/.bin/node scripts/subset-fonts.ts   (PYTHON defaults to python3)

import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { SUBSET_RANGES } from "../src/backend/jobs/chart/font-subset.ts";

const require = createRequire(import.meta.url);
const hex = (code: number) => code.toString(16).toUpperCase().padStart(4, "0");
const unicodes = SUBSET_RANGES.map(([from, to]) => (from === to ? `U+${hex(from)}` : `U+${hex(from)}-${hex(to)}`)).join(
  ",",
);

for (const face of ["DejaVuSans", "DejaVuSans-Bold"]) {
  const source = require.resolve(`dejavu-fonts-ttf/ttf/${face}.ttf`);
  const target = fileURLToPath(new URL(`../src/backend/jobs/chart/fonts/${face}-charts.ttf`, import.meta.url));
  // Kerning and the other layout features are kept, so text in the subset shapes as it does in the full font.
  execFileSync(
    process.env.PYTHON ?? "python3",
    [
      "-m",
      "fontTools.subset",
      source,
      `--unicodes=${unicodes}`,
      "--layout-features=*",
      "--name-IDs=*",
      "--notdef-outline",
      `--output-file=${target}`,
    ],
    { stdio: "inherit" },
  );
  console.log(`wrote ${target}`);
}
