// Attention's ops: bmm (a batch of matrix products), causalMask, scaledDotProductAttention and
// layerNorm.
//
// scaledDotProductAttention and layerNorm are written from the basic ops (bmm, mul, add, softmax,
// mean, ...), each line one equation, so the tape records them step by step and their backward is
// the basic ops' backward: nothing new to trust, and the PyTorch reference cases
// (../shared/fixtures/pytorch-attention) check the composition to 1e-9.
import { shapeStr } from "../errors";
import { getKernels } from "../kernels";
import { gradSlot, record } from "../autograd/tape";
import { Tensor, allocate, full } from "../tensor";
import { add, mul, pow, sub } from "./arithmetic";
import { softmax } from "./loss";
import { mean } from "./reduce";
import { transpose } from "./linalg";

/** N matrix products at once: a [N,n,k] · b [N,k,m] → [N,n,m] (PyTorch's torch.bmm). */
export function bmm(a: Tensor, b: Tensor): Tensor {
  if (a.rank !== 3 || b.rank !== 3) {
    throw new RangeError(`bmm: ${shapeStr(a.shape)} x ${shapeStr(b.shape)}: both operands must be 3-D [batch, rows, cols] (got ranks ${a.rank} and ${b.rank})`);
  }
  const [N, n, k] = a.shape;
  const [N2, k2, m] = b.shape;
  if (N !== N2) throw new RangeError(`bmm: ${shapeStr(a.shape)} x ${shapeStr(b.shape)}: batch sizes ${N} and ${N2} differ`);
  if (k !== k2) throw new RangeError(`bmm: ${shapeStr(a.shape)} x ${shapeStr(b.shape)}: inner sizes ${k} and ${k2} differ`);
  const out = new Tensor(allocate("bmm", [N, n, m]), [N, n, m]);
  const kern = getKernels();
  // Matrix i of each operand is a contiguous stretch; subarray() views it without a copy.
  const A = (i: number) => a.data.subarray(i * n * k, (i + 1) * n * k);
  const B = (i: number) => b.data.subarray(i * k * m, (i + 1) * k * m);
  const C = (d: Float64Array, i: number) => d.subarray(i * n * m, (i + 1) * n * m);
  for (let i = 0; i < N; i++) kern.matmul(A(i), B(i), C(out.data, i), n, k, m);
  return record(out, [a, b], (g) => {
    const k2 = getKernels();
    // Per matrix, as matmul: dA = dC·Bᵀ, dB = Aᵀ·dC.
    const ga = gradSlot(a);
    if (ga) for (let i = 0; i < N; i++) k2.matmul(C(g, i), B(i), ga.subarray(i * n * k, (i + 1) * n * k), n, m, k, { transB: true, accumulate: true });
    const gb = gradSlot(b);
    if (gb) for (let i = 0; i < N; i++) k2.matmul(A(i), C(g, i), gb.subarray(i * k * m, (i + 1) * k * m), k, n, m, { transA: true, accumulate: true });
  }, "bmm");
}

/**
 * The causal mask [L,S], added to attention scores: 0 where query t may look at key s (s <= t),
 * -Infinity where s > t (the future). e^-Infinity is exactly 0, so a masked key gets weight 0 and
 * no gradient. With S > L (a prefix of cached keys before the queries, as a key-value cache has)
 * the queries are the LAST L positions: query t sits at position S - L + t and sees keys
 * 0..S - L + t. (PyTorch's is_causal aligns them with the first: query t sees keys 0..t.)
 */
export function causalMask(L: number, S = L): Tensor {
  for (const [what, n] of [["L", L], ["S", S]] as const) {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`causalMask: ${what} must be a positive integer, got ${n}`);
  }
  if (S < L) throw new RangeError(`causalMask: ${L} queries cannot come after only ${S} keys (S must be >= L)`);
  const mask = full([L, S], 0);
  for (let t = 0; t < L; t++) for (let s = S - L + t + 1; s < S; s++) mask.data[t * S + s] = -Infinity;
  return mask;
}

export interface AttentionOptions {
  /**
   * Each query t sees keys 0..t only (adds causalMask(L, S)); with more keys than queries the
   * queries are the last L positions, query t seeing keys 0..S − L + t (see causalMask).
   */
  causal?: boolean;
  /** An additive mask [L,S] (0 to keep, -Infinity to hide), added to the scores before the softmax. */
  mask?: Tensor;
}

export interface AttentionResult {
  /** [N,L,dv]: each query's weighted sum of the values. */
  output: Tensor;
  /** [N,L,S]: each query's softmax weights over the keys (every row sums to 1). */
  weights: Tensor;
}

/**
 * Scaled dot-product attention (Vaswani et al. 2017, eq. 1) for N independent problems (a batch
 * times the heads): weights = softmax(q·kᵀ/√d + mask) over the keys, output = weights·v.
 * q [N,L,d], k [N,S,d], v [N,S,dv].
 */
export function scaledDotProductAttention(q: Tensor, k: Tensor, v: Tensor, options: AttentionOptions = {}): AttentionResult {
  const shapes = `q ${shapeStr(q.shape)}, k ${shapeStr(k.shape)}, v ${shapeStr(v.shape)}`;
  if (q.rank !== 3 || k.rank !== 3 || v.rank !== 3) throw new RangeError(`scaledDotProductAttention: ${shapes}: all three must be 3-D [N, positions, features]`);
  const [N, L, d] = q.shape;
  const [Nk, S, dk] = k.shape;
  if (Nk !== N || v.shape[0] !== N) throw new RangeError(`scaledDotProductAttention: ${shapes}: the first axes (batch × heads) differ`);
  if (dk !== d) throw new RangeError(`scaledDotProductAttention: ${shapes}: queries and keys must have the same width (${d} vs ${dk})`);
  if (v.shape[1] !== S) throw new RangeError(`scaledDotProductAttention: ${shapes}: keys and values must have the same number of positions (${S} vs ${v.shape[1]})`);
  let scores = mul(bmm(q, transpose(k, 1, 2)), 1 / Math.sqrt(d)); // [N,L,S]: q·k/√d keeps unit variance for unit-variance q, k
  if (options.mask !== undefined) {
    const m = options.mask;
    if (m.rank !== 2 || m.shape[0] !== L || m.shape[1] !== S) {
      throw new RangeError(`scaledDotProductAttention: mask ${shapeStr(m.shape)} should be [${L},${S}] (queries × keys)`);
    }
    scores = add(scores, m);
  }
  if (options.causal) scores = add(scores, causalMask(L, S));
  const weights = softmax(scores, -1); // over the keys
  return { output: bmm(weights, v), weights };
}

/**
 * Layer normalisation (Ba, Kiros & Hinton 2016) over the last axis, as PyTorch's F.layer_norm:
 * (x - mean) / sqrt(biased variance + eps), then * weight + bias when given.
 */
export function layerNorm(x: Tensor, weight?: Tensor, bias?: Tensor, eps = 1e-5): Tensor {
  const D = x.shape[x.rank - 1];
  if (x.rank < 1) throw new RangeError(`layerNorm: x ${shapeStr(x.shape)} has no axis to normalise`);
  for (const [what, p] of [["weight", weight], ["bias", bias]] as const) {
    if (p !== undefined && (p.rank !== 1 || p.shape[0] !== D)) {
      throw new RangeError(`layerNorm: x ${shapeStr(x.shape)}, ${what} ${shapeStr(p.shape)}: ${what} should be [${D}] (the last axis of x)`);
    }
  }
  const centred = sub(x, mean(x, -1, true));
  const variance = mean(mul(centred, centred), -1, true); // biased: divided by D, not D - 1
  let y = mul(centred, pow(add(variance, eps), -0.5));
  if (weight !== undefined) y = mul(y, weight);
  if (bias !== undefined) y = add(y, bias);
  return y;
}
