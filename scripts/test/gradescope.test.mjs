// npm run grade:gradescope: the autograder zip Gradescope runs per submission. Built here for
// chapter 03, unpacked into a temporary root that stands in for /autograder (source/ from the
// zip, submission/ with a student's notebook), its setup.sh run for real (npm ci from the
// lockfile, preferring npm's cache; Node is already here, so it installs no system package), then
// run_autograder, whose results.json must give the scores npm run grade gives.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, chooseEnvironment } from "../lib/project.mjs";
import { main as buildZip } from "../grade/gradescope.mjs";
import { crc32Js } from "../grade/zip.mjs";
import { crc32 as zlibCrc32 } from "node:zlib";

const NAME = "03-vanilla-rnn";
const python = chooseEnvironment().python;

/** Unpacks with Python's zipfile (an independent reader), keeping each file's mode. */
function unzip(zipFile, dest) {
  const code = `import zipfile, os, sys, json
z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None
for i in z.infolist():
    p = os.path.join(sys.argv[2], i.filename); os.makedirs(os.path.dirname(p), exist_ok=True)
    open(p, "wb").write(z.read(i)); os.chmod(p, (i.external_attr >> 16) & 0o777)
print(json.dumps([[i.filename, (i.external_attr >> 16) & 0o777] for i in z.infolist()]))`;
  const r = spawnSync(python, ["-c", code, zipFile, dest], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return new Map(JSON.parse(r.stdout));
}

test("the zip's own CRC-32 (for Node 20 before 20.15, which lacks zlib.crc32) agrees with zlib's", () => {
  assert.equal(crc32Js(Buffer.from("")), 0);
  assert.equal(crc32Js(Buffer.from("123456789")), 0xcbf43926); // the CRC-32 check value
  const bytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256));
  assert.equal(crc32Js(bytes), zlibCrc32(bytes));
});

test("the Gradescope autograder zip sets up from its lockfile and grades a submission as npm run grade does", { timeout: 600_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "gradescope-test-"));
  process.env.GRADE_SEED = "gradescope-test";
  try {
    const zipFile = await buildZip(["--assignment", NAME, "--out", join(dir, "autograder.zip")]);
    const again = await buildZip(["--assignment", NAME, "--out", join(dir, "again.zip")]);
    assert.ok(readFileSync(zipFile).equals(readFileSync(again)), "the same inputs give the same zip, byte for byte");
    // It replaces only its own zip: a teacher's file of that name, or a name that is not a .zip, is refused.
    assert.equal(await buildZip(["--assignment", NAME, "--out", again]), again, "a zip made here before is replaced");
    writeFileSync(join(dir, "notes.zip"), "teacher's notes");
    await assert.rejects(buildZip(["--assignment", NAME, "--out", join(dir, "notes.zip")]), /--out .*notes\.zip exists and is not an autograder zip made by this command: choose another name \(nothing is overwritten\)/);
    assert.equal(readFileSync(join(dir, "notes.zip"), "utf8"), "teacher's notes");
    await assert.rejects(buildZip(["--assignment", NAME, "--out", join(dir, "notes.txt")]), /give a name ending in \.zip/);

    const root = join(dir, "autograder");
    const files = unzip(zipFile, join(root, "source"));
    assert.equal(files.get("setup.sh") & 0o111, 0o111, "setup.sh is executable");
    assert.equal(files.get("run_autograder") & 0o111, 0o111, "run_autograder is executable");
    const names = [...files.keys()];
    assert.deepEqual(names.filter((n) => n.startsWith("solutions/")), [`solutions/${NAME}.ipynb`], "only this assignment's teacher copy");
    assert.ok(!names.some((n) => n.startsWith("kernel-lib/src/") || n.startsWith("notebooks/") || n.startsWith("my-work/")), "no library sources, no learner files");
    assert.equal(readFileSync(join(root, "source", "grading", "secret-seed"), "utf8").trim(), "gradescope-test", "the teacher's seed travels in the zip (the zip is the teacher's)");

    const setup = spawnSync("bash", ["setup.sh"], { cwd: join(root, "source"), encoding: "utf8", env: { ...process.env, npm_config_prefer_offline: "true" } });
    assert.equal(setup.status, 0, `setup.sh failed:\n${setup.stdout}\n${setup.stderr}`);
    assert.match(setup.stdout, /autograder set-up: ok/);

    // Two students, one at a time as Gradescope runs them.
    const scores = {};
    for (const [student, file] of [["solved", join(ROOT, "solutions", `${NAME}.ipynb`)], ["untouched", join(ROOT, "notebooks", `${NAME}.ipynb`)]]) {
      rmSync(join(root, "submission"), { recursive: true, force: true });
      rmSync(join(root, "results"), { recursive: true, force: true });
      mkdirSync(join(root, "submission"));
      cpSync(file, join(root, "submission", `${NAME}.ipynb`));
      const run = spawnSync("bash", [join(root, "source", "run_autograder")], { encoding: "utf8", env: { ...process.env, AUTOGRADER_ROOT: root } });
      assert.equal(run.status, 0, `run_autograder failed:\n${run.stdout}\n${run.stderr}`);
      const results = JSON.parse(readFileSync(join(root, "results", "results.json"), "utf8"));
      for (const t of results.tests) for (const key of ["name", "number", "score", "max_score", "status", "output", "visibility"]) assert.ok(key in t, `results.json test entries have ${key}`);
      assert.equal(typeof results.execution_time, "number");
      scores[student] = results.tests.map((t) => t.score);
    }
    const max = scores.solved.length * 2;
    assert.equal(scores.solved.reduce((a, b) => a + b, 0), max, "the solution earns every point");
    assert.equal(scores.untouched.reduce((a, b) => a + b, 0), 0, "the untouched release earns none");
  } finally {
    delete process.env.GRADE_SEED;
    rmSync(dir, { recursive: true, force: true });
  }
});
