#!/usr/bin/env node
// Checks the library against the PyTorch reference cases: every *.json case in each DIR is
// loaded, run through kernel-lib (from source, via tsx: no build needed) and compared number by
// number.
//
// Usage: npm run fidelity [-- DIR [DIR ...]]
//   (default: the shared cases next to the repo, ../shared/fixtures/pytorch and
//   ../shared/fixtures/pytorch-attention; each DIR may hold cases of any kind, told apart by content)
//
// Prints one line per case and a summary; exits 1 if any case fails to load or its worst error
// exceeds 1e-9 (the measure is |a-b| / max(|a|,|b|,1); see kernel-lib/src/fidelity/index.ts).
// With several directories, each case line starts with its directory.
import { existsSync, statSync } from "node:fs";
import { basename, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
// tsx's require, not its tsImport: kernel-lib is CommonJS, and on Node 22.12+ and 24 tsImport
// loaded its sources as ES modules, which cannot import "./compare" without an extension.
import { require as tsxRequire } from "tsx/cjs/api";
import { exitAfterOutput } from "./lib/exit-after-output.mjs";

const root = join(fileURLToPath(import.meta.url), "..", "..");
const args = process.argv.slice(2);
if (args.some((a) => a.startsWith("-"))) {
  console.error("usage: npm run fidelity [-- DIR [DIR ...]]  (each DIR holds PyTorch case files; default ../shared/fixtures/pytorch and ../shared/fixtures/pytorch-attention)");
  process.exit(2);
}
const shared = join(root, "..", "shared", "fixtures");
const dirs = args.length > 0 ? args.map((a) => resolve(a)) : [join(shared, "pytorch"), join(shared, "pytorch-attention")];
for (const dir of dirs) {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    console.error(`fidelity: ${dir} is not a directory`);
    process.exit(2);
  }
}

const lib = tsxRequire("../kernel-lib/src/fidelity/index.ts", import.meta.url);
const files = [];
for (const dir of dirs) {
  const found = lib.fixtureFiles(dir);
  if (found.length === 0) {
    console.error(`fidelity: no *.json case files in ${dir}`);
    process.exit(1);
  }
  files.push(...found);
}
const reports = [];
for (const file of files) {
  const report = lib.checkFixtureFile(file);
  reports.push(report);
  const line = lib.formatReport(report);
  // Several directories: name the case by its path, so equal file names stay apart.
  console.log(dirs.length > 1 ? line.replace(basename(file), relative(process.cwd(), file)) : line);
}
console.log(lib.formatSummary(reports));
const passed = reports.filter((r) => r.pass).length;
console.log(`fidelity: ${passed} passed, ${reports.length - passed} failed`); // the line npm test adds up
exitAfterOutput(reports.every((r) => r.pass) ? 0 : 1);
