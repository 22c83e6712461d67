#!/usr/bin/env node
// `npm run release -- DIR [--assignment NAME,...]`
//
// The students' copy of the course for a graded class: everything `npm start` needs (set-up, the
// course kernel, kernel-lib's sources with the public checks, the data sets) and the learner
// notebooks (every chapter, or the named ones), and none of the teacher's material: no solutions/,
// no grading/ (hidden tests, the secret seed), no grader, no tests (they read the solutions).
// Give students DIR (a zip, a private repository); they run `npm start` in it as in the README.
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, rmdirSync, writeFileSync } from "node:fs";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "./lib/project.mjs";

/** What a student receives, as paths relative to the course (folders are copied whole). */
export const STUDENT_FILES = [
  "README.md",
  "docs/setup.md",
  "docs/dependencies.md",
  "package-lock.json",
  "tsconfig.json",
  "environment.yml",
  "requirements.txt",
  "postBuild",
  ".gitignore",
  "kernel-lib/package.json",
  "kernel-lib/tsconfig.build.json",
  "kernel-lib/README.md",
  "kernel-lib/src",
  "datasets",
  "scripts/start.mjs",
  "scripts/setup.mjs",
  "scripts/lib",
  "scripts/kernel",
];

/** Put above the README in a student's copy: what the README mentions that the copy does not have. */
export const RELEASE_NOTE = `> **Your class's copy of the course.** Your teacher released it for a graded class, so it holds
> the learner notebooks and everything \`npm start\` needs, but not the solved notebooks
> (\`solutions/\`), the tests, the grader or the teacher's and maintainers' documents. Where the
> README below mentions those (or \`npm test\`), it describes the full course, not this copy: when
> you are stuck, the exercises' own feedback and your teacher are your help here.
`;

/** The npm scripts a student's copy keeps (the others run the teacher's tests and tools). */
const STUDENT_SCRIPTS = ["setup", "start", "build"];

/**
 * Writes the students' copy to `dir` (new or empty). It is made beside it, in DIR.partial-PID, and
 * renamed into place when complete: a release stopped half-way (Ctrl+C, a full disk) leaves a
 * folder whose name says so, never a DIR that looks finished.
 */
export function release(dir, names = null) {
  if (existsSync(dir) && readdirSync(dir).length) throw new Error(`${dir} exists and is not empty: choose a new folder (nothing is overwritten)`);
  const inside = relative(ROOT, dir);
  if (!inside.startsWith("..") && !isAbsolute(inside) && !(inside === "build" || inside.startsWith(`build${sep}`))) {
    throw new Error(`${dir} is inside the course's own folder: choose a folder outside it (e.g. ../class-copy), or one under build/`);
  }
  const notebooks = readdirSync(join(ROOT, "notebooks")).filter((f) => f.endsWith(".ipynb"));
  const chosen = names ? names.map((n) => `${n.replace(/\.ipynb$/, "")}.ipynb`) : notebooks;
  const unknown = chosen.filter((f) => !notebooks.includes(f));
  if (unknown.length) throw new Error(`no such notebook in notebooks/: ${unknown.join(", ")}`);
  // The welcome notebook and the appendices come along: they hold no exercise.
  const released = [...new Set([...notebooks.filter((f) => /^(00|98|99)-/.test(f)), ...chosen])].sort();
  // A learner copy whose solution is gone (renamed or removed) is not the course's any more.
  const orphans = released.filter((f) => !existsSync(join(ROOT, "solutions", f)));
  if (orphans.length) {
    throw new Error(`${orphans.map((f) => `notebooks/${f}`).join(", ")} ${orphans.length === 1 ? "has" : "have"} no solution in solutions/ (renamed or removed?): ` +
      "remove it from notebooks/ (git rm) before releasing, or students get a notebook the course no longer has");
  }
  const partial = `${dir}.partial-${process.pid}`;
  try {
    const result = writeRelease(partial, released);
    if (existsSync(dir)) rmdirSync(dir); // empty (checked above)
    renameSync(partial, dir);
    return result;
  } catch (e) {
    rmSync(partial, { recursive: true, force: true });
    throw e;
  }
}

function writeRelease(dir, released) {
  mkdirSync(dir, { recursive: true });
  for (const rel of STUDENT_FILES) {
    if (existsSync(join(ROOT, rel))) cpSync(join(ROOT, rel), join(dir, rel), { recursive: true, filter: (src) => !/[\\/](node_modules|dist|__pycache__)([\\/]|$)/.test(src) });
  }
  for (const f of released) cpSync(join(ROOT, "notebooks", f), join(dir, "notebooks", f));
  // The course README describes the whole course; this copy leaves out the teacher's half.
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  writeFileSync(join(dir, "README.md"), `${RELEASE_NOTE}\n${readme}`);
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
  pkg.scripts = Object.fromEntries(Object.entries(pkg.scripts).filter(([k]) => STUDENT_SCRIPTS.includes(k)));
  writeFileSync(join(dir, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
  return { notebooks: released };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const argv = process.argv.slice(2);
  const i = argv.indexOf("--assignment");
  const names = i >= 0 ? argv.splice(i, 2)[1]?.split(",").map((s) => s.trim()).filter(Boolean) : null;
  if (i >= 0 && !names?.length) {
    console.error("release: --assignment needs the notebooks' names, e.g. --assignment 03-vanilla-rnn,04-bptt-and-vanishing-gradients");
    process.exit(2);
  }
  if (argv.length !== 1) {
    console.error("usage: npm run release -- DIR [--assignment NAME,...]");
    process.exit(2);
  }
  try {
    const { notebooks } = release(resolve(argv[0]), names);
    console.log(`release: wrote the students' copy to ${resolve(argv[0])} (${notebooks.length} notebooks, no solutions, no hidden tests); students run npm start in it`);
  } catch (e) {
    console.error(`release: ${e.message}`);
    process.exit(2);
  }
}
