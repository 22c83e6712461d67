// Hidden tests of notebook 04, "Backpropagation through time, and why its gradients vanish or
// explode" (see types.ts for how observers are used). Sizes vary with the case; matrices are not
// symmetric (a transpose cannot hide) and not normal (σ_max ≠ ρ); every call gets fresh inputs.
import type { Rng, Tensor } from "kernel-lib";
import type { Kl, Observers } from "./types";

const copyOf = (kl: Kl, t: Tensor) => kl.fromFlat(t.data, t.shape);

/** States h_0 .. h_T [H] of h_k = tanh(W_h h_{k−1} + W_x x_k + b) for one random sequence. */
function randomStates(kl: Kl, rng: Rng, Wh: Tensor, T: number): Tensor[] {
  const H = Wh.shape[0];
  const I = 1 + rng.int(3);
  const Wx = kl.randn([H, I], rng);
  const b = kl.randn([H], rng).mul(0.3);
  const hs: Tensor[] = [kl.tanh(kl.randn([1, H], rng))]; // h_0 ≠ 0: using h_{k−1} for h_k shows at k = 1 too
  for (let k = 1; k <= T; k++) hs.push(kl.tanh(kl.add(kl.add(kl.linear(kl.randn([1, I], rng), Wx), kl.linear(hs[k - 1], Wh)), b)));
  return hs.map((h) => kl.reshape(h, [H]));
}

/** Eigenvalues of a symmetric matrix (cyclic Jacobi rotations), largest first. */
function symmetricEigenvalues(m: number[][]): number[] {
  const n = m.length;
  const a = m.map((r) => r.slice());
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p][q] * a[p][q];
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (a[p][q] === 0) continue;
        const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k][p], akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p][k], aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
      }
    }
  }
  return a.map((r, i) => r[i]).sort((x, y) => y - x);
}

/** W = U diag(σ) Vᵀ with random orthogonal U, V and σ_2 ≤ 0.7 σ_1 (power iteration converges fast). */
function withSingularValues(kl: Kl, rng: Rng, n: number) {
  const s1 = rng.uniform(0.3, 3);
  const sigmas = [s1, ...Array.from({ length: n - 1 }, () => s1 * rng.uniform(0, 0.7))];
  const U = kl.nn.init.orthogonal(kl.zeros([n, n]), rng);
  const V = kl.nn.init.orthogonal(kl.zeros([n, n]), rng);
  return { W: kl.matmul(kl.mul(U, kl.reshape(kl.tensor(sigmas), [1, n])), kl.transpose(V)), sigmaMax: s1 };
}

/**
 * An integer matrix whose rows add up to 0, so W·(1, …, 1) = 0 exactly: a power iteration started
 * from all ones (or from any vector W sends to 0) stays at 0. Its singular values have a gap.
 */
function blindMatrix(kl: Kl, rng: Rng, n: number) {
  for (;;) {
    const rows = Array.from({ length: n }, () => {
      const r = Array.from({ length: n - 1 }, () => rng.int(7) - 3);
      return [...r, -r.reduce((a, v) => a + v, 0)];
    });
    const WtW = rows[0].map((_, i) => rows[0].map((__, j) => rows.reduce((acc, r) => acc + r[i] * r[j], 0)));
    const [l1, l2] = symmetricEigenvalues(WtW);
    if (l1 > 0.5 && (n < 2 || l2 <= 0.5 * l1)) return { W: kl.tensor(rows), sigmaMax: Math.sqrt(l1) };
  }
}

/**
 * `count` (≥ 2) parameters of random shapes with random gradients, scaled to a total gradient
 * norm `norm`; of three or more, maybe one without a gradient (at least two always have one, so
 * clipping each parameter by its own norm shows).
 */
function paramsWithNorm(kl: Kl, rng: Rng, count: number, norm: number): Tensor[] {
  const ps = Array.from({ length: count }, () => {
    const shape = rng.int(2) ? [1 + rng.int(5), 1 + rng.int(5)] : [1 + rng.int(7)];
    const p = kl.zeros(shape, { requiresGrad: true });
    p.grad = kl.randn(shape, rng);
    return p;
  });
  if (count > 2 && rng.int(2)) ps[rng.int(count)].grad = null;
  let sq = 0;
  for (const p of ps) if (p.grad) for (const g of p.grad.data) sq += g * g;
  for (const p of ps) if (p.grad) p.grad = p.grad.mul(norm / Math.sqrt(sq));
  return ps;
}

export const observers: Observers = {
  "ch04-bptt-step": (s, kl, rng, { case: c }) => {
    const B = 1 + rng.int(4);
    const H = 2 + ((c + rng.int(3)) % 6);
    const Wh = kl.randn([H, H], rng).mul(0.8);
    const g = kl.randn([B, H], rng);
    const h = kl.tanh(kl.randn([B, H], rng));
    return s.bpttStep(g, h, Wh);
  },

  "ch04-jacobian-product": (s, kl, rng, { case: c }) => {
    const H = 2 + ((c + rng.int(3)) % 5);
    const T = 2 + rng.int(3 + 2 * c);
    const Wh = kl.randn([H, H], rng).mul(0.9);
    const hs = randomStates(kl, rng, Wh, T);
    const ts = [T, T - 1, 0, 1 + rng.int(T - 1)];
    return ts.map((t) => s.jacobianProduct(hs.map((h) => copyOf(kl, h)), copyOf(kl, Wh), t));
  },

  "ch04-vanishing-prediction": (s, kl, rng, { case: c }) => {
    // A generic matrix with γ = 1 and with γ on either side of 1 / σ_max, and a matrix that sends
    // the all-ones vector to 0. The σ_max of these matrices is clear (a gap to σ_2), so any power
    // iteration of a few dozen steps or more gives it to rounding error.
    const n = 2 + ((c + rng.int(3)) % 5);
    const generic = withSingularValues(kl, rng, n);
    const blind = blindMatrix(kl, rng, 2 + rng.int(4));
    const calls: [Tensor, number][] = [
      [generic.W, 1],
      [generic.W, rng.uniform(0.55, 0.9) / generic.sigmaMax],
      [generic.W, rng.uniform(1.15, 2) / generic.sigmaMax],
      [blind.W, rng.uniform(0.55, 0.9) / blind.sigmaMax],
    ];
    return calls.map(([W, gamma]) => s.predictVanishing(copyOf(kl, W), gamma));
  },

  "ch04-clip-global-norm": (s, kl, rng, { case: c }) => {
    // One call that clips (the norm far above maxNorm, so PyTorch's 1e-6 in the factor is below
    // the judge's tolerance) and one that must not (the norm well below maxNorm).
    const out: unknown[] = [];
    for (const clips of [true, false]) {
      const maxNorm = clips ? rng.uniform(0.5, 20) : rng.uniform(2, 20);
      const norm = clips ? rng.uniform(60, 400) : maxNorm * rng.uniform(0.2, 0.85);
      const ps = paramsWithNorm(kl, rng, 2 + rng.int(2 + c), norm);
      const returned = s.clipGlobalNorm(ps, maxNorm);
      out.push({ returned, grads: ps.map((p) => p.grad) });
    }
    return out;
  },

  "ch04-truncated-bptt": (s, kl, rng, { case: c }) => {
    // trainChunk records what it is given: the chunk, its start, the state's values and whether
    // the state still hangs on the previous chunk's graph.
    const B = 1 + rng.int(3), I = 1 + rng.int(3), H = 2 + rng.int(4);
    const T = 5 + rng.int(8 + 4 * c);
    const Wx = kl.randn([H, I], rng).mul(0.6);
    const Wh = kl.randn([H, H], rng, { requiresGrad: true });
    const x = kl.randn([T, B, I], rng);
    const h0 = kl.randn([B, H], rng).mul(0.5);
    const windows = [2 + rng.int(T - 3), [1, T + rng.int(3), 3][c % 3]];
    try {
      return windows.map((k) => {
        const seen: unknown[] = [];
        const trainChunk = (xc: Tensor, hIn: Tensor, start: number) => {
          seen.push({ chunk: copyOf(kl, xc), start, state: copyOf(kl, hIn), attached: !hIn.isLeaf || hIn.requiresGrad });
          let h = hIn;
          for (let t = 0; t < xc.shape[0]; t++) h = kl.tanh(kl.add(kl.linear(kl.reshape(kl.slice(xc, 0, t, t + 1), [B, I]), Wx), kl.linear(h, Wh.mul(0.5))));
          return { loss: kl.sum(kl.mul(h, h)).item(), hLast: h };
        };
        const losses = s.truncatedBptt(copyOf(kl, x), k, copyOf(kl, h0), trainChunk);
        return { losses, seen };
      });
    } finally {
      kl.autograd.resetTape(); // the chunks' graphs, never walked back
    }
  },
};
