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
    const returned: unknown = checkExercise("rnn-step", (c) => {
      c.shape("h_t", tensor([[0.5, -0.25], [1, 2]]), [2, 2]);
      c.close("the input term", tensor([[0.5, -0.25], [1, 2 + 1e-9]]), want);
    });
    assert.equal(returned, undefined, "nothing for a check cell to display under its ✔ line");
  } finally {
    console.log = log;
  }
  assert.deepEqual(lines, ["✔ rnn-step: 2 checks passed"]);
});

/** The message of the ExerciseError a failing check throws. */
function feedback(checks: Parameters<typeof checkExercise>[1]): string {
  try {
    checkExercise("rnn-step", checks);
  } catch (e) {
    assert.ok(e instanceof ExerciseError, `expected an ExerciseError, got ${e}`);
    return e.message;
  }
  assert.fail("the check passed");
}

test("a wrong term is named with where and how much, never the expected value", () => {
  // |want| = 2 > 1 at [1,1]: the difference is relative to it, and said so, tolerance included.
  const relative = feedback((c) => c.close("the recurrent term W_h h_{t-1}", tensor([[0.5, -0.25], [1, 2.7]]), want, { hint: "use h_{t-1}, not h_t" }));
  assert.equal(relative, "✘ rnn-step: the recurrent term W_h h_{t-1}: is off by 35% (relative to the expected value) at [1,1], more than the tolerance of 0.0001%.\nHint: use h_{t-1}, not h_t");
  assert.ok(!/\b2\b/.test(relative), "the expected value is not revealed");
  // |want| = 0.5 <= 1 at [0,0]: the plain difference, said so, with the tolerance in the same terms.
  const absolute = feedback((c) => c.close("the bias b", tensor([[0.85, -0.25], [1, 2]]), want, { tol: 1e-9 }));
  assert.equal(absolute, "✘ rnn-step: the bias b: is off by 0.35 (absolute difference) at [0,0], more than the tolerance of 1e-9.");
  assert.ok(!absolute.includes("0.5"), "the expected value is not revealed");
  // Just past the tolerance: enough digits that the two numbers never read as equal.
  assert.match(feedback((c) => c.close("h_t", 0.5 + 1.04e-6, 0.5)), /is off by 0\.00000104 \(absolute difference\), more than the tolerance of 0\.000001\.$/);
});

test("an answer that is the negative of the expected one is named as a wrong sign", () => {
  const flipped = tensor([[-0.5, 0.25], [-1, -2]]);
  const sign = "has the wrong sign (it is the negative of the expected value)";
  assert.equal(feedback((c) => c.close("the input term", flipped, want, { hint: "W_x x_t, not x_t W_x" })), `✘ rnn-step: the input term: ${sign}.\nHint: W_x x_t, not x_t W_x`);
  assert.equal(feedback((c) => c.close("the loss", -2.5, 2.5)), `✘ rnn-step: the loss: ${sign}.`);
  // Entries expected to be 0 are their own negatives: the rest decides.
  assert.equal(feedback((c) => c.close("the gradient", [0, -0.4, 0], [0, 0.4, 0])), `✘ rnn-step: the gradient: ${sign}.`);
  // Within the tolerance of the negative, for every entry, and only then.
  assert.equal(feedback((c) => c.close("the loss", -2.5 * (1 + 1e-3), 2.5, { tol: 1e-2 })), `✘ rnn-step: the loss: ${sign}.`);
  assert.match(feedback((c) => c.close("the input term", tensor([[-0.5, 0.25], [1, 2]]), want)), /: the input term: is off by 1 \(absolute difference\) at \[0,0\]/);
  assert.match(feedback((c) => c.close("the loss", -2.5 * 1.1, 2.5)), /: the loss: is off by 210% \(relative to the expected value\)/);
  // An expected value near 0 (a flip moves it by less than ten tolerances) is not called a sign.
  assert.match(feedback((c) => c.close("the gradient", [0, -3e-6], [0, 3e-6])), /: the gradient: is off by 0\.000006 \(absolute difference\) at \[1\], more than the tolerance of 0\.000001\.$/);
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
