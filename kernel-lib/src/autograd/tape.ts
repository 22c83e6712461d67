// Reverse-mode automatic differentiation with a tape (a "Wengert list"). The whole engine is this
// file; buffers.ts makes its gradient arrays cheaper and anomaly.ts checks for NaN (switched on
// with detectAnomaly), and neither changes a number; saved.ts refuses a backward() whose inputs
// were changed in place after the forward pass used them (scope.ts names the layer in messages).
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
// (truncated backprop through time), detach() it (Tensor.detach: same numbers, no history).
// An intermediate tensor's gradient lives on its node and is dropped after use, unless the tensor
// asked to keep it (Tensor.retainGrad).
import { shapeStr } from "../errors";
import { Tensor } from "../tensor";
import { checkGradients, checkOutput, checkSeed, isAnomalyDetectionEnabled } from "./anomaly";
import { newGradBuffer, recycleGradBuffer, releaseLentBuffers } from "./buffers";
import { checkSavedLeaves, rememberLeaves, restoreSavedLeaves, takeSavedLeaves } from "./saved";
import { currentScope, type Scope } from "./scope";

/** One recorded op. */
export interface TapeNode {
  /** The op's name ("matmul", "tanh", ...), used in anomaly and freed-graph errors. */
  readonly op: string;
  readonly output: Tensor;
  inputs: Tensor[];
  /** Receives dL/d(output) (flat, same length as output.data) and adds dL/d(input) into gradSlot(input). */
  backward: ((gradOutput: Float64Array) => void) | null;
  /** False once a backward() has consumed (or resetTape() dropped) this node. */
  alive: boolean;
  /** During backward(): dL/d(output), summed up from the output's consumers (null until the first one). */
  grad: Float64Array | null;
  // Gradient-buffer sharing (buffers.ts): whether `grad` is part of another node's buffer.
  /** Set by recordView: the output's data is base.data.subarray(offset, offset + size). */
  view: { base: Tensor; offset: number } | null;
  /** `grad` is a view of the base's gradient (a view's backward then has nothing left to do). */
  gradIsView: boolean;
  /** `grad` is a stretch of a consumer's gradient (passGradSlice). */
  gradBorrowed: boolean;
  /** This node's backward lent stretches of its `grad` to its inputs (passGradSlice). */
  gradLent: boolean;
  /** In anomaly mode: the layer whose forward recorded this node (scope.ts), for its messages. */
  scope: Scope | null;
}

let nodes: TapeNode[] = [];
let gradEnabled = true;
/** True while a backward() runs. */
let inBackward = false;
/** The node whose backward closure is running (for error messages, and for passGradSlice). */
let running: TapeNode | null = null;

/** Warn once if the tape grows this long without a backward(): usually a forgotten noGrad(). */
const LONG_TAPE = 1_000_000;
let warnedLongTape = false;

/** Number of nodes on the tape (0 after backward()). */
export function tapeSize(): number {
  return nodes.length;
}

/**
 * The longest chain of recorded ops from a leaf to `t` on the current tape: how many ops must run
 * one after another to compute t, however many processors there are (the "sequential operations"
 * of Vaswani et al. 2017, Table 1). Views (a reshape, a slice of contiguous numbers) compute nothing
 * and count 0. Call it after the forward pass, before backward() empties the tape.
 */
export function graphDepth(t: Tensor): number {
  const depth = new Map<Tensor, number>();
  for (const node of nodes) {
    let d = 0;
    for (const input of node.inputs) d = Math.max(d, depth.get(input) ?? 0);
    depth.set(node.output, d + (node.view === null ? 1 : 0));
  }
  return depth.get(t) ?? 0;
}

/**
 * Bytes of the numbers the tape holds on to (each recorded op's output, views not counted twice):
 * the activations a backward() will read, which is what a training step's memory grows with.
 */
export function tapeBytes(): number {
  let bytes = 0;
  for (const node of nodes) if (node.view === null) bytes += node.output.data.byteLength;
  return bytes;
}

/** Drops every recorded node without computing gradients (e.g. after an evaluation pass that forgot noGrad). */
export function resetTape(): void {
  for (const node of nodes) free(node);
  nodes = [];
  takeSavedLeaves(); // and forget the values they used (saved.ts)
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
 * Called by every op with its output, its inputs, its local backward and its name. Records a
 * node when grad mode is on and some input requires grad (then output.requiresGrad = true);
 * otherwise records nothing. Returns `output`, so an op can end with `return record(...)`.
 */
export function record(output: Tensor, inputs: Tensor[], backward: (gradOutput: Float64Array) => void, op = "op"): Tensor {
  const anomaly = isAnomalyDetectionEnabled();
  if (anomaly) checkOutput(op, output, inputs);
  if (!needsGrad(...inputs)) return output;
  output.requiresGrad = true;
  const node: TapeNode = {
    op, output, inputs, backward, alive: true, grad: null, view: null, gradIsView: false, gradBorrowed: false, gradLent: false,
    scope: anomaly ? currentScope() : null,
  };
  output._node = node;
  nodes.push(node);
  rememberLeaves(node); // so that backward() can tell if one is changed in place before it runs (saved.ts)
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
 * The array that dL/dt is added into, or null if t does not need a gradient. An op's backward
 * closure adds its contribution for each input here (accumulateGrad does it for a whole array).
 * Only valid inside a backward closure.
 */
export function gradSlot(t: Tensor): Float64Array | null {
  if (!t.requiresGrad) return null;
  const node = t._node;
  if (node === null) {
    // A leaf: its gradient accumulates in .grad across backward() calls.
    if (t.grad === null) t.grad = new Tensor(new Float64Array(t.size), t.shape);
    return t.grad.data;
  }
  if (!node.alive) {
    const by = running ? ` (reached from ${running.op})` : "";
    throw new Error(
      `backward: the gradient reached a tensor of shape ${shapeStr(t.shape)} made by ${node.op}${by} whose graph was ` +
        `already freed by an earlier backward(). Values carried across backward() calls, like an RNN's hidden state ` +
        `in truncated BPTT, must be detach()ed.`,
    );
  }
  if (!inBackward) throw new Error(`gradSlot: called outside backward() for a tensor of shape ${shapeStr(t.shape)}`);
  if (node.grad === null) node.grad = newGradBuffer(t, node); // zeroed (buffers.ts)
  return node.grad;
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

export interface BackwardOptions {
  /**
   * Keep the graph after this backward, so that another backward() can walk it again (PyTorch's
   * retain_graph): e.g. the gradient of each output position separately from one forward pass.
   * Gradients then add up over the calls, for leaves and for retainGrad() tensors alike.
   */
  retainGraph?: boolean;
}

/**
 * Computes d(loss)/d(x) for every leaf x with requiresGrad that loss depends on, adding into x.grad.
 * `loss` must be a scalar unless `grad` (dL/d(loss), same shape) is given.
 */
export function backward(loss: Tensor, grad?: Tensor, options: BackwardOptions = {}): void {
  checkBackwardCall(loss, grad);
  const seed = grad === undefined ? new Float64Array(loss.size).fill(1) : grad.data;
  const retain = options.retainGraph === true;
  const anomalyChecks = isAnomalyDetectionEnabled();
  if (anomalyChecks) checkSeed(loss, seed);
  const tape = nodes;
  const leaves = takeSavedLeaves();
  try {
    checkSavedLeaves(leaves, tape, loss); // refuses if a value an op used was changed in place since
  } catch (e) {
    resetTape(); // the graph cannot give a right gradient: drop it, so the next forward starts clean
    throw e;
  }
  inBackward = true;
  nodes = []; // anything recorded from here on belongs to a new graph
  let completed = false;
  try {
    accumulateGrad(loss, seed);
    for (let i = tape.length - 1; i >= 0; i--) {
      const node = tape[i];
      const g = node.grad;
      if (g === null) continue; // the loss does not depend on this node
      node.grad = null; //         complete now: every consumer came later on the tape
      if (node.output._retainGrad) keepGrad(node.output, g);
      if (!node.gradIsView) {
        // (A view's gradient is part of its base's and already there: see buffers.ts.)
        running = node;
        node.backward!(g); // the chain rule, one op: dL/d(inputs) from dL/d(output)
        running = null;
      }
      recycleGradBuffer(node, g);
      if (anomalyChecks) checkGradients(node);
      if (!retain) free(node);
    }
    completed = true;
  } finally {
    running = null;
    inBackward = false;
    releaseLentBuffers(completed);
    if (retain) {
      for (const node of tape) clearGrad(node);
      nodes = tape.concat(nodes);
      restoreSavedLeaves(leaves);
    } else {
      for (const node of tape) if (node.alive) free(node);
    }
  }
}

/** The node whose backward closure is running, or null (for buffers.ts and error messages). */
export function runningNode(): TapeNode | null {
  return running;
}

/** retainGrad(): an intermediate tensor keeps a copy of its gradient, summed over backward() calls. */
function keepGrad(t: Tensor, g: Float64Array): void {
  if (t.grad === null) {
    t.grad = new Tensor(g.slice(), t.shape);
    return;
  }
  const target = t.grad.data;
  for (let i = 0; i < g.length; i++) target[i] += g[i];
}

/** Forget a node's closure and inputs so the graph behind it can be garbage-collected. */
function free(node: TapeNode): void {
  clearGrad(node);
  node.alive = false;
  node.backward = null;
  node.inputs = [];
}

/** Ready for another backward (retainGraph): no gradient, no shared buffer. */
function clearGrad(node: TapeNode): void {
  node.grad = null;
  node.gradIsView = false;
  node.gradBorrowed = false;
  node.gradLent = false;
}

function checkBackwardCall(loss: Tensor, grad: Tensor | undefined): void {
  if (grad === undefined && loss.size !== 1) {
    throw new RangeError(
      `backward: called on a tensor of shape ${shapeStr(loss.shape)}; pass a gradient or reduce to a scalar first (e.g. sum())`,
    );
  }
  if (grad !== undefined && (grad.rank !== loss.rank || grad.shape.some((d, i) => d !== loss.shape[i]))) {
    throw new RangeError(`backward: gradient of shape ${shapeStr(grad.shape)} does not match the tensor's shape ${shapeStr(loss.shape)}`);
  }
  if (!loss.requiresGrad) {
    throw new Error(
      `backward: this tensor of shape ${shapeStr(loss.shape)} does not require grad, so there is nothing to differentiate. ` +
        `Make parameters with requiresGrad (new kl.nn.Parameter(...)) and do not compute the loss inside noGrad().`,
    );
  }
  if (loss._node !== null && !loss._node.alive) {
    throw new Error(
      `backward: the graph behind this tensor (made by ${loss._node.op}) was already freed by an earlier backward(). ` +
        `To get gradients of several losses, add them and call backward() once.`,
    );
  }
  if (inBackward) throw new Error("backward: called from inside another backward()");
}
