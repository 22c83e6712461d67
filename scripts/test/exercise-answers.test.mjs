// The public checks' stored answers (kernel-lib/src/exercises/answers/) are what the teacher's
// reference solutions (grading/references/) compute today: regenerated and compared.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "../lib/project.mjs";

test("the public checks' stored answers are up to date with grading/references", () => {
  const r = spawnSync(process.execPath, ["--import", "tsx", join(ROOT, "scripts", "exercise-answers.mjs"), "--check"], { cwd: ROOT, encoding: "utf8" });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
});
