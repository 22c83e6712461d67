import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Rng, Tensor, fromFlat, index, randn } from "../src";
import {
  SEQUENCE_MODEL_KINDS, delayedRecall, loadAttentionLab, namesModel, namesRow, namesRun, namesSplit,
  recallModel, recallRow, recallRun, recallRuns, sampleNames, sequenceModel,
} from "../src/tasks";
import { AttentionModel } from "../src/nn";

test("delayedRecall: the answer at step t is the symbol of step t − lag; one-hot input; seeded", () => {
  const b = delayedRecall({ T: 10, lag: 3, symbols: 5, batchSize: 4, seed: 1 });
  assert.deepEqual(b.x.shape, [10, 4, 5]);
  assert.deepEqual(b.ids.shape, [10, 4]);
  assert.deepEqual(b.y.shape, [7 * 4]);
  for (let t = 3; t < 10; t++) for (let s = 0; s < 4; s++) assert.equal(b.y.data[(t - 3) * 4 + s], b.ids.data[(t - 3) * 4 + s]);
  for (let i = 0; i < 40; i++) {
    const row = Array.from(b.x.data.subarray(i * 5, i * 5 + 5));
    assert.equal(row.reduce((a, v) => a + v, 0), 1);
    assert.equal(row[b.ids.data[i]], 1);
  }
  assert.deepEqual(Array.from(delayedRecall({ T: 10, lag: 3, symbols: 5, batchSize: 4, seed: 1 }).ids.data), Array.from(b.ids.data), "same seed, same batch");
  assert.notDeepEqual(Array.from(delayedRecall({ T: 10, lag: 3, symbols: 5, batchSize: 4, seed: 2 }).ids.data), Array.from(b.ids.data));
  const counts = new Array(8).fill(0);
  for (const v of delayedRecall({ T: 50, lag: 1, batchSize: 100, seed: 3 }).ids.data) counts[v]++;
  assert.ok(counts.every((c) => c > 500 && c < 750), `8 symbols drawn about equally often: ${counts}`);
  assert.throws(() => delayedRecall({ T: 5, lag: 5, batchSize: 1, seed: 0 }), /lag 5 leaves no step to answer at in T = 5/);
  assert.throws(() => delayedRecall({ T: 5, lag: 0, batchSize: 1, seed: 0 }), /lag must be an integer >= 1/);
});

test("sequenceModel: every kind maps [T, B, I] to [T, B, O], and position t depends on positions 0..t only", () => {
  const x = randn([6, 2, 4], new Rng(1));
  const later = fromFlat(x.data.slice(), x.shape);
  for (let i = 4 * 2 * 4; i < later.size; i++) later.data[i] += 1; // positions 4 and 5 changed
  for (const kind of SEQUENCE_MODEL_KINDS) {
    const m = sequenceModel(kind, 4, 3, { size: 8, rng: new Rng(2), transformer: { numHeads: 2 } });
    const y = m.forward(x), y2 = m.forward(later);
    assert.deepEqual(y.shape, [6, 2, 3], kind);
    for (let i = 0; i < 4 * 2 * 3; i++) assert.equal(y.data[i], y2.data[i], `${kind}: output at position ${Math.floor(i / 6)} must not see later inputs`);
    assert.ok(y.data.slice(4 * 2 * 3).some((v, i) => v !== y2.data[4 * 2 * 3 + i]), `${kind}: later outputs do see them`);
    const last = m.forwardLast(x);
    assert.deepEqual(last.shape, [2, 3]);
    const fromAll = index(y, 0, 5);
    last.data.forEach((v, i) => assert.ok(Math.abs(v - fromAll.data[i]) < 1e-12, `${kind}: forwardLast is the last position of forward`));
    assert.equal(m.numParameters(), m.parameters().reduce((s, p) => s + p.size, 0));
  }
  assert.throws(() => sequenceModel("cnn" as never, 4, 3, { size: 8 }), /kind must be one of "rnn", "lstm", "gru", "transformer"/);
});

test("AttentionModel: PyTorch-style names, its parameter count, and sinusoidal positions with nothing to learn", () => {
  const m = new AttentionModel(8, 8, { embedDim: 32, numHeads: 4, ffDim: 32, rng: new Rng(0) });
  const names = m.namedParameters().map(([n]) => n);
  assert.deepEqual(names.slice(0, 4), ["input.weight", "input.bias", "blocks.0.self_attn.in_proj_weight", "blocks.0.self_attn.in_proj_bias"]);
  assert.ok(names.includes("blocks.0.linear1.weight") && names.includes("norm.weight") && names.includes("head.bias"));
  assert.ok(!names.some((n) => n.startsWith("pos.")), "sinusoidal positions are not parameters");
  // input 8·32 + 32, block (4E² + 4E) + (2EF + F + E) + 4E, final norm 2E, head 32·8 + 8
  assert.equal(m.numParameters(), 288 + (4 * 1024 + 128) + (2 * 1024 + 32 + 32) + 128 + 64 + 264);
  assert.equal(new AttentionModel(8, 8, { embedDim: 32, positions: "learned", maxLen: 10 }).numParameters(), m.numParameters() + 320);
  assert.throws(() => m.forward(randn([3, 2, 7])), /expected \[seqLen,batch,8\]/);
});

test("recallRun: seeded runs give the same row; a stopped run is solved; the rows the grid holds", () => {
  const settings = { T: 8, steps: 30, testSize: 20, probeSize: 2, stopWhenSolvedEvery: 0 };
  const a = recallRow(recallRun("gru", 2, 3, settings));
  const b = recallRun("gru", 2, 3, settings);
  assert.deepEqual(a, recallRow(b), "same settings and seed, same row");
  assert.ok(!("model" in a));
  assert.equal(a.stepsTaken, 30);
  assert.equal(a.gradient.init.length, 8);
  assert.equal(a.gradient.trained.length, 8);
  assert.ok(a.accuracy >= 0 && a.accuracy <= 1 && a.solved === a.accuracy >= 0.99);
  assert.notDeepEqual(recallRow(recallRun("gru", 2, 4, settings)).gradient.init, a.gradient.init, "another seed, another model");
  // lag 1 is learned fast: checked every 10 steps, the run stops once solved.
  const quick = recallRun("transformer", 1, 0, { T: 8, steps: 300, testSize: 20, probeSize: 2, stopWhenSolvedEvery: 10 });
  assert.ok(quick.solved && quick.stepsTaken < 300 && quick.stepsTaken % 10 === 0, `stopped at ${quick.stepsTaken} with accuracy ${quick.accuracy}`);
  assert.equal(recallModel("lstm", 0).numParameters(), 6920);
  assert.deepEqual(recallRuns({ kinds: ["rnn", "lstm"], lags: [1, 4], seeds: [0, 1] }).map((r) => `${r.kind}${r.lag}${r.seed}`),
    ["rnn10", "rnn11", "rnn40", "rnn41", "lstm10", "lstm11", "lstm40", "lstm41"]);
});

test("the stored lab is complete, and one of its recall rows re-runs to the same numbers", (t) => {
  const lab = loadAttentionLab();
  assert.equal(lab.complete, true);
  assert.equal(lab.recall.rows.length, lab.recall.grid.kinds.length * lab.recall.grid.lags.length * lab.recall.grid.seeds.length);
  assert.equal(lab.names.rows.length, lab.names.grid.kinds.length * lab.names.grid.seeds.length);
  const stored = lab.recall.rows.find((r) => r.kind === "rnn" && r.lag === 1 && r.seed === 0)!;
  assert.deepEqual(recallRow(recallRun("rnn", 1, 0, lab.recall.settings)), stored);
  const dir = mkdtempSync(join(tmpdir(), "lab-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "bad.json"), JSON.stringify({ recall: { rows: [] } }));
  assert.throws(() => loadAttentionLab(join(dir, "bad.json")), /not the attention lab's results file \(its "recall" part needs grid, settings and rows\)/);
  assert.throws(() => loadAttentionLab(join(dir, "missing.json")), /cannot read .*node scripts\/attention-lab\.mjs writes it/);
});

test("namesRun: the four models' sizes; a stopped run is a prefix of the full run; the stored names rows re-run", () => {
  assert.deepEqual(SEQUENCE_MODEL_KINDS.map((k) => namesModel(k, 0).numParameters()), [8791, 8860, 8844, 8860]);
  const small = { steps: 20, evalEvery: 10, valSize: 60, samples: 3 };
  const full = namesRun("lstm", 1, small);
  const prefix = namesRun("lstm", 1, small, { stopAfter: 10 });
  assert.deepEqual(full.curve.map((c) => c.step), [0, 10, 20]);
  assert.deepEqual(prefix.curve.map((c) => c.valLoss), full.curve.slice(0, 2).map((c) => c.valLoss));
  assert.equal(prefix.samples.length, 0);
  assert.equal(full.samples.length, 3);
  assert.equal(full.valLoss, full.curve[2].valLoss);
  assert.ok(full.valLoss < full.curve[0].valLoss, "20 steps already lower the loss");
  assert.ok(!("model" in namesRow(full)));
  const lab = loadAttentionLab();
  const stored = lab.names.rows.find((r) => r.kind === "transformer" && r.seed === 0)!;
  const again = namesRun("transformer", 0, lab.names.settings, { stopAfter: 50 });
  assert.deepEqual(again.curve.map((c) => c.valLoss), stored.curve.slice(0, 2).map((c) => c.valLoss));
  assert.equal(again.multiplyAddsPerStep, stored.multiplyAddsPerStep);
});

test("sampleNames: seeded names from the vocabulary, ended by '.', at most maxLen characters", () => {
  const split = namesSplit();
  const model = namesModel("gru", 0);
  const a = sampleNames(model, 20, new Rng(3), { maxLen: 6 });
  assert.deepEqual(sampleNames(model, 20, new Rng(3), { maxLen: 6 }), a);
  assert.equal(a.length, 20);
  for (const name of a) {
    assert.ok(name.length <= 6 && !name.includes("."), name);
    for (const ch of name) assert.ok(split.data.vocab.has(ch), ch);
  }
  // At a very low temperature the draw is the most likely character every time: one name, repeated.
  assert.equal(new Set(sampleNames(model, 5, new Rng(4), { temperature: 1e-6 })).size, 1);
  assert.ok(split.val.length === 800 && split.train.length === split.data.names.length - 800);
  assert.ok(namesModel("transformer", 0).logits(fromFlat([0, 1, 2], [3, 1])) instanceof Tensor);
});
