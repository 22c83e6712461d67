#!/usr/bin/env node
// Checks the library against the PyTorch reference cases: every *.json case in DIR is loaded,
// run through kernel-lib (from source, via tsx: no build needed) and compared number by number.
//
// Usage: npm run fidelity [-- DIR]     (default DIR: ../shared/fixtures/pytorch next to the repo)
//
// Prints one line per case and a summary; exits 1 if any case fails to load or its worst error
// exceeds 1e-9 (the measure is |a-b| / max(|a|,|b|,1); see kernel-lib/src/check/fixtures.ts).
import { existsSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { tsImport } from "tsx/esm/api";

const root = join(fileURLToPath(import.meta.url), "..", "..");
const args = process.argv.slice(2);
if (args.length > 1 || args[0] === "-h" || args[0] === "--help") {
  console.error("usage: npm run fidelity [-- DIR]  (DIR holds the PyTorch case files; default ../shared/fixtures/pytorch)");
  process.exit(2);
}
const dir = args.length === 1 ? resolve(args[0]) : join(root, "..", "shared", "fixtures", "pytorch");
if (!existsSync(dir) || !statSync(dir).isDirectory()) {
  console.error(`fidelity: ${dir} is not a directory`);
  process.exit(2);
}

const lib = await tsImport("../kernel-lib/src/check/fixtures.ts", import.meta.url);
const files = lib.fixtureFiles(dir);
if (files.length === 0) {
  console.error(`fidelity: no *.json case files in ${dir}`);
  process.exit(1);
}
const reports = [];
for (const file of files) {
  const report = lib.checkFixtureFile(file);
  reports.push(report);
  console.log(lib.formatReport(report));
}
console.log(lib.formatSummary(reports));
const passed = reports.filter((r) => r.pass).length;
console.log(`fidelity: ${passed} passed, ${reports.length - passed} failed`); // the line npm test adds up
process.exit(reports.every((r) => r.pass) ? 0 : 1);
