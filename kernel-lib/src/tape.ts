// Reverse-mode automatic differentiation with a tape (a "Wengert list").
//
// Forward: every op that computes something from a tensor that requires grad appends one node
// to the tape: its output, its inputs, and a closure that knows the op's local derivative.
// Because ops run in order, the tape is already sorted: an output is always recorded after
// everything it was computed from.
//
// Backward: walk the tape from the end. Each node receives dL/d(output), complete by then
// because every later use of the output has already passed its share back, and turns it into
// dL/d(input) for each input (the chain rule, one op at a time). Gradients of leaves (parameters)
// are ADDED into .grad, as in PyTorch: call zeroGrad() (or the optimizer's) between steps.
//
// After backward the tape is emptied, so a training loop of 10,000 steps does not keep 10,000
// graphs alive. A graph can be walked once; to carry a hidden state across backward() calls
// (truncated backprop through time), detach() it.
import { shapeStr } from "./errors";
import { Tensor } from "./tensor";

/** One recorded op. */
export interface TapeNode {
  /** The op's name ("matmul", "tanh", ...), used in anomaly and freed-graph errors. */
  readonly op: string;
  readonly output: Tensor;
  inputs: Tensor[];
  /** Receives dL/d(output) (flat, same length as output.data) and passes dL/d(input) on. */
  backward: ((gradOutput: Float64Array) => void) | null;
  /** False once a backward() has consumed (or resetTape() dropped) this node. */
  alive: boolean;
  /**
   * During backward(): dL/d(output) as it is being summed up from the output's consumers (null
   * until the first one adds to it). It lives on the node, not in output.grad, so that only leaves
   * and retainGrad() tensors end up holding gradient memory.
   */
  grad: Float64Array | null;
  /**
   * Set by recordView for an output that is a view of `base`'s data (reshape, axis-0 slices):
   * the output's data is base.data.subarray(offset, offset + size).
   */
  view: { base: Tensor; offset: number } | null;
  /** During backward(): true if `grad` is a view of the base's gradient (see gradSlot). */
  gradIsView: boolean;
  /** During backward(): true if `grad` is part of a consumer's gradient (see passGradSlice). */
  gradBorrowed: boolean;
  /** True once this node's backward has handed part of its `grad` to an input (passGradSlice). */
  gradLent: boolean;
}

let nodes: TapeNode[] = [];
let gradEnabled = true;
let anomalyDetection = false;

/** True while a backward() runs (gradients of intermediate tensors are being summed on their nodes). */
let inBackward = false;
/** The node whose backward closure is running (for error messages). */
let running: TapeNode | null = null;

/** Warn once if the tape grows this long without a backward(): usually a forgotten noGrad(). */
const LONG_TAPE = 1_000_000;
let warnedLongTape = false;

/**
 * Spare gradient buffers, by length. A node's gradient buffer is tape-internal (only leaves and
 * retainGrad() tensors hand theirs to the user), so once the node's backward has run, nobody can
 * reach it: backward() keeps it here, and gradSlot reuses it (zeroed) for the next node or the
 * next step's backward instead of allocating a new one. This spares the garbage collector the
 * thousands of [B, H] arrays a sequence's backward would otherwise leave behind.
 */
const spare = new Map<number, Float64Array[]>();
let spareElements = 0;
/** At most this many numbers (32 MB) are kept. */
const MAX_SPARE = 4 * 1024 * 1024;

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

/** Number of nodes on the tape (0 after backward()). */
export function tapeSize(): number {
  return nodes.length;
}

/** Drops every recorded node without computing gradients (e.g. after an evaluation pass that forgot noGrad). */
export function resetTape(): void {
  for (const node of nodes) free(node);
  nodes = [];
}

/** Is recording on? (It is, except inside noGrad.) */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Runs fn without recording anything: for evaluation, sampling and optimizer updates. */
export function noGrad<T>(fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/** True if an op on these inputs should be recorded: grad mode is on and some input requires grad. */
export function needsGrad(...inputs: Tensor[]): boolean {
  if (!gradEnabled) return false;
  for (const t of inputs) if (t.requiresGrad) return true;
  return false;
}

/**
 * Anomaly mode: every op output and every gradient is checked for NaN/Infinity, and the first
 * bad one throws an error naming the op. Slow; switch it on to find where a NaN loss comes from.
 */
export function detectAnomaly(on: boolean): void {
  anomalyDetection = on;
}

export function isAnomalyDetectionEnabled(): boolean {
  return anomalyDetection;
}

/** Runs fn with anomaly mode on, then restores the previous setting. */
export function withAnomalyDetection<T>(fn: () => T): T {
  const previous = anomalyDetection;
  anomalyDetection = true;
  try {
    return fn();
  } finally {
    anomalyDetection = previous;
  }
}

/** "NaN" / "Infinity" / "-Infinity" if `data` holds one, else null. */
function firstNonFinite(data: Float64Array): string | null {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v - v !== 0) return String(v); // v - v is NaN exactly for NaN and ±Infinity
  }
  return null;
}

/**
 * Called by every op with its output, its inputs, its local backward and its name. Records a
 * node when grad mode is on and some input requires grad (then output.requiresGrad = true);
 * otherwise records nothing. Returns `output`, so an op can end with `return record(...)`.
 */
export function record(output: Tensor, inputs: Tensor[], backward: (gradOutput: Float64Array) => void, op = "op"): Tensor {
  if (anomalyDetection) {
    const bad = firstNonFinite(output.data);
    if (bad !== null) {
      const shapes = inputs.map((t) => shapeStr(t.shape)).join(", ");
      throw new RangeError(`${op} produced ${bad} in its output of shape ${shapeStr(output.shape)} (inputs: ${shapes || "none"})`);
    }
  }
  if (!needsGrad(...inputs)) return output;
  output.requiresGrad = true;
  const node: TapeNode = { op, output, inputs, backward, alive: true, grad: null, view: null, gradIsView: false, gradBorrowed: false, gradLent: false };
  output._node = node;
  nodes.push(node);
  if (nodes.length > LONG_TAPE && !warnedLongTape) {
    warnedLongTape = true;
    console.warn(
      `kernel-lib: the autodiff tape holds ${nodes.length} ops without a backward(). ` +
        `Wrap evaluation and sampling in noGrad(() => ...), or call resetTape().`,
    );
  }
  return output;
}

/**
 * record() for an op whose output shares its numbers with `base`: output.data is
 * base.data.subarray(offset, offset + output.size) (reshape; a slice along axis 0, such as step t
 * of a [T, B, D] sequence). Its gradient can then be shared the same way: gradSlot(output) hands
 * out those elements of base's gradient, so whatever is added into the view's gradient lands in
 * base's directly and the view's backward has nothing left to do: no buffer, no copy. The plain
 * `backward` (add g into base's gradient at offset) runs only when the gradient could not be
 * shared: base is a leaf (its .grad keeps sums across backward() calls) or the output keeps its
 * own gradient (retainGrad).
 */
export function recordView(output: Tensor, base: Tensor, offset: number, backward: (gradOutput: Float64Array) => void, op: string): Tensor {
  const out = record(output, [base], backward, op);
  if (out._node !== null) out._node.view = { base, offset };
  return out;
}

/**
 * The buffer that dL/dt should be added into, or null if t does not need a gradient. Ops whose
 * kernels can accumulate in place (matmul's `accumulate`, scatter-add) write straight into it;
 * everything else goes through accumulateGrad. Only valid inside a backward closure.
 */
export function gradSlot(t: Tensor): Float64Array | null {
  if (!t.requiresGrad) return null;
  if (t._node === null) {
    // A leaf: its gradient accumulates in .grad across backward() calls.
    if (t.grad === null) t.grad = new Tensor(new Float64Array(t.size), t.shape);
    return t.grad.data;
  }
  if (!t._node.alive) {
    const by = running ? ` (reached from ${running.op})` : "";
    throw new Error(
      `backward: the gradient reached a tensor of shape ${shapeStr(t.shape)} made by ${t._node.op}${by} whose graph was ` +
        `already freed by an earlier backward(). Values carried across backward() calls, like an RNN's hidden state ` +
        `in truncated BPTT, must be detach()ed.`,
    );
  }
  if (!inBackward) throw new Error(`gradSlot: called outside backward() for a tensor of shape ${shapeStr(t.shape)}`);
  const node = t._node;
  if (node.grad === null) {
    const base = node.view?.base;
    if (base !== undefined && base._node !== null && !t._retainGrad) {
      const offset = node.view!.offset;
      node.grad = gradSlot(base)!.subarray(offset, offset + t.size); // see recordView
      node.gradIsView = true;
    } else {
      node.grad = zeroedBuffer(t.size);
    }
  }
  return node.grad;
}

/**
 * Passes dL/dt = g[offset .. offset + t.size) on to t, for ops whose output holds their inputs'
 * numbers end to end (stack, concat along axis 0), so each input's gradient is one stretch of g.
 * When t has no gradient buffer yet (the usual case: such an op tends to be the last use of its
 * inputs, so its backward runs first), that stretch of g becomes t's gradient buffer: no buffer
 * to zero and nothing to copy; t's other consumers then add into it. Otherwise it is added.
 * Only valid inside a backward closure, with g the gradient that closure was given.
 */
export function passGradSlice(t: Tensor, g: Float64Array, offset: number): void {
  const node = t._node;
  if (t.requiresGrad && node !== null && node.alive && node.grad === null && running !== null) {
    node.grad = g.subarray(offset, offset + t.size);
    node.gradBorrowed = true; // not t's own buffer: never recycled as a spare
    running.gradLent = true; //   g now backs t's gradient: not recycled either
    return;
  }
  const slot = gradSlot(t);
  if (slot === null) return;
  for (let i = 0; i < t.size; i++) slot[i] += g[offset + i];
}

/** Adds g (dL/dt, flat) into t's gradient. Called by ops' backward closures. */
export function accumulateGrad(t: Tensor, g: Float64Array): void {
  if (g.length !== t.size) {
    const op = running ? `${running.op} backward` : "accumulateGrad";
    throw new RangeError(`${op}: gradient has ${g.length} elements but the tensor has shape ${shapeStr(t.shape)}`);
  }
  const slot = gradSlot(t);
  if (slot === null) return;
  for (let i = 0; i < g.length; i++) slot[i] += g[i];
}

/** Forget a node's closure and inputs so the graph behind it can be garbage-collected. */
function free(node: TapeNode): void {
  node.alive = false;
  node.grad = null;
  node.gradIsView = false;
  node.gradBorrowed = false;
  node.gradLent = false;
  node.backward = null;
  node.inputs = [];
}

/**
 * Computes d(loss)/d(x) for every leaf x with requiresGrad that loss depends on, adding into x.grad.
 * `loss` must be a scalar unless `grad` (dL/d(loss), same shape) is given.
 */
export function backward(loss: Tensor, grad?: Tensor): void {
  if (grad === undefined && loss.size !== 1) {
    throw new RangeError(
      `backward: called on a tensor of shape ${shapeStr(loss.shape)}; pass a gradient or reduce to a scalar first (e.g. sum())`,
    );
  }
  if (grad !== undefined && grad.size !== loss.size) {
    throw new RangeError(`backward: gradient of shape ${shapeStr(grad.shape)} does not match the tensor's shape ${shapeStr(loss.shape)}`);
  }
  if (!loss.requiresGrad) {
    throw new Error(
      `backward: this tensor of shape ${shapeStr(loss.shape)} does not require grad, so there is nothing to differentiate. ` +
        `Create parameters with requiresGrad (parameter(...)) and do not compute the loss inside noGrad().`,
    );
  }
  if (loss._node !== null && !loss._node.alive) {
    throw new Error(
      `backward: the graph behind this tensor (made by ${loss._node.op}) was already freed by an earlier backward(). ` +
        `To get gradients of several losses, add them and call backward() once.`,
    );
  }
  if (inBackward) throw new Error("backward: called from inside another backward()");

  const seed = grad === undefined ? new Float64Array(loss.size).fill(1) : grad.data;
  inBackward = true;
  const tape = nodes;
  nodes = []; // ops recorded by hooks during backward (there are none today) start a fresh tape
  const lent: Float64Array[] = [];
  try {
    accumulateGrad(loss, seed);
    for (let i = tape.length - 1; i >= 0; i--) {
      const node = tape[i];
      const g = node.grad;
      if (g === null) continue; // loss does not depend on this node
      node.grad = null; // complete now: every consumer came later on the tape
      if (node.output._retainGrad) {
        if (node.output.grad === null) node.output.grad = new Tensor(g.slice(), node.output.shape);
        else addInto(node.output.grad.data, g);
      }
      if (!node.gradIsView) {
        // (A view's gradient is part of its base's, already added there: see recordView.)
        running = node;
        node.backward!(g);
        running = null;
        // No one else holds g now (see `spare`), unless the backward lent part of it to an input
        // (passGradSlice): then it is free once the whole backward is done. A borrowed g is part
        // of another node's buffer and is never kept on its own: that buffer is.
        if (!node.gradBorrowed) {
          if (node.gradLent) lent.push(g);
          else keepSpare(g);
        }
      }
      if (anomalyDetection) checkGradients(node);
      free(node);
    }
    for (const g of lent) keepSpare(g);
  } finally {
    running = null;
    inBackward = false;
    for (const node of tape) if (node.alive) free(node);
  }
}

function addInto(target: Float64Array, g: Float64Array): void {
  for (let i = 0; i < g.length; i++) target[i] += g[i];
}

/** Anomaly mode: after a node's backward, every input's gradient must still be finite. */
function checkGradients(node: TapeNode): void {
  node.inputs.forEach((t, i) => {
    if (!t.requiresGrad) return;
    const g = t._node === null ? t.grad?.data : t._node.grad;
    const bad = g ? firstNonFinite(g) : null;
    if (bad !== null) {
      throw new RangeError(`${node.op} backward produced ${bad} in the gradient for input ${i} of shape ${shapeStr(t.shape)}`);
    }
  });
}
