import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FIDELITY_TOLERANCE, checkFixtureDir, checkFixtureFile, loadFixtureCase, relativeError } from "../src/fidelity";

const ROOT = join(__dirname, "..", "..");
// The shared PyTorch cases live beside the repository: <repo>/../shared/fixtures/pytorch.
const FIXTURES = join(ROOT, "..", "shared", "fixtures", "pytorch");
const CASE = "lstm_I3_H4_T5_B2.json";
// More cases from the same PyTorch, made by scripts/make-pytorch-cases.py with other shapes.
const MORE = join(__dirname, "fixtures", "pytorch-more");

/** A temporary directory holding `files` (name → JSON value or raw text); removed by the caller. */
function tempCases(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), "fidelity-"));
  for (const [name, value] of Object.entries(files)) {
    writeFileSync(join(dir, name), typeof value === "string" ? value : JSON.stringify(value));
  }
  return dir;
}

function fixture(name: string): Record<string, any> {
  return JSON.parse(readFileSync(join(FIXTURES, name), "utf8"));
}

/** Runs the CLI (scripts/fidelity.mjs) on one or more directories. */
function cli(...dirs: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, "scripts", "fidelity.mjs"), ...dirs], { cwd: ROOT, encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("the error measure: relative above 1, absolute below, NaN is infinite", () => {
  assert.equal(relativeError(1000, 1001), 1 / 1001);
  assert.equal(relativeError(1e-12, 2e-12), 1e-12);
  assert.equal(relativeError(0, 0), 0);
  assert.equal(relativeError(1, NaN), Infinity);
});

for (const via of ["layer", "cell"] as const) {
  test(`every PyTorch case passes within 1e-9 (cells run via the ${via})`, () => {
    const reports = checkFixtureDir(FIXTURES, FIDELITY_TOLERANCE, { via });
    assert.ok(reports.length >= 15, `found only ${reports.length} cases in ${FIXTURES}`);
    assert.ok(reports.some((r) => r.kind === "train") && reports.some((r) => r.kind === "cell"));
    for (const r of reports) {
      assert.ok(r.pass, `${r.file}: ${r.problem ?? `worst error ${r.worst?.error} at ${r.worst?.where}`}`);
      assert.ok(r.compared >= 10, `${r.file}: only ${r.compared} numbers compared`);
    }
  });
}

test("a case with one number changed fails, and the report points at that number", () => {
  const data = fixture(CASE);
  data.grads.weight_hh[2][1] += 1e-6;
  const dir = tempCases({ [CASE]: data });
  try {
    const r = checkFixtureFile(join(dir, CASE));
    assert.equal(r.pass, false);
    assert.equal(r.worst!.where, "grads.weight_hh[2][1]");
    assert.ok(r.worst!.error > 1e-7 && r.worst!.error < 2e-6);
    const out = cli(dir);
    assert.equal(out.status, 1);
    assert.match(out.stdout, /^FAIL lstm_I3_H4_T5_B2\.json {2}worst rel err 1\.0e-6 \(grads\.weight_hh\[2\]\[1\]: expected/m);
    assert.match(out.stdout, /1 cases, 0 passed, 1 FAILED/);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("a perturbed training case fails too (final parameters)", () => {
  const name = "train_gru_V8_H6_T5_B2.json";
  const data = fixture(name);
  data.final_params["head.bias"][3] *= 1.001;
  const dir = tempCases({ [name]: data });
  try {
    const r = checkFixtureFile(join(dir, name));
    assert.equal(r.pass, false);
    assert.equal(r.worst!.where, "final_params.head.bias[3]");
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("malformed cases fail with the file and the field named", () => {
  const lstm = fixture(CASE);
  const train = fixture("train_lstm_V8_H6_T5_B2.json");
  const { c0: _c0, ...noC0 } = lstm;
  const cases: [string, unknown, RegExp][] = [
    ["not-json.json", "{ this is not json", /not-json\.json: cannot read it as JSON/],
    ["array.json", "[1, 2]", /array\.json: the file must hold one JSON object/],
    ["no-kind.json", { input_size: 3 }, /no-kind\.json: field "task" is missing and so is "cell"/],
    ["unknown-task.json", { ...train, task: "translate" }, /unknown-task\.json: field "task" is "translate"; expected one of "char_lm_train"/],
    ["unknown-cell.json", { ...lstm, cell: "transformer" }, /unknown-cell\.json: field "cell" is "transformer"; expected one of/],
    ["no-c0.json", noC0, /no-c0\.json: field "c0" is missing/],
    ["bad-shape.json", { ...lstm, x: lstm.x.slice(1) }, /bad-shape\.json: field "x" has shape \[4,2,3\], expected \[5,2,3\] \(seq_len, batch, input_size\)/],
    ["missing-grad.json", { ...lstm, grads: { ...lstm.grads, h0: undefined } }, /missing-grad\.json: field "grads\.h0" is missing/],
    ["extra-grad.json", { ...lstm, grads: { ...lstm.grads, bias: [1] } }, /extra-grad\.json: field "grads\.bias" is unknown/],
    ["bad-number.json", { ...train, lr: "fast" }, /bad-number\.json: field "lr" must be a finite number, got "fast"/],
    ["bad-token.json", { ...train, tokens: [[99, 0], ...train.tokens.slice(1)] }, /bad-token\.json: field "tokens\[0\]\[0\]" is 99/],
  ];
  const dir = tempCases(Object.fromEntries(cases.map(([name, value]) => [name, value])));
  try {
    for (const [name, , message] of cases) {
      assert.throws(() => loadFixtureCase(join(dir, name)), message, name);
      const r = checkFixtureFile(join(dir, name));
      assert.equal(r.pass, false, name);
      assert.match(r.problem ?? "", message, name);
    }
    // The CLI reports each one and exits non-zero.
    const out = cli(dir);
    assert.equal(out.status, 1);
    for (const [name] of cases) assert.match(out.stdout, new RegExp(`^FAIL ${name.replace(".", "\\.")} {2}${name.replace(".", "\\.")}: `, "m"));
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("the CLI passes on the shared cases, one line each plus a summary, ignoring README", () => {
  const out = cli(FIXTURES);
  assert.equal(out.status, 0, out.stdout + out.stderr);
  const lines = out.stdout.trim().split("\n");
  assert.ok(lines.slice(0, -2).every((l) => /^PASS \S+\.json {2}worst rel err \d\.\de[-+]\d+ \(.+\)$/.test(l)), out.stdout);
  assert.match(lines[lines.length - 2], /^\d+ cases, \d+ passed, all passed/);
  assert.equal(lines[lines.length - 1], `fidelity: ${lines.length - 2} passed, 0 failed`); // what npm test counts
  assert.ok(!out.stdout.includes("README"));
});

test("the CLI passes on a directory of one good case plus a README; an empty directory is an error", () => {
  const dir = tempCases({});
  try {
    copyFileSync(join(FIXTURES, "gru_I1_H1_T1_B1.json"), join(dir, "gru_I1_H1_T1_B1.json"));
    writeFileSync(join(dir, "README.md"), "not a case");
    assert.equal(cli(dir).status, 0);
    rmSync(join(dir, "gru_I1_H1_T1_B1.json"));
    const empty = cli(dir);
    assert.equal(empty.status, 1);
    assert.match(empty.stderr, /no \*\.json case files/);
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("the cases made by scripts/make-pytorch-cases.py pass too: other shapes, and relu training", () => {
  const reports = checkFixtureDir(MORE, FIDELITY_TOLERANCE);
  assert.ok(reports.length >= 24, `found only ${reports.length} cases in ${MORE}`);
  assert.ok(reports.some((r) => r.file.startsWith("train_rnn_relu")), "the shared cases have no relu training case; these do");
  for (const r of reports) assert.ok(r.pass, `${r.file}: ${r.problem ?? `worst error ${r.worst?.error} at ${r.worst?.where}`}`);
});

test("the CLI takes several directories, names each case by its path, and fails if any case fails", () => {
  const data = fixture(CASE);
  data.outputs[1][0][2] += 1e-6;
  const dir = tempCases({ [CASE]: data });
  try {
    const out = cli(FIXTURES, dir);
    assert.equal(out.status, 1);
    assert.match(out.stdout, new RegExp(`^PASS \\S*shared/fixtures/pytorch/${CASE.replace(".", "\\.")} `, "m"));
    assert.match(out.stdout, new RegExp(`^FAIL \\S*fidelity-\\w+/${CASE.replace(".", "\\.")} {2}worst rel err`, "m"));
    assert.match(out.stdout.trim().split("\n").pop()!, /^fidelity: \d+ passed, 1 failed$/);
    assert.equal(cli(FIXTURES, join(dir, "missing")).status, 2);
  } finally {
    rmSync(dir, { recursive: true });
  }
});
