// Values changed in place between forward and backward. An op's backward reads the values its
// inputs had in the forward pass (linear's weight gradient is built from x): if a parameter, an
// input or a constant is changed before backward() (optimizer.step() too early, an init,
// loadStateDict, `p.data[0] = 5`), the gradient comes out silently wrong. PyTorch counts versions;
// here changes through `.data` must be caught as well, which no counter sees. So when a leaf (a
// tensor no recorded op made) is first used by a recorded op, a fingerprint of its numbers is
// kept, and backward() recomputes each fingerprint once before it computes anything: one pass
// over each leaf's values at record time and one at backward, per step.
//
// Covered: every leaf a recorded op used (parameters, inputs, constants, views of them).
// Not covered: intermediate results (outputs of recorded ops) changed through .data.
import { describeScope, describeTensor, currentScope, type Scope } from "./scope";
import type { Tensor } from "../tensor";
import type { TapeNode } from "./tape";

interface Saved {
  /** The fingerprint of the leaf's numbers when the op below first used it. */
  readonly hash: number;
  /** The first recorded op that used the leaf. */
  readonly node: TapeNode;
  /** The layer whose forward ran that op (for the message). */
  readonly scope: Scope | null;
}

/** The leaves used by the ops on the tape (tape.ts hands over and restores this with the tape). */
export type SavedLeaves = Map<Tensor, Saved>;

let saved: SavedLeaves = new Map();

/** After record() put `node` on the tape: fingerprint the leaves among its inputs not seen yet. */
export function rememberLeaves(node: TapeNode): void {
  const inputs = node.inputs;
  for (let k = 0; k < inputs.length; k++) {
    const t = inputs[k];
    if (t._node === null && !saved.has(t)) saved.set(t, { hash: fingerprint(t.data), node, scope: currentScope() });
  }
}

/** Takes the leaves recorded so far (with the tape, at the start of backward) and starts a new set. */
export function takeSavedLeaves(): SavedLeaves {
  const taken = saved;
  saved = new Map();
  return taken;
}

/** retainGraph: the kept tape's leaves are checked again by the next backward(). */
export function restoreSavedLeaves(kept: SavedLeaves): void {
  for (const [t, s] of saved) if (!kept.has(t)) kept.set(t, s);
  saved = kept;
}

/**
 * Refuses, before any gradient is computed, when a leaf that an op the loss depends on used has
 * changed since. A change to a leaf that only a graph the loss does not depend on used (an
 * evaluation outside noGrad, then optimizer.step()) is no error; the price is that a leaf first
 * used by such a graph is not checked for the graphs recorded after it. Returns quietly when
 * nothing changed: the usual case costs one fingerprint per leaf.
 */
export function checkSavedLeaves(leaves: SavedLeaves, tape: readonly TapeNode[], loss: Tensor): void {
  let changed: [Tensor, Saved][] | null = null;
  for (const entry of leaves) if (fingerprint(entry[0].data) !== entry[1].hash) (changed ??= []).push(entry);
  if (changed === null) return;
  const reached = reachedFrom(loss, tape);
  const hit = changed.find(([, s]) => reached.has(s.node));
  if (hit === undefined) return;
  const [t, s] = hit;
  const where = describeScope(s.scope);
  throw new Error(
    `backward: ${describeTensor(t, s.scope)} was changed in place after ${s.node.op}${where ? ` ${where}` : ""} used it ` +
      `in the forward pass, so the gradients would be computed from the wrong values. Call backward() before changing it ` +
      `(e.g. before optimizer.step()), or run the forward pass again after the change.`,
  );
}

/** The nodes on `tape` that `loss` depends on (the tape is in recording order). */
function reachedFrom(loss: Tensor, tape: readonly TapeNode[]): Set<TapeNode> {
  const reached = new Set<TapeNode>();
  if (loss._node !== null) reached.add(loss._node);
  for (let i = tape.length - 1; i >= 0; i--) {
    const node = tape[i];
    if (!reached.has(node)) continue;
    for (const t of node.inputs) if (t._node !== null) reached.add(t._node);
  }
  return reached;
}

/**
 * A 32-bit fingerprint of the numbers' bits: four interleaved multiply-add lanes over the 32-bit
 * words (four independent lanes: ~1.4x as fast as two). A change to any one word always changes
 * it (the multipliers are odd, so every step is invertible); other changes collide with odds of
 * about 1 in 2^32.
 */
function fingerprint(data: Float64Array): number {
  const w = new Int32Array(data.buffer, data.byteOffset, data.length * 2);
  const n = w.length - (w.length % 4);
  let a = 1, b = 2, c = 3, d = 4;
  for (let i = 0; i < n; i += 4) {
    a = (Math.imul(a, 0x01000193) + w[i]) | 0;
    b = (Math.imul(b, 0x5bd1e995) + w[i + 1]) | 0;
    c = (Math.imul(c, 0x01000193) + w[i + 2]) | 0;
    d = (Math.imul(d, 0x5bd1e995) + w[i + 3]) | 0;
  }
  for (let i = n; i < w.length; i++) a = (Math.imul(a, 0x01000193) + w[i]) | 0;
  return (a ^ Math.imul(b, 0x9e3779b1) ^ Math.imul(c, 0x85ebca6b) ^ Math.imul(d, 0xc2b2ae35)) | 0;
}
