// How far a forecast is from what happened, in the two numbers forecasting reports use: the mean
// absolute error (in the data's units: "off by 420 births a day") and the mean absolute percentage
// error (unit-free: "off by 3.8 %", comparable across eras whose levels differ).
import { valuesOf, type Numbers } from "./values";

function pairs(op: string, forecast: Numbers, actual: Numbers): [ArrayLike<number>, ArrayLike<number>] {
  const f = valuesOf(forecast);
  const a = valuesOf(actual);
  if (f.length !== a.length) throw new RangeError(`${op}: the forecast has ${f.length} values and the actual series ${a.length}; they must be equally long`);
  if (f.length === 0) throw new RangeError(`${op}: no values to compare`);
  return [f, a];
}

/** mean |forecast - actual|, in the data's units. Tensors are read as their flat values. */
export function mae(forecast: Numbers, actual: Numbers): number {
  const [f, a] = pairs("mae", forecast, actual);
  let total = 0;
  for (let i = 0; i < f.length; i++) total += Math.abs(f[i] - a[i]);
  return total / f.length;
}

/**
 * 100 · mean |forecast - actual| / |actual|, in percent. An actual value of 0 makes it undefined:
 * that is an error naming the position, not an Infinity that would pass unseen.
 */
export function mape(forecast: Numbers, actual: Numbers): number {
  const [f, a] = pairs("mape", forecast, actual);
  let total = 0;
  for (let i = 0; i < f.length; i++) {
    if (a[i] === 0) throw new RangeError(`mape: the actual value at position ${i} is 0, where a percentage error is undefined; use mae`);
    total += Math.abs((f[i] - a[i]) / a[i]);
  }
  return (100 * total) / f.length;
}
