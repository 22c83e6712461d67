// `npm test`'s summary (scripts/test.mjs): a skipped test passes nothing, so each stage's line
// counts its skips and names every skipped test with its reason, and the closing line reads
// `test: N passed, M failed, K skipped`, still starting the way tools have always read it.
// The unit stage's counts are read from node's own spec reporter, run here on a small test file.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closing, closingLine, countSpec, stageSummary } from "../test.mjs";

const SAMPLE = `import { test, describe } from "node:test";
test("adds up", () => {});
test("needs Chromium", { skip: "needs Chromium: /usr/bin/chromium not found" }, () => {});
test("skipped with no reason", { skip: true }, () => {});
describe("viz kernel", () => {
  test("draws in a kernel", (t) => { t.skip("no course Python environment at .venv (run npm run setup)"); });
  test("a sum", () => {});
});
test("breaks", () => { throw new Error("on purpose"); });
`;

/** What node's test runner prints for SAMPLE with the spec reporter, as scripts/unit.mjs runs it. */
function specOutput() {
  const dir = mkdtempSync(join(tmpdir(), "test-summary-"));
  try {
    writeFileSync(join(dir, "sample.test.mjs"), SAMPLE);
    // A fresh runner, not a child of this one (NODE_TEST_CONTEXT), printing no colours.
    const env = { ...process.env, NO_COLOR: "1" };
    for (const k of ["NODE_TEST_CONTEXT", "FORCE_COLOR"]) delete env[k];
    const r = spawnSync(process.execPath, ["--test", "--test-reporter=spec", "sample.test.mjs"], { cwd: dir, encoding: "utf8", env });
    assert.equal(r.status, 1, `the sample has a failing test\n${r.stdout}${r.stderr}`);
    return r.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test("the unit stage's skips are counted and named with their reasons, from node's spec reporter", () => {
  const out = specOutput();
  const c = countSpec(out);
  assert.deepEqual({ passed: c.passed, failed: c.failed, skipped: c.skipped }, { passed: 2, failed: 1, skipped: 3 }, out);
  assert.deepEqual(c.skips, [
    { name: "needs Chromium", reason: "needs Chromium: /usr/bin/chromium not found" },
    { name: "skipped with no reason", reason: null },
    { name: "viz kernel > draws in a kernel", reason: "no course Python environment at .venv (run npm run setup)" },
  ], out);
  // Colour codes (FORCE_COLOR) change nothing.
  const coloured = out.replace(/^(ℹ skipped|﹣)/gm, "\x1b[34m$1\x1b[39m");
  assert.deepEqual(countSpec(coloured), c);
});

test("the summary says every skip: per stage with its reason, and in the closing line", () => {
  const c = { passed: 810, failed: 0, skipped: 2, skips: [{ name: "npm run browser passes the good fixture", reason: "needs Chromium: not installed" }, { name: "plain", reason: null }] };
  assert.deepEqual(stageSummary("unit", 0, c, "111.0"), [
    "  unit       ok   810 passed, 0 failed, 2 skipped  (111.0 s)",
    "                  skipped: npm run browser passes the good fixture  (needs Chromium: not installed)",
    "                  skipped: plain  (no reason given)",
  ]);
  // A count larger than the named skips (a line the parser missed) is said, not dropped.
  const lines = stageSummary("unit", 0, { ...c, skipped: 3 }, "1.0");
  assert.match(lines[lines.length - 1], /skipped: 1 more not named in the output/);
  assert.deepEqual(stageSummary("fidelity", 0, { passed: 24, failed: 0, skipped: 0, skips: [] }, "0.3"), ["  fidelity   ok   24 passed, 0 failed, 0 skipped  (0.3 s)"]);

  const last = closing(836, 0, 2);
  assert.equal(last, "test: 836 passed, 0 failed, 2 skipped");
  const old = /^test: (\d+) passed, (\d+) failed/m.exec(last); // what tools grep for
  assert.deepEqual([old[1], old[2]], ["836", "0"]);
});

test("a stage's closing line is read with or without a skipped count", () => {
  assert.deepEqual(closingLine("PASS  a\nnotebooks: 13 passed, 1 failed\n", "notebooks"), { passed: 13, failed: 1, skipped: 0, skips: [] });
  assert.deepEqual(closingLine("browser: 6 passed, 0 failed, 1 skipped\n", "browser"), { passed: 6, failed: 0, skipped: 1, skips: [] });
  assert.deepEqual(closingLine("browser: crashed\n", "browser"), { passed: null, failed: null, skipped: 0, skips: [] });
});
