// "The library says what is wrong": inputs that used to pass in silence (a state filled with
// zeros, a parameter never updated, a NaN loss of an empty batch, a checkpoint that loses values,
// windows read past the data, a CSV whose bad bytes became U+FFFD). Each test names the finding;
// each failed before its fix.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Rng, Tensor, crossEntropy, mse, noGrad, randn, tensor, zeros } from "../src";
import { resetTape } from "../src/autograd";
import { GRU, GRUCell, LSTM, LSTMCell, Linear, Module, Parameter, RNN, RNNCell } from "../src/nn";
import { Adagrad, Adam, SGD, clipGradNorm, clipGradValue } from "../src/optim";
import { loadJSON, saveJSON } from "../src/io";
import { findInvalidUtf8 } from "../src/data/table/diagnose";
import { DataError, Scaler, asSeries, forecastDataset, labelledWindows, minibatches, readCSV, slidingWindows, takeWindows } from "../src/data";

/** The message of the error fn throws; fails the test if it throws nothing. */
function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  } finally {
    resetTape();
  }
  assert.fail("no error: the bad input passed in silence");
}

/** Asserts that fn throws, and that its message contains every text in `names`. */
function throwsNaming(fn: () => unknown, names: (string | RegExp)[]): string {
  const message = messageOf(fn);
  for (const n of names) {
    const ok = typeof n === "string" ? message.includes(n) : n.test(message);
    assert.ok(ok, `the message should name ${String(n)}; it was: ${message}`);
  }
  return message;
}

// ---------------------------------------------------------------------------------------------
// LSTM state: both h and c, or neither

test("LSTMCell given h without c (or c without h) refuses, naming the cell and the missing state", () => {
  const cell = new LSTMCell(3, 4, { rng: new Rng(1) });
  const x = zeros([2, 3]);
  throwsNaming(() => cell.forward(x, { h: zeros([2, 4]) }), ["LSTMCell", "c", "missing", "{ h, c }"]);
  throwsNaming(() => cell.forward(x, { c: zeros([2, 4]) }), ["LSTMCell", "h", "missing"]);
  // A tensor where the pair belongs (a GRU's habit): its h and c are both undefined, which read as "no state".
  throwsNaming(() => cell.forward(x, zeros([2, 4]) as never), ["LSTMCell", "Tensor [2,4]", "{ h, c }"]);
  // The other keys of a layer's output ({ hN, cN }) are not a state either.
  throwsNaming(() => cell.forward(x, { hN: zeros([2, 4]), cN: zeros([2, 4]) } as never), ["LSTMCell", "hN, cN", "{ h, c }"]);
  // Neither, or both: as before.
  const none = cell.forward(x);
  const empty = cell.forward(x, {});
  assert.deepEqual(empty.h.toArray(), none.h.toArray());
  const both = cell.forward(x, { h: zeros([2, 4]), c: zeros([2, 4]) });
  assert.deepEqual(both.c.toArray(), none.c.toArray());
});

test("LSTM given h0 without c0 (or c0 without h0) refuses, naming the layer and the missing state", () => {
  const lstm = new LSTM(3, 4, { numLayers: 2, rng: new Rng(2) });
  const x = zeros([5, 2, 3]);
  throwsNaming(() => lstm.forward(x, { h: zeros([2, 2, 4]) }), ["LSTM", "c0", "missing"]);
  throwsNaming(() => lstm.forward(x, { c: zeros([2, 2, 4]) }), ["LSTM", "h0", "missing"]);
  const out = lstm.forward(x);
  // Carrying the last output instead of { h: out.hN, c: out.cN } would start from zeros in silence.
  throwsNaming(() => lstm.forward(x, out as never), ["LSTM", "hN", "cN", "{ h, c }"]);
  throwsNaming(() => lstm.forward(x, out.hN as never), ["LSTM", "Tensor [2,2,4]"]);
  const carried = lstm.forward(x, { h: out.hN, c: out.cN });
  assert.deepEqual(carried.output.shape, [5, 2, 4]);
});

test("an RNN or GRU given an LSTM's { h, c } names the state, not a crash inside shapeStr", () => {
  throwsNaming(() => new GRUCell(3, 4).forward(zeros([2, 3]), { h: zeros([2, 4]), c: zeros([2, 4]) } as never), ["GRUCell", "h", "Tensor [2,4]", "{ h, c }"]);
  throwsNaming(() => new RNNCell(3, 4).forward(zeros([2, 3]), [zeros([2, 4])] as never), ["RNNCell", "h", "Tensor [2,4]", "array"]);
  throwsNaming(() => new RNN(3, 4).forward(zeros([5, 2, 3]), { h: zeros([2, 4]) } as never), ["RNN", "h0", "Tensor [2,4]"]);
  throwsNaming(() => new GRU(3, 4).forward(zeros([5, 2, 3]), 0 as never), ["GRU", "h0", "Tensor", "0"]);
});

// ---------------------------------------------------------------------------------------------
// Optimizers: only leaves that backward() can reach

test("an optimizer given a non-leaf tensor refuses it, naming its index, name, shape and the op that made it", () => {
  const w = new Parameter(randn([3, 2], new Rng(3)), "w");
  const scaled = w.mul(0.1); // a learner's "w = randn(...).mul(0.1)" with requiresGrad set first
  throwsNaming(() => new SGD([scaled], { lr: 0.1 }), ["SGD", "parameter 0", "[3,2]", "mul", "not a leaf"]);
  const named = w.tanh();
  named.name = "W_hh";
  throwsNaming(() => new Adam([w, named], { lr: 0.1 }), ["Adam", "parameter 1", "W_hh", "[3,2]", "tanh", "Parameter"]);
  // retainGrad() does not make it one: the update would change a value the next forward recomputes.
  throwsNaming(() => new Adagrad([w.add(1).retainGrad()], { lr: 0.1 }), ["Adagrad", "parameter 0", "add"]);
});

test("an optimizer given a plain tensor that does not require grad refuses it; a frozen Parameter is accepted", () => {
  const plain = randn([4], new Rng(4)); // forgot { requiresGrad: true }: backward() never reaches it
  throwsNaming(() => new SGD([new Parameter(zeros([2])), plain], { lr: 0.1 }), ["SGD", "parameter 1", "[4]", "requiresGrad"]);
  // A tensor made under noGrad is a leaf without requiresGrad: the same.
  const w = new Parameter(zeros([2]));
  throwsNaming(() => new Adam([noGrad(() => w.mul(2))], { lr: 0.1 }), ["Adam", "parameter 0", "[2]", "requiresGrad"]);
  // Freezing a Parameter (requiresGrad = false) is how a model keeps a layer fixed: accepted, skipped.
  const frozen = new Parameter(tensor([1, 2]));
  frozen.requiresGrad = false;
  const live = new Parameter(tensor([1, 2]));
  const opt = new SGD([frozen, live], { lr: 0.5 });
  live.grad = tensor([1, 1]);
  opt.step();
  assert.deepEqual(Array.from(frozen.data), [1, 2]);
  assert.deepEqual(Array.from(live.data), [0.5, 1.5]);
  // And a tensor made with requiresGrad is a leaf like a Parameter.
  new SGD([tensor([1], undefined, { requiresGrad: true })], { lr: 0.1 });
});

// zeroGrad fills gradients with zeros (PyTorch's set_to_none=False), so a parameter frozen after
// training still holds a gradient: Adam moved it on every step (its moments and the weight decay act
// on zeros), and SGD with momentum too (a PyTorch-transfer review: 0.8 became 0.312 in three steps).
test("a Parameter frozen after it was trained stays where it is: step() skips it though it still holds a (zero) gradient", () => {
  for (const make of [(ps: Parameter[]) => new Adam(ps, { lr: 0.1, weightDecay: 0.1 }), (ps: Parameter[]) => new SGD(ps, { lr: 0.1, momentum: 0.9 })]) {
    const w = new Parameter(tensor([0.9]));
    const opt = make([w]);
    w.grad = tensor([1]);
    opt.step(); // trained once
    const trained = w.data[0];
    w.requiresGrad = false; // then frozen
    for (let k = 0; k < 3; k++) {
      opt.zeroGrad();
      opt.step();
    }
    assert.equal(w.data[0], trained, `${opt.constructor.name} left the frozen weight at ${trained}`);
    assert.notEqual(trained, 0.9, "the first step moved it");
  }
});

// TypeScript refuses an unknown name in an object literal, not in an options variable or in plain
// JavaScript: there `{ batchFirst: true }` was ignored (a [B, T, I] batch read as [T, B, I]) and
// `new Adam(params, 0.01)` kept the default learning rate.
test("options a layer, an optimizer or clipGradNorm does not have are refused by name, with what to do", () => {
  const loose = (o: unknown) => o as never;
  throwsNaming(() => new LSTM(3, 5, loose({ batchFirst: true })), ["LSTM", '"batchFirst"', "numLayers", "time-major", "kl.transpose(x, 0, 1)"]);
  throwsNaming(() => new GRU(3, 5, loose({ bidirectional: true })), ["GRU", '"bidirectional"', "reversed"]);
  throwsNaming(() => new RNN(3, 5, loose({ num_layers: 2 })), ["RNN", '"num_layers"', "camelCase", "numLayers"]);
  new RNN(3, 5, { nonlinearity: "relu", numLayers: 2, dropout: 0.1 }); // RNN's own option is known
  throwsNaming(() => new LSTM(3, 5, loose({ nonlinearity: "relu" })), ["LSTM", '"nonlinearity"']);
  const p = new Parameter(zeros([2]));
  throwsNaming(() => new Adam([p], loose(0.01)), ["Adam", "options must be an object", "{ lr: ... }", "0.01"]);
  throwsNaming(() => new Adam([p], loose({ lr: 0.1, amsgrad: true })), ["Adam", '"amsgrad"', "no AMSGrad"]);
  throwsNaming(() => new SGD([p], loose({ lr: 0.1, weight_decay: 0.1 })), ["SGD", '"weight_decay"', "weightDecay"]);
  throwsNaming(() => new Adagrad([p], loose({ lr_decay: 0.1 })), ["Adagrad", '"lr_decay"', "lrDecay"]);
  p.grad = tensor([3, 4]);
  throwsNaming(() => clipGradNorm([p], 1, loose({ normType: Infinity })), ["clipGradNorm", '"normType"', "L2", "clipGradValue"]);
  assert.deepEqual(Array.from(p.grad.data), [3, 4], "nothing clipped");
});

test("an optimizer given a model, or a list that holds something else, says what it got", () => {
  const model = new Linear(2, 1);
  throwsNaming(() => new SGD(model as never, { lr: 0.1 }), ["SGD", "Linear", "model.parameters()"]);
  throwsNaming(() => new Adam([model.parameters()] as never, { lr: 0.1 }), ["Adam", "parameter 0", "array"]);
  throwsNaming(() => new Adam([model.weight, undefined] as never, { lr: 0.1 }), ["Adam", "parameter 1", "undefined"]);
});

// ---------------------------------------------------------------------------------------------
// clipGradNorm with a non-finite norm

function withGrad(values: number[], name?: string): Parameter {
  const p = new Parameter(tensor(values.map(() => 0)), name);
  p.grad = tensor(values);
  return p;
}

test("clipGradNorm with a NaN gradient refuses, naming the parameter and where the first NaN is", () => {
  const a = withGrad([3, 4], "rnn.weight_ih_l0");
  const b = new Parameter(zeros([2, 3]), "rnn.weight_hh_l0");
  b.grad = tensor([[0, 1, 2], [3, NaN, 5]]);
  throwsNaming(() => clipGradNorm([a, b], 1), ["clipGradNorm", "NaN", "rnn.weight_hh_l0", "[2,3]", "[1,1]", "errorIfNonfinite"]);
  // Nothing was changed by the refusal.
  assert.deepEqual(Array.from(a.grad!.data), [3, 4]);
  // An unnamed parameter is named by its position in the list.
  throwsNaming(() => clipGradNorm([withGrad([1]), withGrad([2, -Infinity])], 1), ["clipGradNorm", "-Infinity", "parameter 1", "[1]"]);
});

test("clipGradNorm with errorIfNonfinite: false keeps PyTorch's behaviour: every gradient times NaN (or 0 for an infinite norm)", () => {
  const a = withGrad([3, 4]);
  const b = withGrad([NaN, 1]);
  const norm = clipGradNorm([a, b], 1, { errorIfNonfinite: false });
  assert.ok(Number.isNaN(norm));
  assert.ok([...a.grad!.data, ...b.grad!.data].every(Number.isNaN), "torch multiplies every gradient by the NaN factor");
  const c = withGrad([3, 4]);
  const d = withGrad([Infinity, 1]);
  assert.equal(clipGradNorm([c, d], 1, { errorIfNonfinite: false }), Infinity);
  assert.deepEqual(Array.from(c.grad!.data), [0, 0]); // clip_coef = 1 / inf = 0
  assert.ok(Number.isNaN(d.grad!.data[0]) && d.grad!.data[1] === 0); // inf * 0
});

test("clipGradNorm and clipGradValue given a model, or a nested list, say what they got", () => {
  const model = new Linear(2, 1);
  throwsNaming(() => clipGradNorm(model as never, 1), ["clipGradNorm", "Linear", "model.parameters()"]);
  throwsNaming(() => clipGradValue([model.parameters()] as never, 1), ["clipGradValue", "parameter 0", "array"]);
});

test("clipGradNorm with finite gradients whose squares overflow says so", () => {
  throwsNaming(() => clipGradNorm([withGrad([1e200, 1e200], "head.weight")], 1), ["clipGradNorm", "Infinity", "overflow", "head.weight", "1e+200"]);
});

// ---------------------------------------------------------------------------------------------
// Losses of an empty batch

test("crossEntropy and mse of an empty batch refuse with the mean (PyTorch: nan); the sum is 0", () => {
  throwsNaming(() => crossEntropy(zeros([0, 5]), []), ["crossEntropy", "[0,5]", "empty"]);
  throwsNaming(() => crossEntropy(new Parameter(zeros([0, 3])), new Int32Array(0)), ["crossEntropy", "[0,3]"]);
  throwsNaming(() => mse(zeros([0]), zeros([0])), ["mse", "[0]", "empty"]);
  throwsNaming(() => mse(zeros([4, 0]), zeros([4, 0])), ["mse", "[4,0]"]);
  assert.equal(crossEntropy(zeros([0, 5]), [], "sum").item(), 0);
  assert.equal(mse(zeros([0]), zeros([0]), "sum").item(), 0);
});

// ---------------------------------------------------------------------------------------------
// saveJSON and non-finite values

class Tiny extends Module {
  readonly a = new Linear(3, 2, { rng: new Rng(5) });
  readonly b = new Linear(2, 1, { rng: new Rng(6) });
}

function sameValues(x: Tensor, y: Tensor): boolean {
  return x.size === y.size && Array.from(x.data).every((v, i) => Object.is(v, y.data[i]));
}

test("saveJSON keeps NaN, Infinity, -Infinity and -0: a diverged model's checkpoint loads back unchanged", () => {
  const diverged = new Tiny();
  diverged.a.weight.data.set([NaN, Infinity, -Infinity, -0, 1e-310, 0.1]);
  const json = saveJSON(diverged);
  JSON.parse(json); // still valid JSON
  const fresh = new Tiny();
  loadJSON(fresh, json);
  assert.ok(sameValues(fresh.a.weight, diverged.a.weight), `got ${Array.from(fresh.a.weight.data)}`);
  assert.ok(diverged.parameters().every((p, i) => sameValues(p, fresh.parameters()[i])));
  // The state dict itself round-trips too (no JSON in between).
  const again = new Tiny();
  again.loadStateDict(diverged.stateDict());
  assert.ok(sameValues(again.a.weight, diverged.a.weight));
});

test("loadJSON reads Python's bare NaN/Infinity (json.dumps of a diverged torch state_dict); other strings are refused by name", () => {
  const m = new Linear(2, 1);
  loadJSON(m, '{"weight": [[NaN, -Infinity]], "bias": [Infinity]}');
  assert.ok(Number.isNaN(m.weight.data[0]) && m.weight.data[1] === -Infinity && m.bias!.data[0] === Infinity);
  // Inside a key, NaN is text, not a number.
  throwsNaming(() => loadJSON(m, '{"NaN": [1], "weight": [[1, 2]], "bias": [0]}'), ["unexpected key NaN"]);
  throwsNaming(() => m.loadStateDict({ weight: [["nan", 1]] as never, bias: [0] }), ["weight[0][0]", '"nan"', '"NaN"']);
  // A checkpoint from an older saveJSON, whose NaN became null: the value is lost, and the message says why.
  throwsNaming(() => m.loadStateDict({ weight: [[null, 1]] as never, bias: [0] }), ["weight[0][0]", "null", "lost"]);
  // A tensor or a typed array where nested arrays belong.
  throwsNaming(() => m.loadStateDict({ weight: tensor([[1, 2]]) as never, bias: [0] }), ["weight", "Tensor [1,2]", "toArray()"]);
  throwsNaming(() => m.loadStateDict({ weight: [Float64Array.of(1, 2)] as never, bias: [0] }), ["weight[0]", "Float64Array"]);
  // A PyTorch state dict of plain numbers still loads as it is.
  loadJSON(m, '{"weight": [[0.5, -0.0]], "bias": [2]}');
  assert.deepEqual(Array.from(m.weight.data), [0.5, -0]);
  assert.ok(Object.is(m.weight.data[1], -0));
});

// ---------------------------------------------------------------------------------------------
// Windows, minibatches and the scaler read only inside the data

const ramp = (n: number) => asSeries(Float64Array.from({ length: n }, (_, i) => i), "ramp");

test("slidingWindows and labelledWindows refuse a range beyond the series, naming the range and the length", () => {
  throwsNaming(() => slidingWindows(ramp(20), { window: 4, range: { start: 0, end: 1000 } }), ["slidingWindows", "0..1000", "20 steps"]);
  throwsNaming(() => slidingWindows(ramp(20), { window: 4, range: { start: -5, end: 10 } }), ["slidingWindows", "-5..10", "20 steps"]);
  throwsNaming(() => slidingWindows(ramp(20), { window: 2, range: { start: 12, end: 8 }, label: "val split" }), ["slidingWindows (val split)", "12..8"]);
  throwsNaming(() => slidingWindows(ramp(20), { window: 2, range: { start: 0.5, end: 8 } }), ["slidingWindows", "0.5..8"]);
  throwsNaming(() => labelledWindows(ramp(20), new Array(20).fill(0), { window: 3, range: { start: 10, end: 25 } }), ["labelledWindows", "10..25", "20 steps"]);
  // A range inside the series is as before.
  assert.deepEqual(slidingWindows(ramp(20), { window: 4, range: { start: 10, end: 20 } }).y.shape, [6, 1]);
});

test("Scaler.fit refuses a range beyond the series (it gave mean NaN), naming the range and the length", () => {
  throwsNaming(() => Scaler.fit(ramp(20), { start: 0, end: 100 }), ["Scaler.fit", "0..100", "20 steps"]);
  throwsNaming(() => Scaler.fit(ramp(20), { start: -1, end: 5 }, "minmax"), ["Scaler.fit", "-1..5"]);
  assert.equal(Scaler.fit(ramp(20), { start: 0, end: 20 }).describe().includes("NaN"), false);
});

test("takeWindows refuses window indices outside the windows (it returned zeros), naming the index and the count", () => {
  const data = forecastDataset(Array.from({ length: 40 }, (_, i) => Math.sin(i)), { window: 5 }).train;
  const W = data.x.shape[1];
  throwsNaming(() => takeWindows(data.x, data.y, [0, 99]), ["takeWindows", "99", "position 1", `${W} windows`]);
  throwsNaming(() => takeWindows(data.x, data.y, [-1]), ["takeWindows", "-1", "position 0"]);
  throwsNaming(() => takeWindows(data.x, data.y, [1.5]), ["takeWindows", "1.5"]);
  throwsNaming(() => takeWindows(data.x, zeros([W + 1, 1]), [0]), ["takeWindows", `[${W + 1},1]`, `${W} windows`]);
  throwsNaming(() => takeWindows(zeros([W, 1]), data.y, [0]), ["takeWindows", `[${W},1]`, "[T, W, F]"]);
  throwsNaming(() => takeWindows(data.x, data.y, tensor([0, 1]) as never), ["takeWindows", "Tensor [2]", ".data"]);
  assert.equal(minibatches(data, 4).length, Math.ceil(W / 4));
});

test("the window and scaling helpers given plain values instead of a series say so (the values were read as NaN)", () => {
  const values = Array.from({ length: 20 }, (_, i) => i);
  throwsNaming(() => slidingWindows(values as never, { window: 3 }), ["slidingWindows", "asSeries", "an array of 20 values"]);
  throwsNaming(() => labelledWindows(tensor(values) as never, values, { window: 3 }), ["labelledWindows", "asSeries", "Tensor [20]"]);
  throwsNaming(() => Scaler.fit(values as never, { start: 0, end: 10 }), ["Scaler.fit", "asSeries"]);
});

// ---------------------------------------------------------------------------------------------
// CSV with bytes that are not UTF-8

test("readCSV refuses bytes that are not UTF-8 (they became U+FFFD in silence), naming the file, line and column", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "kl-utf8-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, "names.csv");
  // "José" written in Latin-1 (0xE9 alone is not UTF-8) on data line 3 of the file.
  const bytes = Buffer.concat([Buffer.from("id,name\n1,Ann\n2,Jos"), Buffer.from([0xe9]), Buffer.from("\n3,Bo\n")]);
  writeFileSync(path, bytes);
  await assert.rejects(readCSV(path), (e: Error) => {
    assert.ok(e instanceof DataError, String(e));
    for (const n of [`${path}:3`, "UTF-8", 'column "name"', "0xe9"]) assert.ok(e.message.includes(n), `should name ${n}: ${e.message}`);
    return true;
  });
  // A truncated multi-byte sequence at the very end of a file.
  const tail = join(dir, "tail.csv");
  writeFileSync(tail, Buffer.concat([Buffer.from("a,b\n1,x"), Buffer.from([0xe2, 0x82])]));
  await assert.rejects(readCSV(tail), (e: Error) => e.message.includes(`${tail}:2`) && e.message.includes('column "b"'));
  // A file saved as UTF-16 (Windows' "Unicode"): named at its first byte.
  const wide = join(dir, "wide.csv");
  writeFileSync(wide, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("a,b\n1,2\n", "utf16le")]));
  await assert.rejects(readCSV(wide), (e: Error) => e.message.includes(`${wide}:1`) && e.message.includes("UTF-16"));
  // A bad byte in the header line.
  const head = join(dir, "head.csv");
  writeFileSync(head, Buffer.concat([Buffer.from([0xe9]), Buffer.from("t,b\n1,2\n")]));
  await assert.rejects(readCSV(head), (e: Error) => e.message.includes(`${head}:1: the header line holds byte 0xe9`));
  // Real UTF-8 still reads.
  const good = join(dir, "good.csv");
  writeFileSync(good, "id,name\n1,José\n2,Zoë\n");
  assert.deepEqual((await readCSV(good)).text("name"), ["José", "Zoë"]);
});

test("the UTF-8 check agrees with the WHATWG decoder (fatal) on random bytes, and finds the first bad one", () => {
  const rng = new Rng(7);
  const decoder = new TextDecoder("utf-8", { fatal: true });
  // Bytes drawn mostly from the ranges that matter: ASCII, continuations, and every kind of lead byte.
  const pool = [0x41, 0x41, 0x41, 0x41, 0x0a, 0x2c, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf4, 0xf5, 0xff];
  for (let n = 0; n < 20000; n++) {
    const bytes = Uint8Array.from({ length: 1 + rng.int(8) }, () => pool[rng.int(pool.length)]);
    let valid = true;
    try {
      decoder.decode(bytes);
    } catch {
      valid = false;
    }
    const bad = findInvalidUtf8(bytes);
    assert.equal(bad === null, valid, `bytes ${Array.from(bytes, (b) => b.toString(16)).join(" ")}`);
    if (bad !== null) {
      // The first bad sequence: everything before it decodes.
      assert.equal(bad.byte, bytes[bad.offset]);
      assert.doesNotThrow(() => decoder.decode(bytes.subarray(0, bad.offset)));
    }
  }
});
