import { test } from "node:test";
import assert from "node:assert/strict";
import { tensor } from "../src";
import { correlation } from "../src/metrics";

test("correlation is Pearson's r: 1, -1, 0 and a hand-computed case", () => {
  assert.equal(correlation([1, 2, 3], [2, 4, 6]), 1);
  assert.equal(correlation([1, 2, 3], [3, 2, 1]), -1);
  assert.equal(correlation([1, 2, 3, 4], [1, -1, -1, 1]), 0);
  // x = [0, 1, 2], y = [0, 0, 3]: cov = 1.5·2/... by hand: dx = [-1,0,1], dy = [-1,-1,2]: Σdxdy = 3, Σdx² = 2, Σdy² = 6 → 3/√12
  assert.ok(Math.abs(correlation([0, 1, 2], [0, 0, 3]) - 3 / Math.sqrt(12)) < 1e-15);
  assert.ok(Math.abs(correlation(tensor([0, 1, 2]), tensor([0, 0, 3])) - 3 / Math.sqrt(12)) < 1e-15, "tensors are read as their values");
});

test("correlation: a constant tracks nothing (NaN); unequal or too short lists are errors", () => {
  assert.ok(Number.isNaN(correlation([1, 1, 1], [1, 2, 3])));
  assert.throws(() => correlation([1, 2], [1, 2, 3]), /2 and 3 values/);
  assert.throws(() => correlation([1], [1]), /at least 2 pairs/);
});
