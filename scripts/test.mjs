#!/usr/bin/env node
// `npm test`: everything, in order, after setting up whatever is missing.
//   typecheck  strict, with the pinned TypeScript and with tslab's TypeScript 5.0
//   unit       kernel-lib/test and scripts/test through node's test runner
//   fidelity   every PyTorch reference case within 1e-9: ../shared/fixtures/pytorch and
//              ../shared/fixtures/pytorch-attention, and the cases with other shapes in
//              kernel-lib/test/fixtures/pytorch-more and pytorch-attention-more
//   notebooks  the learner copies (notebooks/) through the real tslab kernel, each stopping at its
//              first exercise; a copy with exactly its solution's cells is left to the browser stage
//   browser    every notebook in solutions/, complete, run in JupyterLab in headless Chromium
//              (Run All Cells) on the real tslab kernel: no errors (after the last cell either),
//              charts drawn, live displays final, HTML export drawn offline. So each notebook runs
//              once: the learner's copy in the runner, the solution in the browser
// `npm test -- unit notebooks` runs only the named stages.
// Each stage prints its own report; the last line adds them up as
// `test: N passed, M failed, K skipped`, counting individual tests, cases and notebooks (a stage
// that crashes counts as one failure). A skipped test passes nothing: the summary counts skips per
// stage and names each skipped test with its reason, so a run with skips never reads as all green
// without saying so.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "./lib/project.mjs";
import { ensureSetupOrExit } from "./setup.mjs";
import { exitAfterOutput } from "./lib/exit-after-output.mjs";

const FIXTURES = join(ROOT, "..", "shared", "fixtures", "pytorch");
const MORE_FIXTURES = join(ROOT, "kernel-lib", "test", "fixtures", "pytorch-more"); // scripts/make-pytorch-cases.py
const ATTENTION_FIXTURES = join(ROOT, "..", "shared", "fixtures", "pytorch-attention");
const MORE_ATTENTION_FIXTURES = join(ROOT, "kernel-lib", "test", "fixtures", "pytorch-attention-more"); // scripts/make-pytorch-attention-cases.py

/**
 * Each stage: the command, and how to read from what it printed its counts
 * `{ passed, failed, skipped, skips: [{ name, reason }] }` (null counts: the stage printed none).
 */
export const STAGES = {
  typecheck: {
    cmd: [process.execPath, "scripts/typecheck.mjs"],
    count: (out) => ({ passed: (out.match(/^typecheck: PASS/gm) ?? []).length, failed: (out.match(/^typecheck: FAIL/gm) ?? []).length, skipped: 0, skips: [] }),
  },
  unit: {
    cmd: [process.execPath, "scripts/unit.mjs"],
    count: (out) => countSpec(out),
  },
  fidelity: {
    cmd: [process.execPath, "scripts/fidelity.mjs", FIXTURES, MORE_FIXTURES, ATTENTION_FIXTURES, MORE_ATTENTION_FIXTURES],
    count: (out) => closingLine(out, "fidelity"),
  },
  notebooks: {
    cmd: [process.execPath, "scripts/notebooks.mjs", "--copies-only"],
    count: (out) => closingLine(out, "notebooks"),
  },
  browser: {
    cmd: [process.execPath, "scripts/browser-test.mjs"],
    count: (out) => closingLine(out, "browser"),
  },
};

// Colour codes, should a stage print them (FORCE_COLOR): the counts are read from the plain text.
const plain = (text) => String(text).replace(/\x1b\[[0-9;]*m/g, "");

function lastNumber(text, re) {
  const all = [...plain(text).matchAll(re)];
  return all.length ? Number(all[all.length - 1][1]) : null;
}

/**
 * Node's test runner with the spec reporter: totals from its closing `ℹ pass N`, `ℹ fail N`,
 * `ℹ skipped N`, and each skipped test from its line `﹣ name (0.1ms) # reason` (indented under
 * its suite `▶ suite`, whose name is kept: "suite > name"). A skip with no reason reads `# SKIP`.
 */
export function countSpec(out) {
  const text = plain(out);
  const skips = [];
  const suites = []; // [{ indent, name }] of the suites that enclose the current line
  for (const line of text.split("\n")) {
    const m = /^( *)(▶|﹣) (.*)$/.exec(line);
    if (!m) continue;
    const indent = m[1].length;
    while (suites.length && suites[suites.length - 1].indent >= indent) suites.pop();
    if (m[2] === "▶") {
      suites.push({ indent, name: m[3].trim() });
      continue;
    }
    const t = /^(.*?) \(\d+(?:\.\d+)?m?s\)(?: # (.*))?$/.exec(m[3]);
    const name = (t ? t[1] : m[3]).trim();
    const reason = t?.[2]?.trim();
    skips.push({ name: [...suites.map((s) => s.name), name].join(" > "), reason: !reason || reason === "SKIP" ? null : reason });
  }
  return {
    passed: lastNumber(text, /^ℹ pass (\d+)/gm),
    failed: lastNumber(text, /^ℹ fail (\d+)/gm),
    // A skipped suite prints its line but is not in node's count: the larger number is the truth.
    skipped: Math.max(lastNumber(text, /^ℹ skipped (\d+)/gm) ?? 0, skips.length),
    skips,
  };
}

/** A stage's own closing line `word: N passed, M failed` (a stage with skips adds `, K skipped`). */
export function closingLine(text, word) {
  const m = [...plain(text).matchAll(new RegExp(`^${word}: (\\d+) passed, (\\d+) failed(?:, (\\d+) skipped)?`, "gm"))].pop();
  return m ? { passed: Number(m[1]), failed: Number(m[2]), skipped: Number(m[3] ?? 0), skips: [] } : { passed: null, failed: null, skipped: 0, skips: [] };
}

/**
 * One stage's lines of the summary: its counts, then every skipped test with its reason.
 * `c` is what the stage's count() returned, after a crashed stage was counted as a failure.
 */
export function stageSummary(name, code, c, secs) {
  const lines = [`  ${name.padEnd(10)} ${code === 0 ? "ok  " : "FAIL"} ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped  (${secs} s)`];
  const indent = " ".repeat(18);
  for (const s of c.skips) lines.push(`${indent}skipped: ${s.name}  (${s.reason ?? "no reason given"})`);
  const unnamed = c.skipped - c.skips.length;
  if (unnamed > 0) lines.push(`${indent}skipped: ${unnamed} more not named in the output (read the ${name} stage's report above)`);
  return lines;
}

/** The closing line, read by people and by tools: `N passed, M failed` first, as it always was. */
export function closing(passed, failed, skipped) {
  return `test: ${passed} passed, ${failed} failed, ${skipped} skipped`;
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
  // Chromium is set up (found, or installed where set-up can) when the browser stage will run;
  // the unit stage's browser test then finds it too.
  ensureSetupOrExit({ chromium: asked.length === 0 || asked.includes("browser") });
  const summary = [];
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const [name, stage] of Object.entries(STAGES)) {
    if (asked.length && !asked.includes(name)) continue;
    console.log(`\n=== ${name} ===`);
    const t0 = Date.now();
    const { code, out } = await runStage(stage.cmd);
    let c = stage.count(out);
    // A stage that exits non-zero must never read as green, whatever it printed.
    if (c.passed === null || c.failed === null) c = { ...c, passed: 0, failed: 1 };
    if (code !== 0 && c.failed === 0) c.failed = 1;
    passed += c.passed;
    failed += c.failed;
    skipped += c.skipped;
    summary.push(...stageSummary(name, code, c, ((Date.now() - t0) / 1000).toFixed(1)));
  }
  console.log(`\n=== summary ===\n${summary.join("\n")}`);
  console.log(closing(passed, failed, skipped));
  exitAfterOutput(failed ? 1 : 0); // the closing line is what CI reads: never lost in a pipe
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
