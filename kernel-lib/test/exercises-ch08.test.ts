// The checks of notebook 08 accept a right answer and name the wrong term of typical wrong ones.
import assert from "node:assert/strict";
import { test } from "node:test";
import * as kl from "../src";
import { exercises, Tensor } from "../src";
import { passes, rejectionMessage as feedbackOf, rejects } from "./exercise-harness";

const ch08 = exercises.ch08;

// ---- ch08-attention-weights
interface WeightsOptions { scale?: (d: number, S: number, L: number) => number; axis?: number; keysFirst?: boolean }
function weights(q: Tensor, k: Tensor, o: WeightsOptions = {}): Tensor {
  const d = q.shape[1], S = k.shape[0], L = q.shape[0];
  const scale = (o.scale ?? ((dd) => Math.sqrt(dd)))(d, S, L);
  const scores = o.keysFirst ? kl.matmul(k, kl.transpose(q)) : kl.matmul(q, kl.transpose(k));
  return kl.softmax(kl.div(scores, scale), o.axis ?? -1);
}
test("attention-weights: softmax(q kᵀ/√d) row by row passes, and so does the library's attention", () => {
  assert.ok(passes(() => ch08.checkAttentionWeights((q, k) => weights(q, k))) >= 12);
  passes(() => ch08.checkAttentionWeights((q, k) => {
    const [L, d] = q.shape, S = k.shape[0];
    const r = kl.scaledDotProductAttention(kl.reshape(q, [1, L, d]), kl.reshape(k, [1, S, d]), kl.reshape(k, [1, S, d]));
    return kl.reshape(r.weights, [L, S]);
  }));
});
test("attention-weights: no scaling is named", () =>
  rejects(() => ch08.checkAttentionWeights((q, k) => weights(q, k, { scale: () => 1 })), /scores are scaled before the softmax \(yours are not/));
test("attention-weights: scaling by d is named", () =>
  rejects(() => ch08.checkAttentionWeights((q, k) => weights(q, k, { scale: (d) => d })), /yours divides the scores by d\)/));
test("attention-weights: scaling by √S is named", () =>
  rejects(() => ch08.checkAttentionWeights((q, k) => weights(q, k, { scale: (_d, S) => Math.sqrt(S) })), /not on the number of keys S/));
test("attention-weights: scaling by √L is named by the scale", () =>
  rejects(() => ch08.checkAttentionWeights((q, k) => weights(q, k, { scale: (_d, _S, L) => Math.sqrt(L) })), /not on the number of queries L/));
test("attention-weights: the softmax over the columns is named", () =>
  rejects(() => ch08.checkAttentionWeights((q, k) => weights(q, k, { axis: 0 })), /softmax runs along each row, over the keys \(yours normalises each column/));
test("attention-weights: k qᵀ (an [S, L] result) is named", () =>
  rejects(() => ch08.checkAttentionWeights((q, k) => weights(q, k, { keysFirst: true })), /yours is \[5, 3\], \[S, L\]/));
test("attention-weights: no softmax is named", () =>
  rejects(() => ch08.checkAttentionWeights((q, k) => kl.div(kl.matmul(q, kl.transpose(k)), Math.sqrt(q.shape[1]))), /finite and not negative|sums to 1/));
test("attention-weights: a result cut from the tape is named", () =>
  rejects(() => ch08.checkAttentionWeights((q, k) => kl.noGrad(() => weights(q, k))), /tape can differentiate your weights/));
test("attention-weights: writing into q is named", () =>
  rejects(() => ch08.checkAttentionWeights((q, k) => { const w = weights(q, k); q.data.fill(0); return w; }), /leaves q and k unchanged/));

// ---- ch08-causal-mask
function mask(T: number, masked: (t: number, s: number) => boolean = (t, s) => s > t, value = -Infinity, keep = 0): Tensor {
  const data = new Float64Array(T * T);
  for (let t = 0; t < T; t++) for (let s = 0; s < T; s++) data[t * T + s] = masked(t, s) ? value : keep;
  return kl.fromFlat(data, [T, T]);
}
test("causal-mask: 0 on and below the diagonal, -Infinity above passes, and so does kl.causalMask", () => {
  assert.ok(passes(() => ch08.checkCausalMask((T) => mask(T))) >= 10);
  passes(() => ch08.checkCausalMask((T) => kl.causalMask(T)));
});
test("causal-mask: the diagonal masked is named", () => rejects(() => ch08.checkCausalMask((T) => mask(T, (t, s) => s >= t)), /diagonal s = t is kept \(yours masks it too\)/));
test("causal-mask: the transpose (the past masked) is named", () => rejects(() => ch08.checkCausalMask((T) => mask(T, (t, s) => s < t)), /yours masks the past/));
test("causal-mask: one future step let through is named", () => rejects(() => ch08.checkCausalMask((T) => mask(T, (t, s) => s > t + 1)), /see step t \+ 1/));
test("causal-mask: 0/1 instead of 0/-Infinity is named", () => rejects(() => ch08.checkCausalMask((T) => mask(T, undefined, 1)), /yours holds 0 and 1/));
test("causal-mask: a 0/1 mask of the entries to keep is named as 0/1 too", () => rejects(() => ch08.checkCausalMask((T) => mask(T, undefined, 0, 1)), /yours holds 0 and 1/));
test("causal-mask: -1e9 instead of -Infinity is named, with why", () =>
  rejects(() => ch08.checkCausalMask((T) => mask(T, undefined, -1e9)), /masked entries are -Infinity \(yours are -1000000000, a finite number: exp\(-Infinity\) is exactly 0/));
test("causal-mask: a [T + 1, T + 1] mask is named", () => rejects(() => ch08.checkCausalMask((T) => mask(T + 1)), /one too many or too few/));
test("causal-mask: a mask fixed at T = 5 is named at another T", () => rejects(() => ch08.checkCausalMask(() => mask(5)), /the mask for T = 1/));

// ---- ch08-attention
interface AttentionOptions { scale?: boolean; mask?: "add" | "after" | "multiply" | "ignore"; order?: "v-first" | "transposed" }
function attention(q: Tensor, k: Tensor, v: Tensor, m?: Tensor, o: AttentionOptions = {}): Tensor {
  let scores = kl.matmul(q, kl.transpose(k));
  if (o.scale !== false) scores = kl.div(scores, Math.sqrt(q.shape[1]));
  const how = o.mask ?? "add";
  if (m && how === "add") scores = kl.add(scores, m);
  if (m && how === "multiply") scores = kl.mul(scores, m);
  let w = kl.softmax(scores, -1);
  if (m && how === "after") w = kl.add(w, m);
  if (o.order === "v-first") return kl.matmul(v, w);
  if (o.order === "transposed") return kl.matmul(kl.transpose(v), kl.transpose(w));
  return kl.matmul(w, v);
}
test("attention: softmax(q kᵀ/√d + mask) v passes, and so does kl.scaledDotProductAttention", () => {
  assert.ok(passes(() => ch08.checkAttention((q, k, v, m) => attention(q, k, v, m))) >= 25);
  passes(() => ch08.checkAttention((q, k, v, m) => {
    const [L, d] = q.shape, [S, dv] = v.shape;
    const r = kl.scaledDotProductAttention(kl.reshape(q, [1, L, d]), kl.reshape(k, [1, S, d]), kl.reshape(v, [1, S, dv]), { mask: m });
    return kl.reshape(r.output, [L, dv]);
  }));
});
test("attention: the mask added after the softmax is named", () =>
  rejects(() => ch08.checkAttention((q, k, v, m) => attention(q, k, v, m, { mask: "after" })), /before the softmax \(your output is -Infinity where the mask is/));
test("attention: the mask multiplied into the scores is named", () =>
  rejects(() => ch08.checkAttention((q, k, v, m) => attention(q, k, v, m, { mask: "multiply" })), /yours multiplies them by it/));
test("attention: the mask added before the scaling, (q kᵀ + mask)/√d, is named (a learner's trial: it passed every 0/−∞ probe)", () =>
  rejects(() => ch08.checkAttention((q, k, v, m) =>
    kl.matmul(kl.softmax(kl.div(m ? kl.add(kl.matmul(q, kl.transpose(k)), m) : kl.matmul(q, kl.transpose(k)), Math.sqrt(q.shape[1])), -1), v)),
  /the mask is added to the SCALED scores, q·kᵀ\/√d \+ mask \(yours adds it before dividing by √d/));
test("attention: the mask ignored is named", () =>
  rejects(() => ch08.checkAttention((q, k, v, m) => attention(q, k, v, m, { mask: "ignore" })), /mask is used when it is given/));
test("attention: v times the weights is named", () =>
  rejects(() => ch08.checkAttention((q, k, v, m) => attention(q, k, v, m, { order: "v-first" })), /the weights multiply v, not v the weights/));
test("attention: vᵀ times the weights' transpose is named", () =>
  rejects(() => ch08.checkAttention((q, k, v, m) => attention(q, k, v, m, { order: "transposed" })), /yours is \[dv, L\], the transpose/));
test("attention: a forgotten scaling is named", () =>
  rejects(() => ch08.checkAttention((q, k, v, m) => attention(q, k, v, m, { scale: false })), /scores are scaled before the softmax \(yours are not\)/));
test("attention: the softmax over the queries is named by the averaging probe", () =>
  rejects(() => ch08.checkAttention((q, k, v, m) => kl.matmul(kl.softmax(kl.add(kl.div(kl.matmul(q, kl.transpose(k)), Math.sqrt(q.shape[1])), m ?? 0), 0), v)),
    /weighted average of the rows of v/));
test("attention: a causal mask of its own in place of the one given is named", () =>
  rejects(() => ch08.checkAttention((q, k, v, m) => attention(q, k, v, m ? kl.causalMask(q.shape[0], k.shape[0]) : undefined)), /the mask you are given, whatever its pattern/));
test("attention: an output cut from the tape is named", () =>
  rejects(() => ch08.checkAttention((q, k, v, m) => kl.noGrad(() => attention(q, k, v, m))), /tape can differentiate your output/));
test("attention: writing into the mask is named", () =>
  rejects(() => ch08.checkAttention((q, k, v, m) => { const o = attention(q, k, v, m); if (m) m.data.fill(0); return o; }), /leaves q, k, v and the mask unchanged/));

// ---- ch08-multihead
interface MultiheadOptions {
  scale?: "dh" | "E" | "none"; split?: "right" | "no-transpose" | "interleaved"; order?: string; outProj?: boolean;
  softmaxAxis?: number; heads?: "mean" | "sum" | "head-0" | "all"; mask?: "add" | "ignore" | "head-0" | "after"; seqFirst?: boolean;
}
/** Multi-head self-attention written plainly (PyTorch's layout), with the usual mistakes as options. */
function multihead(x: Tensor, w: Record<string, Tensor>, H: number, m?: Tensor, o: MultiheadOptions = {}): { output: Tensor; weights: Tensor } {
  const [T, B, E] = x.shape;
  const dh = E / H;
  const proj = kl.linear(kl.reshape(x, [T * B, E]), w.in_proj_weight, w.in_proj_bias);
  const block = (name: string) => kl.slice(proj, 1, "qkv".indexOf(name) * E, ("qkv".indexOf(name) + 1) * E);
  const [qn, kn, vn] = (o.order ?? "q,k,v").split(",");
  const heads = (t: Tensor) =>
    o.split === "no-transpose" ? kl.reshape(t, [B * H, T, dh])
      : o.split === "interleaved" ? kl.transpose(kl.reshape(kl.transpose(kl.reshape(t, [T * B, dh, H]), 1, 2), [T, B * H, dh]), 0, 1)
        : kl.transpose(kl.reshape(t, [T, B * H, dh]), 0, 1);
  const scale = o.scale === "E" ? Math.sqrt(E) : o.scale === "none" ? 1 : Math.sqrt(dh);
  let scores = kl.div(kl.bmm(heads(block(qn)), kl.transpose(heads(block(kn)), 1, 2)), scale);
  if (m && (o.mask ?? "add") === "add") scores = kl.add(scores, m);
  if (m && o.mask === "head-0") {
    const perSeq = kl.reshape(scores, [B, H, T, T]);
    scores = kl.reshape(kl.concat([kl.add(kl.slice(perSeq, 1, 0, 1), m), kl.slice(perSeq, 1, 1)], 1), [B * H, T, T]);
  }
  let weights = kl.softmax(scores, o.softmaxAxis ?? 2);
  if (m && o.mask === "after") weights = kl.add(weights, m);
  const per = kl.bmm(weights, heads(block(vn))); // [B·H, T, dh]
  const joined = o.split === "no-transpose" ? kl.reshape(per, [T * B, E])
    : o.split === "interleaved" ? kl.reshape(kl.transpose(kl.reshape(kl.transpose(per, 0, 1), [T * B, H, dh]), 1, 2), [T * B, E])
      : kl.reshape(kl.transpose(per, 0, 1), [T * B, E]);
  let output = kl.reshape(o.outProj === false ? joined : kl.linear(joined, w["out_proj.weight"], w["out_proj.bias"]), [T, B, E]);
  if (o.seqFirst === false) output = kl.transpose(output, 0, 1);
  const perSeq = kl.reshape(weights, [B, H, T, T]);
  const avg = o.heads === "sum" ? kl.sum(perSeq, 1) : o.heads === "head-0" ? kl.index(perSeq, 1, 0) : o.heads === "all" ? weights : kl.mean(perSeq, 1);
  return { output, weights: avg };
}
const mh = (o: MultiheadOptions = {}) => (x: Tensor, w: Record<string, Tensor>, H: number, m?: Tensor) => multihead(x, w, H, m, o);
test("multihead: the layer from ops passes", () => {
  assert.ok(passes(() => ch08.checkMultihead(mh())) >= 50);
});
test("multihead: a scale by √E instead of √dh is named", () =>
  rejects(() => ch08.checkMultihead(mh({ scale: "E" })), /yours divides them by the square root of E = 12/));
test("multihead: no scale is named", () => rejects(() => ch08.checkMultihead(mh({ scale: "none" })), /each head's scores are scaled before the softmax \(yours are not\)/));
test("multihead: the heads reshaped straight to [B·H, T, dh] are named", () =>
  rejects(() => ch08.checkMultihead(mh({ split: "no-transpose" })), /yours reshapes \[T, B, E\] straight to \[B·H, T, dh\]/));
test("multihead: interleaved heads are named", () => rejects(() => ch08.checkMultihead(mh({ split: "interleaved" })), /interleaved columns/));
test("multihead: no output projection is named", () => rejects(() => ch08.checkMultihead(mh({ outProj: false })), /go through the output projection \(yours stops before it\)/));
test("multihead: the softmax over the queries is named", () => rejects(() => ch08.checkMultihead(mh({ softmaxAxis: 1 })), /yours normalises over the queries/));
test("multihead: the heads' weights summed are named", () => rejects(() => ch08.checkMultihead(mh({ heads: "sum" })), /averaged, not added up \(each row of yours sums to 3/));
test("multihead: head 0's weights only are named", () => rejects(() => ch08.checkMultihead(mh({ heads: "head-0" })), /yours are head 0's only/));
test("multihead: every head's weights returned are named", () => rejects(() => ch08.checkMultihead(mh({ heads: "all" })), /yours holds one per head and sequence, \[6,5,5\]/));
test("multihead: the mask ignored is named", () => rejects(() => ch08.checkMultihead(mh({ mask: "ignore" })), /the mask is added to the scores of every head and every sequence/));
test("multihead: the mask given to head 0 only is named", () => rejects(() => ch08.checkMultihead(mh({ mask: "head-0" })), /the mask is added to the scores of every head and every sequence/));
test("multihead: the mask added after the softmax is named", () => rejects(() => ch08.checkMultihead(mh({ mask: "after" })), /the mask is added to the scores of every head/));
test("multihead: the q, k, v blocks in another order are named, for every wrong order", () => {
  for (const order of ["k,q,v", "q,v,k", "k,v,q", "v,q,k", "v,k,q"]) rejects(() => ch08.checkMultihead(mh({ order })), /the row blocks of in_proj_weight/);
});
test("multihead: a batch-first output is named", () => rejects(() => ch08.checkMultihead(mh({ seqFirst: false })), /sequence-first like x, \[T, B, E\] \(yours is \[B, T, E\]/));
test("multihead: a layer hard-wired to three heads is named at another size", () =>
  rejects(() => ch08.checkMultihead((x, w, _H, m) => multihead(x, w, 3, m)), /probe \(T = 2, B = 3, H = 1 heads of dh = 5/));
test("multihead: an output cut from the tape is named", () =>
  rejects(() => ch08.checkMultihead((x, w, H, m) => kl.noGrad(() => multihead(x, w, H, m))), /tape can differentiate your output and weights/));
test("multihead: writing into the parameters is named", () =>
  rejects(() => ch08.checkMultihead((x, w, H, m) => { const r = multihead(x, w, H, m); w.in_proj_bias.data.fill(0); return r; }), /leaves x, the parameters and the mask unchanged/));
test("multihead: the weights' gradients cut (weights through .data) are named by the gradients", () =>
  rejects(() => ch08.checkMultihead((x, w, H, m) => { const r = multihead(x, w, H, m); return { output: r.output, weights: kl.add(kl.fromFlat(r.weights.data, r.weights.shape), kl.mul(kl.sum(x), 0)) }; }),
    /the gradient reaching x through your output and weights/));
test("multihead: returning the output alone is named", () =>
  rejects(() => ch08.checkMultihead(((x: Tensor, w: Record<string, Tensor>, H: number, m?: Tensor) => multihead(x, w, H, m).output) as unknown as Parameters<typeof ch08.checkMultihead>[0]),
    /returns \{ output, weights \}, two Tensors/));

// ---- ch08-sinusoidal
interface EncodingOptions { from1?: boolean; swapped?: boolean; exponent?: (j: number, E: number) => number; base?: number; oddLastZero?: boolean }
function encoding(T: number, E: number, o: EncodingOptions = {}): Tensor {
  const exponent = o.exponent ?? ((j, EE) => (2 * Math.floor(j / 2)) / EE);
  const data = new Float64Array(T * E);
  for (let p = 0; p < T; p++) {
    for (let j = 0; j < E; j++) {
      if (o.oddLastZero && E % 2 === 1 && j === E - 1) continue;
      const angle = (o.from1 ? p + 1 : p) / (o.base ?? 10000) ** exponent(j, E);
      data[p * E + j] = (j % 2 === 0) !== !!o.swapped ? Math.sin(angle) : Math.cos(angle);
    }
  }
  return kl.fromFlat(data, [T, E]);
}
test("sinusoidal: Vaswani et al.'s encoding passes, and so does kl.nn.sinusoidalPositions", () => {
  assert.ok(passes(() => ch08.checkSinusoidalEncoding((T, E) => encoding(T, E))) >= 15);
  passes(() => ch08.checkSinusoidalEncoding((T, E) => kl.nn.sinusoidalPositions(T, E)));
});
test("sinusoidal: sin and cos swapped is named", () => rejects(() => ch08.checkSinusoidalEncoding((T, E) => encoding(T, E, { swapped: true })), /has them swapped/));
test("sinusoidal: the exponent i/E is named", () =>
  rejects(() => ch08.checkSinusoidalEncoding((T, E) => encoding(T, E, { exponent: (j, EE) => Math.floor(j / 2) / EE })), /yours uses i\/E/));
test("sinusoidal: the exponent from the column index is named", () =>
  rejects(() => ch08.checkSinusoidalEncoding((T, E) => encoding(T, E, { exponent: (j, EE) => j / EE })), /share one frequency/));
test("sinusoidal: positions from 1 are named", () => rejects(() => ch08.checkSinusoidalEncoding((T, E) => encoding(T, E, { from1: true })), /starts at p = 1/));
test("sinusoidal: the base 1000 is named", () => rejects(() => ch08.checkSinusoidalEncoding((T, E) => encoding(T, E, { base: 1000 })), /yours uses 1000/));
test("sinusoidal: the last column of an odd E left 0 is named", () =>
  rejects(() => ch08.checkSinusoidalEncoding((T, E) => encoding(T, E, { oddLastZero: true })), /odd E the last column 4 is the sine/));
test("sinusoidal: [E, T] is named", () => rejects(() => ch08.checkSinusoidalEncoding((T, E) => encoding(E, T)), /yours is \[E, T\]/));
test("sinusoidal: a base of 500 is named by the frequencies", () =>
  rejects(() => ch08.checkSinusoidalEncoding((T, E) => encoding(T, E, { base: 500 })), /frequency of each pair, read from the sine columns/));

// ---- ch08-cost
const rightCost = (n: number, d: number) => ({ lstm: 8 * n * d * d, attention: 4 * n * d * d + 2 * n * n * d });
test("cost: 8nd² and 4nd² + 2n²d pass", () => void passes(() => ch08.checkMultiplyAdds(rightCost)));
test("cost: an LSTM with four products per step is named", () =>
  rejects(() => ch08.checkMultiplyAdds((n, d) => ({ ...rightCost(n, d), lstm: 4 * n * d * d })), /one d × d product per gate: the input or the recurrent weights left out/));
test("cost: attention without the output projection is named", () =>
  rejects(() => ch08.checkMultiplyAdds((n, d) => ({ ...rightCost(n, d), attention: 3 * n * d * d + 2 * n * n * d })), /projects its output too/));
test("cost: one n²d term is named", () =>
  rejects(() => ch08.checkMultiplyAdds((n, d) => ({ ...rightCost(n, d), attention: 4 * n * d * d + n * n * d })), /yours counts only one of them/));
test("cost: the n²d terms counted per head are named", () => {
  for (const H of [2, 4, 8])
    rejects(() => ch08.checkMultiplyAdds((n, d) => ({ ...rightCost(n, d), attention: 4 * n * d * d + 2 * H * n * n * d })), new RegExp(`yours counts them ${H} times: once per head`));
});
test("cost: an LSTM counted for one step only is named", () =>
  rejects(() => ch08.checkMultiplyAdds((n, d) => ({ ...rightCost(n, d), lstm: 8 * d * d })), /grows in proportion to n/));
test("cost: returning a bare number is named", () =>
  rejects(() => ch08.checkMultiplyAdds((n, d) => rightCost(n, d).attention as unknown as { lstm: number; attention: number }), /returns \{ lstm, attention \}/));

// ---- the feedback names the wrong term and asks a question; it never prints the answer
test("feedback on wrong answers never spells out the formulas", () => {
  const messages = [
    feedbackOf(() => ch08.checkAttentionWeights((q, k) => weights(q, k, { scale: (d) => d }))),
    feedbackOf(() => ch08.checkAttentionWeights((q, k) => weights(q, k, { scale: () => 1 }))),
    feedbackOf(() => ch08.checkAttentionWeights((q, k) => weights(q, k, { axis: 0 }))),
    feedbackOf(() => ch08.checkCausalMask((T) => mask(T, (t, s) => s >= t))),
    feedbackOf(() => ch08.checkCausalMask((T) => mask(T, undefined, -1e9))),
    feedbackOf(() => ch08.checkAttention((q, k, v, m) => attention(q, k, v, m, { mask: "after" }))),
    feedbackOf(() => ch08.checkAttention((q, k, v, m) => attention(q, k, v, m, { scale: false }))),
    feedbackOf(() => ch08.checkMultihead(mh({ scale: "E" }))),
    feedbackOf(() => ch08.checkMultihead(mh({ split: "no-transpose" }))),
    feedbackOf(() => ch08.checkMultihead(mh({ split: "interleaved" }))),
    feedbackOf(() => ch08.checkMultihead(mh({ outProj: false }))),
    feedbackOf(() => ch08.checkMultihead(mh({ heads: "head-0" }))),
    feedbackOf(() => ch08.checkMultihead(mh({ order: "k,q,v" }))),
    feedbackOf(() => ch08.checkMultihead(mh({ mask: "ignore" }))),
    feedbackOf(() => ch08.checkSinusoidalEncoding((T, E) => encoding(T, E, { exponent: (j, EE) => Math.floor(j / 2) / EE }))),
    feedbackOf(() => ch08.checkSinusoidalEncoding((T, E) => encoding(T, E, { base: 500 }))),
    feedbackOf(() => ch08.checkMultiplyAdds((n, d) => ({ ...rightCost(n, d), lstm: 4 * n * d * d }))),
    feedbackOf(() => ch08.checkMultiplyAdds((n, d) => ({ ...rightCost(n, d), attention: 3 * n * d * d + 2 * n * n * d }))),
    feedbackOf(() => ch08.checkMultiplyAdds((n, d) => ({ ...rightCost(n, d), attention: 4 * n * d * d + 3 * n * n * d }))),
  ];
  for (const m of messages) {
    const hint = m.split("\nHint: ")[1] ?? "";
    assert.ok(hint.length > 0, `a hint is given: ${m}`);
    assert.ok(hint.trim().endsWith("?"), `the hint is a question: ${hint}`);
    assert.doesNotMatch(m, /√d|√dh|sqrt\(d\)|sqrt\(dh\)|8·?n·?d²|4·?n·?d² \+|2·?n²·?d|10000\^|2i\/E\)|s > t\b.*-Infinity/, `the feedback gives the formula away: ${m}`);
  }
});
