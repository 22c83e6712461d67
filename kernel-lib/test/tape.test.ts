import { test, afterEach } from "node:test";
import assert from "node:assert/strict";
import { tensor, noGrad, isGradEnabled, Tensor, stack, concat } from "../src";
import { Parameter } from "../src/nn";
import { tapeSize, resetTape, record, accumulateGrad, detectAnomaly, withAnomalyDetection, isAnomalyDetectionEnabled, backward } from "../src/autograd";

afterEach(() => {
  resetTape();
  detectAnomaly(false);
});

test("gradients of a small expression match hand-computed values", () => {
  // L = sum(tanh(w·x + b)) at x = [1, 2], w = 0.5, b = -1  →  z = [-0.5, 0], dL/dz = 1 - tanh²(z).
  const x = tensor([1, 2]);
  const w = new Parameter(tensor(0.5));
  const b = new Parameter(tensor(-1));
  const L = w.mul(x).add(b).tanh().sum();
  L.backward();
  const d0 = 1 - Math.tanh(-0.5) ** 2;
  const d1 = 1;
  assert.ok(Math.abs(w.grad!.item() - (d0 * 1 + d1 * 2)) < 1e-15);
  assert.ok(Math.abs(b.grad!.item() - (d0 + d1)) < 1e-15);
  assert.equal(x.grad, null); // x does not require grad
});

test("gradients accumulate over two backward() calls until zeroGrad", () => {
  const w = new Parameter(tensor([1, 2, 3]));
  w.mul(w).sum().backward(); // d/dw Σw² = 2w
  assert.deepEqual(w.grad!.toArray(), [2, 4, 6]);
  w.mul(w).sum().backward();
  assert.deepEqual(w.grad!.toArray(), [4, 8, 12]);
  w.zeroGrad();
  w.mul(3).sum().backward();
  assert.deepEqual(w.grad!.toArray(), [3, 3, 3]);
});

test("a tensor used twice gets the sum of both gradients", () => {
  const a = new Parameter(tensor([2]));
  const h = a.mul(3); // used by two branches
  h.mul(h).add(h).sum().backward(); // d/da (9a² + 3a) = 18a + 3
  assert.deepEqual(a.grad!.toArray(), [39]);
});

test("intermediates keep .grad only when retainGrad() was called", () => {
  const w = new Parameter(tensor([1, -2]));
  const h1 = w.mul(2).retainGrad();
  const h2 = h1.mul(h1); // not retained
  const L = h2.sum().retainGrad();
  L.backward();
  assert.deepEqual(h1.grad!.toArray(), [4, -8]); // dL/dh1 = 2·h1
  assert.equal(h2.grad, null);
  assert.deepEqual(L.grad!.toArray(), 1);
  assert.deepEqual(w.grad!.toArray(), [8, -16]);
});

test("retainGraph: a second backward walks the same graph; leaf and retained gradients add up over the calls", () => {
  const w = new Parameter(tensor([1, -2]));
  const h = w.mul(3).retainGrad(); // h = 3w
  const L = h.mul(h).sum(); //        L = Σ h², dL/dh = 2h = [6, -12], dL/dw = 6h = [18, -36]
  L.backward({ retainGraph: true });
  assert.deepEqual(h.grad!.toArray(), [6, -12]);
  assert.deepEqual(w.grad!.toArray(), [18, -36]);
  assert.ok(tapeSize() > 0, "the graph is kept");
  L.backward(); // the same gradients again, added
  assert.deepEqual(h.grad!.toArray(), [12, -24]);
  assert.deepEqual(w.grad!.toArray(), [36, -72]);
  assert.equal(tapeSize(), 0, "freed after a backward without retainGraph");
  assert.throws(() => L.backward(), /already freed/);
});

test("retainGraph through views, stacks and a recurrent layer: each pass gives the same gradients", () => {
  const x = new Parameter(tensor([[1, 2], [3, 4], [5, 6]]));
  const steps = [0, 1, 2].map((t) => x.reshape([3, 2]).mul(t + 1).sum(1).retainGrad());
  const out = stack(steps, 0).mul(stack(steps, 0)).sum();
  out.backward({ retainGraph: true });
  const first = x.grad!.toArray();
  const firstH = steps.map((s) => s.grad!.toArray());
  x.zeroGrad();
  steps.forEach((s) => s.zeroGrad());
  out.backward();
  assert.deepEqual(x.grad!.toArray(), first);
  assert.deepEqual(steps.map((s) => s.grad!.toArray()), firstH);
});

test("retainGrad collects dL/dh_t for every step of a recurrence", () => {
  const w = new Parameter(tensor(0.5));
  let h = tensor([1]);
  const hs: Tensor[] = [];
  for (let t = 0; t < 4; t++) {
    h = h.mul(w).retainGrad();
    hs.push(h);
  }
  h.sum().backward();
  // h_t = w^(t+1), L = h_3, dL/dh_t = w^(3-t)
  assert.deepEqual(hs.map((x) => x.grad!.item()), [0.125, 0.25, 0.5, 1]);
});

test("noGrad records nothing and restores grad mode, even on a throw", () => {
  const w = new Parameter(tensor([1, 2]));
  const y = noGrad(() => {
    assert.equal(isGradEnabled(), false);
    return w.mul(2).tanh().sum();
  });
  assert.equal(tapeSize(), 0);
  assert.equal(y.requiresGrad, false);
  assert.equal(isGradEnabled(), true);
  assert.throws(() => noGrad(() => { throw new Error("boom"); }), /boom/);
  assert.equal(isGradEnabled(), true);
  assert.throws(() => y.backward(), /backward: this tensor of shape \[\] does not require grad/);
});

test("ops on tensors that do not require grad are not recorded", () => {
  tensor([1, 2]).mul(3).exp();
  assert.equal(tapeSize(), 0);
});

test("detach cuts the graph", () => {
  const w = new Parameter(tensor([3]));
  const h = w.mul(2);
  const cut = h.detach().mul(w); // only the second factor depends on w through the graph
  cut.sum().backward();
  assert.deepEqual(w.grad!.toArray(), [6]); // d/dw (const 6 · w) = 6, not 12w = 36
});

test("the tape is empty after backward; the graph cannot be walked twice", () => {
  const w = new Parameter(tensor([1, 2]));
  const L = w.mul(w).tanh().sum();
  assert.equal(tapeSize(), 3);
  L.backward();
  assert.equal(tapeSize(), 0);
  assert.throws(() => L.backward(), /backward: the graph behind this tensor \(made by sum\) was already freed by an earlier backward\(\)/);
});

test("using a value from a freed graph asks for detach()", () => {
  const w = new Parameter(tensor([1, 2]));
  const h = w.tanh();
  h.sum().backward();
  const L2 = h.mul(w).sum();
  assert.throws(() => L2.backward(), /tensor of shape \[2\] made by tanh .*already freed.*detach\(\)/s);
  assert.equal(tapeSize(), 0); // freed even after the error
});

test("backward on a non-scalar needs a gradient", () => {
  const w = new Parameter(tensor([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]));
  const y = w.mul(2);
  assert.throws(
    () => y.backward(),
    { message: "backward: called on a tensor of shape [3,4]; pass a gradient or reduce to a scalar first (e.g. sum())" },
  );
  assert.throws(() => y.backward(tensor([1, 2])), /backward: gradient of shape \[2\] does not match the tensor's shape \[3,4\]/);
  const g = tensor(Array.from({ length: 12 }, (_, i) => i), [3, 4]);
  backward(y, g);
  assert.deepEqual(Array.from(w.grad!.data), Array.from(g.data, (v) => 2 * v));
});

test("backward on a leaf puts the seed gradient in its .grad", () => {
  const x = new Parameter(tensor(5));
  x.backward();
  assert.equal(x.grad!.item(), 1);
});

test("custom ops: record and accumulateGrad", () => {
  // cube(x) = x³ written as a custom op, the way other modules extend the library.
  const cube = (a: Tensor) => {
    const out = new Tensor(a.data.map((v) => v ** 3), a.shape);
    return record(out, [a], (g) => accumulateGrad(a, g.map((gi, i) => gi * 3 * a.data[i] ** 2)), "cube");
  };
  const x = new Parameter(tensor([1, 2]));
  cube(x).sum().backward();
  assert.deepEqual(x.grad!.toArray(), [3, 12]);
  const bad = (a: Tensor) => record(new Tensor(a.data.slice(), a.shape), [a], () => accumulateGrad(a, new Float64Array(3)), "bad");
  assert.throws(() => bad(x).sum().backward(), /bad backward: gradient has 3 elements but the tensor has shape \[2\]/);
});

test("anomaly mode names the op whose forward produced NaN", () => {
  const x = new Parameter(tensor([[1, -1, 2], [0, 3, -4]]));
  // log(-1) is NaN: with anomaly detection the error names log and the shape.
  assert.doesNotThrow(() => x.log());
  detectAnomaly(true);
  assert.equal(isAnomalyDetectionEnabled(), true);
  assert.throws(() => x.log(), { message: /^log produced NaN in its output of shape \[2,3\]/ });
  assert.throws(() => x.mul(0).log().neg(), { message: /^log produced -Infinity/ }); // log 0 = -Inf
});

test("anomaly mode names the op whose backward produced NaN", () => {
  // pow(x, 0.5) at x = 0 has an infinite derivative; times g = 0 from relu it gives NaN.
  const x = new Parameter(tensor([[0, 1, 4], [9, 0, 1]]));
  withAnomalyDetection(() => {
    const y = x.pow(0.5).sub(10).relu(); // all negative: relu passes zero gradient
    assert.throws(() => y.sum().backward(), { message: "pow backward produced NaN in the gradient for input 0 of shape [2,3]" });
  });
  assert.equal(isAnomalyDetectionEnabled(), false);
  // Without anomaly mode the NaN slips through silently.
  const y = x.pow(0.5).sub(10).relu();
  y.sum().backward();
  assert.ok(Number.isNaN(x.grad!.data[0]));
});

test("views (axis-0 slices, reshape) share their base's gradient and give the same gradients as copies", () => {
  // Overlapping slices, a reshape of a slice, a retained view and a view of a leaf: every case of
  // tape.recordView, against the same sums computed by hand.
  const w = new Parameter(tensor([[1, 2], [3, 4], [5, 6]]));
  const base = w.mul(2); // a non-leaf base: its views share its gradient
  const top = base.slice(0, 0, 2); // rows 0, 1
  const bottom = base.slice(0, 1, 3); // rows 1, 2 (overlaps top in row 1)
  const flat = bottom.reshape([4]).retainGrad(); // a retained view keeps a gradient of its own
  const leafRow = w.index(0, 2); // a view of a leaf
  const L = top.mul(top).sum().add(flat.mul(tensor([1, 2, 3, 4])).sum()).add(leafRow.sum());
  L.backward();
  // dL/dbase: rows 0,1 get 2·base from top; rows 1,2 get [1,2],[3,4] from flat. dL/dw = 2·dL/dbase + [0,0],[0,0],[1,1].
  const b = [[2, 4], [6, 8], [10, 12]];
  const dBase = [[2 * b[0][0], 2 * b[0][1]], [2 * b[1][0] + 1, 2 * b[1][1] + 2], [3, 4]];
  const expected = dBase.map((row, i) => row.map((v) => 2 * v + (i === 2 ? 1 : 0)));
  assert.deepEqual(w.grad!.toArray(), expected);
  assert.deepEqual(flat.grad!.toArray(), [1, 2, 3, 4]);
});

test("a second backward() (reusing the tape's spare gradient buffers) gives the same gradients", () => {
  const w = new Parameter(tensor([[0.5, -1], [2, 0.25]]));
  const loss = () => w.tanh().mul(w).slice(0, 1, 2).sum().add(w.sigmoid().sum());
  loss().backward();
  const first = w.grad!.data.slice();
  w.zeroGrad();
  loss().backward();
  assert.deepEqual(Array.from(w.grad!.data), Array.from(first));
});

test("stack and concat along axis 0 hand their inputs stretches of the gradient, with the same results as adding", () => {
  // passGradSlice: an input with no gradient yet gets its stretch of the joined gradient as its
  // buffer; its other consumers (backward later) add into it. Every case against sums by hand:
  // an input used again before the stack, one stacked twice, a retained one, a leaf, and a view.
  const w = new Parameter(tensor([1, 2]));
  const a = w.mul(3); //                            also used by `again` below
  const b = w.mul(w).retainGrad(); //               a retained input
  const again = a.mul(tensor([5, 7])).sum(); //    another consumer of a, recorded before the stack
  const joined = concat([stack([a, b, a], 0).reshape([6]), w, w.mul(2).slice(0, 0, 1)], 0); // [9]
  const weights = tensor([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const run = () => joined.mul(weights).sum().add(again);
  run().backward();
  // dL/da = [1,2] + [5,6] + [5,7] (its two stack places and `again`); dL/db = [3,4];
  // dL/dw = 3·dL/da + 2w·dL/db + [7,8] (w itself) + [2·9, 0] (the slice of 2w).
  const da = [1 + 5 + 5, 2 + 6 + 7];
  const db = [3, 4];
  const expected = [0, 1].map((i) => 3 * da[i] + 2 * [1, 2][i] * db[i] + [7, 8][i] + (i === 0 ? 18 : 0));
  assert.deepEqual(w.grad!.toArray(), expected);
  assert.deepEqual(b.grad!.toArray(), db);
});

test("a gradient lent by stack is recycled only after the backward: a second step gives the same gradients", () => {
  const w = new Parameter(tensor([[0.5, -1], [2, 0.25]]));
  const loss = () => {
    const rows = [w.tanh(), w.sigmoid(), w.mul(w)];
    // `other` has the stack's size and its consumer is recorded before the stack, so its gradient
    // buffer is requested after the stack's backward, while the rows still use the lent one.
    const other = stack([w, w, w], 0);
    const otherTerm = other.mul(other).sum().mul(0);
    const s = stack(rows, 0); // [3, 2, 2]
    return s.mul(s).sum().add(rows[0].mul(rows[2]).sum()).add(otherTerm);
  };
  loss().backward();
  const first = w.grad!.data.slice();
  w.zeroGrad();
  loss().backward();
  assert.deepEqual(Array.from(w.grad!.data), Array.from(first));
  // and the same as without the stack: d/dw of Σ tanh² + σ² + w⁴ + tanh·w²
  const x = Array.from(w.data);
  const d = x.map((v) => {
    const t = Math.tanh(v), s = 1 / (1 + Math.exp(-v));
    return 2 * t * (1 - t * t) + 2 * s * s * (1 - s) + 4 * v ** 3 + (1 - t * t) * v * v + 2 * t * v;
  });
  Array.from(first).forEach((g, i) => assert.ok(Math.abs(g - d[i]) < 1e-12, `${g} vs ${d[i]}`));
});

test("nested stacks: a borrowed gradient that is lent on is never recycled on its own", () => {
  // inner and c2 borrow stretches of outer's gradient and lend them on to their own inputs. If
  // such a stretch went into the spare pool at the end of a backward, the next backward would
  // hand it out (zeroed) for inner·2 while outer's buffer, the same memory, holds inner's gradient.
  const w = new Parameter(tensor([0.5, -1, 2]));
  const loss = () => {
    const inner = stack([w.tanh(), w.sigmoid()], 0); // [2, 3]
    const twice = inner.mul(2).sum().mul(3); // its [2, 3] gradient is asked for after outer lends to inner
    const c2 = stack([w.mul(w), w.exp()], 0);
    const outer = stack([inner, c2], 0); // [2, 2, 3]
    return outer.sum().add(twice);
  };
  const expected = Array.from(w.data, (v) => {
    const t = Math.tanh(v), s = 1 / (1 + Math.exp(-v));
    return 7 * (1 - t * t + s * (1 - s)) + 2 * v + Math.exp(v); // 1 from outer, 6 from twice
  });
  for (let step = 0; step < 3; step++) {
    w.zeroGrad();
    loss().backward();
    Array.from(w.grad!.data).forEach((g, i) => assert.ok(Math.abs(g - expected[i]) < 1e-12, `step ${step}: ${g} vs ${expected[i]}`));
  }
});
