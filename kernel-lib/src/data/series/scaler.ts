// Normalisation per feature, fitted on the training split only. Statistics computed over the
// whole series would carry information about the test period into training (its mean level, its
// range): a quiet form of leakage. `inverse` maps predictions back to the data's units for plots.
import { Tensor } from "../../tensor";
import { DataError, checkRange } from "../errors";
import { checkSeries, type Series } from "./series";
import type { TimeRange } from "./split";

export type ScalerKind = "standard" | "minmax" | "none";

export class Scaler {
  /** x_scaled = (x - offset[f]) / scale[f] for feature f. */
  private constructor(readonly kind: ScalerKind, readonly offset: Float64Array, readonly scale: Float64Array) {}

  /**
   * Fits on the steps in `range` only (the training split). "standard": mean 0, standard
   * deviation 1; "minmax": into [0, 1]; "none": unchanged. A constant feature gets scale 1
   * (dividing by a spread of 0 would make every value NaN).
   */
  static fit(series: Series, range: TimeRange, kind: ScalerKind = "standard"): Scaler {
    const F = series.features;
    const offset = new Float64Array(F);
    const scale = new Float64Array(F).fill(1);
    checkSeries("Scaler.fit", series);
    checkRange("Scaler.fit", range, series.length);
    const n = range.end - range.start;
    if (n < 1) throw new DataError(`Scaler.fit: the fitting range ${range.start}..${range.end} is empty`);
    if (kind !== "none" && kind !== "standard" && kind !== "minmax") {
      throw new DataError(`Scaler.fit: kind must be "standard", "minmax" or "none", got ${JSON.stringify(kind)}`);
    }
    for (let f = 0; f < F && kind !== "none"; f++) {
      let sum = 0, min = Infinity, max = -Infinity;
      for (let t = range.start; t < range.end; t++) {
        const v = series.data[t * F + f];
        sum += v;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      if (kind === "minmax") {
        offset[f] = min;
        scale[f] = max > min ? max - min : 1;
      } else {
        const mean = sum / n;
        let sq = 0;
        for (let t = range.start; t < range.end; t++) sq += (series.data[t * F + f] - mean) ** 2;
        const std = Math.sqrt(sq / n);
        offset[f] = mean;
        scale[f] = std > 0 ? std : 1;
      }
    }
    return new Scaler(kind, offset, scale);
  }

  get features(): number {
    return this.offset.length;
  }

  /** The whole series, scaled (a new array, same layout). */
  transform(series: Series): Float64Array {
    this.checkFeatures(series.features, "transform");
    const F = series.features;
    return series.data.map((v, i) => (v - this.offset[i % F]) / this.scale[i % F]);
  }

  /**
   * Scaled values of one feature (default 0, the usual forecasting target) back in the data's
   * units: `scaler.inverse(model(x))` to plot predictions beside the real series.
   */
  inverse(values: ArrayLike<number> | Tensor, feature = 0): Float64Array {
    if (!Number.isInteger(feature) || feature < 0 || feature >= this.features) {
      throw new DataError(`Scaler.inverse: feature ${feature} is out of range (the scaler has ${this.features} features)`);
    }
    const v = values instanceof Tensor ? values.data : values;
    return Float64Array.from(v, (x) => x * this.scale[feature] + this.offset[feature]);
  }

  private checkFeatures(F: number, op: string): void {
    if (F !== this.features) throw new DataError(`Scaler.${op}: the series has ${F} features but the scaler was fitted on ${this.features}`);
  }

  describe(): string {
    const stats = Array.from(this.offset, (o, f) => `f${f}: ${this.kind === "minmax" ? "min" : "mean"} ${Number(o.toPrecision(5))}, ${this.kind === "minmax" ? "range" : "std"} ${Number(this.scale[f].toPrecision(5))}`);
    return `Scaler (${this.kind}, fitted on the training split): ${stats.join("; ")}`;
  }
}
