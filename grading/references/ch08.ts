// The teacher's reference solutions to notebook 08's exercises ("Attention and the Transformer"),
// and what they give on the public checks' probes (kernel-lib/src/exercises/ch08.ts builds the
// probes; this module builds the same ones from there). Not in a student's copy of the course: `npm
// run exercises:answers` calls answers() and stores the results in kernel-lib/src/exercises/answers/ch08.ts,
// which is all the public checks read. Keys ending in /mistake/... are the wrong answers of the
// usual mistakes that are the solution with one piece changed, stored so that the checks can
// recognise them without holding the solution's code. (A mask's -Infinity cannot be stored: the
// causal mask is stored as its pattern, 1 where an entry is masked.)
import { ch08Probes, maskedPattern, multiheadKey, multiheadParameters, multiheadWrongOrders, sinusoidalKey } from "../../kernel-lib/src/exercises/ch08";
import type { MultiheadProbe } from "../../kernel-lib/src/exercises/ch08";
import { add, bmm, index, linear, matmul, mean, mul, reshape, softmax, split, sum, transpose } from "../../kernel-lib/src/ops";
import { Tensor, fromFlat } from "../../kernel-lib/src/tensor";

// ---- ch08-attention-weights and ch08-attention

interface Variant {
  /** What the scores are divided by, given d and S (√d when right). */
  scale?: (d: number, S: number, L: number) => number;
  /** How the mask meets the scores (added when right). */
  mask?: "add" | "multiply" | "ignore";
}

/** softmax(q kᵀ / √d + mask) along each row, with the usual mistakes as options. */
function weightsOf(q: Tensor, k: Tensor, mask?: Tensor, v: Variant = {}): Tensor {
  const d = q.shape[1], S = k.shape[0], L = q.shape[0];
  const scale = (v.scale ?? ((dd) => Math.sqrt(dd)))(d, S, L);
  let scores = mul(matmul(q, transpose(k)), 1 / scale);
  if (mask && v.mask !== "ignore") scores = v.mask === "multiply" ? mul(scores, mask) : add(scores, mask);
  return softmax(scores, 1);
}

/** ch08-attention-weights: softmax over each row of q kᵀ/√d, on the tape. */
export const attentionWeights = (q: Tensor, k: Tensor): Tensor => weightsOf(q, k);

/** ch08-attention: softmax(q kᵀ/√d + mask) v. */
export const attention = (q: Tensor, k: Tensor, v: Tensor, mask?: Tensor): Tensor => matmul(weightsOf(q, k, mask), v);

// ---- ch08-multihead

interface MultiheadVariant {
  /** What each head's scores are divided by (√dh when right). */
  scale?: "dh" | "E" | "none";
  /** How the heads are cut from the projections' columns (contiguous blocks of dh, batched by a reshape and a transpose, when right). */
  split?: "right" | "no-transpose" | "interleaved";
  /** Which of the q, k, v row blocks of in_proj_weight serve as the queries, the keys and the values (0, 1, 2 when right). */
  order?: [number, number, number];
  outputProjection?: boolean;
  /** How the heads' weights become one matrix per sequence (their mean when right). */
  weights?: "mean" | "head-0";
}

/** ch08-multihead: multi-head self-attention with PyTorch's parameters, x [T, B, E]; the usual mistakes as options. */
export function multihead(x: Tensor, w: Record<string, Tensor>, H: number, mask?: Tensor, v: MultiheadVariant = {}): { output: Tensor; weights: Tensor } {
  const [T, B, E] = x.shape;
  const dh = E / H;
  const blocks = split(linear(reshape(x, [T * B, E]), w.in_proj_weight, w.in_proj_bias), 3, 1); // [T·B, E] each
  const how = v.split ?? "right";
  // [T·B, E] -> [B·H, T, dh], and back.
  const heads = (t: Tensor): Tensor =>
    how === "no-transpose" ? reshape(t, [B * H, T, dh])
      : how === "interleaved" ? transpose(reshape(transpose(reshape(t, [T * B, dh, H]), 1, 2), [T, B * H, dh]), 0, 1)
        : transpose(reshape(t, [T, B * H, dh]), 0, 1);
  const join = (t: Tensor): Tensor =>
    how === "no-transpose" ? reshape(t, [T * B, E])
      : how === "interleaved" ? reshape(transpose(reshape(transpose(t, 0, 1), [T * B, H, dh]), 1, 2), [T * B, E])
        : reshape(transpose(t, 0, 1), [T * B, E]);
  const [qi, ki, vi] = v.order ?? [0, 1, 2];
  const scale = v.scale === "E" ? Math.sqrt(E) : v.scale === "none" ? 1 : Math.sqrt(dh);
  let scores = mul(bmm(heads(blocks[qi]), transpose(heads(blocks[ki]), 1, 2)), 1 / scale); // [B·H, T, T]
  if (mask) scores = add(scores, mask);
  const weights = softmax(scores, 2);
  const joined = join(bmm(weights, heads(blocks[vi])));
  const output = reshape(v.outputProjection === false ? joined : linear(joined, w["out_proj.weight"], w["out_proj.bias"]), [T, B, E]);
  const perSequence = reshape(weights, [B, H, T, T]);
  return { output, weights: v.weights === "head-0" ? index(perSequence, 1, 0) : mean(perSequence, 1) };
}

/** The gradients of sum(g ⊙ output) + sum(gw ⊙ weights) with respect to x and each parameter. */
function multiheadGradients(p: MultiheadProbe): Record<string, Tensor> {
  const leafOf = (t: Tensor) => fromFlat(t.data, t.shape, { requiresGrad: true });
  const x = leafOf(p.x);
  const w = Object.fromEntries(multiheadParameters.map((n) => [n, leafOf(p.w[n])]));
  const r = multihead(x, w, p.H, p.mask);
  add(sum(mul(r.output, p.g)), sum(mul(r.weights, p.gw))).backward();
  return { x: x.grad as Tensor, ...Object.fromEntries(multiheadParameters.map((n) => [n, w[n].grad as Tensor])) };
}

// ---- ch08-causal-mask

/** ch08-causal-mask: 0 where the key s is not after the query t, -Infinity where s > t. */
export function causalMask(T: number, masked: (t: number, s: number) => boolean = (t, s) => s > t): Tensor {
  const data = new Float64Array(T * T);
  for (let t = 0; t < T; t++) for (let s = 0; s < T; s++) data[t * T + s] = masked(t, s) ? -Infinity : 0;
  return fromFlat(data, [T, T]);
}

// ---- ch08-sinusoidal

interface EncodingVariant {
  /** The position of row p (p when right). */
  position?: (p: number) => number;
  /** The exponent of column j of E (2i/E with i = ⌊j/2⌋ when right). */
  exponent?: (j: number, E: number) => number;
  base?: number;
  swapped?: boolean;
}

/** ch08-sinusoidal: PE[p, 2i] = sin(p / 10000^(2i/E)), PE[p, 2i+1] = cos(the same angle). */
export function sinusoidalEncoding(T: number, E: number, v: EncodingVariant = {}): Tensor {
  const { position = (p) => p, exponent = (j, EE) => (2 * Math.floor(j / 2)) / EE, base = 10000, swapped = false } = v;
  const data = new Float64Array(T * E);
  for (let p = 0; p < T; p++) {
    for (let j = 0; j < E; j++) {
      const angle = position(p) / base ** exponent(j, E);
      data[p * E + j] = (j % 2 === 0) !== swapped ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return fromFlat(data, [T, E]);
}

// ---- ch08-cost

/** ch08-cost: LSTM 4 gates × (d·d input + d·d recurrent) per step; attention 3nd² + n²d + n²d + nd². */
export function multiplyAdds(n: number, d: number): { lstm: number; attention: number } {
  return { lstm: n * 4 * (d * d + d * d), attention: 3 * n * d * d + n * n * d + n * n * d + n * d * d };
}

/** The gradients of sum(g ⊙ f(leaves)) with respect to each leaf. */
function gradients(f: (...xs: Tensor[]) => Tensor, inputs: Tensor[], g: Tensor): Tensor[] {
  const leaves = inputs.map((t) => fromFlat(t.data, t.shape, { requiresGrad: true }));
  sum(mul(f(...leaves), g)).backward();
  return leaves.map((t) => t.grad as Tensor);
}

export function answers(): Record<string, Tensor | number> {
  const out: Record<string, Tensor | number> = {};

  // ch08-attention-weights
  {
    const { q, k, g, qs, ks } = ch08Probes.attentionWeights();
    out["attention-weights/main"] = attentionWeights(q, k);
    const logRatio = (w: Tensor) => fromFlat(Array.from({ length: w.shape[0] }, (_, r) => Math.log(w.data[2 * r] / w.data[2 * r + 1])), [w.shape[0]]);
    const key = "attention-weights/scale/log-ratio";
    out[key] = logRatio(attentionWeights(qs, ks));
    out[`${key}/mistake/unscaled`] = logRatio(weightsOf(qs, ks, undefined, { scale: () => 1 }));
    out[`${key}/mistake/by-d`] = logRatio(weightsOf(qs, ks, undefined, { scale: (d) => d }));
    out[`${key}/mistake/by-sqrt-S`] = logRatio(weightsOf(qs, ks, undefined, { scale: (_d, S) => Math.sqrt(S) }));
    out[`${key}/mistake/by-sqrt-L`] = logRatio(weightsOf(qs, ks, undefined, { scale: (_d, _S, L) => Math.sqrt(L) }));
    const [gq, gk] = gradients(attentionWeights, [q, k], g);
    out["attention-weights/grad/q"] = gq;
    out["attention-weights/grad/k"] = gk;
  }

  // ch08-causal-mask: the patterns (1 where masked) of the mask and of the usual slips.
  {
    const { main, more } = ch08Probes.causalMask;
    for (const T of [main, ...more]) out[`causal-mask/T=${T}/masked`] = maskedPattern(causalMask(T));
    const key = `causal-mask/T=${main}/masked`;
    out[`${key}/mistake/diagonal`] = maskedPattern(causalMask(main, (t, s) => s >= t));
    out[`${key}/mistake/transpose`] = maskedPattern(causalMask(main, (t, s) => s < t));
    out[`${key}/mistake/off-by-one`] = maskedPattern(causalMask(main, (t, s) => s > t + 1));
  }

  // ch08-attention
  {
    const p = ch08Probes.attention();
    out["attention/identity"] = attention(p.q, p.k, p.vIdentity);
    out["attention/identity/mistake/unscaled"] = matmul(weightsOf(p.q, p.k, undefined, { scale: () => 1 }), p.vIdentity);
    out["attention/masked-identity"] = attention(p.qPos, p.kPos, p.vIdentity4, p.mask);
    out["attention/masked-identity/mistake/multiplied"] = matmul(weightsOf(p.qPos, p.kPos, p.mask, { mask: "multiply" }), p.vIdentity4);
    out["attention/masked-identity/mistake/unmasked"] = matmul(weightsOf(p.qPos, p.kPos, p.mask, { mask: "ignore" }), p.vIdentity4);
    out["attention/masked-identity/mistake/unscaled"] = matmul(weightsOf(p.qPos, p.kPos, p.mask, { scale: () => 1 }), p.vIdentity4);
    out["attention/other-mask-identity"] = attention(p.q, p.k, p.vIdentity, p.otherMask);
    out["attention/main"] = attention(p.q, p.k, p.v);
    out["attention/masked"] = attention(p.qm, p.km, p.vm, p.mask);
    const names = ["q", "k", "v"];
    gradients((q, k, v) => attention(q, k, v), [p.q, p.k, p.v], p.g).forEach((t, i) => (out[`attention/main/grad/${names[i]}`] = t));
    gradients((q, k, v) => attention(q, k, v, p.mask), [p.qm, p.km, p.vm], p.gm).forEach((t, i) => (out[`attention/masked/grad/${names[i]}`] = t));
  }

  // ch08-multihead
  {
    const { main, masked, more } = ch08Probes.multihead();
    for (const p of [main, masked, ...more]) {
      const r = multihead(p.x, p.w, p.H, p.mask);
      out[`${multiheadKey(p)}/weights`] = r.weights;
      out[`${multiheadKey(p)}/output`] = r.output;
    }
    for (const p of [main, masked]) {
      for (const [name, g] of Object.entries(multiheadGradients(p))) out[`${multiheadKey(p)}/grad/${name}`] = g;
    }
    const key = multiheadKey(main);
    const wrong = (v: MultiheadVariant) => multihead(main.x, main.w, main.H, undefined, v);
    out[`${key}/weights/mistake/scale-sqrt-E`] = wrong({ scale: "E" }).weights;
    out[`${key}/weights/mistake/unscaled`] = wrong({ scale: "none" }).weights;
    out[`${key}/weights/mistake/interleaved`] = wrong({ split: "interleaved" }).weights;
    out[`${key}/weights/mistake/no-transpose`] = wrong({ split: "no-transpose" }).weights;
    out[`${key}/weights/mistake/head-0`] = wrong({ weights: "head-0" }).weights;
    for (const o of multiheadWrongOrders) {
      const order = o.split(",").map((b) => "qkv".indexOf(b)) as [number, number, number];
      out[`${key}/weights/mistake/order-${o}`] = wrong({ order }).weights;
    }
    out[`${key}/output/mistake/no-output-projection`] = wrong({ outputProjection: false }).output;
  }

  // ch08-sinusoidal
  {
    const { main, odd, more } = ch08Probes.sinusoidal;
    for (const size of [main, odd, ...more]) out[sinusoidalKey(size)] = sinusoidalEncoding(...size);
    const [T, E] = main;
    const key = sinusoidalKey(main);
    out[`${key}/frequencies`] = fromFlat(Array.from({ length: Math.ceil(E / 2) }, (_, i) => 1 / 10000 ** ((2 * i) / E)), [Math.ceil(E / 2)]);
    out[`${key}/mistake/positions-from-1`] = sinusoidalEncoding(T, E, { position: (p) => p + 1 });
    out[`${key}/mistake/sin-cos-swapped`] = sinusoidalEncoding(T, E, { swapped: true });
    out[`${key}/mistake/exponent-i-over-E`] = sinusoidalEncoding(T, E, { exponent: (j, EE) => Math.floor(j / 2) / EE });
    out[`${key}/mistake/exponent-column-index`] = sinusoidalEncoding(T, E, { exponent: (j, EE) => j / EE });
    out[`${key}/mistake/base-1000`] = sinusoidalEncoding(T, E, { base: 1000 });
  }

  // ch08-cost: the terms read off at n = 1 (the check separates them with n = 1 and n = 2).
  {
    const { d, more } = ch08Probes.multiplyAdds;
    out[`multiply-adds/lstm/n=1,d=${d}`] = multiplyAdds(1, d).lstm;
    out[`multiply-adds/lstm/n=1,d=${d}/mistake/four-products`] = 4 * d * d;
    const quadratic = multiplyAdds(2, d).attention / 2 - multiplyAdds(1, d).attention;
    out[`multiply-adds/attention/n2-terms/n=1,d=${d}`] = quadratic;
    out[`multiply-adds/attention/n2-terms/n=1,d=${d}/mistake/one-term`] = quadratic / 2;
    const linear = multiplyAdds(1, d).attention - quadratic;
    out[`multiply-adds/attention/n-terms/n=1,d=${d}`] = linear;
    out[`multiply-adds/attention/n-terms/n=1,d=${d}/mistake/no-output-projection`] = 3 * d * d;
    for (const [n, dd] of more) {
      const r = multiplyAdds(n, dd);
      out[`multiply-adds/lstm/n=${n},d=${dd}`] = r.lstm;
      out[`multiply-adds/attention/n=${n},d=${dd}`] = r.attention;
    }
  }
  return out;
}
