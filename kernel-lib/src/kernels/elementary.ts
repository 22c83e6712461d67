// exp, sigmoid and tanh of one number, within 2, 3 and 4 ulps of Math's (which are within one
// ulp of exact), in about half of Math's time: the fused cell ops and the softmax call them
// millions of times per training step.
//
// Why not Math.exp: in V8 it is a call out of the optimized loop into a C function (11 ns per
// value here, Math.tanh 18 ns, an add 0.4 ns), and the LSTM's gates were bound by it (see the
// bench README). The functions below are plain arithmetic V8 keeps inline (about 4 ns).
//
// How: write x = k·ln2/64 + r with k the nearest integer, so |r| ≤ ln2/128, and k = 64e + j:
//
//   e^x = 2^e · 2^(j/64) · e^r,
//
// where 2^e is exact, 2^(j/64) comes from a table, and e^r - 1 = r + r²/2 + ... + r⁶/720 is a
// short polynomial because r is tiny (its first neglected term is below 2^-60·|r|). The same
// pieces give e^x - 1 without cancellation when e = 0, which tanh needs near 0:
//
//   e^x - 1 = (2^e - 1) + 2^e · ((2^(j/64) - 1) + 2^(j/64) · (e^r - 1)),
//
// with 2^(j/64) - 1 also from a table (rounded from Math.expm1, so accurate when it is small).
// The plain kernels keep Math.exp and Math.tanh: they are the readable reference the fused ops are
// tested against (nn-readable-vs-fused.test.ts), and elementary.test.ts holds these functions to
// those ulps of Math's over their whole range.

/** 64/ln2: x·K is k before rounding. */
const K = 64 / Math.LN2;
/**
 * ln2/64 split in two: HI has only 32 significant bits, so k·HI is exact for every |k| < 2^21,
 * and LO is the rest of ln2/64 to double precision (2.319e-17 is what Math.LN2 lacks of ln 2).
 * Then r = (x - k·HI) - k·LO loses nothing to cancellation.
 */
const LN2_HI = hiPart(Math.LN2, 32);
const LN2_64_HI = LN2_HI / 64;
const LN2_64_LO = (Math.LN2 - LN2_HI + 2.3190468138462996e-17) / 64;
/** Adding and subtracting 1.5·2^52 rounds a double below 2^51 to the nearest integer (ties to even). */
const ROUND = 6755399441055744;

/**
 * POW2[e + 1100] = 2^e for e in -1100..1100: exact down to the smallest subnormal (2^-1074), 0
 * below it, Infinity above 2^1023. Multiplying by it is the last step of exp, and the one rounding
 * to a subnormal result.
 */
const POW2 = new Float64Array(2201);
/** TWO[j + 32] = 2^(j/64) and TWO_M1[j + 32] = 2^(j/64) - 1, for j in -32..31 (tanh's). */
const TWO = new Float64Array(64);
const TWO_M1 = new Float64Array(64);
/**
 * TWICE[j] = 2·2^(j/64) for j in 0..63 (exp's), paired with 2^(e-1): e^x just below the largest
 * double has e = 1024, and 2^1024 itself is not a double.
 */
const TWICE = new Float64Array(64);

for (let e = -1100; e <= 1100; e++) POW2[e + 1100] = 2 ** e;
for (let j = -32; j < 32; j++) {
  TWO[j + 32] = 2 ** (j / 64);
  TWO_M1[j + 32] = Math.expm1((j * Math.LN2) / 64);
}
for (let j = 0; j < 64; j++) TWICE[j] = 2 * 2 ** (j / 64);

/** x rounded to `bits` significant bits (towards zero). */
function hiPart(x: number, bits: number): number {
  const scale = 2 ** (bits - 1 - Math.floor(Math.log2(x)));
  return Math.trunc(x * scale) / scale;
}

/** e^x - 1 = r + r²/2 + ... + r⁶/720 for |r| <= ln2/128 (the next term is below 2^-60·|r|). */
function expm1Small(r: number): number {
  return r + r * r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720)))));
}

/**
 * e^x, within 2 ulps of Math.exp(x) for every x (0 and Infinity where e^x leaves the doubles,
 * NaN for NaN). Here k = 64e + j with j in 0..63, computed as 2·2^(j/64)·2^(e-1). x is clamped first (e^710 overflows and e^-746 is 0 in
 * double precision either way) so that the table is never read out of range; no branch, no call:
 * V8 keeps the whole function inline in the loop that calls it.
 */
export function exp(x: number): number {
  const c = Math.max(Math.min(x, 710), -746); // NaN stays NaN
  const kf = c * K + ROUND - ROUND;
  const k = kf | 0;
  const j = k & 63;
  const t = TWICE[j];
  return (t + t * expm1Small(c - kf * LN2_64_HI - kf * LN2_64_LO)) * POW2[(k >> 6) + 1099];
}

/**
 * The logistic sigmoid 1 / (1 + e^-x), from e^-|x| so that nothing overflows: for x < 0 it is
 * e^x / (1 + e^x). The same two forms as the sigmoid kernel, with `exp` in place of Math.exp.
 */
export function sigmoid(x: number): number {
  const e = exp(x < 0 ? x : -x);
  const s = 1 / (1 + e);
  return x < 0 ? e * s : s;
}

/**
 * tanh(x) = -m / (m + 2) with m = e^(-2|x|) - 1, the sign put back by Math.sign (which keeps ±0
 * and NaN). Here k = 64e + j with j in -32..31, so that e = 0 for every |x| < ln2/4 and m is
 * (2^e - 1) + 2^e·((2^(j/64) - 1) + 2^(j/64)·(e^r - 1)) without cancellation: small |x| keep
 * their relative accuracy. Beyond |x| = 20, tanh is ±1 in double precision, so |x| is clamped there.
 */
export function tanh(x: number): number {
  const y = -2 * Math.min(Math.abs(x), 20); // -40 <= y <= 0 (or NaN, which flows through)
  const kf = y * K + ROUND - ROUND;
  const k = kf | 0;
  const j = ((k + 32) & 63) - 32;
  const p = POW2[((k - j) >> 6) + 1100];
  const m = p - 1 + p * (TWO_M1[j + 32] + TWO[j + 32] * expm1Small(y - kf * LN2_64_HI - kf * LN2_64_LO));
  return Math.sign(x) * Math.abs(m / (m + 2));
}
