// kernels/elementary.ts: exp, sigmoid and tanh of our own, held to a few ulps of Math's over their
// whole range (Math.exp and Math.tanh are within one ulp of exact). A slip in the method shows as
// tens of ulps or more (tried): without the polynomial's last term tanh is 41 ulps off near 0.003,
// and with ln2 lacking its low part exp is 213 ulps off near 709.
import { test } from "node:test";
import assert from "node:assert/strict";
import { exp, sigmoid, tanh } from "../src/kernels/elementary";
import { Rng } from "../src/random";

/** |got - want| in units of the spacing of doubles at want (subnormal spacing below 2^-1022). */
function ulps(got: number, want: number): number {
  if (Object.is(got, want)) return 0;
  if (!Number.isFinite(got) || !Number.isFinite(want)) return Infinity;
  const binade = Math.max(Math.abs(want), 2 ** -1022);
  return Math.abs(got - want) / 2 ** (Math.floor(Math.log2(binade)) - 52);
}

/** The sigmoid kernel's formula, with Math.exp. */
const referenceSigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/** Arguments: a dense grid over each function's whole range, and random ones at every scale. */
function sweep(range: number): number[] {
  const xs: number[] = [];
  for (let i = -20000; i <= 20000; i++) xs.push((i / 20000) * range);
  const rng = new Rng(16);
  for (let i = 0; i < 200000; i++) {
    xs.push(rng.uniform(-range, range)); // the whole range
    xs.push(rng.uniform(-1, 1)); // where the gates' pre-activations mostly are
    xs.push((rng.next() - 0.5) * 2 ** -rng.int(60)); // tiny ones, down to 2^-60
  }
  return xs;
}

function worst(f: (x: number) => number, reference: (x: number) => number, xs: number[]): { ulps: number; at: number } {
  let w = { ulps: 0, at: NaN };
  for (const x of xs) {
    const u = ulps(f(x), reference(x));
    if (u > w.ulps) w = { ulps: u, at: x };
  }
  return w;
}

test("exp is within 2 ulps of Math.exp from underflow to overflow", () => {
  const w = worst(exp, Math.exp, sweep(750));
  assert.ok(w.ulps <= 2, `exp(${w.at}) is ${w.ulps} ulps from Math.exp`);
});

test("sigmoid is within 3 ulps of the sigmoid kernel's formula with Math.exp", () => {
  const w = worst(sigmoid, referenceSigmoid, sweep(750));
  assert.ok(w.ulps <= 3, `sigmoid(${w.at}) is ${w.ulps} ulps from the reference`);
});

test("tanh is within 4 ulps of Math.tanh, small arguments included (no cancellation near 0)", () => {
  const w = worst(tanh, Math.tanh, sweep(25));
  assert.ok(w.ulps <= 4, `tanh(${w.at}) is ${w.ulps} ulps from Math.tanh`);
});

test("the edges: infinities, NaN, signed zeros, the largest finite and the subnormal results", () => {
  for (const [x, want] of [[Infinity, Infinity], [-Infinity, 0], [NaN, NaN], [0, 1], [-0, 1], [710, Infinity], [-746, 0]]) {
    assert.ok(Object.is(exp(x), want), `exp(${x}) = ${exp(x)}, expected ${want}`);
  }
  // Just below overflow (e^x = 1.797e308: k = 64·1024 there, 2^1024 is not a double) and in the
  // subnormals (where the last multiplication rounds to fewer bits): as Math.exp.
  for (const x of [709.78, 709.782712893384, 709.5, -708.4, -720, -740, -744.4, -745]) {
    assert.ok(ulps(exp(x), Math.exp(x)) <= 2, `exp(${x}) = ${exp(x)}, Math.exp gives ${Math.exp(x)}`);
  }
  for (const [x, want] of [[Infinity, 1], [-Infinity, -1], [NaN, NaN], [0, 0], [-0, -0], [20, 1], [-1e300, -1], [1e-300, 1e-300]]) {
    assert.ok(Object.is(tanh(x), want), `tanh(${x}) = ${tanh(x)}, expected ${want}`);
  }
  for (const [x, want] of [[Infinity, 1], [-Infinity, 0], [NaN, NaN], [0, 0.5], [-800, 0], [800, 1]]) {
    assert.ok(Object.is(sigmoid(x), want), `sigmoid(${x}) = ${sigmoid(x)}, expected ${want}`);
  }
});
