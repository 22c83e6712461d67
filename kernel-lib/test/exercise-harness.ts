// What every chapter's exercise tests need: run a check the way a notebook cell does, and say
// whether it accepted the answer or rejected it naming the expected term.
import assert from "node:assert/strict";
import { ExerciseError } from "../src/testing";

/** Runs a check that must pass, with console.log captured; returns the number of checks its line reports. */
export function passes(fn: () => unknown): number {
  const log = console.log;
  const lines: string[] = [];
  console.log = (line: string) => void lines.push(line);
  try {
    fn();
  } catch (e) {
    assert.fail(`expected the check to pass, got: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    console.log = log;
  }
  assert.equal(lines.length, 1, `a passing check prints one line, got ${JSON.stringify(lines)}`);
  const m = /^✔ (?:ch\d\d|cap\d)-[a-z0-9-]+: (\d+) checks? passed$/.exec(lines[0]);
  assert.ok(m, `unexpected line: ${lines[0]}`);
  return Number(m[1]);
}

/** The whole message (check line and hint) with which a check rejects an answer: it must reject it with an ExerciseError. */
export function rejectionMessage(fn: () => unknown): string {
  const log = console.log;
  console.log = () => {};
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ExerciseError, `expected an ExerciseError, got ${e}`);
    return e.message;
  } finally {
    console.log = log;
  }
  assert.fail("expected the check to reject the answer");
}

/** Runs a check that must reject the answer with an ExerciseError whose message matches `term`. */
export function rejects(fn: () => unknown, term: RegExp): void {
  const log = console.log;
  console.log = () => {};
  try {
    assert.throws(fn, (e: Error) => {
      assert.ok(e instanceof ExerciseError, `expected an ExerciseError, got ${e}`);
      assert.match(e.message, term);
      return true;
    });
  } finally {
    console.log = log;
  }
}
