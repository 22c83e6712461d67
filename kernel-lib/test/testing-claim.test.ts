// claim(): a notebook's takeaway with the numbers it rests on; and how its failures (and failed
// exercise checks) print in a kernel: the message alone, no stack, no source line.
import { test } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { ClaimError, ExerciseError, claim } from "../src/testing";

function captureLog(fn: () => void): string[] {
  const lines: string[] = [];
  const log = console.log;
  console.log = (s: string) => void lines.push(s);
  try {
    fn();
  } finally {
    console.log = log;
  }
  return lines;
}

test("a claim that holds prints one ✔ line with its numbers", () => {
  const lines = captureLog(() => claim("the RNN beats the bigram table by more than 0.15 nats", 0.3127 > 0.15, { gap: 0.31274, seeds: [0, 1, 2], cell: "lstm" }));
  assert.deepEqual(lines, ["✔ the RNN beats the bigram table by more than 0.15 nats (gap = 0.3127, seeds = [0, 1, 2], cell = lstm)"]);
  assert.deepEqual(captureLog(() => claim("no numbers needed", true)), ["✔ no numbers needed"]);
});

test("a claim that does not hold throws, naming the sentence and the numbers", () => {
  assert.throws(() => claim("the loss falls below 0.01", 0.2 < 0.01, { loss: 0.2 }), (e: Error) => {
    assert.ok(e instanceof ClaimError);
    assert.equal(e.message, "✘ claim does not hold: the loss falls below 0.01 (loss = 0.2)");
    return true;
  });
});

test("a claim needs a sentence and a boolean: claim('...', loss) cannot pass by accident", () => {
  assert.throws(() => claim("", true), /non-empty sentence/);
  assert.throws(() => claim("the loss is small", 0.2 as unknown as boolean), /must be true or false/);
});

test("failed claims and exercise checks print as their message alone (what tslab shows under the cell)", () => {
  for (const e of [new ClaimError("✘ claim does not hold: x (a = 1)"), new ExerciseError("✘ ch03-perplexity: ... is off.\nHint: exp")]) {
    assert.equal(inspect(e), e.message);
    assert.ok(!inspect(e).includes(" at "), "no stack frames");
    assert.equal(String(e), e.message);
  }
});
