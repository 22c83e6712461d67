// A forecasting data set in one call: split by time, fit the scaler on the training split, then
// cut windows inside each split. No window crosses a split boundary, so no test value is ever an
// input or a target during training.
import { Tensor } from "../../tensor";
import { describeLines, namedShape, type Described } from "../describe";
import { DataError } from "../errors";
import { asSeries } from "./series";
import { Scaler, type ScalerKind } from "./scaler";
import { timeSplit, type SplitFractions, type TimeSplit } from "./split";
import { slidingWindows, type Windows } from "./windows";

export interface ForecastOptions {
  /** T: steps the model reads. */
  window: number;
  /** H: steps to predict after the window (default 1). */
  horizon?: number;
  /** Steps between window starts (default 1). */
  stride?: number;
  /** Which feature to predict (default 0). */
  target?: number;
  /** Split fractions (default train 0.7, val 0.15, test the rest). */
  split?: SplitFractions;
  /** Normalisation fitted on the training split (default "standard"). */
  scale?: ScalerKind;
  /** A name for describe() and errors. */
  name?: string;
}

export interface ForecastData extends Described {
  readonly name: string;
  /** Where each split lies, in steps of the original series. */
  readonly split: TimeSplit;
  readonly scaler: Scaler;
  /** The whole series, scaled: [N, F] (what the windows were cut from). */
  readonly scaled: Tensor;
  /** x [T, W, F], y [W, H], starts [W]: scaled values. */
  readonly train: Windows;
  readonly val: Windows;
  readonly test: Windows;
  /** Scaled predictions (or targets) of the target feature back in the data's units. */
  inverse(values: ArrayLike<number> | Tensor): Float64Array;
}

/**
 * `forecastDataset(births, { window: 28, horizon: 7 })`: x [28, W, 1] → y [W, 7] per split.
 * `values` is a plain array (one feature) or a Tensor [N] / [N, F].
 */
export function forecastDataset(values: ArrayLike<number> | Tensor, options: ForecastOptions): ForecastData {
  const name = options.name ?? "series";
  const series = asSeries(values, `forecastDataset (${name})`);
  const split = timeSplit(series.length, options.split);
  const scaler = Scaler.fit(series, split.train, options.scale ?? "standard");
  const scaled = { data: scaler.transform(series), length: series.length, features: series.features };
  const target = options.target ?? 0;
  // Every split needs a whole window and horizon of its own (no window crosses a boundary).
  const need = options.window + (options.horizon ?? 1);
  const lengths = (["train", "val", "test"] as const).map((w) => [w, split[w].end - split[w].start] as const);
  const short = lengths.find(([, n]) => n < need);
  if (Number.isInteger(need) && short !== undefined) {
    // The shortest series these fractions split into long enough parts: what to aim for.
    let enough = series.length;
    const fits = (n: number) => { const t = timeSplit(n, options.split); return (["train", "val", "test"] as const).every((w) => t[w].end - t[w].start >= need); };
    while (!fits(enough) && enough < series.length + 1e6) enough++;
    throw new DataError(
      `forecastDataset (${name}): a window of ${options.window} steps plus a horizon of ${options.horizon ?? 1} needs ${need} steps in every split, ` +
        `but the series' ${series.length} steps split into ${lengths.map(([w, n]) => `${w} ${n}`).join(", ")}: the ${short[0]} split is too short. ` +
        `With these split fractions the series needs at least ${enough} steps; or shorten the window or the horizon, or give other fractions (options.split)`,
    );
  }
  const cut = (which: "train" | "val" | "test") =>
    slidingWindows(scaled, { window: options.window, horizon: options.horizon, stride: options.stride, target, range: split[which], label: `${name}, ${which} split` });
  const train = cut("train");
  const val = cut("val");
  const test = cut("test");
  return {
    name,
    split,
    scaler,
    scaled: new Tensor(scaled.data, [series.length, series.features]),
    train,
    val,
    test,
    inverse: (v) => scaler.inverse(v, target),
    describe: () =>
      describeLines(`Forecasting windows of ${name}: ${series.length} steps of ${series.features} feature${series.features > 1 ? "s" : ""}`, [
        ["train", `steps ${split.train.start}..${split.train.end - 1}: x ${namedShape(train.x.shape, ["T", "W", "F"])}, y ${namedShape(train.y.shape, ["W", "H"])}`],
        ["val", `steps ${split.val.start}..${split.val.end - 1}: x ${namedShape(val.x.shape, ["T", "W", "F"])}, y ${namedShape(val.y.shape, ["W", "H"])}`],
        ["test", `steps ${split.test.start}..${split.test.end - 1}: x ${namedShape(test.x.shape, ["T", "W", "F"])}, y ${namedShape(test.y.shape, ["W", "H"])}`],
        ["scaling", scaler.describe()],
      ]),
  };
}
