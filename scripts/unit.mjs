#!/usr/bin/env node
// Runs the unit tests with node's own test runner: the library's (kernel-lib/test/**/*.test.ts)
// and the tooling's (scripts/test/*.test.mjs: set-up, start, the notebook runner).
// TypeScript is loaded through tsx, so tests run from source with no build step.
// Usage: npm run unit [-- path/to/one.test.ts ...]
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(fileURLToPath(import.meta.url), "..", "..");

function findTests(dir) {
  const found = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...findTests(path));
    else if (name.endsWith(".test.ts") || name.endsWith(".test.mjs")) found.push(path);
  }
  return found;
}

const args = process.argv.slice(2);
const files = args.length > 0 ? args : [join(root, "kernel-lib", "test"), join(root, "scripts", "test")].flatMap(findTests);
if (files.length === 0) {
  console.error("unit: no test files found under kernel-lib/test or scripts/test");
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", "--test-reporter=spec", ...files.map((f) => relative(root, f))],
  { cwd: root, stdio: "inherit" },
);
process.exit(result.status ?? 1);
