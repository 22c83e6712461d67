// Allocation limit: a tensor too large for the machine is refused before any memory is touched,
// naming the op, the shape and the size (NumPy: "Unable to allocate 74.5 GiB for an array with
// shape (10000000000,)"), instead of filling memory until the kernel dies, or failing with V8's
// "Invalid typed array length", which names neither.
import { test, afterEach } from "node:test";
import assert from "node:assert/strict";
import * as kl from "../src";

const DEFAULT = 4 * 2 ** 30;

afterEach(() => kl.setAllocationLimit(DEFAULT));

test("the default limit is 4 GiB; zeros([3e9]) (22.4 GiB) is refused at once, naming the op, the shape and the size", () => {
  assert.equal(kl.getAllocationLimit(), DEFAULT);
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  assert.throws(() => kl.zeros([3e9]), {
    name: "RangeError",
    message:
      "zeros: unable to allocate 22.4 GiB for a tensor of shape [3000000000] (3000000000 numbers), over the allocation limit of 4 GiB. " +
      "Use a smaller shape, or, if the machine has the memory, raise the limit with kl.setAllocationLimit(bytes).",
  });
  assert.ok(performance.now() - t0 < 1000, "refused before touching memory");
  assert.ok(process.memoryUsage().rss - rssBefore < 256 * 2 ** 20, "no memory was filled");
});

test("a shape JavaScript cannot hold (1e10 numbers) names the op, the shape and 74.5 GiB, not V8's 'Invalid typed array length'", () => {
  assert.throws(() => kl.zeros([1e10]), { message: /^zeros: unable to allocate 74\.5 GiB for a tensor of shape \[10000000000\] .*kl\.setAllocationLimit\(bytes\)/ });
  assert.throws(() => kl.ones([1e5, 1e5]), { message: /^ones: unable to allocate 74\.5 GiB for a tensor of shape \[100000,100000\]/ });
  // With the check switched off, V8's own refusal still names the op and the shape (V8's words
  // differ by version: Node 20 and 22 say the length is invalid, Node 24 that allocation failed).
  kl.setAllocationLimit(Infinity);
  assert.throws(() => kl.zeros([1e10]), { message: /^zeros: unable to allocate 74\.5 GiB for a tensor of shape \[10000000000\]: (Invalid typed array length|Array buffer allocation failed)/ });
});

test("every factory and every op that makes a larger tensor than its inputs checks the limit before allocating", () => {
  kl.setAllocationLimit(2 ** 20); // 1 MiB: 131072 numbers
  const cases: [string, () => unknown, RegExp][] = [
    ["zeros", () => kl.zeros([400, 400]), /^zeros: unable to allocate 1\.2 MiB for a tensor of shape \[400,400\] \(160000 numbers\), over the allocation limit of 1 MiB/],
    ["ones", () => kl.ones([400, 400]), /^ones: .*\[400,400\]/],
    ["full", () => kl.full([400, 400], 3), /^full: .*\[400,400\]/],
    ["randn", () => kl.randn([400, 400]), /^randn: .*\[400,400\]/],
    ["uniform", () => kl.uniform([400, 400], 0, 1), /^uniform: .*\[400,400\]/],
    ["add (broadcast)", () => kl.add(kl.zeros([400, 1]), kl.zeros([400])), /^add: unable to allocate 1\.2 MiB for a tensor of shape \[400,400\]/],
    ["mul (broadcast)", () => kl.mul(kl.zeros([1, 400]), kl.zeros([400, 1])), /^mul: .*\[400,400\]/],
    ["matmul (outer product)", () => kl.matmul(kl.zeros([400, 1]), kl.zeros([1, 400])), /^matmul: .*\[400,400\]/],
    ["linear", () => kl.linear(kl.zeros([400, 1]), kl.zeros([400, 1])), /^linear: .*\[400,400\]/],
    ["oneHot", () => kl.oneHot([1, 2, 3, 4], 40000), /^oneHot: .*\[4,40000\]/],
    ["embedding", () => kl.embedding(kl.zeros([2, 400]), new Array(400).fill(1)), /^embedding: .*\[400,400\]/],
    ["concat", () => kl.concat([kl.zeros([200, 400]), kl.zeros([200, 400])], 1), /^concat: .*\[200,800\]/],
    ["stack", () => kl.stack([kl.zeros([200, 400]), kl.zeros([200, 400])], 0), /^stack: .*\[2,200,400\]/],
    ["addingProblem", () => kl.data.addingProblem({ T: 400, batchSize: 400, seed: 0 }), /^addingProblem: unable to allocate 2\.4 MiB for a tensor of shape \[400,400,2\]/],
    ["padSequences", () => kl.data.padSequences([[1, 2]], { padId: 0, length: 200000 }), /^padSequences: .*\[200000,1\]/],
  ];
  for (const [what, f, message] of cases) assert.throws(f, { message }, what);
  // Under the limit, nothing changes.
  assert.deepEqual(kl.add(kl.zeros([2, 1]), kl.ones([3])).shape, [2, 3]);
});

test("sizes that are not valid at all keep their own errors", () => {
  assert.throws(() => kl.zeros([-1]), { message: "zeros: shape [-1] has an invalid size -1; sizes must be integers >= 0" });
  assert.throws(() => kl.zeros([NaN]), { message: "zeros: shape [NaN] has an invalid size NaN; sizes must be integers >= 0" });
  assert.throws(() => kl.randn([2.5, 2]), { message: "randn: shape [2.5,2] has an invalid size 2.5; sizes must be integers >= 0" });
  assert.throws(() => kl.full([Infinity], 1), { message: /^full: shape \[Infinity\] has an invalid size Infinity/ });
});

test("setAllocationLimit takes a positive number of bytes (or Infinity), and the limit it sets is the one enforced", () => {
  for (const bad of [0, -1, NaN, "4GB" as unknown as number]) {
    assert.throws(() => kl.setAllocationLimit(bad), { message: /^setAllocationLimit: the limit must be a positive number of bytes \(or Infinity\), got / });
  }
  assert.equal(kl.getAllocationLimit(), DEFAULT, "a refused limit leaves the old one");
  kl.setAllocationLimit(800);
  assert.equal(kl.zeros([100]).size, 100); // exactly 800 bytes: allowed
  assert.throws(() => kl.zeros([101]), { message: /^zeros: unable to allocate 808 bytes for a tensor of shape \[101\] \(101 numbers\), over the allocation limit of 800 bytes/ });
  assert.equal(kl.full([3], -0).data[0], -0); // full still fills (even with -0)
});
