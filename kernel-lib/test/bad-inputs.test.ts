// Bad inputs, one per row, across the library and the tooling: each must fail with a message that
// names the thing at fault (the op and the shapes; the file and the line; the notebook and the
// cell), never pass in silence, never fail with an engine's message that names neither.
//
// A row is [area, what the learner did, the call, the texts its message must contain]. The texts
// are the names and numbers a learner needs to find the mistake; each row checks them all.
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  Rng, ones, add, concat, crossEntropy, div, embedding, fromFlat, index, linear, logSoftmax, matmul, max, mean, mse, mul,
  oneHot, randn, reshape, slice, softmax, split, stack, sub, sum, tensor, transpose, zeros, dropout,
} from "../src";
import { resetTape, withAnomalyDetection } from "../src/autograd";
import { gate, gruUpdate, lstmMemory } from "../src/ops/fused";
import { Embedding, GRU, GRUCell, LSTM, LSTMCell, Linear, Parameter, RNN, RNNCell, Sequential, Tanh } from "../src/nn";
import { Adagrad, Adam, SGD, clipGradNorm, clipGradValue } from "../src/optim";
import { loadJSON } from "../src/io";
import {
  Scaler, Vocabulary, addingProblem, asSeries, bandEnergies, bpttBatches, copyTask, forecastDataset, generateChirps,
  labelledWindows, padSequences, slidingWindows, takeWindows, temporalOrder, timeSplit, twoSequenceLatch,
} from "../src/data";
import { barChart, heatmap, lineChart } from "../src/viz";

type Row = [area: string, what: string, run: () => unknown, mustName: (string | RegExp)[]];

const rng = new Rng(1);
const p = (shape: number[]) => new Parameter(randn(shape, rng));

const ROWS: Row[] = [
  // ---- ops: the op and both shapes
  ["ops", "add of shapes that do not broadcast", () => add(zeros([2, 3]), zeros([4])), ["add", "[2,3]", "[4]"]],
  ["ops", "sub of transposed shapes", () => sub(zeros([3, 2]), zeros([2, 3])), ["sub", "[3,2]", "[2,3]"]],
  ["ops", "mul with a trailing size that differs", () => mul(zeros([2, 2, 2]), zeros([3])), ["mul", "[2,2,2]", "[3]"]],
  ["ops", "div of two vectors of different lengths", () => div(zeros([5]), zeros([4])), ["div", "[5]", "[4]"]],
  ["ops", "matmul with inner sizes that differ", () => matmul(zeros([2, 3]), zeros([4, 5])), ["matmul", "[2,3]", "[4,5]"]],
  ["ops", "linear with a weight for another input size", () => linear(zeros([2, 3]), zeros([4, 5])), ["linear", "[2,3]", "[4,5]"]],
  ["ops", "linear with a bias of the wrong length", () => linear(zeros([2, 3]), zeros([4, 3]), zeros([3])), ["linear", "[3]"]],
  ["ops", "sum over an axis that does not exist", () => sum(zeros([2, 3]), 3), ["sum", "axis 3", "[2,3]"]],
  ["ops", "mean over axis -3 of a matrix", () => mean(zeros([2, 3]), -3), ["mean", "-3", "[2,3]"]],
  ["ops", "max over axis 2 of a matrix", () => max(zeros([2, 3]), 2), ["max", "axis 2", "[2,3]"]],
  ["ops", "reshape to a shape of another size", () => reshape(zeros([2, 3]), [4, 2]), ["reshape", "[2,3]", "[4,2]"]],
  ["ops", "reshape with two -1", () => reshape(zeros([2, 3]), [-1, -1]), ["reshape", "[2,3]", "-1"]],
  ["ops", "reshape with -1 that does not divide", () => reshape(zeros([2, 3]), [4, -1]), ["reshape", "[2,3]", "[4,-1]"]],
  ["ops", "slice past the end", () => slice(zeros([4, 2]), 0, 2, 9), ["slice", "[4,2]", "2..9"]],
  ["ops", "index out of range", () => index(zeros([3, 2]), 0, 3), ["index", "3", "[3,2]"]],
  ["ops", "concat of pieces with different other sizes", () => concat([zeros([2, 3]), zeros([2, 4])], 0), ["concat", "[2,3]", "[2,4]"]],
  ["ops", "stack of tensors of different shapes", () => stack([zeros([2]), zeros([3])], 0), ["stack", "[2]", "[3]"]],
  ["ops", "split into parts that do not divide the axis", () => split(zeros([2, 6]), 4, 1), ["split", "[2,6]", "4"]],
  ["ops", "split with sizes that do not add up", () => split(zeros([2, 6]), [2, 3], 1), ["split", "[2,6]"]],
  ["ops", "transpose of axes that do not exist", () => transpose(zeros([2, 3]), 0, 5), ["transpose", "[2,3]"]],
  ["ops", "embedding with an id beyond the vocabulary", () => embedding(zeros([5, 2]), [1, 7]), ["embedding", "7", "position 1", "[5,2]"]],
  ["ops", "embedding with a weight that is not a matrix", () => embedding(zeros([5]), [1]), ["embedding", "[5]"]],
  ["ops", "oneHot of an index beyond the depth", () => oneHot([0, 4], 3), ["oneHot", "4", "position 1", "depth 3"]],
  ["ops", "oneHot of depth 0", () => oneHot([0], 0), ["oneHot", "depth", "0"]],
  ["ops", "softmax over an axis that does not exist", () => softmax(zeros([2, 3]), 2), ["softmax", "[2,3]"]],
  ["ops", "logSoftmax over an axis that does not exist", () => logSoftmax(zeros([2, 3]), -3), ["logSoftmax", "[2,3]"]],
  ["ops", "crossEntropy with fewer targets than rows", () => crossEntropy(zeros([4, 5]), [0, 1, 2]), ["crossEntropy", "[4,5]", "3"]],
  ["ops", "crossEntropy with a class beyond the logits", () => crossEntropy(zeros([2, 5]), [0, 7]), ["crossEntropy", "7", "5"]],
  ["ops", "crossEntropy of logits that are not [N, classes]", () => crossEntropy(zeros([2, 3, 4]), [0, 1]), ["crossEntropy", "[2,3,4]"]],
  ["ops", "mse of prediction and target of different shapes", () => mse(zeros([3]), zeros([4])), ["mse", "[3]", "[4]"]],
  ["ops", "dropout with p above 1", () => dropout(zeros([3]), 1.5), ["dropout", "1.5"]],
  ["ops", "a fused gate on products of different shapes", () => gate("sigmoid", zeros([2, 8]), zeros([2, 4]), 0, 4), ["sigmoid gate", "[2,8]", "[2,4]"]],
  ["ops", "lstmMemory with a cell state of the wrong size", () => lstmMemory(zeros([2, 8]), zeros([2, 8]), zeros([2, 3])), ["lstmMemory", "c", "[2,3]", "[2,2]"]],
  ["ops", "gruUpdate with a state of the wrong batch", () => gruUpdate(zeros([2, 6]), zeros([2, 6]), zeros([3, 2])), ["gruUpdate", "h", "[3,2]", "[2,2]"]],

  // ---- tensors: the function and the shape or the values
  ["tensors", "a ragged nested array", () => tensor([[1, 2], [3]]), ["tensor", "ragged", "[1]"]],
  ["tensors", "values that do not fill the shape", () => tensor([1, 2, 3], [2, 2]), ["tensor", "3 values", "[2,2]"]],
  ["tensors", "fromFlat with the wrong count", () => fromFlat([1, 2, 3], [2, 2]), ["fromFlat", "3 values", "[2,2]"]],
  ["tensors", "zeros of a negative size", () => zeros([2, -1]), ["zeros", "[2,-1]", "-1"]],
  ["tensors", "zeros of a fractional size", () => zeros([2.5]), ["zeros", "[2.5]"]],
  ["tensors", "get() out of range", () => zeros([2, 3]).get(1, 3), ["get", "[1,3]", "[2,3]"]],
  ["tensors", "get() with too few indices", () => zeros([2, 3]).get(1), ["get", "[1]", "[2,3]"]],
  ["tensors", "item() of a vector", () => zeros([2]).item(), ["item", "[2]"]],

  // ---- tape: what was called on what
  ["tape", "backward() on a vector without a gradient", () => p([3]).mul(2).backward(), ["backward", "[3]"]],
  ["tape", "backward(grad) with a gradient of another size", () => p([3]).mul(2).backward(zeros([4])), ["backward", "[4]", "[3]"]],
  ["tape", "backward() on a tensor that does not require grad", () => zeros([1]).mul(2).sum().backward(), ["backward", "does not require grad"]],
  ["tape", "backward() twice through the same graph", () => {
    const loss = p([2]).mul(3).sum();
    loss.backward();
    loss.backward();
  }, ["backward", "already freed"]],
  ["tape", "a hidden state carried into the next chunk without detach()", () => {
    const w = p([2]);
    const h = w.mul(2);
    h.sum().backward();
    h.mul(3).sum().backward();
  }, ["backward", "detach"]],

  ["tensors", "zeros of 3e9 numbers (22 GiB)", () => zeros([3e9]), ["zeros", "[3000000000]", "22.4 GiB", "setAllocationLimit"]],
  ["tensors", "randn of 1e10 numbers", () => randn([1e10], rng), ["randn", "[10000000000]", "74.5 GiB"]],
  ["tensors", "ones of [1e5, 1e5]", () => ones([1e5, 1e5]), ["ones", "[100000,100000]", "GiB"]],
  ["ops", "a matmul whose result would be 32 GiB", () => matmul(zeros([65536, 1]), zeros([1, 65536])), ["matmul", "[65536,65536]", "32 GiB"]],
  ["tape", "backward(grad) with the right size but another shape", () => p([2, 3]).mul(2).backward(zeros([3, 2])), ["backward", "[3,2]", "[2,3]"]],
  ["tape", "a parameter changed through .data between forward and backward", () => {
    const w = new Parameter(tensor([1, 2]), "w");
    const loss = w.mul(w).sum();
    w.data[0] = 5;
    loss.backward();
  }, ["backward", "w", "[2]", "mul", "in place"]],
  ["tape", "optimizer.step() before backward()", () => {
    const layer = new Linear(3, 2);
    const opt = new SGD(layer.parameters(), { lr: 0.1 });
    const loss = layer.forward(ones([4, 3])).sum();
    layer.weight.grad = ones([2, 3]);
    opt.step();
    loss.backward();
  }, ["backward", "weight", "[2,3]", "linear", "in place"]],
  ["tape", "a NaN weight under anomaly mode", () => withAnomalyDetection(() => {
    const lin = new Linear(2, 2);
    lin.weight.data[1] = NaN;
    lin.forward(ones([1, 2]));
  }), ["weight", "[2,2]", "NaN", "[0,1]", "linear"]],
  ["tape", "a NaN in an LSTM's input under anomaly mode", () => withAnomalyDetection(() => {
    const x = ones([3, 2, 4]);
    x.data[5] = NaN;
    new LSTM(4, 3).forward(x);
  }), ["NaN", "[3,2,4]", "LSTM"]],

  // ---- layers: the layer and the shapes
  ["layers", "Linear on inputs with another last size", () => new Linear(4, 2).forward(zeros([3, 5])), ["Linear", "[3,5]", "4"]],
  ["layers", "Linear with 0 outputs", () => new Linear(4, 0), ["Linear", "outFeatures", "0"]],
  ["layers", "Embedding of dimension 0", () => new Embedding(10, 0), ["Embedding", "embeddingDim", "0"]],
  ["layers", "Embedding of an id beyond its vocabulary", () => new Embedding(10, 4).forward([3, 12]), ["embedding", "12", "[10,4]"]],
  ["layers", "RNN given a [B, I] matrix instead of a sequence", () => new RNN(3, 4).forward(zeros([2, 3])), ["RNN", "[2,3]", "seqLen"]],
  ["layers", "RNN given inputs of another feature size", () => new RNN(3, 4).forward(zeros([5, 2, 6])), ["RNN", "[5,2,6]", "3"]],
  ["layers", "RNN given an empty sequence", () => new RNN(3, 4).forward(zeros([0, 2, 3])), ["RNN", "empty"]],
  ["layers", "RNN given h0 of the wrong shape", () => new RNN(3, 4).forward(zeros([5, 2, 3]), zeros([2, 5])), ["RNN", "h0", "[2,5]", "[2,4]"]],
  ["layers", "a two-layer GRU given h0 for one layer", () => new GRU(3, 4, { numLayers: 2 }).forward(zeros([5, 2, 3]), zeros([1, 2, 4])), ["GRU", "h0", "[1,2,4]", "[2,2,4]"]],
  ["layers", "LSTM given c0 of the wrong batch", () => new LSTM(3, 4).forward(zeros([5, 2, 3]), { h: zeros([2, 4]), c: zeros([3, 4]) }), ["LSTM", "c0", "[3,4]", "[2,4]"]],
  ["layers", "GRU with 0 layers", () => new GRU(3, 4, { numLayers: 0 }), ["GRU", "numLayers", "0"]],
  ["layers", "RNN with a sigmoid nonlinearity", () => new RNN(3, 4, { nonlinearity: "sigmoid" as never }), ["RNN", "nonlinearity", "sigmoid"]],
  ["layers", "LSTM with dropout 1", () => new LSTM(3, 4, { numLayers: 2, dropout: 1 }), ["LSTM", "dropout", "1"]],
  ["layers", "asking a one-layer RNN for layer 1", () => new RNN(3, 4).layer(1), ["RNN", "layer 1", "numLayers = 1"]],
  ["layers", "a list of steps of different shapes", () => new RNN(3, 4).forward([zeros([2, 3]), zeros([1, 3])]), ["RNN", "step 1", "[1,3]", "[2,3]"]],
  ["layers", "RNNCell given a vector", () => new RNNCell(3, 4).forward(zeros([3])), ["RNNCell", "[3]", "[batch,3]"]],
  ["layers", "LSTMCell given h of another batch", () => new LSTMCell(3, 4).forward(zeros([2, 3]), { h: zeros([5, 4]), c: zeros([2, 4]) }), ["LSTMCell", "h", "[5,4]", "[2,4]"]],
  ["layers", "GRUCell given a state of another size", () => new GRUCell(3, 4).forward(zeros([2, 3]), zeros([2, 3])), ["GRUCell", "h", "[2,3]", "[2,4]"]],
  ["layers", "a Sequential given something that is not a layer", () => new Sequential(new Linear(2, 2), new Tanh(), 3 as never), ["Sequential", "argument 2"]],
  ["layers", "a Sequential whose layers do not chain", () => new Sequential(new Linear(2, 3), new Linear(4, 1)).forward(zeros([1, 2])), ["Linear", "[1,3]", "4"]],

  // ---- state dicts: the key and both shapes
  ["state dicts", "a weight of the wrong shape", () => new Linear(3, 2).loadStateDict({ weight: [[1, 2], [3, 4]], bias: [0, 0] }), ["weight", "[2,2]", "[2,3]"]],
  ["state dicts", "a missing key", () => new Linear(3, 2).loadStateDict({ weight: [[1, 2, 3], [4, 5, 6]] }), ["missing key bias", "[2]"]],
  ["state dicts", "an unexpected key", () => new Linear(1, 1).loadStateDict({ weight: [[1]], bias: [0], extra: [1] }), ["unexpected key extra"]],
  ["state dicts", "ragged nested arrays", () => new Linear(2, 2).loadStateDict({ weight: [[1, 2], [3]], bias: [0, 0] }), ["weight", "ragged"]],
  ["state dicts", "a string where a number belongs", () => new Linear(1, 1).loadStateDict({ weight: [["x"]] as never, bias: [0] }), ["weight[0][0]", "\"x\""]],
  ["state dicts", "a state dict that is an array", () => new Linear(1, 1).loadStateDict([1, 2] as never), ["loadStateDict", "array"]],
  ["state dicts", "a JSON string that is not JSON", () => loadJSON(new Linear(1, 1), "{weight: [[1]]"), ["loadJSON", "not valid JSON"]],
  ["state dicts", "a PyTorch LSTM's state dict for a GRU", () => new GRU(3, 4).loadStateDict(new LSTM(3, 4).stateDict()), ["weight_ih_l0", "[16,3]", "[12,3]"]],

  // ---- optimizers: the optimizer and the parameter
  ["optimizers", "an empty parameter list", () => new SGD([], { lr: 0.1 }), ["SGD", "empty"]],
  ["optimizers", "the same parameter twice", () => { const w = p([2]); return new Adam([w, w], { lr: 0.1 }); }, ["Adam", "twice"]],
  ["optimizers", "clipGradNorm with a negative maximum", () => clipGradNorm([p([2])], -1), ["clipGradNorm", "-1"]],
  ["optimizers", "clipGradValue with a negative clip", () => clipGradValue([p([2])], -0.5), ["clipGradValue", "-0.5"]],
  ["optimizers", "a negative learning rate", () => new SGD([p([2])], { lr: -0.1 }), ["SGD", "lr", "-0.1"]],
  ["optimizers", "Adam with a beta of 1", () => new Adam([p([2])], { lr: 0.1, betas: [0.9, 1] }), ["Adam", "1"]],
  ["optimizers", "Adagrad with a negative learning rate", () => new Adagrad([p([2])], { lr: -1 }), ["Adagrad", "lr", "-1"]],

  // ---- loaders and data: the function, the range and the length, the option and its value
  ["loaders", "a time split whose fractions leave no test split", () => timeSplit(100, { train: 0.8, val: 0.3 }), ["timeSplit", "1.1", "test"]],
  ["loaders", "a series with NaN in it", () => asSeries([1, NaN, 3], "births"), ["births", "NaN", "1"]],
  ["loaders", "an unknown token", () => Vocabulary.fromText("abc", { level: "char" }).encode("abz"), ["z"]],
  ["loaders", "BPTT chunks of length 0", () => bpttBatches([1, 2, 3, 4, 5], { batchSize: 1, seqLen: 0 }), ["seqLen", "0"]],
  ["loaders", "BPTT batches larger than the text", () => bpttBatches([1, 2, 3], { batchSize: 4, seqLen: 2 }), ["bpttBatches", "3"]],
  ["loaders", "padding no sequences", () => padSequences([], { padId: 0 }), ["padSequences"]],
  ["loaders", "the adding problem of length 1", () => addingProblem({ T: 1, batchSize: 2, seed: 0 }), ["addingProblem", "T", "1"]],
  ["loaders", "the temporal order task of length 5", () => temporalOrder({ T: 5, batchSize: 2, seed: 0 }), ["temporalOrder", "T", "5"]],
  ["loaders", "a copy task over an alphabet of one symbol", () => copyTask({ T: 3, batchSize: 2, seed: 0, alphabet: 1 }), ["copyTask", "alphabet", "1"]],
  ["loaders", "a latch of batch size 0", () => twoSequenceLatch({ T: 10, batchSize: 0, seed: 0 }), ["twoSequenceLatch", "batchSize", "0"]],
  ["loaders", "band energies of a single wave vector", () => bandEnergies(zeros([4096])), ["bandEnergies", "[4096]"]],
  ["loaders", "band energies with frames longer than the waves", () => bandEnergies(zeros([2, 100])), ["bandEnergies", "256", "100"]],
  ["loaders", "chirps of batch size 0", () => generateChirps({ batchSize: 0, seed: 1 }), ["generateChirps", "batchSize", "0"]],
  ["loaders", "a forecast window longer than the series", () => forecastDataset(Array.from({ length: 20 }, (_, i) => i), { window: 50 }), ["forecastDataset", "50", "20"]],
  ["loaders", "labels of another length than the series", () => labelledWindows(asSeries([1, 2, 3, 4], "s"), [0, 1], { window: 2 }), ["labelledWindows", "2", "4"]],

  // ---- layers: LSTM state both-or-neither; a state of the wrong kind
  ["layers", "LSTMCell given h without c", () => new LSTMCell(3, 4).forward(zeros([2, 3]), { h: zeros([2, 4]) }), ["LSTMCell", "c is missing"]],
  ["layers", "LSTM given c0 without h0", () => new LSTM(3, 4).forward(zeros([5, 2, 3]), { c: zeros([2, 4]) }), ["LSTM", "h0 is missing"]],
  ["layers", "LSTM given its last output instead of { h, c }", () => { const l = new LSTM(3, 4); return l.forward(zeros([5, 2, 3]), l.forward(zeros([5, 2, 3])) as never); }, ["LSTM", "hN", "cN", "{ h, c }"]],
  ["layers", "LSTMCell given a tensor as its state", () => new LSTMCell(3, 4).forward(zeros([2, 3]), zeros([2, 4]) as never), ["LSTMCell", "Tensor [2,4]", "{ h, c }"]],
  ["layers", "GRUCell given an LSTM's { h, c }", () => new GRUCell(3, 4).forward(zeros([2, 3]), { h: zeros([2, 4]), c: zeros([2, 4]) } as never), ["GRUCell", "h", "{ h, c }"]],
  // ---- optimizers: leaves only; clipping a NaN
  ["optimizers", "a non-leaf tensor", () => new SGD([p([3, 2]).mul(0.1)], { lr: 0.1 }), ["SGD", "parameter 0", "[3,2]", "mul", "not a leaf"]],
  ["optimizers", "a plain tensor without requiresGrad", () => new Adam([randn([4], rng)], { lr: 0.1 }), ["Adam", "parameter 0", "[4]", "requiresGrad"]],
  ["optimizers", "a model instead of its parameters", () => new Adagrad(new Linear(2, 1) as never, { lr: 0.1 }), ["Adagrad", "Linear", "model.parameters()"]],
  ["optimizers", "clipGradNorm with a NaN gradient", () => { const w = p([2, 2]); w.name = "rnn.weight_hh_l0"; w.grad = tensor([[0, 1], [NaN, 2]]); return clipGradNorm([w], 1); }, ["clipGradNorm", "NaN", "rnn.weight_hh_l0", "[1,0]"]],
  ["optimizers", "clipGradNorm of a model", () => clipGradNorm(new Linear(2, 1) as never, 1), ["clipGradNorm", "Linear"]],
  // ---- ops: the mean over an empty batch
  ["ops", "crossEntropy of an empty batch", () => crossEntropy(zeros([0, 5]), []), ["crossEntropy", "[0,5]", "empty"]],
  ["ops", "mse of empty tensors", () => mse(zeros([0, 2]), zeros([0, 2])), ["mse", "[0,2]", "empty"]],
  // ---- state dicts: non-finite values round-trip; what cannot be a value is named
  ["state dicts", "a value that is null (an older checkpoint's NaN)", () => new Linear(1, 1).loadStateDict({ weight: [[null]] as never, bias: [0] }), ["weight[0][0]", "null", "lost"]],
  ["state dicts", "a tensor where nested arrays belong", () => new Linear(2, 1).loadStateDict({ weight: tensor([[1, 2]]) as never, bias: [0] }), ["weight", "Tensor [1,2]", "toArray()"]],
  // ---- loaders: ranges and indices inside the data
  ["loaders", "windows over a range beyond the series", () => slidingWindows(asSeries(new Array(20).fill(1), "s"), { window: 4, range: { start: 0, end: 1000 } }), ["slidingWindows", "0..1000", "20 steps"]],
  ["loaders", "a scaler fitted beyond the series", () => Scaler.fit(asSeries(new Array(20).fill(1), "s"), { start: 10, end: 30 }), ["Scaler.fit", "10..30", "20 steps"]],
  ["loaders", "takeWindows of an index past the windows", () => takeWindows(zeros([5, 16, 1]), zeros([16, 1]), [0, 99]), ["takeWindows", "99", "16 windows"]],
  ["loaders", "windows of a plain array instead of a series", () => slidingWindows([1, 2, 3, 4] as never, { window: 2 }), ["slidingWindows", "asSeries"]],

  // ---- charts: the chart and the series
  ["charts", "x and y of different lengths", () => lineChart({ title: "loss", xTitle: "step", yTitle: "nats", x: [1, 2, 3], series: { rnn: [1, 2] } }), ["loss", "rnn", "3", "2"]],
  ["charts", "a heatmap with a ragged row", () => heatmap({ title: "gates", z: [[1, 2], [3]], xTitle: "t", yTitle: "unit" }), ["gates", "row 1"]],
  ["charts", "a bar chart with more values than labels", () => barChart({ title: "params", xTitle: "cell", yTitle: "count", labels: ["a"], series: { n: [1, 2] } }), ["params", "n"]],
];

// ---- tooling: the commands the README names, given bad input. Each runs as a learner or a teacher
// would run it; a non-zero exit is the error, and its output must name the file and line, the
// notebook and cell, or the option and value at fault.
const ROOT = resolve(__dirname, "..", "..");
const scratch = mkdtempSync(join(tmpdir(), "bad-inputs-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs `node script args...` in the course; throws its output when it exits non-zero. */
function tool(script: string, ...args: string[]): void {
  const node = script.endsWith(".ts") ? ["--import", "tsx"] : [];
  const r = spawnSync(process.execPath, [...node, join(ROOT, script), ...args], { cwd: ROOT, encoding: "utf8", timeout: 240_000 });
  if (r.status !== 0) throw new Error(`${r.stdout}\n${r.stderr}`);
}

/** A notebook file in the scratch folder: cells are [type, source, metadata?]; returns its path. */
function notebookFile(name: string, cells: [string, string, object?][], kernel = "tslab"): string {
  const path = join(scratch, name);
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, JSON.stringify({
    nbformat: 4, nbformat_minor: 5,
    metadata: { kernelspec: { name: kernel, display_name: "TypeScript", language: "typescript" } },
    cells: cells.map(([cell_type, source, metadata], i) => ({ cell_type, id: `c${i}`, metadata: metadata ?? {}, source, ...(cell_type === "code" ? { outputs: [], execution_count: null } : {}) })),
  }, null, 1));
  return path;
}

const TOOLING: Row[] = [
  ["tooling", "npm start -- --port abc", () => tool("scripts/start.mjs", "--port", "abc", "--no-browser"), ["--port abc", "not a port number"]],
  ["tooling", "npm start -- --port 70000", () => tool("scripts/start.mjs", "--port", "70000", "--no-browser"), ["--port 70000"]],
  ["tooling", "npm test -- a stage that does not exist", () => tool("scripts/test.mjs", "unitt"), ["unitt", "stages are"]],
  ["tooling", "npm run bench -- an option that does not exist", () => tool("kernel-lib/bench/main.ts", "--hiden", "64"), ["--hiden"]],
  ["tooling", "the runner on a notebook cut short", () => {
    const path = join(scratch, "cut", "lesson.ipynb");
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, '{\n "cells": [\n  {"cell_type": "code", "source": "1 + 1",\n');
    tool("scripts/notebooks.mjs", path);
  }, ["lesson.ipynb", "line 3", "column", "cut short"]],
  ["tooling", "the runner on a notebook with a stray comma", () => {
    const path = join(scratch, "comma", "lesson.ipynb");
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, '{\n "cells": [],\n "metadata": {},,\n "nbformat": 4\n}\n');
    tool("scripts/notebooks.mjs", path);
  }, ["lesson.ipynb", "line 3", "column", "not valid JSON"]],
  ["tooling", "the runner on a notebook for another kernel", () => tool("scripts/notebooks.mjs", notebookFile("python/lesson.ipynb", [["code", "1 + 1"]], "python3")), ["lesson.ipynb", "python3", "tslab"]],
  ["tooling", "the runner on a notebook whose cell 2 does not compile", () => tool("scripts/notebooks.mjs", notebookFile("typo/lesson.ipynb", [
    ["code", "const a: number = 1;"], ["code", "const b: number = \"two\";"], ["code", "console.log(a);"],
  ])), ["lesson.ipynb", "cell 2", "not assignable"]],
  ["tooling", "the runner on a notebook that forgets an await", () => tool("scripts/notebooks.mjs", notebookFile("await/lesson.ipynb", [
    ["code", "async function train() { await new Promise((r) => setTimeout(r, 50)); throw new Error(\"mse: pred [3] and target [4] have different shapes\"); }"],
    ["code", "train();"],
    ["code", "console.log(\"next\");"],
  ])), ["lesson.ipynb", "cell 2", "mse: pred [3] and target [4]"]],
  ["tooling", "the runner on a path that does not exist", () => tool("scripts/notebooks.mjs", join(scratch, "nowhere", "lesson.ipynb")), ["nowhere", "lesson.ipynb"]],
  ["tooling", "the fidelity checker on a case without its gradients", () => {
    const dir = join(scratch, "cases");
    mkdirSync(dir, { recursive: true });
    const good = JSON.parse(require("node:fs").readFileSync(join(ROOT, "..", "shared", "fixtures", "pytorch", "lstm_I3_H4_T5_B2.json"), "utf8"));
    delete good.grads;
    writeFileSync(join(dir, "lstm_case.json"), JSON.stringify(good));
    tool("scripts/fidelity.mjs", dir);
  }, ["lstm_case.json", "grads"]],
  ["tooling", "the generator on a solution region that never ends", () => {
    const root = join(scratch, "course");
    mkdirSync(join(root, "solutions"), { recursive: true });
    mkdirSync(join(root, "notebooks"), { recursive: true });
    writeFileSync(join(root, "solutions", "05-lstm.ipynb"), require("node:fs").readFileSync(notebookFile("gen/05-lstm.ipynb", [
      ["markdown", "# 5"], ["code", "function f() {\n  // BEGIN SOLUTION\n  return 1;\n}"],
    ])));
    tool("scripts/generate-notebooks.mjs", "--root", root);
  }, ["05-lstm", "cell 2", "BEGIN SOLUTION", "never closed"]],
];

for (const [area, what, run, mustName] of [...ROWS, ...TOOLING]) {
  test(`${area}: ${what}`, () => {
    let message: string | undefined;
    try {
      run();
    } catch (e) {
      message = e instanceof Error ? e.message : String(e);
    } finally {
      resetTape();
    }
    assert.ok(message !== undefined, `no error: ${what} passed in silence`);
    for (const name of mustName) {
      const found = typeof name === "string" ? message!.includes(name) : name.test(message!);
      assert.ok(found, `the message should name ${String(name)}; it was: ${message}`);
    }
  });
}

test("the table has at least 100 distinct bad inputs, tooling among them", () => {
  const all = [...ROWS, ...TOOLING].map(([area, what]) => `${area}: ${what}`);
  assert.equal(new Set(all).size, all.length, "rows are distinct");
  assert.ok(all.length >= 100, `${all.length} rows`);
  assert.deepEqual([...new Set([...ROWS, ...TOOLING].map(([area]) => area))].sort(), ["charts", "layers", "loaders", "ops", "optimizers", "state dicts", "tape", "tensors", "tooling"]);
});
