import { test } from "node:test";
import assert from "node:assert/strict";
import { tensor, randn, Rng, exp, log, tanh, sigmoid, relu } from "../src";
import { Parameter } from "../src/nn";
import { assertClose, assertGrads } from "./op-asserts";

const rng = new Rng(12);

test("forward values", () => {
  const x = tensor([-2, 0, 1]);
  assertClose(exp(x), [Math.exp(-2), 1, Math.E]);
  assertClose(log(tensor([1, Math.E, 10])), [0, 1, Math.LN10]);
  assertClose(tanh(x), [-0.9640275800758169, 0, 0.7615941559557649]);
  assertClose(sigmoid(x), [0.11920292202211755, 0.5, 0.7310585786300049]);
  assertClose(relu(x), [0, 0, 1]);
  assert.deepEqual(x.tanh().shape, [3]);
});

test("sigmoid and tanh saturate without overflow", () => {
  const big = tensor([-1000, 1000, -40, 40]);
  assertClose(sigmoid(big), [0, 1, 4.248354255291589e-18, 1], 1e-30);
  assertClose(tanh(big), [-1, 1, -1, 1]);
  assert.ok(sigmoid(big).data.every(Number.isFinite));
});

test("gradients (away from relu's kink at 0)", () => {
  const x = () => new Parameter(randn([3, 4], rng));
  assertGrads(exp, [x()], "exp");
  assertGrads(log, [new Parameter(randn([3, 4], rng).exp())], "log");
  assertGrads(tanh, [x()], "tanh");
  assertGrads(sigmoid, [x()], "sigmoid");
  const r = new Parameter(tensor([[-1.5, -0.2, 0.3], [0.7, -0.9, 2]]));
  assertGrads(relu, [r], "relu");
  assertGrads((a) => a.tanh().sigmoid().exp(), [x()], "chain");
});

test("relu passes no gradient at or below 0; derivatives are the textbook ones", () => {
  const x = new Parameter(tensor([-1, 0, 2]));
  x.relu().sum().backward();
  assert.deepEqual(x.grad!.toArray(), [0, 0, 1]);
  const y = new Parameter(tensor([0.3]));
  y.tanh().sum().backward();
  assert.ok(Math.abs(y.grad!.item() - (1 - Math.tanh(0.3) ** 2)) < 1e-15);
  const z = new Parameter(tensor([0]));
  z.sigmoid().sum().backward();
  assert.equal(z.grad!.item(), 0.25);
});
