// npm run release: the students' copy of the course holds what npm start needs and none of the
// teacher's material (solutions, hidden tests, the seed, the grader, the tests).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { ROOT } from "../lib/project.mjs";
import { RELEASE_NOTE, release } from "../release.mjs";

function allFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? allFiles(p) : [p];
  });
}

/** Each solution region of solutions/, as its non-blank lines with spaces squeezed. */
function solutionRegions() {
  const regions = [];
  for (const f of readdirSync(join(ROOT, "solutions")).filter((x) => x.endsWith(".ipynb"))) {
    for (const cell of JSON.parse(readFileSync(join(ROOT, "solutions", f), "utf8")).cells) {
      const src = Array.isArray(cell.source) ? cell.source.join("") : cell.source;
      for (const m of src.matchAll(/\/\/ BEGIN SOLUTION\n([\s\S]*?)\n\s*\/\/ END SOLUTION/g)) {
        const lines = m[1].split("\n").map((l) => l.trim().replace(/\s+/g, " ")).filter((l) => l && !l.startsWith("//"));
        if (lines.join("").length >= 40) regions.push({ where: `${f}`, lines });
      }
    }
  }
  return regions;
}

test("the students' copy has the learner notebooks and what npm start needs, and no teacher's material", () => {
  const dir = join(mkdtempSync(join(tmpdir(), "release-test-")), "course");
  try {
    release(dir);
    assert.deepEqual(readdirSync(join(dir, "..")), ["course"], "made beside it and renamed into place: no .partial folder is left");
    assert.throws(() => release(join(ROOT, "class-copy")), /class-copy is inside the course's own folder: choose a folder outside it/);
    for (const gone of ["solutions", "grading", "scripts/grade.mjs", "scripts/grade", "scripts/test", "kernel-lib/test", "docs/teaching.md"]) {
      assert.ok(!existsSync(join(dir, gone)), `${gone} is the teacher's: not in the students' copy`);
    }
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    assert.deepEqual(Object.keys(pkg.scripts).sort(), ["build", "setup", "start"]);
    // The README, which points at solutions/ and the teacher's documents, opens with what this copy leaves out.
    const readme = readFileSync(join(dir, "README.md"), "utf8");
    assert.ok(readme.startsWith(RELEASE_NOTE) && readme.endsWith(readFileSync(join(ROOT, "README.md"), "utf8")), "the note, then the course README");
    assert.match(RELEASE_NOTE, /not the solved notebooks\n> \(`solutions\/`\), the tests, the grader/);
    for (const cmd of Object.values(pkg.scripts)) {
      const script = /node (\S+)/.exec(cmd)?.[1];
      if (script) assert.ok(existsSync(join(dir, script)), `${cmd}: ${script} is in the copy`);
    }
    const files = allFiles(dir);
    for (const f of files.filter((x) => x.endsWith(".mjs") || x.endsWith(".js"))) {
      const r = spawnSync(process.execPath, ["--check", f], { encoding: "utf8" });
      assert.equal(r.status, 0, `${relative(dir, f)} parses: ${r.stderr}`);
    }
    const notebooks = readdirSync(join(dir, "notebooks"));
    assert.deepEqual(notebooks.sort(), readdirSync(join(ROOT, "notebooks")).filter((x) => x.endsWith(".ipynb")).sort());
    const texts = files.filter((f) => /\.(ipynb|ts|mjs|js|json|md|py|csv)$/.test(f)).map((f) => [relative(dir, f), readFileSync(f, "utf8").replace(/\\n/g, "\n")]);
    const squeezed = texts.map(([f, t]) => [f, t.split("\n").map((l) => l.trim().replace(/\s+/g, " ")).filter(Boolean).join("\n")]);
    const regions = solutionRegions();
    assert.ok(regions.length > 20, "the solution regions were found");
    for (const { where, lines } of regions) {
      const body = lines.join("\n");
      const leak = squeezed.find(([, t]) => t.includes(body));
      assert.equal(leak, undefined, `a solution of ${where} appears in ${leak?.[0]}:\n${body}`);
    }
    assert.ok(!texts.some(([, t]) => t.includes("BEGIN SOLUTION")), "no solution region in any released file");
  } finally {
    rmSync(join(dir, ".."), { recursive: true, force: true });
  }
});
