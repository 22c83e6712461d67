// The per-step factor of a curve that shrinks (or grows) geometrically: how chapters 04-06 turn a
// gradient-against-distance curve into one number ("the gradient keeps 0.85 of itself per step").
//
//   kl.metrics.fittedRate([0, 1, 2, 3], [1, 0.5, 0.25, 0.125])   // 0.5
//
// The fit is least squares of log y on x (a straight line on a log-scale chart), so every point
// counts by its order of magnitude, not by its size. Notebook 04 writes it from scratch first.

/** r for y ≈ a·r^x: exp of the least-squares slope of ln y on x. Every y must be positive and finite. */
export function fittedRate(xs: ArrayLike<number>, ys: ArrayLike<number>): number {
  if (xs.length !== ys.length) throw new RangeError(`fittedRate: ${xs.length} x values and ${ys.length} y values; they must be equally long`);
  if (xs.length < 2) throw new RangeError(`fittedRate: needs at least 2 points, got ${xs.length}`);
  const n = xs.length;
  const logs = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (!(ys[i] > 0) || !Number.isFinite(ys[i])) throw new RangeError(`fittedRate: y[${i}] = ${ys[i]}; a geometric trend needs positive, finite values (a gradient that underflowed to 0 cannot be fitted: fit over the distances before it)`);
    logs[i] = Math.log(ys[i]);
  }
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) { mx += xs[i]; my += logs[i]; }
  mx /= n;
  my /= n;
  let sxy = 0, sxx = 0;
  for (let i = 0; i < n; i++) { sxy += (xs[i] - mx) * (logs[i] - my); sxx += (xs[i] - mx) ** 2; }
  if (sxx === 0) throw new RangeError("fittedRate: every x is the same; a rate needs at least two distinct x values");
  return Math.exp(sxy / sxx);
}
