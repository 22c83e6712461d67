import { test } from "node:test";
import assert from "node:assert/strict";
import { Tensor, tensor } from "../src";
import { clipGradNorm, clipGradValue } from "../src/optim";
import { Parameter } from "../src/nn";

function withGrad(values: number[]): Tensor {
  const p = new Parameter(tensor(values.map(() => 0)));
  p.grad = tensor(values);
  return p;
}

test("clipGradNorm returns the global norm before clipping and scales by maxNorm/(norm+1e-6)", () => {
  // Global norm over both tensors: sqrt(3² + 4² + 12²) = 13.
  const a = withGrad([3, 4]);
  const b = withGrad([12]);
  const norm = clipGradNorm([a, b], 1);
  assert.equal(norm, 13);
  const scale = 1 / (13 + 1e-6);
  assert.deepEqual(Array.from(a.grad!.data), [3 * scale, 4 * scale]);
  assert.deepEqual(Array.from(b.grad!.data), [12 * scale]);
});

test("clipGradNorm leaves gradients alone when the norm is below maxNorm (never enlarges)", () => {
  const a = withGrad([0.3, 0.4]);
  assert.equal(clipGradNorm([a], 1), 0.5);
  assert.deepEqual(Array.from(a.grad!.data), [0.3, 0.4]);
  // Exactly at maxNorm: the factor 1/(1 + 1e-6) is below 1, so torch scales slightly; so do we.
  const c = withGrad([0.6, 0.8]);
  clipGradNorm([c], 1);
  assert.ok(c.grad!.data[0] < 0.6);
});

test("clipGradNorm ignores parameters without a gradient", () => {
  const none = new Parameter(tensor([5]));
  assert.equal(clipGradNorm([none, withGrad([3, 4])], 10), 5);
  assert.equal(none.grad, null);
});

test("clipGradValue clamps each entry into [-v, v]", () => {
  const a = withGrad([-3, 0.5, 2]);
  clipGradValue([a], 1);
  assert.deepEqual(Array.from(a.grad!.data), [-1, 0.5, 1]);
});
