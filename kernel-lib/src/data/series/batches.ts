// Minibatches of windows. Shuffling the *order of windows* within the training split is fine
// (each window is one example); what must never happen is mixing steps across the time split.
import { Rng } from "../../random";
import { Tensor } from "../../tensor";
import { shapeStr } from "../../errors";
import { DataError, checkInt } from "../errors";

export interface Minibatch {
  /** [T, B, F] */
  x: Tensor;
  /** [B, ...] (the rows of y for the same windows) */
  y: Tensor;
}

/** Picks windows `idx` from x [T, W, F] (axis 1) and rows `idx` of y [W, ...]. */
export function takeWindows(x: Tensor, y: Tensor, idx: ArrayLike<number>): Minibatch {
  if (x.rank !== 3) throw new DataError(`takeWindows: x must be [T, W, F] (time-major windows), got ${shapeStr(x.shape)}`);
  const [T, W, F] = x.shape;
  if (y.rank < 1 || y.shape[0] !== W) {
    throw new DataError(`takeWindows: y ${shapeStr(y.shape)} must have one row per window, and x ${shapeStr(x.shape)} holds ${W} windows`);
  }
  if (idx === null || typeof idx !== "object" || !Number.isInteger(idx.length) || idx instanceof Tensor) {
    throw new DataError(`takeWindows: idx must be an array of window indices, got ${idx instanceof Tensor ? `a Tensor ${shapeStr(idx.shape)} (pass its .data)` : String(idx)}`);
  }
  const B = idx.length;
  for (let b = 0; b < B; b++) {
    // Past the end, subarray() is empty and set() copies nothing: the window would be zeros in silence.
    const i = idx[b];
    if (!Number.isInteger(i) || i < 0 || i >= W) {
      throw new DataError(`takeWindows: window index ${i} at position ${b} is out of range: x ${shapeStr(x.shape)} holds ${W} windows (0..${W - 1})`);
    }
  }
  const xo = new Float64Array(T * B * F);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) xo.set(x.data.subarray((t * W + idx[b]) * F, (t * W + idx[b] + 1) * F), (t * B + b) * F);
  }
  const row = y.size / y.shape[0];
  const yo = new Float64Array(B * row);
  for (let b = 0; b < B; b++) yo.set(y.data.subarray(idx[b] * row, (idx[b] + 1) * row), b * row);
  return { x: new Tensor(xo, [T, B, F]), y: new Tensor(yo, [B, ...y.shape.slice(1)]) };
}

/**
 * Splits windows x [T, W, F], y [W, ...] into minibatches of `batchSize` (the last one may be
 * smaller). With an Rng the windows come in a random order: pass a fresh fork each epoch.
 */
export function minibatches(data: { x: Tensor; y: Tensor }, batchSize: number, rng?: Rng): Minibatch[] {
  const { x, y } = data;
  if (x.rank !== 3) throw new DataError(`minibatches: x must be [T, W, F] (time-major windows), got ${shapeStr(x.shape)}`);
  if (y.rank < 1 || y.shape[0] !== x.shape[1]) {
    throw new DataError(`minibatches: y ${shapeStr(y.shape)} must have one row per window of x ${shapeStr(x.shape)} (${x.shape[1]})`);
  }
  checkInt("minibatches", "batchSize", batchSize, 1);
  const order = Array.from({ length: x.shape[1] }, (_, i) => i);
  if (rng) rng.shuffle(order);
  const out: Minibatch[] = [];
  for (let i = 0; i < order.length; i += batchSize) out.push(takeWindows(x, y, order.slice(i, i + batchSize)));
  return out;
}
