// The checks of notebook 04 accept a right answer and name the wrong term of typical wrong ones.
import { test } from "node:test";
import * as kl from "../src";
import { exercises, Tensor } from "../src";
import { passes, rejects } from "./exercise-harness";

const ch04 = exercises.ch04;

const oneMinusSq = (h: Tensor) => kl.sub(1, kl.mul(h, h));

// ---- ch04-bptt-step
test("bptt-step: (g ⊙ (1 − h²)) W_h passes", () => void passes(() => ch04.checkBpttStep((g, h, W) => kl.matmul(kl.mul(g, oneMinusSq(h)), W))));
test("bptt-step: forgetting the tanh derivative is named", () => rejects(() => ch04.checkBpttStep((g, _h, W) => kl.matmul(g, W)), /tanh derivative is included/));
test("bptt-step: tanh applied twice is named", () =>
  rejects(() => ch04.checkBpttStep((g, h, W) => kl.matmul(kl.mul(g, oneMinusSq(kl.tanh(h))), W)), /applies tanh to h_t again/));
test("bptt-step: W_h transposed is named", () =>
  rejects(() => ch04.checkBpttStep((g, h, W) => kl.matmul(kl.mul(g, oneMinusSq(h)), kl.transpose(W))), /uses W_hᵀ/));
test("bptt-step: the derivative applied after W_h is named", () =>
  rejects(() => ch04.checkBpttStep((g, h, W) => kl.mul(kl.matmul(g, W), oneMinusSq(h))), /multiplies by W_h first/));

// ---- ch04-jacobian-product
function rightJacobian(hs: Tensor[], Wh: Tensor, t: number, left = true, shift = 0): Tensor {
  const H = Wh.shape[0];
  let J = kl.nn.init.identity(kl.zeros([H, H]));
  for (let k = t + 1; k < hs.length; k++) {
    const factor = kl.mul(kl.reshape(oneMinusSq(hs[k - shift]), [H, 1]), Wh);
    J = left ? kl.matmul(factor, J) : kl.matmul(J, factor);
  }
  return J;
}
test("jacobian-product: the right product passes", () => void passes(() => ch04.checkJacobianProduct((hs, W, t) => rightJacobian(hs, W, t))));
test("jacobian-product: the factors in the wrong order are named", () =>
  rejects(() => ch04.checkJacobianProduct((hs, W, t) => rightJacobian(hs, W, t, false)), /latest step on the LEFT/));
test("jacobian-product: h_{k−1} in the derivative is named", () =>
  rejects(() => ch04.checkJacobianProduct((hs, W, t) => rightJacobian(hs, W, t, true, 1)), /uses h_k, the state it produced/));
test("jacobian-product: scaling columns instead of rows is named", () =>
  rejects(() => ch04.checkJacobianProduct((hs, W, t) => {
    const H = W.shape[0];
    let J = kl.nn.init.identity(kl.zeros([H, H]));
    for (let k = t + 1; k < hs.length; k++) J = kl.matmul(kl.mul(W, kl.reshape(oneMinusSq(hs[k]), [1, H])), J);
    return J;
  }), /scales the columns/));
test("jacobian-product: starting from zeros instead of the identity is named", () =>
  rejects(() => ch04.checkJacobianProduct((hs, W) => kl.zeros(W.shape)), /empty product/));

// ---- ch04-vanishing-prediction
function powerSigma(W: Tensor, onWtW = true, iters = 300, start: "random" | "ones" = "random"): number {
  const n = W.shape[1];
  const M = onWtW ? kl.matmul(kl.transpose(W), W) : W;
  let v = start === "ones" ? kl.ones([n, 1]) : kl.randn([n, 1], new kl.Rng(0));
  for (let i = 0; i < iters; i++) {
    const u = kl.matmul(M, v);
    v = u.mul(1 / Math.sqrt(kl.sum(kl.mul(u, u)).item()));
  }
  const Wv = kl.matmul(W, v);
  return Math.sqrt(kl.sum(kl.mul(Wv, Wv)).item());
}
test("vanishing-prediction: power iteration on WᵀW and γσ < 1 passes", () =>
  void passes(() => ch04.checkVanishingPrediction((W, g) => { const s = powerSigma(W); return { sigmaMax: s, vanishes: g * s < 1 }; })));
test("vanishing-prediction: a start from all ones, orthogonal to the top singular vector of [[2, −2], [0, 0]], is named", () => {
  // Without a guard against ‖WᵀW v‖ = 0 the iteration divides by 0 (NaN); with one it returns 0.
  rejects(() => ch04.checkVanishingPrediction((W, g) => { const s = powerSigma(W, true, 300, "ones"); return { sigmaMax: s, vanishes: g * s < 1 }; }),
    /is above 0, since W is not the zero matrix \(yours is NaN: .*such as all ones\?\)[\s\S]*Start from a random vector/);
  rejects(() => ch04.checkVanishingPrediction((W, g) => {
    const n = W.shape[1];
    const WtW = kl.matmul(kl.transpose(W), W);
    let v = kl.ones([n, 1]);
    for (let i = 0; i < 300; i++) {
      const u = kl.matmul(WtW, v);
      const norm = Math.sqrt(kl.sum(kl.mul(u, u)).item());
      if (norm === 0) return { sigmaMax: 0, vanishes: true };
      v = u.mul(1 / norm);
    }
    const Wv = kl.matmul(W, v);
    const s = Math.sqrt(kl.sum(kl.mul(Wv, Wv)).item());
    return { sigmaMax: s, vanishes: g * s < 1 };
  }), /is above 0, since W is not the zero matrix \(yours is 0: .*such as all ones\?\)[\s\S]*Start from a random vector/);
});
test("vanishing-prediction: σ_max² (the eigenvalue of WᵀW, without the square root) is named (a learner's trial: only 'off by 150%')", () =>
  rejects(() => ch04.checkVanishingPrediction((W, g) => { const s = powerSigma(W) ** 2; return { sigmaMax: s, vanishes: g * s < 1 }; }), /not its square \(yours is 6\.2500, σ_max²/));
test("vanishing-prediction: the feedback on the start vector never gives σ_max", () =>
  rejects(() => ch04.checkVanishingPrediction((W, g) => { const s = powerSigma(W, true, 300, "ones"); return { sigmaMax: s, vanishes: g * s < 1 }; }),
    /^(?![\s\S]*(2\.8|2√2|√8))/));
test("vanishing-prediction: power iteration on W (the spectral radius) is named", () =>
  rejects(() => ch04.checkVanishingPrediction((W, g) => {
    // |λ_max| by power iteration on W itself: ‖W v‖ for the converged v.
    const n = W.shape[1];
    let v = kl.ones([n, 1]);
    let lam = 0;
    for (let i = 0; i < 300; i++) {
      const u = kl.matmul(W, v);
      lam = Math.sqrt(kl.sum(kl.mul(u, u)).item());
      v = u.mul(1 / lam);
    }
    return { sigmaMax: lam, vanishes: g * lam < 1 };
  }), /not the largest \|eigenvalue\|/));
test("vanishing-prediction: forgetting γ is named", () =>
  rejects(() => ch04.checkVanishingPrediction((W) => { const s = powerSigma(W); return { sigmaMax: s, vanishes: s < 1 }; }), /γ scales the bound/));
test("vanishing-prediction: the inverted condition is named", () =>
  rejects(() => ch04.checkVanishingPrediction((W, g) => { const s = powerSigma(W); return { sigmaMax: s, vanishes: g * s > 1 }; }), /vanishes must be false/));

// ---- ch04-clip-global-norm
function rightClip(params: Tensor[], maxNorm: number): number {
  let sq = 0;
  for (const p of params) if (p.grad) for (const g of p.grad.data) sq += g * g;
  const norm = Math.sqrt(sq);
  if (norm > maxNorm) {
    const f = maxNorm / (norm + 1e-6);
    for (const p of params) if (p.grad) for (let i = 0; i < p.grad.size; i++) p.grad.data[i] *= f;
  }
  return norm;
}
test("clip-global-norm: the right clipping passes, and so does kl.optim.clipGradNorm", () => {
  passes(() => ch04.checkClipGlobalNorm(rightClip));
  passes(() => ch04.checkClipGlobalNorm((ps, m) => kl.optim.clipGradNorm(ps, m)));
});
test("clip-global-norm: clipping each parameter on its own is named", () =>
  rejects(() => ch04.checkClipGlobalNorm((ps, m) => Math.sqrt(ps.map((p) => rightClip([p], m) ** 2).reduce((a, b) => a + b, 0))), /ONE factor from the global norm/));
test("clip-global-norm: returning the norm after clipping is named", () =>
  rejects(() => ch04.checkClipGlobalNorm((ps, m) => Math.min(rightClip(ps, m), m)), /BEFORE clipping/));
test("clip-global-norm: clamping values is named", () =>
  rejects(() => ch04.checkClipGlobalNorm((ps, m) => {
    const n = rightClip(ps.map((p) => { const q = kl.zeros(p.shape); q.grad = p.grad ? kl.fromFlat(p.grad.data, p.shape) : null; return q; }), m);
    kl.optim.clipGradValue(ps, m);
    return n;
  }), /clamps each entry/));
test("clip-global-norm: always rescaling to maxNorm is named", () =>
  rejects(() => ch04.checkClipGlobalNorm((ps, m) => {
    let sq = 0;
    for (const p of ps) if (p.grad) for (const g of p.grad.data) sq += g * g;
    const norm = Math.sqrt(sq);
    for (const p of ps) if (p.grad) for (let i = 0; i < p.grad.size; i++) p.grad.data[i] *= m / norm;
    return norm;
  }), /below the threshold are left unchanged/));
test("clip-global-norm: a parameter without a gradient is skipped, not a crash", () =>
  rejects(() => ch04.checkClipGlobalNorm((ps, m) => {
    let sq = 0;
    for (const p of ps) for (const g of p.grad!.data) sq += g * g;
    return rightClip(ps, m) + 0 * sq;
  }), /threw an error: .*\nHint: a parameter the loss does not reach has grad === null: skip it/s));
test("clip-global-norm: new gradient tensors instead of scaling in place are named (a learner's trial: it passed)", () =>
  rejects(() => ch04.checkClipGlobalNorm((ps, m) => {
    let sq = 0;
    for (const p of ps) if (p.grad) for (const g of p.grad.data) sq += g * g;
    const norm = Math.sqrt(sq);
    if (norm > m) for (const p of ps) if (p.grad) p.grad = p.grad.mul(m / (norm + 1e-6));
    return norm;
  }), /scaled in place, in p\.grad\.data \(yours put new tensors in p\.grad\)/));

// ---- ch04-truncated-bptt
type Chunk = (xc: Tensor, h: Tensor, start: number) => { loss: number; hLast: Tensor };
function rightTbptt(x: Tensor, k: number, h0: Tensor, trainChunk: Chunk, detach = true, carry = true): number[] {
  const losses: number[] = [];
  let h = h0;
  for (let s = 0; s < x.shape[0]; s += k) {
    const r = trainChunk(kl.slice(x, 0, s, Math.min(s + k, x.shape[0])), h, s);
    losses.push(r.loss);
    if (carry) h = detach ? r.hLast.detach() : r.hLast;
  }
  return losses;
}
test("truncated-bptt: detaching the carried state passes (before or after the call)", () => {
  passes(() => ch04.checkTruncatedBptt((x, k, h0, f) => rightTbptt(x, k, h0, f)));
  passes(() => ch04.checkTruncatedBptt((x, k, h0, f) => {
    const losses: number[] = [];
    let h = h0;
    for (let s = 0; s < x.shape[0]; s += k) {
      const r = f(kl.slice(x, 0, s, Math.min(s + k, x.shape[0])), h.detach(), s);
      losses.push(r.loss);
      h = r.hLast;
    }
    return losses;
  }));
});
test("truncated-bptt: forgetting detach is named", () =>
  rejects(() => ch04.checkTruncatedBptt((x, k, h0, f) => rightTbptt(x, k, h0, f, false)), /is detached from chunk/));
test("truncated-bptt: resetting the state each chunk is named", () =>
  rejects(() => ch04.checkTruncatedBptt((x, k, h0, f) => rightTbptt(x, k, h0, f, true, false)), /previous chunk's last state/));
test("truncated-bptt: a wrong start passed to trainChunk is named", () =>
  rejects(() => ch04.checkTruncatedBptt((x, k, h0, f) => rightTbptt(x, k, h0, (xc, h, s) => f(xc, h, s / k))), /told where chunk 2 starts/));
test("truncated-bptt: dropping the last, shorter chunk is named", () =>
  rejects(() => ch04.checkTruncatedBptt((x, k, h0, f) => {
    const losses: number[] = [];
    let h = h0;
    for (let s = 0; s + k <= x.shape[0]; s += k) {
      const r = f(kl.slice(x, 0, s, s + k), h, s);
      losses.push(r.loss);
      h = r.hLast.detach();
    }
    return losses;
  }), /once per chunk/));
