// The attention layers' state dicts: PyTorch's names and shapes, so that a state dict moves
// between kernel-lib and torch both ways, and a round trip (stateDict → JSON → loadStateDict into
// a fresh model) gives the same outputs. The numbers of a block and of a small language model are
// checked against PyTorch too (literals below, from torch 2.13.0+cpu in float64).
import { test } from "node:test";
import assert from "node:assert/strict";
import { MultiheadAttention, Module, TransformerBlock, TransformerLM } from "../src/nn";
import { Rng, Tensor, randn, tensor } from "../src";
import type { StateDict } from "../src/io";
import { relativeError } from "../src/fidelity";

type Shapes = [string, number[]][];

// Obtained with torch 2.13.0+cpu:
//   [(k, list(v.shape)) for k, v in torch.nn.MultiheadAttention(8, 2).state_dict().items()]
const TORCH_MHA_E8: Shapes = [
  ["in_proj_weight", [24, 8]],
  ["in_proj_bias", [24]],
  ["out_proj.weight", [8, 8]],
  ["out_proj.bias", [8]],
];

// Obtained with torch 2.13.0+cpu, the same list for norm_first=False and norm_first=True:
//   layer = torch.nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, norm_first=nf)
//   [(k, list(v.shape)) for k, v in layer.state_dict().items()]
const TORCH_ENCODER_LAYER_E8_FF16: Shapes = [
  ["self_attn.in_proj_weight", [24, 8]],
  ["self_attn.in_proj_bias", [24]],
  ["self_attn.out_proj.weight", [8, 8]],
  ["self_attn.out_proj.bias", [8]],
  ["linear1.weight", [16, 8]],
  ["linear1.bias", [16]],
  ["linear2.weight", [8, 16]],
  ["linear2.bias", [8]],
  ["norm1.weight", [8]],
  ["norm1.bias", [8]],
  ["norm2.weight", [8]],
  ["norm2.bias", [8]],
];

// Obtained with torch 2.13.0+cpu from the same model written in PyTorch (TorchLM in the script at
// the end of this file): list(TorchLM(5, 4, 2, 5, 2, 4).state_dict()). PyTorch has no single class
// for it; its fields are named as TransformerLM's, blocks an nn.ModuleList of
// TransformerEncoderLayer(norm_first=True), the learned positions an nn.Embedding(maxLen, E).
const TORCH_LM_KEYS = [
  "embed.weight", "pos.weight",
  "blocks.0.self_attn.in_proj_weight", "blocks.0.self_attn.in_proj_bias", "blocks.0.self_attn.out_proj.weight", "blocks.0.self_attn.out_proj.bias",
  "blocks.0.linear1.weight", "blocks.0.linear1.bias", "blocks.0.linear2.weight", "blocks.0.linear2.bias",
  "blocks.0.norm1.weight", "blocks.0.norm1.bias", "blocks.0.norm2.weight", "blocks.0.norm2.bias",
  "blocks.1.self_attn.in_proj_weight", "blocks.1.self_attn.in_proj_bias", "blocks.1.self_attn.out_proj.weight", "blocks.1.self_attn.out_proj.bias",
  "blocks.1.linear1.weight", "blocks.1.linear1.bias", "blocks.1.linear2.weight", "blocks.1.linear2.bias",
  "blocks.1.norm1.weight", "blocks.1.norm1.bias", "blocks.1.norm2.weight", "blocks.1.norm2.bias",
  "norm.weight", "norm.bias", "head.weight", "head.bias",
];

/** The shape of a nested array. */
function shapeOf(v: unknown): number[] {
  const shape: number[] = [];
  for (let p = v; Array.isArray(p); p = p[0]) shape.push(p.length);
  return shape;
}

/** A state dict's names and shapes, in its order. */
function shapes(sd: StateDict): Shapes {
  return Object.entries(sd).map(([k, v]) => [k, shapeOf(v)]);
}

/** A state dict through JSON and back: what saving it to a file and reading it gives. */
function viaJSON(sd: StateDict): StateDict {
  return JSON.parse(JSON.stringify(sd));
}

/** The largest |a - b| between two tensors of the same shape. */
function maxDiff(a: Tensor, b: Tensor): number {
  assert.deepEqual(a.shape, b.shape);
  let worst = 0;
  a.data.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - b.data[i]))));
  return worst;
}

/**
 * `make(seed)` builds a model with weights from that seed; `run` computes its outputs. A fresh model
 * (another seed) computes something else; loaded with the first's state dict (through JSON) it
 * computes exactly the same, and its own state dict is the one it was given.
 */
function roundTrip<M extends Module>(make: (rng: Rng) => M, run: (m: M) => Tensor): void {
  const a = make(new Rng(1));
  const saved = viaJSON(a.stateDict());
  const b = make(new Rng(2));
  assert.ok(maxDiff(run(a), run(b)) > 1e-3, "two models from different seeds compute the same: the test would prove nothing");
  b.loadStateDict(saved);
  assert.equal(maxDiff(run(a), run(b)), 0);
  assert.deepEqual(b.stateDict(), saved);
}

test("MultiheadAttention's state dict has PyTorch's names and shapes, and round-trips", () => {
  assert.deepEqual(shapes(new MultiheadAttention(8, 2, { rng: new Rng(0) }).stateDict()), TORCH_MHA_E8);
  const q = randn([3, 2, 8], new Rng(5)), kv = randn([4, 2, 8], new Rng(6));
  roundTrip((rng) => new MultiheadAttention(8, 2, { rng }), (m) => m.forward(q, kv, kv).output);
  roundTrip((rng) => new MultiheadAttention(8, 4, { rng }), (m) => m.forward(q, q, q, { causal: true }).weights);
});

for (const normFirst of [false, true]) {
  test(`TransformerBlock (normFirst ${normFirst}) has nn.TransformerEncoderLayer's names and shapes, and round-trips`, () => {
    assert.deepEqual(shapes(new TransformerBlock(8, 2, 16, { normFirst, rng: new Rng(0) }).stateDict()), TORCH_ENCODER_LAYER_E8_FF16);
    const x = randn([5, 3, 8], new Rng(7));
    roundTrip((rng) => new TransformerBlock(8, 2, 16, { normFirst, rng }), (m) => m.forward(x, { causal: true }));
  });
}

test("TransformerLM's state dict has the names PyTorch gives the same model, and round-trips", () => {
  const lm = (positions: "learned" | "sinusoidal", numLayers: number, rng: Rng) =>
    new TransformerLM(5, { embedDim: 4, numHeads: 2, numLayers, ffDim: 5, maxLen: 4, positions, rng });
  assert.deepEqual(Object.keys(lm("learned", 2, new Rng(0)).stateDict()), TORCH_LM_KEYS);
  // Sinusoidal positions are not learned: no pos.weight (PyTorch would keep such a table as a buffer, if at all).
  assert.deepEqual(Object.keys(lm("sinusoidal", 2, new Rng(0)).stateDict()), TORCH_LM_KEYS.filter((k) => k !== "pos.weight"));
  const shapesOf = shapes(lm("learned", 2, new Rng(0)).stateDict());
  assert.deepEqual(shapesOf.slice(0, 2), [["embed.weight", [5, 4]], ["pos.weight", [4, 4]]]);
  assert.deepEqual(shapesOf.slice(-2), [["head.weight", [5, 4]], ["head.bias", [5]]]);
  const tokens = [[0, 3], [4, 1], [2, 2], [1, 0]];
  for (const positions of ["learned", "sinusoidal"] as const) roundTrip((rng) => lm(positions, 2, rng), (m) => m.forward(tokens));
});

test("loading is strict: a missing, renamed or mis-shaped key is an error", () => {
  const block = new TransformerBlock(8, 2, 16, { rng: new Rng(0) });
  const sd = block.stateDict();
  const { "norm2.bias": _dropped, ...missing } = sd;
  assert.throws(() => block.loadStateDict(missing), /norm2\.bias/);
  const { "self_attn.in_proj_weight": w, ...rest } = sd;
  assert.throws(() => block.loadStateDict({ ...rest, "self_attn.q_proj_weight": w }), /self_attn\.in_proj_weight[\s\S]*self_attn\.q_proj_weight|self_attn\.q_proj_weight[\s\S]*self_attn\.in_proj_weight/);
  assert.throws(() => block.loadStateDict({ ...sd, "linear1.weight": sd["linear2.weight"] }), /linear1\.weight/);
});

// The same numbers as PyTorch. Every parameter is filled from a formula both sides compute exactly
// (integers, then one division): parameter number p (in state-dict order) entry i (flat) is
// ((37 i + 53 p + 11) mod 101 - 50) / 100; input entry i is ((29 i + 7) mod 61 - 30) / 15.
function fill(m: Module): void {
  const sd = m.stateDict();
  const filled: StateDict = {};
  Object.entries(sd).forEach(([name, v], p) => {
    const shape = shapeOf(v);
    const n = shape.reduce((a, b) => a * b, 1);
    filled[name] = tensor(Array.from({ length: n }, (_, i) => (((i * 37 + p * 53 + 11) % 101) - 50) / 100)).reshape(shape).toArray();
  });
  m.loadStateDict(filled);
}
const blockInput = () => tensor(Array.from({ length: 24 }, (_, i) => (((i * 29 + 7) % 61) - 30) / 15)).reshape([3, 2, 4]);

// The script that printed them (torch 2.13.0+cpu, float64):
//   fill(module): for p, (name, t) in enumerate(module.state_dict().items()):
//                     t.copy_(tensor([((i*37 + p*53 + 11) % 101 - 50) / 100 for i in range(t.numel())]).reshape(t.shape))
//   x = tensor([((i*29 + 7) % 61 - 30) / 15 for i in range(24)]).reshape(3, 2, 4)
//   mask = torch.triu(torch.ones(3, 3, dtype=torch.bool), diagonal=1)
//   layer = torch.nn.TransformerEncoderLayer(4, 2, 5, dropout=0.0, norm_first=nf); fill(layer)
//   layer(x, src_mask=mask if causal else None).tolist()
//   class TorchLM(nn.Module), __init__(V, E, H, FF, L, maxLen): embed = Embedding(V, E);
//       pos = Embedding(maxLen, E); blocks = ModuleList([TransformerEncoderLayer(E, H, FF,
//       dropout=0.0, norm_first=True) for _ in range(L)]); norm = LayerNorm(E); head = Linear(E, V);
//       forward(tokens): x = embed(tokens) + pos.weight[:T].unsqueeze(1), then every block with
//       src_mask = the causal mask, then head(norm(x))
//   lm = TorchLM(5, 4, 2, 5, 2, 4); fill(lm); lm(tensor([[0, 3], [4, 1], [2, 2]])).tolist()
const TORCH_BLOCK_POST_LN = [
  [[0.32488500499175743, -0.6430026517801796, -0.04766137094672963, 0.4566132039435833], [0.2592586066610824, -0.4875213002844814, 0.5154878856358599, 0.4474624476232571]],
  [[0.32005561840555197, -0.5507349029010931, 0.3339566663157698, 0.43680856567933923], [0.3211935972512498, -0.5537419871673532, 0.3247450201656808, 0.4368591548749164]],
  [[0.32032061858422134, -0.550352657612053, 0.33457794799692064, 0.43673871593720726], [0.32077534205199265, -0.5521986738195037, 0.3292731952834786, 0.4368052854995593]],
];
const TORCH_BLOCK_PRE_LN_CAUSAL = [
  [[-1.3432810182014188, -0.5191399446035405, -2.068567532539389, 1.129215431336943], [-1.4873422487622787, -0.7363471789512295, 1.6225172117286764, 0.7675484895447746]],
  [[2.0909227451884074, -1.123201164777017, 1.1908713539039224, 0.24759683863137977], [1.7842804612718628, -1.4715784545191108, 0.8810483702370047, -0.10304424075548552]],
  [[1.3151518423509474, -1.9044760867299704, 0.41353073472027807, -0.5351025822158363], [0.9764009503129906, -2.2689137918819493, 0.07247409699391112, -0.9012740338658087]],
];
const TORCH_LM_LOGITS = [
  [[-0.30913875451037137, 0.5594680768409036, -0.5791388466447148, -0.2074624034451611, 0.16086106122094176], [-0.25112652569557314, 0.5326341446604712, -0.5206403486359086, -0.22909263606676383, 0.21984582842375597]],
  [[-0.359260639845698, 0.5819112627972828, -0.6232188412989146, -0.18299477810398396, 0.12282295724786901], [-0.2839663271589622, 0.5604726281572885, -0.520216432556926, -0.17241579320108574, 0.25353346204511035]],
  [[-0.27681269228977756, 0.5564743553934168, -0.5170623183249772, -0.17972445455515007, 0.2526880556398233], [-0.28223852339808064, 0.5595043724265844, -0.5195932396627249, -0.17432116428468475, 0.2530520440726309]],
];

/** The worst of the fidelity stage's error measure |a-b| / max(|a|,|b|,1) over two nested arrays. */
function worstError(expected: unknown, actual: unknown): number {
  if (typeof expected === "number") return relativeError(expected, actual as number);
  assert.ok(Array.isArray(expected) && Array.isArray(actual) && expected.length === actual.length);
  return Math.max(0, ...expected.map((e, i) => worstError(e, (actual as unknown[])[i])));
}

test("a TransformerBlock loaded with a TransformerEncoderLayer's weights computes what PyTorch computes (post-LN, and pre-LN causal)", () => {
  for (const [normFirst, causal, expected] of [[false, false, TORCH_BLOCK_POST_LN], [true, true, TORCH_BLOCK_PRE_LN_CAUSAL]] as const) {
    const block = new TransformerBlock(4, 2, 5, { normFirst, rng: new Rng(0) });
    fill(block);
    const err = worstError(expected, block.forward(blockInput(), { causal }).toArray());
    assert.ok(err <= 1e-12, `normFirst ${normFirst}: worst error ${err}`);
    // The other norm order gives other numbers: the comparison can tell them apart.
    const other = new TransformerBlock(4, 2, 5, { normFirst: !normFirst, rng: new Rng(0) });
    fill(other);
    assert.ok(worstError(expected, other.forward(blockInput(), { causal }).toArray()) > 1e-2);
  }
});

test("a TransformerLM with the weights of the same model in PyTorch gives PyTorch's logits", () => {
  const lm = new TransformerLM(5, { embedDim: 4, numHeads: 2, numLayers: 2, ffDim: 5, maxLen: 4, positions: "learned", rng: new Rng(0) });
  fill(lm);
  const err = worstError(TORCH_LM_LOGITS, lm.forward([[0, 3], [4, 1], [2, 2]]).toArray());
  assert.ok(err <= 1e-12, `worst error ${err}`);
});
