#!/usr/bin/env node
// Type-checks the library, its tests and the bench twice, in strict mode:
//   1. with the project's pinned TypeScript (node_modules/typescript), and
//   2. with TypeScript 5.0.4, the compiler tslab bundles (@tslab/typescript-for-tslab), because
//      notebooks compile the library's .d.ts and their own code with that older compiler.
// `lib` stays at ES2022 in tsconfig.json, so 5.0 rejects what it does not know (toSorted, NoInfer...).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./lib/project.mjs";
import { exitAfterOutput } from "./lib/exit-after-output.mjs";

const compilers = [
  ["pinned", join(ROOT, "node_modules", "typescript", "bin", "tsc")],
  ["tslab's 5.0", join(ROOT, "node_modules", "@tslab", "typescript-for-tslab", "bin", "tsc")],
];
let failed = 0;
for (const [label, tsc] of compilers) {
  const version = spawnSync(process.execPath, [tsc, "--version"], { encoding: "utf8" }).stdout.trim();
  const r = spawnSync(process.execPath, [tsc, "-p", join(ROOT, "tsconfig.json"), "--noEmit"], { cwd: ROOT, stdio: "inherit" });
  console.log(`typecheck: ${r.status === 0 ? "PASS" : "FAIL"}  ${label} (${version})`);
  if (r.status !== 0) failed++;
}
exitAfterOutput(failed ? 1 : 0);
