import { test } from "node:test";
import assert from "node:assert/strict";
import { Tensor, ones, randn, Rng, dropout } from "../src";
import { Parameter } from "../src/nn";
import { gradcheck } from "../src/testing";
import { tapeSize } from "../src/autograd";

test("inverted dropout zeroes about p and scales survivors by 1/(1-p)", () => {
  const x = ones([100, 100]);
  const y = dropout(x, 0.25, { rng: new Rng(1) });
  let zeros = 0;
  for (const v of y.data) {
    if (v === 0) zeros++;
    else assert.ok(Math.abs(v - 1 / 0.75) < 1e-15);
  }
  assert.ok(Math.abs(zeros / 10_000 - 0.25) < 0.02, `dropped ${zeros}`);
  // The expectation is preserved.
  assert.ok(Math.abs(y.mean().item() - 1) < 0.03);
});

test("seeded: the same rng seed gives the same mask", () => {
  const x = randn([5, 6], new Rng(0));
  assert.deepEqual(dropout(x, 0.5, { rng: new Rng(3) }).toArray(), dropout(x, 0.5, { rng: new Rng(3) }).toArray());
  assert.notDeepEqual(dropout(x, 0.5, { rng: new Rng(3) }).toArray(), dropout(x, 0.5, { rng: new Rng(4) }).toArray());
});

test("identity when not training or p = 0; zeros when p = 1", () => {
  const x = new Parameter(randn([3, 4], new Rng(0)));
  assert.equal(dropout(x, 0.5, { training: false }), x);
  assert.equal(x.dropout(0), x);
  assert.equal(tapeSize(), 0);
  assert.ok(dropout(x, 1, { rng: new Rng(0) }).data.every((v) => v === 0));
  assert.throws(() => dropout(x, 1.5), { message: "dropout: p must be in [0, 1], got 1.5 (input shape [3,4])" });
});

test("gradient flows only through kept elements, scaled", () => {
  const x = new Parameter(ones([50]));
  const y = dropout(x, 0.4, { rng: new Rng(9) });
  y.sum().backward();
  y.data.forEach((v, i) => assert.equal(x.grad!.data[i], v)); // x = 1, so y equals the mask
  const r = gradcheck((a: Tensor) => dropout(a, 0.3, { rng: new Rng(5) }), [new Parameter(randn([4, 5], new Rng(2)))]);
  assert.ok(r.ok && r.maxRelError < 1e-6, JSON.stringify(r));
});
