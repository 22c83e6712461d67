import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng, matmul, randn, sum } from "../src";
import { countMultiplyAdds, getKernels, plainKernels, setKernels } from "../src/kernels";
import { GRU, LSTM, MultiheadAttention, RNN } from "../src/nn";

test("countMultiplyAdds: one product [n,k]·[k,m] is n·k·m; its backward two more of the same size", () => {
  const rng = new Rng(0);
  const a = randn([3, 5], rng, { requiresGrad: true });
  const b = randn([5, 7], rng, { requiresGrad: true });
  const fwd = countMultiplyAdds(() => matmul(a, b));
  assert.equal(fwd.multiplyAdds, 3 * 5 * 7);
  assert.equal(fwd.matmuls, 1);
  assert.deepEqual(fwd.result.shape, [3, 7]);
  const both = countMultiplyAdds(() => sum(matmul(a, b)).backward());
  assert.equal(both.multiplyAdds, 3 * 3 * 5 * 7, "forward, dA = dC·Bᵀ and dB = Aᵀ·dC");
  assert.equal(both.matmuls, 3);
});

test("countMultiplyAdds: an LSTM layer's forward pass over n steps, batch 1, width d, is 8·n·d² (exercise 5's formula)", () => {
  for (const [n, d] of [[1, 1], [5, 4], [12, 8], [7, 16]]) {
    const lstm = new LSTM(d, d, { rng: new Rng(n) });
    const x = randn([n, 1, d], new Rng(1));
    assert.equal(countMultiplyAdds(() => lstm.forward(x)).multiplyAdds, 8 * n * d * d, `n = ${n}, d = ${d}`);
  }
  // The readable (unfused) step computes the same products.
  const lstm = new LSTM(6, 6, { rng: new Rng(2), fused: false });
  assert.equal(countMultiplyAdds(() => lstm.forward(randn([9, 1, 6], new Rng(3)))).multiplyAdds, 8 * 9 * 36);
  // Batch B and input size I: n·B·4H·(I + H).
  const wide = new LSTM(3, 5, { rng: new Rng(4) });
  assert.equal(countMultiplyAdds(() => wide.forward(randn([4, 2, 3], new Rng(5)))).multiplyAdds, 4 * 2 * 4 * 5 * (3 + 5));
  // The GRU and the RNN: 3 blocks and 1 block.
  assert.equal(countMultiplyAdds(() => new GRU(4, 4, { rng: new Rng(6) }).forward(randn([5, 1, 4], new Rng(7)))).multiplyAdds, 6 * 5 * 16);
  assert.equal(countMultiplyAdds(() => new RNN(4, 4, { rng: new Rng(6) }).forward(randn([5, 1, 4], new Rng(7)))).multiplyAdds, 2 * 5 * 16);
});

test("countMultiplyAdds: the kernels are restored afterwards, also when fn throws; counts nest; results are unchanged", () => {
  const before = getKernels();
  const a = randn([4, 4], new Rng(8));
  const plain = matmul(a, a);
  const counted = countMultiplyAdds(() => matmul(a, a)).result;
  assert.deepEqual(Array.from(counted.data), Array.from(plain.data), "counting changes no number");
  assert.equal(getKernels(), before);
  assert.throws(() => countMultiplyAdds(() => { matmul(a, a); throw new Error("boom"); }), /boom/);
  assert.equal(getKernels(), before, "restored after a throw");
  const outer = countMultiplyAdds(() => {
    matmul(a, a);
    const inner = countMultiplyAdds(() => matmul(a, a));
    assert.equal(inner.multiplyAdds, 64);
    return inner.multiplyAdds;
  });
  assert.equal(outer.multiplyAdds, 128, "the inner count is part of the outer one");
  assert.equal(getKernels(), before);
  // Works on whatever kernels are active (here the plain ones).
  const prev = setKernels(plainKernels);
  try {
    assert.equal(countMultiplyAdds(() => matmul(a, a)).multiplyAdds, 64);
    assert.equal(getKernels(), plainKernels);
  } finally {
    setKernels(prev);
  }
  assert.throws(() => countMultiplyAdds(async () => 1), /promise/);
  assert.equal(getKernels(), before);
  assert.throws(() => countMultiplyAdds(3 as unknown as () => void), /pass a function/);
});

test("countMultiplyAdds: a self-attention layer's forward pass is 4·n·d² + 2·n²·d for any number of heads, causal or not (exercise 5's formula)", () => {
  for (const [n, d, heads] of [[1, 2, 1], [5, 4, 1], [7, 8, 2], [16, 8, 4], [3, 6, 3], [40, 8, 8]]) {
    const mha = new MultiheadAttention(d, heads, { rng: new Rng(n) });
    const x = randn([n, 1, d], new Rng(d));
    const formula = 4 * n * d * d + 2 * n * n * d;
    assert.equal(countMultiplyAdds(() => mha.forward(x)).multiplyAdds, formula, `n = ${n}, d = ${d}, ${heads} heads`);
    assert.equal(countMultiplyAdds(() => mha.forward(x, x, x, { causal: true })).multiplyAdds, formula, "the mask changes no product");
  }
  // So attention costs more than the LSTM exactly when n > 2d.
  const d = 4;
  const lstmCost = (n: number) => countMultiplyAdds(() => new LSTM(d, d, { rng: new Rng(0) }).forward(randn([n, 1, d], new Rng(1)))).multiplyAdds;
  const attnCost = (n: number) => countMultiplyAdds(() => new MultiheadAttention(d, 2, { rng: new Rng(0) }).forward(randn([n, 1, d], new Rng(1)))).multiplyAdds;
  assert.equal(attnCost(2 * d), lstmCost(2 * d));
  assert.ok(attnCost(2 * d - 1) < lstmCost(2 * d - 1) && attnCost(2 * d + 1) > lstmCost(2 * d + 1));
});
