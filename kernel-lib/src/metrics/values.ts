// What the metrics accept as a list of numbers: a plain array (or typed array), or a Tensor read
// as its flat values.
import { Tensor } from "../tensor";

export type Numbers = ArrayLike<number> | Tensor;

export function valuesOf(v: Numbers): ArrayLike<number> {
  return v instanceof Tensor ? v.data : v;
}
