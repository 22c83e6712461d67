// Anomaly mode names where a NaN came from: the input that already held it (a parameter by its
// name and position, an input by its shape, a result by the op that made it), not the op that
// merely passed it on; and ops inside a layer are reported with the layer the learner called
// (autograd/anomaly.ts, autograd/scope.ts).
import { test, afterEach } from "node:test";
import assert from "node:assert/strict";
import * as kl from "../src";
import { Parameter } from "../src/nn";
import { detectAnomaly, resetTape } from "../src/autograd";
import { currentScope } from "../src/autograd/scope";

afterEach(() => {
  detectAnomaly(false);
  resetTape();
});

class CharModel extends kl.nn.Module {
  rnn = new kl.nn.LSTM(4, 3, { rng: new kl.Rng(1) });
  head = new kl.nn.Linear(3, 2, { rng: new kl.Rng(2) });
  forward(x: kl.Tensor): kl.Tensor {
    return this.head.forward(this.rnn.forward(x).output);
  }
}

test("a NaN in a parameter is blamed on the parameter, by name and position, with the layer: not 'linear produced NaN'", () => {
  const model = new CharModel();
  model.rnn.weight_hh_l0.data[2 * 3 + 1] = NaN; // row 2, column 1
  detectAnomaly(true);
  assert.throws(() => model.forward(kl.randn([5, 2, 4], new kl.Rng(3))), {
    message:
      "rnn.weight_hh_l0 (shape [12,3]) already held NaN at [2,1] when linear in LSTM 'rnn' used it: it was put there outside " +
      "the tape (an optimizer step, loadStateDict, an init or a direct write), not computed by this forward pass.",
  });
});

test("a parameter that was never listed by its model is still found by name through the running model", () => {
  const model = new CharModel(); // namedParameters() never called: no parameter has a name yet
  model.head.bias!.data[1] = Infinity;
  detectAnomaly(true);
  assert.throws(() => model.forward(kl.randn([5, 2, 4], new kl.Rng(3))), {
    message: /^head\.bias \(shape \[2\]\) already held Infinity at \[1\] when linear in Linear 'head' used it/,
  });
});

test("a NaN in an LSTM's input is blamed on the input, in the LSTM: not 'reshape produced NaN'", () => {
  const model = new CharModel();
  const x = kl.randn([5, 2, 4], new kl.Rng(3));
  x.data[(1 * 2 + 0) * 4 + 3] = NaN; // [1, 0, 3]
  detectAnomaly(true);
  assert.throws(() => model.forward(x), {
    message: "an input of shape [5,2,4] already held NaN at [1,0,3] when reshape in LSTM 'rnn' used it: the NaN is in the data fed in, not computed by an op.",
  });
  // A layer called on its own (not inside a model) is named by its class.
  assert.throws(() => new kl.nn.GRU(4, 3).forward(x), { message: /^an input of shape \[5,2,4\] already held NaN at \[1,0,3\] when reshape in GRU used it/ });
});

test("a NaN made inside a layer's ops is reported with the layer the learner called; outside any layer, as before", () => {
  const model = new CharModel();
  model.rnn.weight_ih_l0.data.fill(1e308); // finite, but x · W_ih overflows
  const x = kl.ones([5, 2, 4]);
  detectAnomaly(true);
  assert.throws(() => model.forward(x), { message: /^linear produced Infinity in its output of shape \[2,12\] at \[0,0\] \(inputs: \[2,4\], \[12,4\], \[12\]\), in LSTM 'rnn'$/ });
  class LogModel extends kl.nn.Module {
    w = new Parameter(kl.tensor([1, -1]));
    forward(): kl.Tensor {
      return kl.log(this.w);
    }
  }
  assert.throws(() => new LogModel().forward(), { message: "log produced NaN in its output of shape [2] at [1] (inputs: [2]), in LogModel" });
  assert.throws(() => kl.log(kl.tensor([2, -1])), { message: "log produced NaN in its output of shape [2] at [1] (inputs: [2])" });
  assert.equal(currentScope(), null, "the layer scopes were left, even though their forward threw");
});

test("a NaN made before anomaly mode was switched on is blamed on the op that made it", () => {
  const w = new Parameter(kl.tensor([4, -1]));
  const h = kl.log(w); // NaN at [1], unchecked
  detectAnomaly(true);
  assert.throws(() => h.mul(2), { message: "the output of log (shape [2]) already held NaN at [1] when mul used it: log made it before anomaly mode was switched on." });
});

test("backward: a NaN in the gradient handed to backward() is named there; a NaN made by a layer's backward names the layer", () => {
  const w = new Parameter(kl.tensor([1, 2]));
  detectAnomaly(true);
  assert.throws(() => w.mul(2).backward(kl.tensor([1, NaN])), { message: "backward: the gradient passed in for the tensor of shape [2] holds NaN at [1]" });
  class Root extends kl.nn.Module {
    x = new Parameter(kl.tensor([[0, 1, 4], [9, 0, 1]]));
    forward(): kl.Tensor {
      return this.x.pow(0.5).sub(10).relu(); // pow's derivative at 0 is infinite; relu passes 0: NaN
    }
  }
  assert.throws(() => new Root().forward().sum().backward(), { message: "pow backward produced NaN in the gradient for input 0 of shape [2,3], in Root" });
});

test("the layer scope is invisible to the model: fields, state dict, parameters and toString are unchanged", () => {
  const model = new CharModel();
  assert.deepEqual(Object.keys(model), ["training", "rnn", "head"]);
  assert.deepEqual(model.namedParameters().map(([n]) => n), [
    "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0", "head.weight", "head.bias",
  ]);
  assert.deepEqual(Object.keys(model.stateDict()), model.namedParameters().map(([n]) => n));
  assert.equal(model.toString(), "CharModel(\n  (rnn): LSTM(4, 3)\n  (head): Linear(in=3, out=2)\n)");
  // Same outputs with and without anomaly mode.
  const x = kl.randn([5, 2, 4], new kl.Rng(3));
  const plain = kl.noGrad(() => model.forward(x)).toArray();
  detectAnomaly(true);
  assert.deepEqual(kl.noGrad(() => model.forward(x)).toArray(), plain);
});
