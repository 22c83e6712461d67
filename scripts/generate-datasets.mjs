#!/usr/bin/env node
// Writes the generated files in datasets/ from kernel-lib's seeded generators, so that a learner
// can open them (in JupyterLab, in an editor) and the loaders read exactly what the generator
// makes. The generator is the source of truth: `--check` (run by a unit test) exits 1 when a
// committed file differs from what the code generates now.
//
// Usage: node scripts/generate-datasets.mjs [--check]
import { readFileSync, writeFileSync, renameSync, existsSync } from "node:fs";
import { join } from "node:path";
// tsx's require, not its tsImport: kernel-lib is CommonJS, and on Node 22.12+ and 24 tsImport
// loaded its sources as ES modules, which cannot import "./compare" without an extension.
import { require as tsxRequire } from "tsx/cjs/api";
import { ROOT } from "./lib/project.mjs";

const { generateServiceLogs } = tsxRequire("../kernel-lib/src/data/logs/generate.ts", import.meta.url);

/** file name in datasets/ → its content. */
const GENERATED = {
  // The seed and size are quoted in datasets/README.md and in the loader's describe().
  "service-logs.csv": () => generateServiceLogs({ seed: 0, requests: 1000 }).toCSV(),
};

const check = process.argv.includes("--check");
const stale = [];
for (const [name, make] of Object.entries(GENERATED)) {
  const target = join(ROOT, "datasets", name);
  const wanted = make();
  const current = existsSync(target) ? readFileSync(target, "utf8") : null;
  if (current === wanted) continue;
  stale.push(`datasets/${name}`);
  if (!check) {
    writeFileSync(`${target}.tmp`, wanted);
    renameSync(`${target}.tmp`, target);
    console.log(`generate-datasets: wrote datasets/${name} (${wanted.length} bytes)`);
  }
}
if (check && stale.length) {
  console.error(`generate-datasets: out of date with the generators: ${stale.join(", ")}. Run \`node scripts/generate-datasets.mjs\` and commit.`);
  process.exit(1);
}
if (!stale.length) console.log("generate-datasets: every generated file is up to date");
