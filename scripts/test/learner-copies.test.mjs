// The learner's own copies (my-work/), made by `npm start` from notebooks/: made once, never
// written over; a new or changed chapter arrives beside the learner's copy, once per version.
// (scripts/test/start.test.mjs runs the same through a real `npm start`.)
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { syncLearnerCopies } from "../start.mjs";

function scratch() {
  const root = mkdtempSync(join(tmpdir(), "course-copies-"));
  const from = join(root, "notebooks");
  const to = join(root, "my-work");
  mkdirSync(from);
  return { root, from, to };
}

const day = new Date("2026-12-03T10:00:00Z");
const files = (dir) => readdirSync(dir).filter((f) => f.endsWith(".ipynb")).sort();

test("copies are made once; a changed chapter arrives beside the learner's copy, once per version", () => {
  const { root, from, to } = scratch();
  try {
    writeFileSync(join(from, "01-a.ipynb"), "course v1");
    writeFileSync(join(from, "02-b.ipynb"), "course b");
    assert.deepEqual(syncLearnerCopies({ from, to, now: day }), [`start: made your own copies of 2 notebooks in ${to}/: your work is saved there, and npm start never overwrites it.`]);
    writeFileSync(join(to, "01-a.ipynb"), "my work");
    assert.deepEqual(syncLearnerCopies({ from, to, now: day }), [], "nothing new: nothing happens");

    writeFileSync(join(from, "01-a.ipynb"), "course v2");
    assert.deepEqual(syncLearnerCopies({ from, to, now: day }), [`start: 01-a.ipynb is new or changed in the course: it is ${to}/01-a.course-update-2026-12-03.ipynb, beside your ${to}/01-a.ipynb (untouched).`]);
    assert.equal(readFileSync(join(to, "01-a.ipynb"), "utf8"), "my work");
    assert.equal(readFileSync(join(to, "01-a.course-update-2026-12-03.ipynb"), "utf8"), "course v2");
    assert.deepEqual(syncLearnerCopies({ from, to, now: day }), [], "an update is offered once");

    // A second change the same day gets a name of its own.
    writeFileSync(join(from, "01-a.ipynb"), "course v3");
    assert.deepEqual(syncLearnerCopies({ from, to, now: day }), [`start: 01-a.ipynb is new or changed in the course: it is ${to}/01-a.course-update-2026-12-03-2.ipynb, beside your ${to}/01-a.ipynb (untouched).`]);
    assert.equal(readFileSync(join(to, "01-a.course-update-2026-12-03.ipynb"), "utf8"), "course v2", "an earlier update is not written over either");

    // A new chapter; a copy the learner deleted comes back fresh.
    writeFileSync(join(from, "03-c.ipynb"), "course c");
    rmSync(join(to, "02-b.ipynb"));
    assert.deepEqual(syncLearnerCopies({ from, to, now: day }), [
      `start: made a copy of 03-c.ipynb in ${to}/: your work is saved there, and npm start never overwrites it.`,
      `start: ${to}/02-b.ipynb was not there: made a fresh copy of the course's version.`,
    ]);
    assert.deepEqual(files(to), ["01-a.course-update-2026-12-03-2.ipynb", "01-a.course-update-2026-12-03.ipynb", "01-a.ipynb", "02-b.ipynb", "03-c.ipynb"]);
    assert.equal(readFileSync(join(to, "01-a.ipynb"), "utf8"), "my work");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("without the manifest (lost, or a file the learner made), nothing is written over: a different file gets the course's version beside it", () => {
  const { root, from, to } = scratch();
  try {
    writeFileSync(join(from, "01-a.ipynb"), "course a");
    writeFileSync(join(from, "02-b.ipynb"), "course b");
    mkdirSync(to);
    writeFileSync(join(to, "01-a.ipynb"), "course a"); // the same as the course's: adopted quietly
    writeFileSync(join(to, "02-b.ipynb"), "mine");
    assert.deepEqual(syncLearnerCopies({ from, to, now: day }), [`start: 02-b.ipynb is new or changed in the course: it is ${to}/02-b.course-update-2026-12-03.ipynb, beside your ${to}/02-b.ipynb (untouched).`]);
    assert.equal(readFileSync(join(to, "02-b.ipynb"), "utf8"), "mine");
    writeFileSync(join(to, ".course-copies.json"), "{ not json");
    assert.deepEqual(syncLearnerCopies({ from, to, now: day }), [`start: 02-b.ipynb is new or changed in the course: it is ${to}/02-b.course-update-2026-12-03-2.ipynb, beside your ${to}/02-b.ipynb (untouched).`], "a broken manifest costs at most a spare copy");
    assert.equal(readFileSync(join(to, "02-b.ipynb"), "utf8"), "mine");
    assert.equal(readFileSync(join(to, "01-a.ipynb"), "utf8"), "course a");
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("a notebook edited by hand in notebooks/ (it differs from what git has committed) arrives beside the learner's copy named as the learner's edits, never as a course update", () => {
  const { root, from, to } = scratch();
  try {
    writeFileSync(join(from, "01-a.ipynb"), "course v1");
    const committed = (name) => (name === "01-a.ipynb" ? "course v1" : null);
    syncLearnerCopies({ from, to, now: day, committed });
    writeFileSync(join(to, "01-a.ipynb"), "my work");
    writeFileSync(join(from, "01-a.ipynb"), "course v1 + an answer typed in notebooks/ by mistake");
    assert.deepEqual(syncLearnerCopies({ from, to, now: day, committed }), [
      `start: notebooks/01-a.ipynb has edits of your own (it differs from the course's committed version): kept them as ${to}/01-a.your-edits-from-notebooks-2026-12-03.ipynb, ` +
        `beside your ${to}/01-a.ipynb (untouched). Work in ${to}/; git checkout -- notebooks/01-a.ipynb puts the course's version back.`,
    ]);
    assert.equal(readFileSync(join(to, "01-a.your-edits-from-notebooks-2026-12-03.ipynb"), "utf8"), "course v1 + an answer typed in notebooks/ by mistake");
    assert.equal(readFileSync(join(to, "01-a.ipynb"), "utf8"), "my work");
    // The course's version put back and then updated (a pull): that one is a course update.
    writeFileSync(join(from, "01-a.ipynb"), "course v2");
    const pulled = (name) => (name === "01-a.ipynb" ? "course v2" : null);
    assert.deepEqual(syncLearnerCopies({ from, to, now: day, committed: pulled }), [`start: 01-a.ipynb is new or changed in the course: it is ${to}/01-a.course-update-2026-12-03.ipynb, beside your ${to}/01-a.ipynb (untouched).`]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
