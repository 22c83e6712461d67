import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng, Tensor, fromFlat, noGrad } from "../src";
import { CELL_KINDS, RecurrentModel } from "../src/nn";
import { LONG_RANGE_TASKS, TASK_NAMES, longRangeTask, scoreOnTask, trainOnTask } from "../src/tasks";

const lengthFor = (name: string) => (name === "reber" ? 20 : 12);

test("RecurrentModel: one class for every cell, PyTorch's names under rnn. and head.", () => {
  for (const cell of CELL_KINDS) {
    const m = new RecurrentModel(cell, 3, 5, 2, { rng: new Rng(0) });
    const names = m.namedParameters().map(([n]) => n);
    assert.deepEqual(names, ["rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0", "head.weight", "head.bias"], cell);
    const G = { rnn: 1, irnn: 1, lstm: 4, gru: 3 }[cell];
    assert.deepEqual(m.rnn.weight_ih_l0.shape, [G * 5, 3], cell);
    const { out, hs, cs } = m.forward(fromFlat(new Float64Array(4 * 2 * 3).fill(0.5), [4, 2, 3]));
    assert.deepEqual(out.shape, [2, 2]);
    assert.equal(hs.length, 4);
    assert.equal(cs !== undefined, cell === "lstm", `${cell}: cell states only for the LSTM`);
  }
});

test("RecurrentModel: the IRNN is a ReLU RNN from W_hh = I, zero biases, small input weights; forgetBias sets the LSTM's gate", () => {
  const irnn = new RecurrentModel("irnn", 2, 4, 1, { rng: new Rng(3) });
  const w = irnn.rnn.layer(0);
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) assert.equal(w.weight_hh.get(i, j), i === j ? 1 : 0);
  assert.ok([...w.bias_ih.data, ...w.bias_hh.data].every((v) => v === 0));
  assert.ok(w.weight_ih.data.every((v) => Math.abs(v) < 0.006), "N(0, 0.001²) draws");
  assert.equal(irnn.rnn.mode, "rnn_relu");
  const lstm = new RecurrentModel("lstm", 2, 4, 1, { rng: new Rng(3), forgetBias: 2 });
  const l = lstm.rnn.layer(0);
  for (let k = 4; k < 8; k++) assert.equal(l.bias_ih.data[k] + l.bias_hh.data[k], 2);
});

test("RecurrentModel: readout every step gives [T, B, out]; a wrong cell or option is named", () => {
  const m = new RecurrentModel("gru", 3, 5, 7, { rng: new Rng(0), readout: "every" });
  assert.deepEqual(m.forward(fromFlat(new Float64Array(6 * 2 * 3), [6, 2, 3])).out.shape, [6, 2, 7]);
  assert.throws(() => new RecurrentModel("lstmm" as never, 3, 5, 2), /cell must be one of "rnn", "irnn", "lstm", "gru", got "lstmm"/);
  assert.throws(() => new RecurrentModel("gru", 3, 5, 2, { forgetBias: 1 }), /forgetBias is for an LSTM, not a gru/);
  assert.throws(() => new RecurrentModel("rnn", 3, 5, 2, { readout: "first" as never }), /readout must be "last" or "every"/);
});

/** The output a model that knows the answer would give, in the shape the task reads out. */
function oracle(name: string, batch: { x: Tensor; raw: unknown }): Tensor {
  const raw = batch.raw as Record<string, Tensor>;
  const task = LONG_RANGE_TASKS[name as keyof typeof LONG_RANGE_TASKS];
  if (name === "adding") return raw.y;
  if (name === "reber") return raw.legalNext; // legal symbols 1, the others 0
  const C = task.outputSize;
  const ids = raw.y;
  const out = new Float64Array(ids.size * C);
  for (let i = 0; i < ids.size; i++) out[i * C + ids.data[i]] = 5;
  return fromFlat(out, task.readout === "last" ? [ids.size, C] : [...ids.shape, C]);
}

test("every task: its batch fits its model, its loss is a finite scalar with gradients, an oracle is solved and a blank guess is not", () => {
  for (const name of TASK_NAMES) {
    const task = longRangeTask(name);
    const T = lengthFor(name);
    const b = task.batch(T, 16, 4);
    assert.equal(b.x.shape[2], task.inputSize, name);
    const model = new RecurrentModel("lstm", task.inputSize, 6, task.outputSize, { rng: new Rng(1), readout: task.readout });
    const loss = task.loss(model.forward(b.x).out, b);
    assert.equal(loss.size, 1, name);
    assert.ok(Number.isFinite(loss.item()) && loss.item() > 0, `${name}: loss ${loss.item()}`);
    loss.backward();
    assert.ok(model.rnn.weight_hh_l0.grad!.data.some((v) => v !== 0), `${name}: the gradient reaches the recurrent weights`);
    const best = task.score(oracle(name, b), b);
    assert.equal(best.solved, true, `${name}: the oracle scores ${best.value}`);
    const blank = task.score(noGrad(() => model.forward(b.x).out).mul(0), b);
    assert.equal(blank.solved, false, `${name}: a constant output scores ${blank.value}`);
    assert.ok(task.criterion.length > 10 && task.title.length > 10 && task.source.length > 5, name);
  }
});

test("reber: a string counts as right only if every due prediction's likeliest symbols are the legal ones", () => {
  const task = LONG_RANGE_TASKS.reber;
  const b = task.batch(20, 8, 2);
  const raw = b.raw as { legalNext: Tensor; mask: Tensor };
  const out = fromFlat(Float64Array.from(raw.legalNext.data), raw.legalNext.shape);
  // Spoil one due prediction of string 3: a legal symbol loses to an illegal one.
  const [, B, V] = out.shape;
  const t = 1, i = t * B + 3;
  assert.equal(raw.mask.data[i], 1);
  let legal = -1, illegal = -1;
  for (let c = 0; c < V; c++) (raw.legalNext.data[i * V + c] === 1 ? (legal = c) : (illegal = c));
  out.data[i * V + legal] = 0;
  out.data[i * V + illegal] = 1;
  assert.equal(task.score(out, b).value, 7 / 8);
});

test("trainOnTask: an LSTM learns the latch at T = 5; the same seed gives the same run; early stop when solved", () => {
  const a = trainOnTask({ task: "latch", cell: "lstm", T: 5, seed: 0, hiddenSize: 8, steps: 200, lr: 0.02, testSize: 200 });
  const b = trainOnTask({ task: "latch", cell: "lstm", T: 5, seed: 0, hiddenSize: 8, steps: 200, lr: 0.02, testSize: 200 });
  assert.equal(a.solved, true, `accuracy ${a.score}`);
  assert.deepEqual(a.losses, b.losses);
  assert.equal(a.losses.length, 200);
  assert.equal(a.diverged, false);
  const early = trainOnTask({ task: "latch", cell: "lstm", T: 5, seed: 0, hiddenSize: 8, steps: 200, lr: 0.02, testSize: 200, stopWhenSolvedEvery: 25 });
  assert.ok(early.solved && early.stepsTaken < 200 && early.stepsTaken % 25 === 0, `stopped after ${early.stepsTaken} steps`);
  assert.deepEqual(early.losses, a.losses.slice(0, early.stepsTaken), "early stopping changes nothing before it stops");
  const again = scoreOnTask(early.model, "latch", 5, 200);
  assert.equal(again.value, early.score, "scoreOnTask uses the same test batch");
});

test("trainOnTask: a run whose gradient overflows stops and says diverged instead of training on NaN", () => {
  const r = trainOnTask({ task: "adding", cell: "irnn", T: 30, seed: 0, hiddenSize: 8, steps: 50, optimizer: "sgd", lr: 1e6, clip: null, testSize: 50 });
  assert.equal(r.diverged, true);
  assert.equal(r.solved, false);
  assert.ok(r.stepsTaken < 50);
  assert.throws(() => trainOnTask({ task: "adding", cell: "lstm", T: 1, steps: 1 }), /T must be an integer ≥ 2 for the adding task, got 1/);
  assert.throws(() => trainOnTask({ task: "add" as never, cell: "lstm", T: 10 }), /no task named "add"; the tasks are "adding", "temporal-order", "copy", "reber", "latch"/);
});
