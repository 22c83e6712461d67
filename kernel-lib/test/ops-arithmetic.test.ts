import { test } from "node:test";
import assert from "node:assert/strict";
import { tensor, randn, Rng, add, sub, mul, div, neg, pow, broadcastShapes } from "../src";
import { Parameter } from "../src/nn";
import { tapeSize } from "../src/autograd";
import { assertClose, assertGrads } from "./op-asserts";

const rng = new Rng(11);
const P = (shape: number[]) => new Parameter(randn(shape, rng));

test("forward values, same shapes", () => {
  const a = tensor([[1, 2], [3, 4]]);
  const b = tensor([[10, 20], [30, 40]]);
  assertClose(add(a, b), [[11, 22], [33, 44]]);
  assertClose(sub(a, b), [[-9, -18], [-27, -36]]);
  assertClose(mul(a, b), [[10, 40], [90, 160]]);
  assertClose(div(b, a), [[10, 10], [10, 10]]);
  assertClose(neg(a), [[-1, -2], [-3, -4]]);
  assertClose(pow(a, 2), [[1, 4], [9, 16]]);
  assertClose(pow(a, 0.5), [[1, Math.SQRT2], [Math.sqrt(3), 2]]);
  assertClose(a.pow(-1), [[1, 0.5], [1 / 3, 0.25]]);
});

test("numbers on either side", () => {
  const a = tensor([1, 2, 3]);
  assertClose(a.add(1), [2, 3, 4]);
  assertClose(sub(10, a), [9, 8, 7]);
  assertClose(a.mul(-2), [-2, -4, -6]);
  assertClose(div(6, a), [6, 3, 2]);
  assertClose(add(2, 3), 5);
});

test("broadcasting forward: rows, columns, outer product, leading axes", () => {
  const m = tensor([[1, 2, 3], [4, 5, 6]]); // [2,3]
  assertClose(m.add(tensor([10, 20, 30])), [[11, 22, 33], [14, 25, 36]]); // [3] on every row
  assertClose(m.mul(tensor([[1], [-1]])), [[1, 2, 3], [-4, -5, -6]]); // [2,1] on every column
  const outer = tensor([[1], [2]]).mul(tensor([[10, 20, 30]])); // [2,1] x [1,3]
  assert.deepEqual(outer.shape, [2, 3]);
  assertClose(outer, [[10, 20, 30], [20, 40, 60]]);
  const c = tensor([[[1, 2]], [[3, 4]]]).sub(tensor([[0, 0], [10, 10], [20, 20]])); // [2,1,2] - [3,2]
  assert.deepEqual(c.shape, [2, 3, 2]);
  assertClose(c, [[[1, 2], [-9, -8], [-19, -18]], [[3, 4], [-7, -6], [-17, -16]]]);
  assert.deepEqual(broadcastShapes("x", [8, 1, 6, 1], [7, 1, 5]), [8, 7, 6, 5]);
});

test("broadcasting errors name the op and both shapes", () => {
  assert.throws(
    () => add(tensor([[1, 2, 3], [4, 5, 6]]), tensor([1, 2])),
    { message: "add: shapes [2,3] and [2] cannot be broadcast: sizes 3 and 2 differ (axis -1 counting from the right) and neither is 1" },
  );
  assert.throws(() => mul(randn([4, 3]), randn([2, 3])), /^RangeError: mul: shapes \[4,3\] and \[2,3\]/);
  assert.throws(() => sub(randn([2, 3, 4]), randn([5, 4])), /sub: shapes \[2,3,4\] and \[5,4\]/);
  assert.throws(() => div(randn([2]), randn([3])), /div: shapes \[2\] and \[3\]/);
});

test("gradients: same shapes", () => {
  const nonzero = () => new Parameter(randn([3, 4], rng).exp()); // positive: safe to divide and take powers
  assertGrads(add, [P([3, 4]), P([3, 4])], "add");
  assertGrads(sub, [P([3, 4]), P([3, 4])], "sub");
  assertGrads(mul, [P([3, 4]), P([3, 4])], "mul");
  assertGrads(div, [P([3, 4]), nonzero()], "div");
  assertGrads(neg, [P([3, 4])], "neg");
  assertGrads((a) => pow(a, 3), [P([3, 4])], "pow 3");
  assertGrads((a) => pow(a, 0.5), [nonzero()], "pow 0.5");
  assertGrads((a) => pow(a, -1.5), [nonzero()], "pow -1.5");
});

test("gradients: broadcasting sums over the broadcast axes", () => {
  const pos = (shape: number[]) => new Parameter(randn(shape, rng).exp());
  assertGrads(add, [P([3, 4]), P([4])], "add row");
  assertGrads(add, [P([4]), P([3, 4])], "add row (left)");
  assertGrads(sub, [P([3, 1]), P([1, 4])], "sub outer");
  assertGrads(mul, [P([2, 1, 4]), P([3, 1])], "mul 3-D");
  assertGrads(mul, [P([2, 3, 4]), P([])], "mul scalar tensor");
  assertGrads(div, [P([2, 3]), pos([2, 1])], "div column");
  assertGrads(div, [P([1]), pos([2, 3])], "div [1] by matrix");
  assertGrads((a) => mul(a, a), [P([3])], "mul x·x");
  assertGrads((a) => add(mul(a, 2), div(1, a.pow(2).add(1))), [P([2, 2])], "mixed with numbers");
});

test("only inputs that require grad get gradients; nothing recorded for constants", () => {
  const a = P([2, 3]);
  const b = randn([3], rng);
  a.mul(b).sum().backward();
  assert.equal(b.grad, null);
  assert.deepEqual(a.grad!.shape, [2, 3]);
  assertClose(a.grad!, [Array.from(b.data), Array.from(b.data)]);
  tensor([1]).add(tensor([2]));
  assert.equal(tapeSize(), 0);
});

test("method forms match the functions", () => {
  const a = tensor([1, 2]);
  const b = tensor([3, 5]);
  assertClose(a.add(b), add(a, b).toArray());
  assertClose(a.sub(b), sub(a, b).toArray());
  assertClose(a.mul(b), mul(a, b).toArray());
  assertClose(a.div(b), div(a, b).toArray());
  assertClose(a.neg(), [-1, -2]);
  assertClose(a.pow(3), [1, 8]);
});
