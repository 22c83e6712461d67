// Three stacked layers made and trained-for-one-backward in PyTorch (scripts/make-pytorch-cases.py
// --stacked): their state_dict loads into kernel-lib's LSTM, GRU and RNN under the same names and
// gives the same outputs, final states and gradients (every layer's parameters, x, h0, c0).
import { test, afterEach } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { GRU, LSTM, RNN, Parameter } from "../src/nn";
import { Tensor, add, mul, sum, tensor } from "../src";
import { relativeError } from "../src/fidelity";
import { resetTape } from "../src/autograd";

const CASES = JSON.parse(readFileSync(join(__dirname, "fixtures", "pytorch-stacked.json"), "utf8"));
afterEach(() => resetTape());

/** The largest relative error between a tensor and PyTorch's nested list, and where. */
function worst(got: Tensor, want: unknown, label: string): [number, string] {
  const w = tensor(want as number[]);
  assert.deepEqual(got.shape, w.shape, `${label}: shape`);
  let err = 0, at = label;
  got.data.forEach((v, i) => {
    const e = relativeError(v, w.data[i]);
    if (e > err) [err, at] = [e, `${label}[${i}]`];
  });
  return [err, at];
}

for (const cell of ["lstm", "gru", "rnn_tanh"] as const) {
  test(`${cell}: a 3-layer PyTorch state_dict loads and gives PyTorch's outputs and gradients within 1e-9`, () => {
    const c = CASES[cell];
    const { num_layers: numLayers, input_size: I, hidden_size: H } = c;
    const layer = cell === "lstm" ? new LSTM(I, H, { numLayers }) : cell === "gru" ? new GRU(I, H, { numLayers }) : new RNN(I, H, { numLayers });
    layer.loadStateDict(c.state_dict);
    const x = new Parameter(tensor(c.x)), h0 = new Parameter(tensor(c.h0));
    const c0 = cell === "lstm" ? new Parameter(tensor(c.c0)) : null;
    const lstmOut = layer instanceof LSTM ? layer.forward(x, { h: h0, c: c0! }) : null;
    const out = lstmOut ?? (layer as GRU | RNN).forward(x, h0);
    const loss = add(sum(mul(out.output, tensor(c.w))), sum(mul(out.hN, out.hN)));
    loss.backward();
    const checks: [number, string][] = [
      worst(out.output, c.output, "output"),
      worst(out.hN, c.h_n, "h_n"),
      [relativeError(loss.item(), c.loss), "loss"],
      worst(x.grad!, c.grad_x, "grad x"),
      worst(h0.grad!, c.grad_h0, "grad h0"),
      ...layer.namedParameters().map(([name, p]) => worst(p.grad!, c.grads[name], `grad ${name}`)),
    ];
    if (lstmOut && c0) checks.push(worst(lstmOut.cN, c.c_n, "c_n"), worst(c0.grad!, c.grad_c0, "grad c0"));
    assert.equal(layer.namedParameters().length, 4 * numLayers);
    const [err, at] = checks.reduce((a, b) => (b[0] > a[0] ? b : a));
    assert.ok(err < 1e-9, `worst relative error ${err.toExponential(1)} at ${at}`);
  });
}
