// The checks of notebook 02 accept a right answer and name the wrong term of typical wrong ones.
import { test } from "node:test";
import assert from "node:assert/strict";
import { exercises } from "../src";
import { ExerciseError } from "../src/testing";
import { passes, rejects } from "./exercise-harness";

const ch02 = exercises.ch02;

// The notebook's scalar tape, with its ops' local backward passed in so tests can break them.
class Value {
  grad = 0;
  localBackward: () => void = () => {};
  constructor(public data: number, readonly parents: Value[] = [], readonly op = "") {}
}
const leaf = (x: number) => new Value(x);
function add(a: Value, b: Value): Value {
  const out = new Value(a.data + b.data, [a, b], "+");
  out.localBackward = () => {
    a.grad += out.grad;
    b.grad += out.grad;
  };
  return out;
}
type MulRule = (a: Value, b: Value, out: Value) => void;
const rightMul: MulRule = (a, b, out) => {
  a.grad += b.data * out.grad;
  b.grad += a.data * out.grad;
};
const mulWith = (rule: MulRule) => (a: Value, b: Value): Value => {
  const out = new Value(a.data * b.data, [a, b], "*");
  out.localBackward = () => rule(a, b, out);
  return out;
};
type TanhRule = (a: Value, out: Value) => void;
const rightTanh: TanhRule = (a, out) => {
  a.grad += (1 - out.data ** 2) * out.grad;
};
const tanhWith = (rule: TanhRule) => (a: Value): Value => {
  const out = new Value(Math.tanh(a.data), [a], "tanh");
  out.localBackward = () => rule(a, out);
  return out;
};
const mul = mulWith(rightMul);
const tanh = tanhWith(rightTanh);

/** Every node loss depends on, each after all of its parents (depth-first, post-order). */
function topologicalOrder(loss: Value): Value[] {
  const topo: Value[] = [];
  const seen = new Set<Value>();
  const visit = (v: Value) => {
    if (seen.has(v)) return;
    seen.add(v);
    for (const p of v.parents) visit(p);
    topo.push(v);
  };
  visit(loss);
  return topo;
}

function rightBackward(loss: Value): void {
  const topo = topologicalOrder(loss);
  loss.grad = 1;
  for (let i = topo.length - 1; i >= 0; i--) topo[i].localBackward();
}


test("ch02-mul-backward: accepts the product rule, names the swapped, unscaled and overwriting ones", () => {
  assert.equal(passes(() => ch02.checkMulBackward(mul, leaf)), 8);
  // a.grad gets a (its own value) instead of b: the local derivative is wrong.
  rejects(() => ch02.checkMulBackward(mulWith((a, b, out) => { a.grad += a.data * out.grad; b.grad += b.data * out.grad; }), leaf),
    /a\.grad, the local derivative ∂\(a·b\)\/∂a/);
  // The upstream gradient is forgotten.
  rejects(() => ch02.checkMulBackward(mulWith((a, b) => { a.grad += b.data; b.grad += a.data; }), leaf), /the upstream factor out\.grad in a\.grad/);
  // = instead of +=.
  rejects(() => ch02.checkMulBackward(mulWith((a, b, out) => { a.grad = b.data * out.grad; b.grad = a.data * out.grad; }), leaf),
    /accumulation into a\.grad/);
});

test("ch02-tanh-backward: accepts 1 − tanh², names the squared input, the missing upstream factor, the overwrite", () => {
  assert.equal(passes(() => ch02.checkTanhBackward(tanh, leaf)), 6);
  rejects(() => ch02.checkTanhBackward(tanhWith((a, out) => { a.grad += (1 - a.data ** 2) * out.grad; }), leaf), /the local derivative ∂tanh\(x\)\/∂x/);
  // (1 − y)² for 1 − y² (a learner's trial: the hint talked about squaring the input).
  rejects(() => ch02.checkTanhBackward(tanhWith((a, out) => { a.grad += (1 - out.data) ** 2 * out.grad; }), leaf), /yours is \(1 − tanh\(x\)\)², the square of the difference/);
  rejects(() => ch02.checkTanhBackward(tanhWith((a, out) => { a.grad += 1 - out.data ** 2; }), leaf), /the upstream factor out\.grad/);
  rejects(() => ch02.checkTanhBackward(tanhWith((a, out) => { a.grad = (1 - out.data ** 2) * out.grad; }), leaf), /accumulation into x\.grad/);
  // 1 − y instead of 1 − y².
  rejects(() => ch02.checkTanhBackward(tanhWith((a, out) => { a.grad += (1 - out.data) * out.grad; }), leaf), /the local derivative/);
});

test("ch02-topo-backward: accepts a reverse topological walk, names the missing seed and the naive recursion", () => {
  const ops = { leaf, add, mul, tanh };
  assert.ok(passes(() => ch02.checkBackward(rightBackward, ops)) >= 9);
  // A walk that calls each node's local backward and then recurses into its parents (no topological order).
  const naive = (loss: Value) => {
    loss.grad = 1;
    const go = (v: Value) => {
      v.localBackward();
      for (const p of v.parents) go(p);
    };
    go(loss);
  };
  rejects(() => ch02.checkBackward(naive, ops), /exactly once, in a value used twice/);
  // The same with a visited set: once each, but a is passed on before its second user added its share.
  const naiveOnce = (loss: Value) => {
    loss.grad = 1;
    const seen = new Set<Value>();
    const go = (v: Value) => {
      if (seen.has(v)) return;
      seen.add(v);
      v.localBackward();
      for (const p of v.parents) go(p);
    };
    go(loss);
  };
  rejects(() => ch02.checkBackward(naiveOnce, ops), /runs after those of all the nodes that use it, in a value used twice/);
  // The topological order walked forwards.
  const forwards = (loss: Value) => {
    const topo = topologicalOrder(loss);
    loss.grad = 1;
    for (const v of topo) v.localBackward();
  };
  rejects(() => ch02.checkBackward(forwards, ops), /runs after those of all the nodes that use it, in a chain/);
  // No seed.
  rejects(() => ch02.checkBackward((loss: Value) => { const g = loss.grad; rightBackward(loss); loss.grad = g; }, ops), /the seed ∂L\/∂L = 1/);
});

test("ch02-central-difference: accepts the symmetric quotient, names the one-sided one and the wrong scale", () => {
  const right = (f: (x: number) => number, x: number, h: number) => (f(x + h) - f(x - h)) / (2 * h);
  assert.equal(passes(() => ch02.checkCentralDifference(right)), 5);
  rejects(() => ch02.checkCentralDifference((f, x, h) => (f(x - h) - f(x + h)) / (2 * h)), /the later point first \(yours has the opposite sign/);
  rejects(() => ch02.checkCentralDifference((f, x, h) => (f(x + h) - f(x - h)) / h), /the slope of f\(x\) = 3x \+ 1/);
  rejects(() => ch02.checkCentralDifference((f, x, h) => (f(x + h) - f(x)) / h), /the slope of f\(x\) = x²/);
});

test("ch02-shared-weight: accepts ∂L/∂h_t (1 − h_t²) h_{t−1}, names h_t for h_{t−1}, the missing tanh factor, the missing upstream", () => {
  const right = (h0: number, hs: number[], g: number[]) => hs.map((h, t) => g[t] * (1 - h * h) * (t === 0 ? h0 : hs[t - 1]));
  assert.equal(passes(() => ch02.checkSharedWeight(right)), 7);
  // h0 put in front of the caller's hs (a learner's trial: it passed, and the notebook's claim after it failed on a second run).
  rejects(() => ch02.checkSharedWeight((h0, hs, g) => {
    hs.unshift(h0);
    return g.map((gt, t) => gt * (1 - hs[t + 1] ** 2) * hs[t]);
  }), /wContributions leaves hs and dLdh unchanged/);
  // h_t instead of h_{t−1}.
  rejects(() => ch02.checkSharedWeight((h0, hs, g) => hs.map((h, t) => g[t] * (1 - h * h) * h)), /the factor h_\{t−1\} at the first step/);
  // h0 forgotten at the first step, but h_{t−1} right later on.
  rejects(() => ch02.checkSharedWeight((h0, hs, g) => hs.map((h, t) => g[t] * (1 - h * h) * (t === 0 ? 0 : hs[t - 1]))), /at the first step/);
  rejects(() => ch02.checkSharedWeight((h0, hs, g) => hs.map((h, t) => g[t] * (t === 0 ? h0 : hs[t - 1]))), /the tanh factor/);
  rejects(() => ch02.checkSharedWeight((h0, hs) => hs.map((h, t) => (1 - h * h) * (t === 0 ? h0 : hs[t - 1]))), /the upstream factor ∂L\/∂h_t/);
  // h0 right at the first step, then h_t instead of h_{t−1}: named at the later steps.
  rejects(() => ch02.checkSharedWeight((h0, hs, g) => hs.map((h, t) => g[t] * (1 - h * h) * (t === 0 ? h0 : h))), /h_\{t−1\} at later steps/);
});
