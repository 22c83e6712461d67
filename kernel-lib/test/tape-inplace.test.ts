// Values changed in place between forward and backward (autograd/saved.ts), and backward(grad)
// with a gradient of the wrong shape. Before, both ran and gave wrong or meaningless gradients
// without a word.
import { test, afterEach } from "node:test";
import assert from "node:assert/strict";
import * as kl from "../src";
import { Parameter } from "../src/nn";
import { resetTape, tapeSize } from "../src/autograd";

afterEach(() => resetTape());

const REMEDY = "Call backward() before changing it (e.g. before optimizer.step()), or run the forward pass again after the change.";

class CharModel extends kl.nn.Module {
  rnn: kl.nn.LSTM;
  head: kl.nn.Linear;
  constructor(seed = 1) {
    super();
    this.rnn = new kl.nn.LSTM(4, 3, { rng: new kl.Rng(seed) });
    this.head = new kl.nn.Linear(3, 2, { rng: new kl.Rng(seed + 1) });
  }
  forward(x: kl.Tensor): kl.Tensor {
    return this.head.forward(this.rnn.forward(x).output);
  }
}

test("the issue's case: a constant changed through .data after the forward pass is refused, not a gradient of [-17,-13] instead of [3,7]", () => {
  const x = kl.tensor([1, 2], undefined, { requiresGrad: true });
  const w = kl.tensor([3, 7]);
  const loss = kl.mul(x, w).sum(); // dloss/dx = w = [3, 7]
  w.data.set([-17, -13]);
  assert.throws(() => loss.backward(), {
    message:
      "backward: an input of shape [2] was changed in place after mul used it in the forward pass, so the gradients would be " +
      `computed from the wrong values. ${REMEDY}`,
  });
  assert.equal(x.grad, null, "refused before any gradient was computed");
  assert.equal(tapeSize(), 0, "the graph that cannot give a right gradient is dropped");
  // Running the forward pass again gives the right gradient for the new values.
  kl.mul(x, w).sum().backward();
  assert.deepEqual(x.grad!.toArray(), [-17, -13]);
});

test("optimizer.step() between forward and backward is refused, naming the parameter and the op and layer that used it", () => {
  const model = new CharModel();
  const opt = new kl.optim.SGD(model.parameters(), { lr: 0.1 });
  const x = kl.randn([5, 2, 4], new kl.Rng(3));
  model.forward(x).sum().backward(); // a first step: every parameter has a gradient
  const loss = model.forward(x).sum();
  opt.step(); // too early: the backward below would use the old forward pass with the new weights
  assert.throws(() => loss.backward(), {
    message: new RegExp(`^backward: rnn\\.weight_ih_l0 \\(shape \\[12,4\\]\\) was changed in place after linear in LSTM 'rnn' used it in the forward pass, .*${REMEDY.replace(/[().]/g, "\\$&")}$`),
  });
});

test("a direct write (p.data[i] = v, p.data.set), an init and loadStateDict between forward and backward are all refused", () => {
  const model = new CharModel();
  const x = kl.randn([5, 2, 4], new kl.Rng(3));
  const cases: [string, () => void, RegExp][] = [
    ["p.data[i] = v", () => { model.head.weight.data[1] = 5; }, /head\.weight \(shape \[2,3\]\) was changed in place after linear in Linear 'head'/],
    ["p.data.set", () => { model.rnn.bias_hh_l0.data.set([1, 2, 3]); }, /rnn\.bias_hh_l0 \(shape \[12\]\) was changed in place after linear in LSTM 'rnn'/],
    ["init", () => { kl.nn.init.zeros(model.rnn.weight_hh_l0); }, /rnn\.weight_hh_l0 \(shape \[12,3\]\) was changed in place after linear in LSTM 'rnn'/],
    ["loadStateDict", () => { model.loadStateDict(new CharModel(7).stateDict()); }, /rnn\.weight_ih_l0 \(shape \[12,4\]\) was changed in place/],
    ["the input", () => { x.data[0] += 1; }, /an input of shape \[2,4\] was changed in place after linear in LSTM 'rnn'/],
  ];
  for (const [what, change, message] of cases) {
    const loss = model.forward(x).sum();
    change();
    assert.throws(() => loss.backward(), { message }, what);
  }
});

test("no false alarm: changes after backward (a training loop), values restored bit for bit, and graphs the loss does not depend on", () => {
  const model = new CharModel();
  const opt = new kl.optim.Adam(model.parameters(), { lr: 0.01 });
  const x = kl.randn([5, 2, 4], new kl.Rng(3));
  for (let step = 0; step < 3; step++) {
    opt.zeroGrad();
    const loss = model.forward(x).sum();
    loss.backward();
    opt.step();
  }
  // Perturbed and put back exactly (what a finite-difference check does): the same values.
  const loss = model.forward(x).sum();
  const w = model.rnn.weight_hh_l0;
  const old = w.data[4];
  w.data[4] = old + 1e-6;
  w.data[4] = old;
  assert.doesNotThrow(() => loss.backward());
  // An evaluation pass outside noGrad leaves a graph on the tape; the optimizer then changes the
  // weights it used. A later training step does not depend on that graph: no error.
  model.forward(x).sum(); // never backwarded
  opt.step();
  const trainLoss = model.forward(x).sum();
  assert.doesNotThrow(() => trainLoss.backward());
});

test("retainGraph: a second backward after a change is refused; without a change it runs", () => {
  const w = new Parameter(kl.tensor([1, 2]), "w");
  const x = kl.tensor([3, 4]);
  const loss = kl.mul(w, x).sum();
  loss.backward({ retainGraph: true });
  loss.backward({ retainGraph: true });
  assert.deepEqual(w.grad!.toArray(), [6, 8]);
  x.data[1] = 0;
  assert.throws(() => loss.backward(), { message: /^backward: an input of shape \[2\] was changed in place after mul used it/ });
  w.data[0] = 9; // a named parameter, changed after a graph was recorded with it
  const loss2 = kl.tanh(w).sum();
  w.data[0] = 1;
  assert.throws(() => loss2.backward(), { message: /^backward: w \(shape \[2\]\) was changed in place after tanh used it/ });
});

test("backward(grad): the gradient must have the tensor's shape, not only its size", () => {
  const w = new Parameter(kl.tensor([[1, 2, 3], [4, 5, 6]]));
  const y = w.mul(2);
  assert.throws(() => y.backward(kl.ones([3, 2])), { message: "backward: gradient of shape [3,2] does not match the tensor's shape [2,3]" });
  assert.throws(() => y.backward(kl.ones([6])), { message: "backward: gradient of shape [6] does not match the tensor's shape [2,3]" });
  assert.throws(() => y.backward(kl.ones([1, 2, 3])), { message: "backward: gradient of shape [1,2,3] does not match the tensor's shape [2,3]" });
  assert.equal(w.grad, null);
  y.backward(kl.ones([2, 3]));
  assert.deepEqual(w.grad!.toArray(), [[2, 2, 2], [2, 2, 2]]);
});
