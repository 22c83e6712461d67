import { test } from "node:test";
import assert from "node:assert/strict";
import { Tensor, tensor, randn, Rng } from "../src";
import { Parameter } from "../src/nn";
import { gradcheck } from "../src/testing";
import { record, accumulateGrad, gradSlot } from "../src/autograd";

const rng = new Rng(18);

test("gradcheck passes a correct op and reports tiny errors", () => {
  const r = gradcheck((a, b) => a.mul(b).tanh(), [new Parameter(randn([3, 4], rng)), new Parameter(randn([3, 4], rng))]);
  assert.equal(r.ok, true);
  assert.ok(r.maxRelError < 1e-8, String(r.maxRelError));
});

test("gradcheck catches a wrong backward and points at the element", () => {
  // square with a backward that is wrong only for element [1,2] of a [2,3] input.
  const buggySquare = (a: Tensor) => {
    const out = new Tensor(a.data.map((v) => v * v), a.shape);
    return record(out, [a], (g) => {
      const ga = g.map((gi, i) => gi * 2 * a.data[i]);
      ga[5] *= 1.01;
      accumulateGrad(a, ga);
    }, "buggySquare");
  };
  const x = new Parameter(tensor([[1, 2, 3], [4, 5, 6]]));
  const r = gradcheck(buggySquare, [x]);
  assert.equal(r.ok, false);
  assert.deepEqual(r.worst.index, [1, 2]);
  assert.equal(r.worst.input, 0);
  // The analytic value is the numeric one times the injected 1.01.
  assert.ok(Math.abs(r.worst.analytic / r.worst.numeric - 1.01) < 1e-6, JSON.stringify(r.worst));
  assert.ok(r.maxRelError > 1e-3);
});

test("gradcheck catches a gradient sent to the wrong output element", () => {
  // reverse() whose backward forgets to reverse: only detectable because the weights differ per element.
  const reverse = (a: Tensor) => {
    const out = new Tensor(a.data.slice().reverse(), a.shape);
    return record(out, [a], (g) => accumulateGrad(a, g), "reverse");
  };
  const r = gradcheck(reverse, [new Parameter(randn([5], rng))]);
  assert.equal(r.ok, false);
});

test("only inputs with requiresGrad are checked; existing .grad is preserved", () => {
  const x = new Parameter(randn([2, 3], rng));
  const target = randn([2, 3], rng);
  x.grad = new Tensor(new Float64Array(6).fill(7), [2, 3]);
  const r = gradcheck((a, t) => a.sub(t).pow(2).mean(), [x, target]);
  assert.ok(r.ok);
  assert.deepEqual(Array.from(x.grad.data), [7, 7, 7, 7, 7, 7]);
  assert.equal(target.grad, null);
  assert.throws(() => gradcheck((a) => a.tanh(), [tensor([1, 2])]), /gradcheck: none of the inputs \(\[2\]\) has requiresGrad = true/);
});

test("an op that uses gradSlot directly is checked like any other", () => {
  const double = (a: Tensor) => record(new Tensor(a.data.map((v) => 2 * v), a.shape), [a], (g) => {
    const ga = gradSlot(a);
    if (ga) for (let i = 0; i < g.length; i++) ga[i] += 2 * g[i];
  }, "double");
  const r = gradcheck((a) => double(a).exp(), [new Parameter(randn([3], rng))]);
  assert.ok(r.ok && r.maxRelError < 1e-6, JSON.stringify(r));
});
