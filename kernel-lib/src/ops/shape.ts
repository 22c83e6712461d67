// Ops that rearrange numbers without computing new ones: reshape, slice, index, concat, stack,
// split. Their backward puts each gradient back where its number came from.
//
// Most of them view a tensor around one axis as [outer, n, inner] (everything before the axis,
// the axis, everything after). In row-major order such a view is a stack of `outer` blocks, each
// holding n contiguous runs of `inner` numbers, so a slice along the axis is `outer` plain copies.
import { normalizeAxis, shapeStr } from "../errors";
import { gradSlot, record } from "../autograd/tape";
import { passGradSlice, recordView } from "../autograd/buffers";
import { Shape, Tensor, allocate } from "../tensor";
import { prod } from "./shared";

/** Same numbers, new shape. One size may be -1: it is inferred. The result shares a's data. */
export function reshape(a: Tensor, shape: Shape): Tensor {
  const target = shape.slice();
  const unknown = target.indexOf(-1);
  if (unknown !== target.lastIndexOf(-1)) {
    throw new RangeError(`reshape: ${shapeStr(a.shape)} to ${shapeStr(shape)}: only one size can be -1`);
  }
  for (const d of target) {
    if (d !== -1 && (!Number.isInteger(d) || d < 0)) throw new RangeError(`reshape: ${shapeStr(a.shape)} to ${shapeStr(shape)}: invalid size ${d}`);
  }
  if (unknown >= 0) {
    const known = prod(target.filter((d) => d !== -1));
    if (known === 0 || a.size % known !== 0) {
      throw new RangeError(`reshape: cannot reshape ${shapeStr(a.shape)} (${a.size} elements) into ${shapeStr(shape)}: ${a.size} is not a multiple of ${known}`);
    }
    target[unknown] = a.size / known;
  }
  if (prod(target) !== a.size) {
    throw new RangeError(`reshape: cannot reshape ${shapeStr(a.shape)} (${a.size} elements) into ${shapeStr(shape)} (${prod(target)} elements)`);
  }
  // Row-major data does not care about the shape, so the data can be shared (like a view).
  const out = new Tensor(a.data, target);
  return recordView(out, a, 0, (g) => {
    const ga = gradSlot(a);
    if (ga) for (let i = 0; i < g.length; i++) ga[i] += g[i];
  }, "reshape");
}

/**
 * The part [start, start+len) of axis `ax` (the shape is viewed as [outer, n, inner]) as a new
 * tensor of shape `outShape`, recording the op under `op`. Shared by slice, index and split.
 *
 * When outer is 1 (axis 0, or only size-1 axes before it) the part is one contiguous run of a's
 * data, so the result shares it (a view, like reshape: no copy). Step t of a [T, B, D] sequence
 * is such a run. Otherwise the `outer` runs are copied into a new array.
 */
function narrow(op: string, a: Tensor, ax: number, start: number, len: number, outShape: number[]): Tensor {
  const outer = prod(a.shape, 0, ax);
  const n = a.shape[ax];
  const inner = prod(a.shape, ax + 1);
  const block = len * inner;
  const backward = (g: Float64Array) => {
    // The gradient goes back into the part that was cut out; the rest of a gets none.
    const ga = gradSlot(a);
    if (!ga) return;
    for (let o = 0; o < outer; o++) {
      const to = (o * n + start) * inner;
      const from = o * block;
      for (let i = 0; i < block; i++) ga[to + i] += g[from + i];
    }
  };
  if (outer === 1) {
    // A view: its gradient is usually the same part of a's gradient, shared (see tape.recordView).
    const out = new Tensor(a.data.subarray(start * inner, start * inner + block), outShape);
    return recordView(out, a, start * inner, backward, op);
  }
  const out = new Tensor(allocate(op, outShape), outShape);
  for (let o = 0; o < outer; o++) {
    const from = (o * n + start) * inner;
    out.data.set(a.data.subarray(from, from + block), o * block);
  }
  return record(out, [a], backward, op);
}

/**
 * Elements start..end-1 along `axis` (negative start/end count from the end, as in Python). Along
 * the first axis the result shares `a`'s memory, as PyTorch's slicing does: writing into its
 * .data writes into `a` (copy it first, kl.fromFlat(t.data.slice(), t.shape), to change it alone).
 */
export function slice(a: Tensor, axis: number, start: number, end?: number): Tensor {
  const ax = normalizeAxis(axis, a.rank, "slice", a.shape);
  const n = a.shape[ax];
  const s = start < 0 ? start + n : start;
  const e = end === undefined ? n : end < 0 ? end + n : end;
  if (!Number.isInteger(s) || !Number.isInteger(e) || s < 0 || e > n || s > e) {
    throw new RangeError(`slice: range ${start}..${end ?? n} is invalid for axis ${axis} of shape ${shapeStr(a.shape)} (size ${n})`);
  }
  const shape = a.shape.slice();
  shape[ax] = e - s;
  return narrow("slice", a, ax, s, e - s, shape);
}

/** Element i along `axis`, with that axis removed: index(x [T,B,D], 0, t) is step t, shape [B,D]. */
export function index(a: Tensor, axis: number, i: number): Tensor {
  const ax = normalizeAxis(axis, a.rank, "index", a.shape);
  const n = a.shape[ax];
  const j = i < 0 ? i + n : i;
  if (!Number.isInteger(j) || j < 0 || j >= n) {
    throw new RangeError(`index: index ${i} is out of range for axis ${axis} of shape ${shapeStr(a.shape)} (size ${n})`);
  }
  const shape = a.shape.slice();
  shape.splice(ax, 1);
  return narrow("index", a, ax, j, 1, shape);
}

/**
 * Splits `a` along `axis` into pieces of the given sizes, or into `count` equal pieces:
 * split(gates [B,4H], 4, 1) gives the four LSTM gates, each [B,H]. A number is a count here,
 * PyTorch's torch.chunk(gates, 4, 1); torch.split(gates, 4, 1) would cut pieces of size 4.
 */
export function split(a: Tensor, sizesOrCount: number | number[], axis = 0): Tensor[] {
  const ax = normalizeAxis(axis, a.rank, "split", a.shape);
  const n = a.shape[ax];
  let sizes: number[];
  if (typeof sizesOrCount === "number") {
    const count = sizesOrCount;
    if (!Number.isInteger(count) || count <= 0 || n % count !== 0) {
      throw new RangeError(`split: axis ${axis} of shape ${shapeStr(a.shape)} has size ${n}, which cannot be split into ${count} equal parts`);
    }
    sizes = new Array<number>(count).fill(n / count);
  } else {
    sizes = sizesOrCount;
    const total = sizes.reduce((s, d) => s + d, 0);
    if (sizes.some((d) => !Number.isInteger(d) || d < 0) || total !== n) {
      throw new RangeError(`split: sizes [${sizes.join(",")}] (sum ${total}) do not add up to size ${n} of axis ${axis} of shape ${shapeStr(a.shape)}`);
    }
  }
  const pieces: Tensor[] = [];
  let start = 0;
  for (const len of sizes) {
    const shape = a.shape.slice();
    shape[ax] = len;
    pieces.push(narrow("split", a, ax, start, len, shape));
    start += len;
  }
  return pieces;
}

/**
 * Joins tensors viewed as [outer, n_t, inner] along the middle axis into [outer, Σn_t, inner].
 * concat is this directly; stack is this with every n_t = 1 (a new axis of size 1 each).
 */
function join(op: string, ts: Tensor[], outer: number, sizes: number[], inner: number, outShape: number[]): Tensor {
  const total = sizes.reduce((s, d) => s + d, 0);
  const out = new Tensor(allocate(op, outShape), outShape);
  const offsets: number[] = []; // where each input's block starts within a row of the output
  let offset = 0;
  for (const n of sizes) {
    offsets.push(offset);
    offset += n * inner;
  }
  const rowLen = total * inner;
  ts.forEach((t, k) => {
    const block = sizes[k] * inner;
    for (let o = 0; o < outer; o++) out.data.set(t.data.subarray(o * block, (o + 1) * block), o * rowLen + offsets[k]);
  });
  return record(out, ts, (g) => {
    // Each input gets back the block of the gradient where its numbers were placed. Joined along
    // the first axis (outer = 1), that block is one stretch of g, which can simply be handed over.
    if (outer === 1) {
      ts.forEach((t, k) => passGradSlice(t, g, offsets[k]));
      return;
    }
    ts.forEach((t, k) => {
      const gt = gradSlot(t);
      if (!gt) return;
      const block = sizes[k] * inner;
      for (let o = 0; o < outer; o++) {
        const from = o * rowLen + offsets[k];
        const to = o * block;
        for (let i = 0; i < block; i++) gt[to + i] += g[from + i];
      }
    });
  }, op);
}

/** Joins tensors along an existing axis; all other sizes must match. */
export function concat(ts: Tensor[], axis = 0): Tensor {
  if (ts.length === 0) throw new RangeError("concat: needs at least one tensor, got an empty list");
  const first = ts[0];
  const ax = normalizeAxis(axis, first.rank, "concat", first.shape);
  ts.forEach((t, k) => {
    const same = t.rank === first.rank && t.shape.every((d, i) => i === ax || d === first.shape[i]);
    if (!same) {
      throw new RangeError(
        `concat: tensor ${k} has shape ${shapeStr(t.shape)} but tensor 0 has ${shapeStr(first.shape)}; all sizes except axis ${axis} must match`,
      );
    }
  });
  const sizes = ts.map((t) => t.shape[ax]);
  const shape = first.shape.slice();
  shape[ax] = sizes.reduce((s, d) => s + d, 0);
  return join("concat", ts, prod(first.shape, 0, ax), sizes, prod(first.shape, ax + 1), shape);
}

/** Stacks equally shaped tensors along a new axis: stack of T tensors [B,H] on axis 0 is [T,B,H]. */
export function stack(ts: Tensor[], axis = 0): Tensor {
  if (ts.length === 0) throw new RangeError("stack: needs at least one tensor, got an empty list");
  const first = ts[0];
  // The new axis can go anywhere from before the first to after the last: rank + 1 positions.
  const r = first.rank;
  if (!Number.isInteger(axis) || axis < -(r + 1) || axis > r) {
    throw new RangeError(`stack: axis ${axis} is out of range for stacking tensors of shape ${shapeStr(first.shape)} (allowed ${-(r + 1)}..${r})`);
  }
  const ax = axis < 0 ? axis + r + 1 : axis;
  ts.forEach((t, k) => {
    if (t.rank !== first.rank || t.shape.some((d, i) => d !== first.shape[i])) {
      throw new RangeError(`stack: tensor ${k} has shape ${shapeStr(t.shape)} but tensor 0 has ${shapeStr(first.shape)}; all must match`);
    }
  });
  const shape = first.shape.slice();
  shape.splice(ax, 0, ts.length);
  return join("stack", ts, prod(first.shape, 0, ax), ts.map(() => 1), prod(first.shape, ax), shape);
}

declare module "../tensor" {
  interface Tensor {
    reshape(shape: Shape): Tensor;
    slice(axis: number, start: number, end?: number): Tensor;
    index(axis: number, i: number): Tensor;
    split(sizesOrCount: number | number[], axis?: number): Tensor[];
  }
}
Tensor.prototype.reshape = function (this: Tensor, shape: Shape) { return reshape(this, shape); };
Tensor.prototype.slice = function (this: Tensor, axis: number, start: number, end?: number) { return slice(this, axis, start, end); };
Tensor.prototype.index = function (this: Tensor, axis: number, i: number) { return index(this, axis, i); };
Tensor.prototype.split = function (this: Tensor, sizesOrCount: number | number[], axis?: number) { return split(this, sizesOrCount, axis); };
