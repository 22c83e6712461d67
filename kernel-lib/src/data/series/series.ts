// A time series as the loaders hold it: N steps of F features, row-major in one Float64Array
// (step t, feature f at data[t * F + f]), the same layout as a Tensor [N, F].
import { Tensor } from "../../tensor";
import { shapeStr } from "../../errors";
import { DataError } from "../errors";

export interface Series {
  readonly data: Float64Array;
  /** N: number of time steps. */
  readonly length: number;
  /** F: values per step. */
  readonly features: number;
}

/**
 * Checks that `series` is a Series (what asSeries returns), not the plain values: a plain array
 * has a length but no data, and would be read as undefined, which becomes NaN.
 */
export function checkSeries(where: string, series: Series): void {
  const s = series as Partial<Series> | null | undefined;
  const ok = s != null && s.data instanceof Float64Array && Number.isInteger(s.length) && Number.isInteger(s.features) && s.data.length === s.length! * s.features!;
  if (!ok) {
    const got = s instanceof Tensor ? `a Tensor ${shapeStr(s.shape)}` : Array.isArray(s) || ArrayBuffer.isView(s) ? `an array of ${(s as ArrayLike<number>).length} values` : String(s === null || typeof s !== "object" ? s : "an object");
    throw new DataError(`${where}: expected a series, as kl.data.asSeries(values, name) makes it, got ${got}`);
  }
}

/**
 * Accepts a plain array or Float64Array (one feature), or a Tensor [N] or [N, F]. Every value
 * must be finite: a NaN in the input would only show up later as a NaN loss.
 */
export function asSeries(values: ArrayLike<number> | Tensor, where: string): Series {
  let data: Float64Array;
  let features = 1;
  if (values instanceof Tensor) {
    if (values.rank !== 1 && values.rank !== 2) {
      throw new DataError(`${where}: a series is a Tensor [N] or [N, F], got shape ${shapeStr(values.shape)}`);
    }
    if (values.rank === 2) features = values.shape[1];
    data = values.data;
  } else {
    data = Float64Array.from(values);
  }
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      const t = Math.floor(i / features);
      throw new DataError(`${where}: value ${data[i]} at step ${t}${features > 1 ? `, feature ${i % features}` : ""} is not a finite number`);
    }
  }
  if (data.length === 0 || features === 0) throw new DataError(`${where}: the series is empty`);
  return { data, length: data.length / features, features };
}
