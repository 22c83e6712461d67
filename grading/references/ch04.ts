// The teacher's reference solutions to notebook 04's exercises, and the answers they give on the
// public checks' probes (kernel-lib/src/exercises/ch04.ts, `ch04Probes`): the right answers, and
// the wrong answers of the usual mistakes the checks recognise. `npm run exercises:answers`
// stores them in kernel-lib/src/exercises/answers/ch04.ts, which is all the checks read.
// This file is not part of a student's copy of the course.
import { ch04Probes } from "../../kernel-lib/src/exercises/ch04";
import { add, linear, matmul, mul, slice, sum, tanh, transpose } from "../../kernel-lib/src/ops";
import { clipGradNorm } from "../../kernel-lib/src/optim";
import { noGrad } from "../../kernel-lib/src/autograd/tape";
import { Rng } from "../../kernel-lib/src/random";
import { Tensor, fromFlat, randn, zeros } from "../../kernel-lib/src/tensor";

function oneMinusSquare(h: Tensor): Tensor {
  return fromFlat(h.data.map((v) => 1 - v * v), h.shape);
}

/** diag(d) · M for a vector d [H] and a matrix M [H, H]: row i of M scaled by d_i. */
function scaleRows(d: Tensor, m: Tensor): Tensor {
  return mul(d.reshape([d.size, 1]), m);
}

function identityMatrix(n: number): Tensor {
  const m = zeros([n, n]);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}

/** ch04-bptt-step: (dL/dh_t ⊙ (1 − h_t²)) W_h. */
export function bpttStep(gradH: Tensor, h: Tensor, Wh: Tensor): Tensor {
  return matmul(mul(gradH, oneMinusSquare(h)), Wh);
}

/**
 * ch04-jacobian-product: ∂h_T/∂h_t, latest factor on the left. `useState` and `latestLeft` make the
 * usual mistakes (the factor of step k read off h_{k−1}; the product in the wrong order).
 */
export function jacobianProduct(hs: Tensor[], Wh: Tensor, t: number, useState: (k: number) => Tensor = (k) => hs[k], latestLeft = true): Tensor {
  const T = hs.length - 1;
  let J = identityMatrix(Wh.shape[0]);
  for (let k = t + 1; k <= T; k++) {
    const factor = scaleRows(oneMinusSquare(useState(k)), Wh);
    J = latestLeft ? matmul(factor, J) : matmul(J, factor);
  }
  return J;
}

/** ch04-vanishing-prediction's σ_max: power iteration on WᵀW (many steps, from a seeded random start). */
export function sigmaMax(W: Tensor, iterations = 2000): number {
  const n = W.shape[1];
  let v = randn([n, 1], new Rng(7));
  const WtW = matmul(transpose(W), W);
  for (let i = 0; i < iterations; i++) {
    const u = matmul(WtW, v);
    const norm = Math.sqrt(sum(mul(u, u)).item());
    if (norm === 0) return 0;
    v = u.mul(1 / norm);
  }
  const Wv = matmul(W, v);
  return Math.sqrt(sum(mul(Wv, Wv)).item());
}

/** ch04-clip-global-norm is kernel-lib's clipGradNorm (the check accepts both); returns the norm before. */
export const clipGlobalNorm = (params: Tensor[], maxNorm: number): number => clipGradNorm(params, maxNorm);

function gradsOf(ps: Tensor[]): Tensor {
  const all: number[] = [];
  for (const p of ps) if (p.grad !== null) all.push(...p.grad.data);
  return fromFlat(all, [all.length]);
}

/** The RNN step without a bias, as the truncated-BPTT probe runs it. */
const rnnStep = (x: Tensor, h: Tensor, Wx: Tensor, Wh: Tensor): Tensor => tanh(add(linear(x, Wx), linear(h, Wh)));

export function answers(): Record<string, unknown> {
  const out: Record<string, unknown> = {};

  {
    const { H, Wh, g, h, identity } = ch04Probes.bpttStep();
    out["bptt-step/tanh-derivative"] = bpttStep(g, h, identity);
    out["bptt-step/Wh-term"] = bpttStep(g, zeros([2, H]), Wh);
    out["bptt-step/full"] = bpttStep(g, h, Wh);
    // Mistakes: tanh applied to h_t again (W_h = I probe); W_hᵀ (h_t = 0 probe); 1 − h_t² after W_h.
    out["bptt-step/mistake/tanh-twice"] = mul(g, fromFlat(h.data.map((v) => 1 - Math.tanh(v) ** 2), h.shape));
    out["bptt-step/mistake/Wh-transposed"] = matmul(g, transpose(Wh));
    out["bptt-step/mistake/derivative-after-Wh"] = mul(matmul(g, Wh), oneMinusSquare(h));
  }

  {
    const { H, T, Wh, hs } = ch04Probes.jacobianProduct();
    out["jacobian-product/t=3"] = jacobianProduct(hs, Wh, T - 1);
    out["jacobian-product/t=0"] = jacobianProduct(hs, Wh, 0);
    out["jacobian-product/t=2"] = jacobianProduct(hs, Wh, 2);
    // Mistakes: columns scaled instead of rows; h_{k−1} in step k's factor; the product in the wrong order.
    out["jacobian-product/mistake/columns-scaled/t=3"] = mul(Wh, oneMinusSquare(hs[T]).reshape([1, H]));
    out["jacobian-product/mistake/previous-state/t=3"] = jacobianProduct(hs, Wh, T - 1, (k) => hs[k - 1]);
    out["jacobian-product/mistake/earliest-left/t=0"] = jacobianProduct(hs, Wh, 0, (k) => hs[k], false);
    out["jacobian-product/mistake/previous-state/t=0"] = jacobianProduct(hs, Wh, 0, (k) => hs[k - 1]);
  }

  {
    const { diagonal, shear, blind, random } = ch04Probes.vanishingPrediction();
    // A diagonal matrix's singular values are the sizes of its diagonal entries.
    const n = diagonal.shape[0];
    out["vanishing-prediction/sigma-max/diagonal"] = Math.max(...Array.from({ length: n }, (_, i) => Math.abs(diagonal.data[i * n + i])));
    if (Math.abs(sigmaMax(diagonal) - (out["vanishing-prediction/sigma-max/diagonal"] as number)) > 1e-9) throw new Error("ch04 reference: σ_max of the diagonal probe");
    out["vanishing-prediction/sigma-max/shear"] = sigmaMax(shear);
    out["vanishing-prediction/sigma-max/blind"] = sigmaMax(blind);
    out["vanishing-prediction/sigma-max/random"] = sigmaMax(random);
  }

  {
    const probes = ch04Probes.clipGlobalNorm;
    const large = probes.large();
    out["clip-global-norm/large/norm-before"] = clipGlobalNorm(large, 1);
    out["clip-global-norm/large/clipped"] = gradsOf(large);
    out["clip-global-norm/small/norm"] = clipGlobalNorm(probes.small(), 5);
    out["clip-global-norm/mixed/norm"] = clipGlobalNorm(probes.mixed(), 2);
    // Mistakes on the large probe: each parameter clipped by its own norm; each entry clamped to [−1, 1].
    const perParameter = probes.large();
    for (const p of perParameter) clipGradNorm([p], 1);
    out["clip-global-norm/mistake/large/per-parameter"] = gradsOf(perParameter);
    const clamped = probes.large();
    for (const p of clamped) if (p.grad) for (let i = 0; i < p.grad.size; i++) p.grad.data[i] = Math.max(-1, Math.min(1, p.grad.data[i]));
    out["clip-global-norm/mistake/large/clamped"] = gradsOf(clamped);
  }

  {
    // The states of the whole sequence, read in one go: the values the carried states must have.
    const { T, B, I, Wx, Wh, x, h0, k } = ch04Probes.truncatedBptt();
    noGrad(() => {
      let h = h0;
      for (let t = 0; t < T; t++) {
        h = rnnStep(slice(x, 0, t, t + 1).reshape([B, I]), h, Wx, Wh);
        if ((t + 1) % k === 0) out[`truncated-bptt/h_${t + 1}`] = h;
      }
    });
  }
  return out;
}
