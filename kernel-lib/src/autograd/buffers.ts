// Gradient buffers: where backward() gets the arrays that hold each node's dL/d(output), without
// allocating a fresh zeroed array for every node of every step. Three savings, none of which
// changes a number (tape.ts works the same with all three switched off: every node would get
// `new Float64Array(size)`):
//
// 1. Spares. A node's gradient buffer is tape-internal (only leaves and retainGrad() tensors hand
//    theirs to the user), so once the node's backward has run, nobody can reach it: it is kept
//    here, by length, and handed out (zeroed) for the next node or the next step's backward. This
//    spares the garbage collector the thousands of [B, H] arrays a sequence's backward leaves.
// 2. Views. An op whose output is a stretch of its input's numbers (reshape; step t of a
//    [T, B, D] sequence) records itself with recordView. Its gradient is then the same stretch of
//    the base's gradient: whatever is added into the view's gradient lands in the base's, and the
//    view's own backward has nothing left to do.
// 3. Lending. An op whose output holds its inputs end to end (stack, concat along axis 0) hands
//    each input its stretch of the output's gradient with passGradSlice: no buffer, no copy. The
//    lent buffer is recycled only after the whole backward, when no borrower can still use it.
import { Tensor } from "../tensor";
import { TapeNode, gradSlot, record, runningNode } from "./tape";

const spare = new Map<number, Float64Array[]>();
let spareElements = 0;
/** At most this many numbers (32 MB) are kept. */
const MAX_SPARE = 4 * 1024 * 1024;
/** Buffers lent during the running backward(), recycled when it ends. */
let lent: Float64Array[] = [];

function zeroedBuffer(n: number): Float64Array {
  const buf = spare.get(n)?.pop();
  if (buf === undefined) return new Float64Array(n);
  spareElements -= n;
  return buf.fill(0);
}

function keepSpare(buf: Float64Array): void {
  if (spareElements + buf.length > MAX_SPARE) return;
  const list = spare.get(buf.length);
  if (list === undefined) spare.set(buf.length, [buf]);
  else list.push(buf);
  spareElements += buf.length;
}

/**
 * The zeroed gradient buffer of t (made by `node`): a view of its base's gradient when t is a view
 * (recordView) whose base is not a leaf and t does not keep its own gradient; otherwise a spare.
 */
export function newGradBuffer(t: Tensor, node: TapeNode): Float64Array {
  const base = node.view?.base;
  if (base !== undefined && base._node !== null && !t._retainGrad) {
    const offset = node.view!.offset;
    node.gradIsView = true;
    return gradSlot(base)!.subarray(offset, offset + t.size);
  }
  return zeroedBuffer(t.size);
}

/** After a node's backward has used g: keep it as a spare, unless it is lent or borrowed. */
export function recycleGradBuffer(node: TapeNode, g: Float64Array): void {
  if (node.gradIsView || node.gradBorrowed) return; // part of another node's buffer, which is kept instead
  if (node.gradLent) lent.push(g);
  else keepSpare(g);
}

/** At the end of backward(): lent buffers are free now (after an error, they are simply dropped). */
export function releaseLentBuffers(completed: boolean): void {
  if (completed) for (const g of lent) keepSpare(g);
  lent = [];
}

/**
 * record() for an op whose output shares its numbers with `base`: output.data is
 * base.data.subarray(offset, offset + output.size) (reshape; a slice along axis 0). Its gradient
 * can then be shared the same way (see 2. above). The plain `backward` (add g into base's
 * gradient at offset) runs only when the gradient could not be shared: base is a leaf (its .grad
 * keeps sums across backward() calls) or the output keeps its own gradient (retainGrad).
 */
export function recordView(output: Tensor, base: Tensor, offset: number, backward: (gradOutput: Float64Array) => void, op: string): Tensor {
  const out = record(output, [base], backward, op);
  if (out._node !== null) out._node.view = { base, offset };
  return out;
}

/**
 * Passes dL/dt = g[offset .. offset + t.size) on to t, for ops whose output holds their inputs'
 * numbers end to end (see 3. above). When t has no gradient buffer yet (the usual case: such an op
 * tends to be the last use of its inputs, so its backward runs first), that stretch of g becomes
 * t's gradient buffer; t's other consumers then add into it. Otherwise it is added.
 * Only valid inside a backward closure, with g the gradient that closure was given.
 */
export function passGradSlice(t: Tensor, g: Float64Array, offset: number): void {
  const node = t._node;
  const running = runningNode();
  if (t.requiresGrad && node !== null && node.alive && node.grad === null && running !== null) {
    node.grad = g.subarray(offset, offset + t.size);
    node.gradBorrowed = true; // not t's own buffer: never recycled as a spare
    running.gradLent = true; //  g now backs t's gradient: recycled only after the whole backward
    return;
  }
  const slot = gradSlot(t);
  if (slot === null) return;
  for (let i = 0; i < t.size; i++) slot[i] += g[offset + i];
}
