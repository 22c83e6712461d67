// The PyTorch reference cases (shared/fixtures/pytorch and shared/fixtures/pytorch-attention, see
// their READMEs): their JSON format, read and checked.
//
// A case's kind is read from its content, not its file name: a `kind` field names an attention or
// layer-norm case ("mha_self", "mha_cross", "layer_norm"); a `task` field names a training task
// ("char_lm_train") or a whole model saved with state_dict() ("char_model": Embedding → LSTM →
// Linear, see scripts/make-pytorch-cases.py); without either, a `cell` field ("rnn_tanh",
// "rnn_relu", "lstm", "gru") makes it a cell case. Anything missing, unknown or mis-shaped is a
// FixtureError that names the file and the field:
// `lstm_I3_H4_T5_B2.json: field "x" has shape [4,2,3], expected [5,2,3] (...)`.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { Nested, StateDict, nestedShape } from "../io/state-dict";
import { CellMode, GATES } from "../nn/cell-base";

/** A malformed or unsupported case file. The message names the file and the field. */
export class FixtureError extends Error {
  constructor(readonly file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = "FixtureError";
  }
}

/** A cell case (`{cell}_I.._H.._T.._B...json`), fields named as in the README. */
export interface CellCase {
  kind: "cell";
  file: string;
  cell: CellMode;
  inputSize: number;
  hiddenSize: number;
  seqLen: number;
  batch: number;
  params: StateDict;
  x: Nested;
  h0: Nested;
  c0?: Nested;
  outputs: Nested;
  h_n: Nested;
  c_n?: Nested;
  loss_weights: Nested;
  loss: number;
  grads: StateDict;
  last_step_loss_grad_norms: number[];
}

/** A training case (`task: "char_lm_train"`). */
export interface TrainCase {
  kind: "train";
  file: string;
  task: "char_lm_train";
  cell: CellMode;
  vocab: number;
  hiddenSize: number;
  seqLen: number;
  batch: number;
  steps: number;
  lr: number;
  clipNorm: number;
  tokens: number[][];
  init_params: StateDict;
  losses: number[];
  grad_norms_before_clip: number[];
  final_params: StateDict;
}

/**
 * A model case (`task: "char_model"`): a character model Embedding(V, E) → LSTM(E, H, num_layers)
 * → Linear(H, V), saved by PyTorch with state_dict(), with its logits, loss and gradients on one batch.
 */
export interface ModelCase {
  kind: "model";
  file: string;
  task: "char_model";
  vocab: number;
  embeddingDim: number;
  hiddenSize: number;
  numLayers: number;
  seqLen: number;
  batch: number;
  /** [T+1][B] token ids: inputs tokens[0..T-1], targets tokens[1..T]. */
  tokens: number[][];
  /** PyTorch's state_dict, its keys in the file's order (the order PyTorch wrote them in). */
  state_dict: StateDict;
  /** [T][B][V] */
  logits: Nested;
  /** Mean cross-entropy over the T*B positions. */
  loss: number;
  /** dloss/d(every parameter), by the state_dict's dotted names. */
  grads: StateDict;
}

/** The parameters and inputs shared by the two attention kinds (PyTorch's state_dict names). */
interface AttentionCaseBase {
  file: string;
  embedDim: number;
  numHeads: number;
  batch: number;
  /** in_proj_weight [3E][E], in_proj_bias [3E], out_proj.weight [E][E], out_proj.bias [E]. */
  params: StateDict;
  /** [L][B][E] (L = T for self-attention) */
  loss_weights: Nested;
  /** [L][B][E] */
  attn_output: Nested;
  /** [B][L][S]: the softmax weights averaged over the heads. */
  attn_weights: Nested;
  /** sum(attn_output * loss_weights) */
  loss: number;
  /** dloss/d(every parameter) and d(every input). */
  grads: StateDict;
}

/** Self-attention (`kind: "mha_self"`): torch.nn.MultiheadAttention with query = key = value = x. */
export interface SelfAttentionCase extends AttentionCaseBase {
  kind: "mha_self";
  seqLen: number;
  /** Position t attends to positions 0..t only. */
  causal: boolean;
  /** [T][B][E] */
  x: Nested;
  /** For the loss on the last position only: ‖dloss/dx_s‖ over the batch, s = 0..T-1. */
  last_position_input_grad_norms: number[];
}

/** Cross-attention (`kind: "mha_cross"`): separate query [L][B][E], key and value [S][B][E], no mask. */
export interface CrossAttentionCase extends AttentionCaseBase {
  kind: "mha_cross";
  queryLen: number;
  keyLen: number;
  query: Nested;
  key: Nested;
  value: Nested;
}

/** Layer norm (`kind: "layer_norm"`): torch.nn.LayerNorm(D, eps) on x [N][D]. */
export interface LayerNormCase {
  kind: "layer_norm";
  file: string;
  rows: number;
  dim: number;
  eps: number;
  /** weight [D], bias [D] */
  params: StateDict;
  x: Nested;
  loss_weights: Nested;
  output: Nested;
  loss: number;
  /** weight, bias, x */
  grads: StateDict;
}

export type FixtureCase = CellCase | TrainCase | ModelCase | SelfAttentionCase | CrossAttentionCase | LayerNormCase;

const CELLS: readonly CellMode[] = ["rnn_tanh", "rnn_relu", "lstm", "gru"];
const TASKS = ["char_lm_train", "char_model"] as const;
const KINDS = ["mha_self", "mha_cross", "layer_norm"] as const;

/** Reads fields of one case's JSON, turning every problem into a FixtureError naming the field. */
class Reader {
  constructor(readonly file: string, private readonly obj: Record<string, unknown>) {}

  fail(field: string, problem: string): never {
    throw new FixtureError(this.file, `field "${field}" ${problem}`);
  }

  has(field: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.obj, field);
  }

  raw(field: string): unknown {
    if (!this.has(field)) this.fail(field, "is missing");
    return this.obj[field];
  }

  number(field: string): number {
    const v = this.raw(field);
    if (typeof v !== "number" || !Number.isFinite(v)) this.fail(field, `must be a finite number, got ${JSON.stringify(v)}`);
    return v;
  }

  /** A boolean; `fallback` when the field is absent (undefined: the field is required). */
  boolean(field: string, fallback?: boolean): boolean {
    if (!this.has(field) && fallback !== undefined) return fallback;
    const v = this.raw(field);
    if (typeof v !== "boolean") this.fail(field, `must be true or false, got ${JSON.stringify(v)}`);
    return v;
  }

  size(field: string): number {
    const v = this.number(field);
    if (!Number.isInteger(v) || v < 1) this.fail(field, `must be a positive integer, got ${v}`);
    return v;
  }

  oneOf<T extends string>(field: string, allowed: readonly T[]): T {
    const v = this.raw(field);
    if (typeof v !== "string" || !(allowed as readonly string[]).includes(v)) {
      this.fail(field, `is ${JSON.stringify(v)}; expected one of ${allowed.map((a) => `"${a}"`).join(", ")}`);
    }
    return v as T;
  }

  /** A nested array of the expected shape; `dims` names the axes for the error message. */
  array(field: string, shape: readonly number[], dims: string, value: unknown = this.raw(field)): Nested {
    let got: number[];
    try {
      got = nestedShape(value, field);
    } catch (e) {
      this.fail(field, `is malformed: ${(e as Error).message}`);
    }
    if (got.length !== shape.length || got.some((n, i) => n !== shape[i])) {
      this.fail(field, `has shape [${got.join(",")}], expected [${shape.join(",")}] (${dims})`);
    }
    return value as Nested;
  }

  /**
   * An object {name: nested array} whose keys and shapes are exactly `expected`. The result's keys
   * are in `expected`'s order, or with fileOrder in the order the file lists them.
   */
  dict(field: string, expected: Record<string, readonly number[]>, fileOrder = false): StateDict {
    const v = this.raw(field);
    if (typeof v !== "object" || v === null || Array.isArray(v)) this.fail(field, "must be an object {name: nested arrays}");
    const obj = v as Record<string, unknown>;
    for (const k of Object.keys(obj)) {
      if (!(k in expected)) this.fail(`${field}.${k}`, `is unknown; expected the keys ${Object.keys(expected).join(", ")}`);
    }
    const out: StateDict = {};
    for (const [k, shape] of Object.entries(expected)) {
      if (!(k in obj)) this.fail(`${field}.${k}`, "is missing");
      out[k] = this.array(`${field}.${k}`, shape, "see README", obj[k]);
    }
    if (!fileOrder) return out;
    return Object.fromEntries(Object.keys(obj).map((k) => [k, out[k]]));
  }

  /** A [rows][cols] array of token ids, each an integer in [0, vocab). */
  tokens(field: string, rows: number, cols: number, vocab: number): number[][] {
    const tokens = this.array(field, [rows, cols], "seq_len + 1, batch") as number[][];
    tokens.forEach((row, t) =>
      row.forEach((tok, b) => {
        if (!Number.isInteger(tok) || tok < 0 || tok >= vocab) this.fail(`${field}[${t}][${b}]`, `is ${tok}; token ids must be integers in [0, ${vocab})`);
      }),
    );
    return tokens;
  }
}

/** PyTorch's parameter shapes of a cell: weight_ih [G*H, I], weight_hh [G*H, H], biases [G*H]. */
function cellParamShapes(cell: CellMode, inputSize: number, hiddenSize: number): Record<string, number[]> {
  const gh = GATES[cell] * hiddenSize;
  return { weight_ih: [gh, inputSize], weight_hh: [gh, hiddenSize], bias_ih: [gh], bias_hh: [gh] };
}

/** Checks a parsed case file and returns it typed. `file` is used in error messages. */
export function parseFixtureCase(json: unknown, file: string): FixtureCase {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new FixtureError(file, "the file must hold one JSON object (a case)");
  }
  const r = new Reader(file, json as Record<string, unknown>);
  if (r.has("kind")) {
    const kind = r.oneOf("kind", KINDS);
    return kind === "mha_self" ? parseSelfAttentionCase(r) : kind === "mha_cross" ? parseCrossAttentionCase(r) : parseLayerNormCase(r);
  }
  if (r.has("task")) {
    const task = r.oneOf("task", TASKS);
    return task === "char_model" ? parseModelCase(r, task) : parseTrainCase(r, task);
  }
  if (!r.has("cell")) {
    r.fail("task", 'is missing and so are "cell" and "kind": cannot tell what kind of case this is');
  }
  return parseCellCase(r);
}

function parseCellCase(r: Reader): CellCase {
  const cell = r.oneOf("cell", CELLS);
  const I = r.size("input_size");
  const H = r.size("hidden_size");
  const T = r.size("seq_len");
  const B = r.size("batch");
  const lstm = cell === "lstm";
  const state = [B, H];
  const paramShapes = cellParamShapes(cell, I, H);
  const gradShapes: Record<string, number[]> = { ...paramShapes, x: [T, B, I], h0: state, ...(lstm ? { c0: state } : {}) };
  const norms = r.array("last_step_loss_grad_norms", [T], "seq_len") as number[];
  return {
    kind: "cell",
    file: r.file,
    cell,
    inputSize: I,
    hiddenSize: H,
    seqLen: T,
    batch: B,
    params: r.dict("params", paramShapes),
    x: r.array("x", [T, B, I], "seq_len, batch, input_size"),
    h0: r.array("h0", state, "batch, hidden_size"),
    c0: lstm ? r.array("c0", state, "batch, hidden_size") : undefined,
    outputs: r.array("outputs", [T, B, H], "seq_len, batch, hidden_size"),
    h_n: r.array("h_n", state, "batch, hidden_size"),
    c_n: lstm ? r.array("c_n", state, "batch, hidden_size") : undefined,
    loss_weights: r.array("loss_weights", [T, B, H], "seq_len, batch, hidden_size"),
    loss: r.number("loss"),
    grads: r.dict("grads", gradShapes),
    last_step_loss_grad_norms: norms,
  };
}

function parseTrainCase(r: Reader, task: "char_lm_train"): TrainCase {
  const cell = r.oneOf("cell", CELLS);
  const V = r.size("vocab");
  const H = r.size("hidden_size");
  const T = r.size("seq_len");
  const B = r.size("batch");
  const steps = r.size("steps");
  const paramShapes = { ...cellParamShapes(cell, V, H), "head.weight": [V, H], "head.bias": [V] };
  const tokens = r.tokens("tokens", T + 1, B, V);
  return {
    kind: "train",
    file: r.file,
    task,
    cell,
    vocab: V,
    hiddenSize: H,
    seqLen: T,
    batch: B,
    steps,
    lr: r.number("lr"),
    clipNorm: r.number("clip_norm"),
    tokens,
    init_params: r.dict("init_params", paramShapes),
    losses: r.array("losses", [steps], "steps") as number[],
    grad_norms_before_clip: r.array("grad_norms_before_clip", [steps], "steps") as number[],
    final_params: r.dict("final_params", paramShapes),
  };
}

/**
 * PyTorch's state_dict names and shapes of Embedding(V, E) → LSTM(E, H, num_layers=L) → Linear(H, V)
 * held as fields embed, rnn, head. Only the set of keys is checked here: their order is checked
 * by the runner, against the order the library gives them.
 */
function charModelShapes(V: number, E: number, H: number, L: number): Record<string, number[]> {
  const shapes: Record<string, number[]> = { "embed.weight": [V, E] };
  for (let l = 0; l < L; l++) {
    for (const [k, shape] of Object.entries(cellParamShapes("lstm", l === 0 ? E : H, H))) shapes[`rnn.${k}_l${l}`] = shape;
  }
  return { ...shapes, "head.weight": [V, H], "head.bias": [V] };
}

function parseModelCase(r: Reader, task: "char_model"): ModelCase {
  const V = r.size("vocab");
  const E = r.size("embedding_dim");
  const H = r.size("hidden_size");
  const L = r.size("num_layers");
  const T = r.size("seq_len");
  const B = r.size("batch");
  const shapes = charModelShapes(V, E, H, L);
  return {
    kind: "model",
    file: r.file,
    task,
    vocab: V,
    embeddingDim: E,
    hiddenSize: H,
    numLayers: L,
    seqLen: T,
    batch: B,
    tokens: r.tokens("tokens", T + 1, B, V),
    state_dict: r.dict("state_dict", shapes, true),
    logits: r.array("logits", [T, B, V], "seq_len, batch, vocab"),
    loss: r.number("loss"),
    grads: r.dict("grads", shapes, true),
  };
}

/** PyTorch's MultiheadAttention state_dict shapes for embedding size E. */
function attentionParamShapes(E: number): Record<string, number[]> {
  return { in_proj_weight: [3 * E, E], in_proj_bias: [3 * E], "out_proj.weight": [E, E], "out_proj.bias": [E] };
}

/** embed_dim and num_heads, checked: E must split evenly into the heads. */
function attentionSizes(r: Reader): { E: number; heads: number } {
  const E = r.size("embed_dim");
  const heads = r.size("num_heads");
  if (E % heads !== 0) r.fail("num_heads", `is ${heads}, which does not divide embed_dim ${E} (each head gets embed_dim / num_heads features)`);
  return { E, heads };
}

function parseSelfAttentionCase(r: Reader): SelfAttentionCase {
  const { E, heads } = attentionSizes(r);
  const T = r.size("seq_len");
  const B = r.size("batch");
  const params = attentionParamShapes(E);
  const seq = [T, B, E];
  return {
    kind: "mha_self",
    file: r.file,
    embedDim: E,
    numHeads: heads,
    seqLen: T,
    batch: B,
    causal: r.boolean("causal", false),
    params: r.dict("params", params),
    x: r.array("x", seq, "seq_len, batch, embed_dim"),
    loss_weights: r.array("loss_weights", seq, "seq_len, batch, embed_dim"),
    attn_output: r.array("attn_output", seq, "seq_len, batch, embed_dim"),
    attn_weights: r.array("attn_weights", [B, T, T], "batch, seq_len (queries), seq_len (keys)"),
    loss: r.number("loss"),
    grads: r.dict("grads", { ...params, x: seq }),
    last_position_input_grad_norms: r.array("last_position_input_grad_norms", [T], "seq_len") as number[],
  };
}

function parseCrossAttentionCase(r: Reader): CrossAttentionCase {
  const { E, heads } = attentionSizes(r);
  const L = r.size("query_len");
  const S = r.size("key_len");
  const B = r.size("batch");
  // The README's cross-attention cases have no mask; a case asking for one is not of this format.
  if (r.has("causal") && r.boolean("causal")) r.fail("causal", "is true, but mha_cross cases have no mask (see README)");
  const params = attentionParamShapes(E);
  const q = [L, B, E];
  const kv = [S, B, E];
  return {
    kind: "mha_cross",
    file: r.file,
    embedDim: E,
    numHeads: heads,
    queryLen: L,
    keyLen: S,
    batch: B,
    params: r.dict("params", params),
    query: r.array("query", q, "query_len, batch, embed_dim"),
    key: r.array("key", kv, "key_len, batch, embed_dim"),
    value: r.array("value", kv, "key_len, batch, embed_dim"),
    loss_weights: r.array("loss_weights", q, "query_len, batch, embed_dim"),
    attn_output: r.array("attn_output", q, "query_len, batch, embed_dim"),
    attn_weights: r.array("attn_weights", [B, L, S], "batch, query_len, key_len"),
    loss: r.number("loss"),
    grads: r.dict("grads", { ...params, query: q, key: kv, value: kv }),
  };
}

function parseLayerNormCase(r: Reader): LayerNormCase {
  const N = r.size("rows");
  const D = r.size("dim");
  const eps = r.has("eps") ? r.number("eps") : 1e-5; // PyTorch's default
  if (eps < 0) r.fail("eps", `must not be negative, got ${eps}`);
  const params = { weight: [D], bias: [D] };
  const rowsByDim = [N, D];
  return {
    kind: "layer_norm",
    file: r.file,
    rows: N,
    dim: D,
    eps,
    params: r.dict("params", params),
    x: r.array("x", rowsByDim, "rows, dim"),
    loss_weights: r.array("loss_weights", rowsByDim, "rows, dim"),
    output: r.array("output", rowsByDim, "rows, dim"),
    loss: r.number("loss"),
    grads: r.dict("grads", { ...params, x: rowsByDim }),
  };
}

/** Reads and checks one case file. Throws FixtureError (naming the file) if it is malformed. */
export function loadFixtureCase(path: string): FixtureCase {
  const file = basename(path);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new FixtureError(file, `cannot read it as JSON (${(e as Error).message})`);
  }
  return parseFixtureCase(json, file);
}
