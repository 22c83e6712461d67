import { test } from "node:test";
import assert from "node:assert/strict";
import { checkExercise, ExerciseError } from "../src/testing/exercise";
import { tensor } from "../src";

const want = tensor([[0.5, -0.25], [1, 2]]);

test("a right answer passes and the count is returned", () => {
  const log = console.log;
  const lines: string[] = [];
  console.log = (s: string) => void lines.push(s);
  try {
    const n = checkExercise("rnn-step", (c) => {
      c.shape("h_t", tensor([[0.5, -0.25], [1, 2]]), [2, 2]);
      c.close("the input term", tensor([[0.5, -0.25], [1, 2 + 1e-9]]), want);
    });
    assert.equal(n, 2);
  } finally {
    console.log = log;
  }
  assert.deepEqual(lines, ["✔ rnn-step: 2 checks passed"]);
});

test("a wrong term is named with where and how much, never the expected value", () => {
  assert.throws(
    () => checkExercise("rnn-step", (c) => c.close("the recurrent term W_h h_{t-1}", tensor([[0.5, -0.25], [1, 2.7]]), want, { hint: "use h_{t-1}, not h_t" })),
    (e: Error) => {
      assert.ok(e instanceof ExerciseError);
      assert.equal(e.message, "✘ rnn-step: the recurrent term W_h h_{t-1}: is off by 0.35 at [1,1] (tolerance 0.000001).\nHint: use h_{t-1}, not h_t");
      assert.ok(!e.message.includes("2)") && !e.message.includes(" 2 "), "the expected value is not revealed");
      return true;
    },
  );
});

test("wrong shapes, missing returns and NaN get their own messages", () => {
  assert.throws(() => checkExercise("e", (c) => c.shape("h_t", tensor([1, 2, 3]), [2, 2])), /✘ e: h_t: has shape \[3\], expected \[2,2\]/);
  assert.throws(() => checkExercise("e", (c) => c.shape("h_t", undefined, [2])), /did you forget to return it\?/);
  assert.throws(() => checkExercise("e", (c) => c.close("loss", NaN, 1)), /✘ e: loss: contains NaN/);
  assert.throws(() => checkExercise("e", (c) => c.close("probs", [0.5, 0.5], [0.2, 0.3, 0.5])), /has 2 elements \(shape \[2\]\), expected 3/);
  assert.throws(() => checkExercise("e", (c) => c.that("the norm is returned before clipping", false)), /does not hold/);
});

test("the learner's own errors pass through; a check cell with no checks is a bug", () => {
  assert.throws(() => checkExercise("e", () => { throw new Error("not implemented yet: e"); }), /^Error: not implemented yet: e$/);
  assert.throws(() => checkExercise("e", () => undefined), /no checks were run/);
});
