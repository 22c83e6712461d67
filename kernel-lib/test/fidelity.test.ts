import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  CrossAttentionCase,
  FIDELITY_TOLERANCE,
  LayerNormCase,
  ModelCase,
  SelfAttentionCase,
  checkFixtureDir,
  checkFixtureFile,
  loadFixtureCase,
  parseFixtureCase,
  relativeError,
  runModelCase,
} from "../src/fidelity";

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
    ["no-kind.json", { input_size: 3 }, /no-kind\.json: field "task" is missing and so are "cell" and "kind"/],
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
  assert.ok(reports.some((r) => r.kind === "model"), "a whole model saved with state_dict() (the model case) is among them");
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

// The model case: Embedding → LSTM (2 layers) → Linear saved by PyTorch with state_dict(), loaded
// into the same model written as a kernel-lib class; logits, loss and every gradient compared.
const MODEL = "model_char_lstm2_V7_E5_H6_T5_B3.json";

function modelFixture(): Record<string, any> {
  return JSON.parse(readFileSync(join(MORE, MODEL), "utf8"));
}

/** The model case with its state_dict's key `from` renamed `to`, every other key in place. */
function renamedKey(data: Record<string, any>, from: string, to: string): Record<string, any> {
  const sd = Object.fromEntries(Object.entries(data.state_dict).map(([k, v]) => [k === from ? to : k, v]));
  return { ...data, state_dict: sd };
}

test("the model case is recognised by its content, passes, and compares logits, loss and every parameter's gradient", () => {
  const data = modelFixture();
  const dir = tempCases({ "some-name.json": data });
  try {
    const r = checkFixtureFile(join(dir, "some-name.json"));
    assert.equal(r.kind, "model");
    assert.ok(r.pass, `${r.problem ?? `worst error ${r.worst?.error} at ${r.worst?.where}`}`);
    const c = loadFixtureCase(join(dir, "some-name.json")) as ModelCase;
    const count = (v: unknown): number => (Array.isArray(v) ? v.reduce((n: number, x) => n + count(x), 0) : 1);
    const grads = Object.values(c.grads).reduce((n: number, g) => n + count(g), 0);
    assert.equal(Object.keys(c.grads).length, 11); // embed.weight, 4 per LSTM layer × 2, head.weight, head.bias
    assert.equal(r.compared, count(c.logits) + 1 + grads);
    // The file's key order is kept, which is PyTorch's.
    assert.deepEqual(Object.keys(c.state_dict), Object.keys(data.state_dict));
    assert.equal(Object.keys(c.state_dict)[1], "rnn.weight_ih_l0");
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("a corrupted model case fails: a gradient, a logit, the loss, swapped weights, a renamed key, keys out of order", () => {
  const good = modelFixture();
  const corrupt = (f: (d: Record<string, any>) => Record<string, any> | void): Record<string, any> => {
    const d = modelFixture();
    return f(d) ?? d;
  };
  const swapped = corrupt((d) => {
    // Same shapes, other layer: only the names say which is which.
    [d.state_dict["rnn.weight_hh_l0"], d.state_dict["rnn.weight_hh_l1"]] = [d.state_dict["rnn.weight_hh_l1"], d.state_dict["rnn.weight_hh_l0"]];
  });
  const entries = Object.entries(good.state_dict);
  const reordered = { ...good, state_dict: Object.fromEntries([entries[entries.length - 1], ...entries.slice(0, -1)]) };
  const cases: [string, Record<string, any>, (r: ReturnType<typeof checkFixtureFile>) => void][] = [
    ["grad.json", corrupt((d) => void (d.grads["rnn.weight_hh_l0"][3][2] += 1e-6)), (r) => {
      assert.equal(r.worst!.where, "grads.rnn.weight_hh_l0[3][2]");
      assert.ok(r.worst!.error > 5e-7 && r.worst!.error < 2e-6, String(r.worst!.error));
    }],
    ["embed-grad.json", corrupt((d) => void (d.grads["embed.weight"][0][4] *= 1.01)), (r) => assert.equal(r.worst!.where, "grads.embed.weight[0][4]")],
    ["logit.json", corrupt((d) => void (d.logits[4][2][6] += 1e-7)), (r) => assert.equal(r.worst!.where, "logits[4][2][6]")],
    ["loss.json", corrupt((d) => void (d.loss += 1e-6)), (r) => assert.equal(r.worst!.where, "loss")],
    ["swapped.json", swapped, (r) => assert.ok(r.worst!.error > 1e-4, `swapping two layers' weights changes the numbers: ${r.worst!.error}`)],
    ["renamed.json", renamedKey(good, "head.weight", "fc.weight"), (r) => assert.match(r.problem ?? "", /renamed\.json: field "state_dict\.fc\.weight" is unknown/)],
    ["reordered.json", reordered, (r) => assert.match(r.problem ?? "", /reordered\.json: state_dict keys differ in name or order: the model's are embed\.weight, .*; PyTorch's are head\.bias, embed\.weight/)],
  ];
  const dir = tempCases(Object.fromEntries(cases.map(([name, value]) => [name, value])));
  try {
    for (const [name, , expect] of cases) {
      const r = checkFixtureFile(join(dir, name));
      // A renamed key is caught when the file is read (kind unknown then); the rest when it is run.
      assert.equal(r.kind, name === "renamed.json" ? null : "model", name);
      assert.equal(r.pass, false, name);
      expect(r);
    }
    const out = cli(dir);
    assert.equal(out.status, 1);
    assert.match(out.stdout.trim().split("\n").pop()!, new RegExp(`^fidelity: 0 passed, ${cases.length} failed$`));
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("the model runner itself loads strictly: a key renamed past the format check is an error from loadStateDict", () => {
  const c = parseFixtureCase(modelFixture(), MODEL) as ModelCase;
  const bad = { ...c, state_dict: renamedKey(c, "rnn.bias_hh_l1", "rnn.bias_hh_l2").state_dict };
  assert.throws(() => runModelCase(bad), /loadStateDict: missing key rnn\.bias_hh_l1[\s\S]*unexpected key rnn\.bias_hh_l2/);
  const missing = { ...c, state_dict: Object.fromEntries(Object.entries(c.state_dict).filter(([k]) => k !== "embed.weight")) };
  assert.throws(() => runModelCase(missing), /loadStateDict: missing key embed\.weight/);
  assert.ok(runModelCase(c).worst.error <= FIDELITY_TOLERANCE);
});

test("malformed model cases fail with the file and the field named", () => {
  const m = modelFixture();
  const { num_layers: _L, ...noLayers } = m;
  const cases: [string, unknown, RegExp][] = [
    ["no-layers.json", noLayers, /no-layers\.json: field "num_layers" is missing/],
    ["bad-logits.json", { ...m, logits: m.logits.slice(1) }, /bad-logits\.json: field "logits" has shape \[4,3,7\], expected \[5,3,7\] \(seq_len, batch, vocab\)/],
    ["bad-token.json", { ...m, tokens: [[7, 0, 0], ...m.tokens.slice(1)] }, /bad-token\.json: field "tokens\[0\]\[0\]" is 7; token ids must be integers in \[0, 7\)/],
    ["missing-grad.json", { ...m, grads: { ...m.grads, "head.bias": undefined } }, /missing-grad\.json: field "grads\.head\.bias" is missing/],
    ["one-layer.json", { ...m, num_layers: 1 }, /one-layer\.json: field "state_dict\.rnn\.weight_ih_l1" is unknown/],
  ];
  const dir = tempCases(Object.fromEntries(cases.map(([name, value]) => [name, value])));
  try {
    for (const [name, , message] of cases) {
      const r = checkFixtureFile(join(dir, name));
      assert.equal(r.pass, false, name);
      assert.match(r.problem ?? "", message, name);
    }
  } finally {
    rmSync(dir, { recursive: true });
  }
});

// ---- Attention and layer norm (../shared/fixtures/pytorch-attention, see its README) ----------

// The shared cases: torch.nn.MultiheadAttention (self, with and without the causal mask; cross)
// and torch.nn.LayerNorm, run through kl.nn.MultiheadAttention and kl.nn.LayerNorm.
const ATTENTION = join(ROOT, "..", "shared", "fixtures", "pytorch-attention");
// More of them, made by scripts/make-pytorch-attention-cases.py with other shapes.
const MORE_ATTENTION = join(__dirname, "fixtures", "pytorch-attention-more");
const SELF = "mha_self_E8_NH2_T6_B3_causal.json";
const CROSS = "mha_cross_E6_NH3_L4_S7_B2.json";
const NORM = "layer_norm_N5_D8.json";

function attentionFixture(name: string): Record<string, any> {
  return JSON.parse(readFileSync(join(ATTENTION, name), "utf8"));
}

/** How many numbers a nested value holds. */
function numbers(v: unknown): number {
  if (Array.isArray(v)) return v.reduce((n: number, x) => n + numbers(x), 0);
  if (typeof v === "object" && v !== null) return Object.values(v).reduce((n: number, x) => n + numbers(x), 0);
  return 1;
}

test("every shared attention and layer-norm case passes within 1e-9, and every number of its results is compared", () => {
  const reports = checkFixtureDir(ATTENTION, FIDELITY_TOLERANCE);
  assert.ok(reports.length >= 6, `found only ${reports.length} cases in ${ATTENTION}`);
  for (const kind of ["mha_self", "mha_cross", "layer_norm"] as const) assert.ok(reports.some((r) => r.kind === kind), `no ${kind} case`);
  for (const r of reports) {
    assert.ok(r.pass, `${r.file}: ${r.problem ?? `worst error ${r.worst?.error} at ${r.worst?.where}`}`);
    const c = attentionFixture(r.file);
    // Output (and weights), loss, every gradient (and the last-position norms): all of them.
    const results = c.kind === "layer_norm" ? [c.output, c.loss, c.grads] : [c.attn_output, c.attn_weights, c.loss, c.grads, c.last_position_input_grad_norms ?? []];
    assert.equal(r.compared, numbers(results), r.file);
  }
  const causal = loadFixtureCase(join(ATTENTION, SELF)) as SelfAttentionCase;
  assert.equal(causal.causal, true);
  assert.equal((loadFixtureCase(join(ATTENTION, "mha_self_E8_NH2_T5_B2.json")) as SelfAttentionCase).causal, false);
});

test("the cases made by scripts/make-pytorch-attention-cases.py pass too, edge shapes among them", () => {
  const reports = checkFixtureDir(MORE_ATTENTION, FIDELITY_TOLERANCE);
  assert.ok(reports.length >= 14, `found only ${reports.length} cases in ${MORE_ATTENTION}`);
  for (const r of reports) assert.ok(r.pass, `${r.file}: ${r.problem ?? `worst error ${r.worst?.error} at ${r.worst?.where}`}`);
  const cases = reports.map((r) => loadFixtureCase(join(MORE_ATTENTION, r.file)));
  const selfs = cases.filter((c): c is SelfAttentionCase => c.kind === "mha_self");
  const crosses = cases.filter((c): c is CrossAttentionCase => c.kind === "mha_cross");
  const norms = cases.filter((c): c is LayerNormCase => c.kind === "layer_norm");
  const has = (what: string, found: boolean) => assert.ok(found, `no case with ${what}`);
  has("heads = E (head dimension 1)", [...selfs, ...crosses].some((c) => c.numHeads === c.embedDim && c.embedDim > 1));
  has("T = 1", selfs.some((c) => c.seqLen === 1));
  has("B = 1", [...selfs, ...crosses].some((c) => c.batch === 1));
  has("the causal mask over 7 positions", selfs.some((c) => c.causal && c.seqLen === 7));
  has("L < S and L > S", crosses.some((c) => c.queryLen < c.keyLen) && crosses.some((c) => c.queryLen > c.keyLen));
  has("one query position", crosses.some((c) => c.queryLen === 1));
  has("layer norm over D = 1", norms.some((c) => c.dim === 1));
  has("a non-default eps", norms.some((c) => c.eps !== 1e-5));
  const rowMean = (c: LayerNormCase) => Math.min(...(c.x as number[][]).map((row) => row.reduce((a, b) => a + b, 0) / row.length));
  has("x around 1e3 (a large offset)", norms.some((c) => rowMean(c) > 500));
});

test("a perturbed attention or layer-norm case fails, and the report points at the number", () => {
  const cases: [string, string, (d: Record<string, any>) => void, string][] = [
    ["self-weight.json", SELF, (d) => void (d.attn_weights[1][4][2] += 1e-6), "attn_weights[1][4][2]"],
    ["self-output.json", SELF, (d) => void (d.attn_output[5][2][7] -= 1e-6), "attn_output[5][2][7]"],
    ["self-norms.json", SELF, (d) => void (d.last_position_input_grad_norms[0] *= 1.001), "last_position_input_grad_norms[0]"],
    ["self-dx.json", SELF, (d) => void (d.grads.x[3][0][1] += 1e-6), "grads.x[3][0][1]"],
    ["self-bias.json", SELF, (d) => void (d.grads["in_proj_bias"][17] += 1e-6), "grads.in_proj_bias[17]"],
    ["cross-dk.json", CROSS, (d) => void (d.grads.key[6][1][5] += 1e-6), "grads.key[6][1][5]"],
    ["cross-dv.json", CROSS, (d) => void (d.grads.value[0][0][0] += 1e-6), "grads.value[0][0][0]"],
    ["cross-out.json", CROSS, (d) => void (d.grads["out_proj.weight"][2][3] += 1e-6), "grads.out_proj.weight[2][3]"],
    ["cross-loss.json", CROSS, (d) => void (d.loss += 1e-6), "loss"],
    ["norm-output.json", NORM, (d) => void (d.output[4][7] += 1e-6), "output[4][7]"],
    ["norm-bias.json", NORM, (d) => void (d.grads.bias[2] += 1e-6), "grads.bias[2]"],
    ["norm-dx.json", NORM, (d) => void (d.grads.x[0][0] += 1e-6), "grads.x[0][0]"],
  ];
  const files: Record<string, unknown> = {};
  for (const [name, from, change] of cases) {
    const d = attentionFixture(from);
    change(d);
    files[name] = d;
  }
  const dir = tempCases(files);
  try {
    for (const [name, , , where] of cases) {
      const r = checkFixtureFile(join(dir, name));
      assert.equal(r.pass, false, name);
      assert.equal(r.worst!.where, where, name);
    }
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("the runners use the case's mask, head count, eps and parameters: change one and the numbers differ", () => {
  const self = attentionFixture(SELF);
  const norm = attentionFixture(NORM);
  const swappedBlocks = attentionFixture(CROSS);
  const w = swappedBlocks.params.in_proj_weight; // rows: q block [0,6), k block [6,12): swap them
  swappedBlocks.params.in_proj_weight = [...w.slice(6, 12), ...w.slice(0, 6), ...w.slice(12)];
  const cases: [string, unknown][] = [
    ["no-mask.json", { ...self, causal: false }],
    ["four-heads.json", { ...self, num_heads: 4 }],
    ["one-head.json", { ...self, num_heads: 1 }],
    ["other-eps.json", { ...norm, eps: 1e-1 }],
    ["q-k-swapped.json", swappedBlocks],
  ];
  const dir = tempCases(Object.fromEntries(cases));
  try {
    for (const [name] of cases) {
      const r = checkFixtureFile(join(dir, name));
      assert.equal(r.problem, undefined, name);
      assert.equal(r.pass, false, name);
      assert.ok(r.worst!.error > 1e-4, `${name}: worst error only ${r.worst!.error}`);
    }
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("malformed attention and layer-norm cases fail with the file and the field named", () => {
  const self = attentionFixture(SELF);
  const cross = attentionFixture(CROSS);
  const norm = attentionFixture(NORM);
  const { last_position_input_grad_norms: _n, ...noNorms } = self;
  const { key_len: _s, ...noKeyLen } = cross;
  const { "out_proj.bias": _b, ...paramsNoOutBias } = self.params;
  const cases: [string, unknown, RegExp][] = [
    ["unknown-kind.json", { ...self, kind: "mha_batch_first" }, /unknown-kind\.json: field "kind" is "mha_batch_first"; expected one of "mha_self", "mha_cross", "layer_norm"/],
    ["heads.json", { ...self, num_heads: 3 }, /heads\.json: field "num_heads" is 3, which does not divide embed_dim 8/],
    ["zero-heads.json", { ...self, num_heads: 0 }, /zero-heads\.json: field "num_heads" must be a positive integer, got 0/],
    ["causal.json", { ...self, causal: "yes" }, /causal\.json: field "causal" must be true or false, got "yes"/],
    ["x-shape.json", { ...self, x: self.x.slice(1) }, /x-shape\.json: field "x" has shape \[5,3,8\], expected \[6,3,8\] \(seq_len, batch, embed_dim\)/],
    ["weights-shape.json", { ...self, attn_weights: self.attn_weights.slice(1) }, /weights-shape\.json: field "attn_weights" has shape \[2,6,6\], expected \[3,6,6\] \(batch, seq_len \(queries\), seq_len \(keys\)\)/],
    ["no-norms.json", noNorms, /no-norms\.json: field "last_position_input_grad_norms" is missing/],
    ["no-dx.json", { ...self, grads: { ...self.grads, x: undefined } }, /no-dx\.json: field "grads\.x" is missing/],
    ["no-out-bias.json", { ...self, params: paramsNoOutBias }, /no-out-bias\.json: field "params\.out_proj\.bias" is missing/],
    ["renamed-param.json", { ...self, params: { ...paramsNoOutBias, "out_proj.b": self.params["out_proj.bias"] } }, /renamed-param\.json: field "params\.out_proj\.b" is unknown; expected the keys in_proj_weight, in_proj_bias, out_proj\.weight, out_proj\.bias/],
    ["in-proj-shape.json", { ...self, params: { ...self.params, in_proj_weight: self.params.in_proj_weight.slice(8) } }, /in-proj-shape\.json: field "params\.in_proj_weight" has shape \[16,8\], expected \[24,8\]/],
    ["bad-loss.json", { ...self, loss: null }, /bad-loss\.json: field "loss" must be a finite number, got null/],
    ["no-key-len.json", noKeyLen, /no-key-len\.json: field "key_len" is missing/],
    ["key-shape.json", { ...cross, value: cross.value.slice(2) }, /key-shape\.json: field "value" has shape \[5,2,6\], expected \[7,2,6\] \(key_len, batch, embed_dim\)/],
    ["cross-dx.json", { ...cross, grads: { ...cross.grads, x: cross.grads.query } }, /cross-dx\.json: field "grads\.x" is unknown/],
    ["cross-causal.json", { ...cross, causal: true }, /cross-causal\.json: field "causal" is true, but mha_cross cases have no mask/],
    ["norm-rows.json", { ...norm, rows: 4 }, /norm-rows\.json: field "x" has shape \[5,8\], expected \[4,8\] \(rows, dim\)/],
    ["norm-eps.json", { ...norm, eps: "1e-5" }, /norm-eps\.json: field "eps" must be a finite number, got "1e-5"/],
    ["norm-weight.json", { ...norm, params: { ...norm.params, weight: norm.params.weight.slice(1) } }, /norm-weight\.json: field "params\.weight" has shape \[7\], expected \[8\]/],
    ["norm-nan.json", { ...norm, output: [[...norm.output[0].slice(1), "NaN"], ...norm.output.slice(1)] }, /norm-nan\.json: field "output" is malformed/],
  ];
  const dir = tempCases(Object.fromEntries(cases.map(([name, value]) => [name, value])));
  try {
    for (const [name, , message] of cases) {
      assert.throws(() => loadFixtureCase(join(dir, name)), message, name);
      const r = checkFixtureFile(join(dir, name));
      assert.equal(r.pass, false, name);
      assert.equal(r.kind, null, name);
      assert.match(r.problem ?? "", message, name);
    }
    const out = cli(dir);
    assert.equal(out.status, 1);
    for (const [name] of cases) assert.match(out.stdout, new RegExp(`^FAIL ${name.replace(".", "\\.")} {2}${name.replace(".", "\\.")}: field "`, "m"));
  } finally {
    rmSync(dir, { recursive: true });
  }
});

test("the CLI's default directories are the two shared ones; npm test's fidelity stage runs all four", async () => {
  const out = spawnSync(process.execPath, [join(ROOT, "scripts", "fidelity.mjs")], { cwd: ROOT, encoding: "utf8" });
  assert.equal(out.status, 0, out.stdout + out.stderr);
  assert.match(out.stdout, /^PASS \S*shared\/fixtures\/pytorch\/lstm_I3_H4_T5_B2\.json /m);
  assert.match(out.stdout, /^PASS \S*shared\/fixtures\/pytorch-attention\/mha_self_E8_NH2_T6_B3_causal\.json /m);
  const { STAGES } = await import(join(ROOT, "scripts", "test.mjs"));
  const dirs = (STAGES.fidelity.cmd as string[]).slice(2);
  assert.deepEqual(dirs, [FIXTURES, MORE, ATTENTION, MORE_ATTENTION]);
});
