// Pearson's correlation of two equally long lists of numbers, the measure notebooks use to ask
// "does this hidden unit track that property of the input?".
import { valuesOf, type Numbers } from "./values";

/**
 * r = cov(a, b) / (sd(a) sd(b)), in [-1, 1]: 1 when b rises exactly with a, -1 when it falls, 0
 * when a straight line through the points explains nothing. NaN when either list is constant
 * (a constant tracks nothing). Tensors are read as their flat values.
 */
export function correlation(a: Numbers, b: Numbers): number {
  const x = valuesOf(a);
  const y = valuesOf(b);
  if (x.length !== y.length) throw new RangeError(`correlation: the lists have ${x.length} and ${y.length} values; they must be equally long`);
  if (x.length < 2) throw new RangeError(`correlation: needs at least 2 pairs of values, got ${x.length}`);
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? NaN : sxy / Math.sqrt(sxx * syy);
}
