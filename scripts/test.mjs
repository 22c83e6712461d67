#!/usr/bin/env node
// `npm test`: everything, in order, after setting up whatever is missing.
//   typecheck  strict, with the pinned TypeScript and with tslab's TypeScript 5.0
//   unit       kernel-lib/test and scripts/test through node's test runner
//   fidelity   every PyTorch reference case within 1e-9: ../shared/fixtures/pytorch, and the
//              cases with other shapes in kernel-lib/test/fixtures/pytorch-more
//   notebooks  every notebook in notebooks/ and solutions/ through the real tslab kernel
//   browser    every notebook in solutions/ run in JupyterLab in headless Chromium (Run All Cells):
//              no errors, charts drawn, live displays final, HTML export drawn offline
// `npm test -- unit notebooks` runs only the named stages.
// Each stage prints its own report; the last line adds them up as `test: N passed, M failed`,
// counting individual tests, cases and notebooks (a stage that crashes counts as one failure).
import { spawn } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "./lib/project.mjs";
import { ensureSetupOrExit } from "./setup.mjs";

const FIXTURES = join(ROOT, "..", "shared", "fixtures", "pytorch");
const MORE_FIXTURES = join(ROOT, "kernel-lib", "test", "fixtures", "pytorch-more"); // scripts/make-pytorch-cases.py

/** Each stage: the command, and how to read its passed/failed counts from what it printed. */
const STAGES = {
  typecheck: {
    cmd: [process.execPath, "scripts/typecheck.mjs"],
    count: (out) => ({ passed: (out.match(/^typecheck: PASS/gm) ?? []).length, failed: (out.match(/^typecheck: FAIL/gm) ?? []).length }),
  },
  unit: {
    cmd: [process.execPath, "scripts/unit.mjs"],
    count: (out) => ({ passed: lastNumber(out, /^ℹ pass (\d+)/gm), failed: lastNumber(out, /^ℹ fail (\d+)/gm) }),
  },
  fidelity: {
    cmd: [process.execPath, "scripts/fidelity.mjs", FIXTURES, MORE_FIXTURES],
    count: (out) => closingLine(out, "fidelity"),
  },
  notebooks: {
    cmd: [process.execPath, "scripts/notebooks.mjs"],
    count: (out) => closingLine(out, "notebooks"),
  },
  browser: {
    cmd: [process.execPath, "scripts/browser-test.mjs"],
    count: (out) => closingLine(out, "browser"),
  },
};

function lastNumber(text, re) {
  const all = [...text.matchAll(re)];
  return all.length ? Number(all[all.length - 1][1]) : null;
}

function closingLine(text, word) {
  const m = [...text.matchAll(new RegExp(`^${word}: (\\d+) passed, (\\d+) failed`, "gm"))].pop();
  return m ? { passed: Number(m[1]), failed: Number(m[2]) } : { passed: null, failed: null };
}

/** Runs a stage with its output passed straight through, and keeps a copy to count from. */
function runStage(cmd) {
  return new Promise((resolve) => {
    const child = spawn(cmd[0], cmd.slice(1), { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.stderr.on("data", (d) => process.stderr.write(d));
    child.on("close", (code) => resolve({ code, out }));
  });
}

async function main() {
  const asked = process.argv.slice(2);
  const unknown = asked.filter((s) => !(s in STAGES));
  if (unknown.length) {
    console.error(`test: unknown stage(s) ${unknown.join(", ")}; stages are ${Object.keys(STAGES).join(", ")}`);
    process.exit(2);
  }
  ensureSetupOrExit();
  const summary = [];
  let passed = 0;
  let failed = 0;
  for (const [name, stage] of Object.entries(STAGES)) {
    if (asked.length && !asked.includes(name)) continue;
    console.log(`\n=== ${name} ===`);
    const t0 = Date.now();
    const { code, out } = await runStage(stage.cmd);
    let c = stage.count(out);
    // A stage that exits non-zero must never read as green, whatever it printed.
    if (c.passed === null || c.failed === null) c = { passed: 0, failed: 1 };
    if (code !== 0 && c.failed === 0) c.failed = 1;
    passed += c.passed;
    failed += c.failed;
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    summary.push(`  ${name.padEnd(10)} ${code === 0 ? "ok  " : "FAIL"} ${c.passed} passed, ${c.failed} failed  (${secs} s)`);
  }
  console.log(`\n=== summary ===\n${summary.join("\n")}`);
  console.log(`test: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main();
