// Sliding windows: the way a series becomes training examples for a recurrent network. Window w
// is `window` consecutive steps starting at starts[w]; its target is what follows it.
//
// Layout: inputs are time-major, x [T, W, F] (T steps of a batch of W windows of F features), the
// layout the RNN/LSTM/GRU layers read. Targets are batch-major, y [W, H]: the H values after each
// window, as a Linear layer on the last hidden state produces them.
import { Tensor } from "../../tensor";
import { DataError, checkInt, checkRange } from "../errors";
import { checkSeries, type Series } from "./series";
import type { TimeRange } from "./split";

export interface WindowOptions {
  /** T: steps the model reads. */
  window: number;
  /** H: steps after the window to predict (default 1). */
  horizon?: number;
  /** Steps between the starts of consecutive windows (default 1: every possible window). */
  stride?: number;
  /** Which feature is predicted (default 0). */
  target?: number;
  /** Windows (inputs and targets) lie entirely inside this range (default: the whole series). */
  range?: TimeRange;
  /** Named in errors: "train split", "births". */
  label?: string;
}

export interface Windows {
  /** [T, W, F] */
  readonly x: Tensor;
  /** [W, H] for forecasting; [W] (one class per window) for labelled windows. */
  readonly y: Tensor;
  /** starts[w]: the step (in the whole series) where window w begins. */
  readonly starts: Int32Array;
}

function windowStarts(range: TimeRange | undefined, span: number, need: number, stride: number, where: string, what: string): number {
  if (span < need) {
    const has = range === undefined ? `the series has only ${span}` : span === 0 ? `the range ${range.start}..${range.end} is empty` : `the range ${range.start}..${range.end} holds only ${span}`;
    throw new DataError(`${where}: ${what} needs ${need} steps, but ${has}`);
  }
  return Math.floor((span - need) / stride) + 1;
}

function copyInputs(series: Series, starts: Int32Array, T: number): Tensor {
  const F = series.features;
  const W = starts.length;
  const x = new Float64Array(T * W * F);
  for (let t = 0; t < T; t++) {
    for (let w = 0; w < W; w++) {
      const from = (starts[w] + t) * F;
      x.set(series.data.subarray(from, from + F), (t * W + w) * F);
    }
  }
  return new Tensor(x, [T, W, F]);
}

/** Forecasting windows: x [T, W, F] and the next H values of the target feature, y [W, H]. */
export function slidingWindows(series: Series, options: WindowOptions): Windows {
  const where = `slidingWindows${options.label ? ` (${options.label})` : ""}`;
  checkSeries(where, series);
  const T = checkInt(where, "window", options.window, 1);
  const H = checkInt(where, "horizon", options.horizon ?? 1, 1);
  const stride = checkInt(where, "stride", options.stride ?? 1, 1);
  const target = options.target ?? 0;
  if (!Number.isInteger(target) || target < 0 || target >= series.features) {
    throw new DataError(`${where}: target feature ${target} is out of range (the series has ${series.features} features)`);
  }
  const { start, end } = options.range ?? { start: 0, end: series.length };
  checkRange(where, { start, end }, series.length);
  const W = windowStarts(options.range, end - start, T + H, stride, where, `a window of ${T} steps plus a horizon of ${H}`);
  const starts = Int32Array.from({ length: W }, (_, w) => start + w * stride);
  const F = series.features;
  const y = new Float64Array(W * H);
  for (let w = 0; w < W; w++) {
    for (let h = 0; h < H; h++) y[w * H + h] = series.data[(starts[w] + T + h) * F + target];
  }
  return { x: copyInputs(series, starts, T), y: new Tensor(y, [W, H]), starts };
}

/**
 * Classification windows: x [T, W, F], and y [W] the label of each window's last step ("is the
 * reading the window ends on anomalous, given the steps before it?").
 */
export function labelledWindows(series: Series, labels: ArrayLike<number>, options: Omit<WindowOptions, "horizon" | "target">): Windows {
  const where = `labelledWindows${options.label ? ` (${options.label})` : ""}`;
  checkSeries(where, series);
  if (labels.length !== series.length) {
    throw new DataError(`${where}: ${labels.length} labels for a series of ${series.length} steps; need one per step`);
  }
  // A label is a class: a whole number (0/1 for an anomaly, or a class index). A NaN (a missing
  // label) would become a NaN target that surfaces as a NaN loss epochs later.
  for (let t = 0; t < labels.length; t++) {
    if (!Number.isInteger(labels[t]) || labels[t] < 0) {
      throw new DataError(`${where}: the label at step ${t} is ${labels[t]}; a label is a class, a whole number from 0 (for an anomaly score: 0 normal, 1 anomaly)`);
    }
  }
  const T = checkInt(where, "window", options.window, 1);
  const stride = checkInt(where, "stride", options.stride ?? 1, 1);
  const { start, end } = options.range ?? { start: 0, end: series.length };
  checkRange(where, { start, end }, series.length);
  const W = windowStarts(options.range, end - start, T, stride, where, `a window of ${T} steps`);
  const starts = Int32Array.from({ length: W }, (_, w) => start + w * stride);
  const y = Float64Array.from(starts, (s) => labels[s + T - 1]);
  return { x: copyInputs(series, starts, T), y: new Tensor(y, [W]), starts };
}
