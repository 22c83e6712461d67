#!/usr/bin/env node
// One source of truth: the complete notebooks in solutions/ generate the learner's notebooks in
// notebooks/. For each solutions/NAME.ipynb this writes notebooks/NAME.ipynb with
//   - every region between `// BEGIN SOLUTION` and `// END SOLUTION` replaced by a stub
//     (`// YOUR CODE HERE` and a `throw new Error("not implemented yet: ...")`),
//   - such cells marked {"course": {"stub": true}} (the notebook runner's cue),
//   - outputs and execution counts removed (notebooks are committed clean).
// `npm run notebooks:generate` writes them; `--check` only compares and exits 1 when a committed
// learner notebook is out of date (a unit test runs that).
//
// A learner's work is never lost here. Learners work in their own copies (my-work/, made by
// `npm start`), but someone may have edited and saved a notebook in notebooks/ itself:
//   - `--check` passes when what the generator writes equals the file on disk OR what git has
//     committed for it, so a learner's saved edits never fail `npm test`, while a solution changed
//     without regenerating still does (the generated output then matches neither);
//   - writing, a file that differs from what it writes, from what git has committed and from what
//     the generator itself last wrote there is someone's work: it is first kept in my-work/ as
//     NAME.your-edits-from-notebooks-DATE.ipynb, and the generator says so.
import { readFileSync, readdirSync, writeFileSync, renameSync, existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { BUILD, ROOT, SetupError, WORK_DIR_NAME, besideName, committedVersion, contentHash, courseRelative, jsonWhere, workDir } from "./lib/project.mjs";
const BEGIN = /^(\s*)\/\/ BEGIN SOLUTION\s*$/;
const END = /^\s*\/\/ END SOLUTION\s*$/;

/** A solution notebook the generator cannot turn into a learner's: said in one line naming the file. */
export class NotebookSourceError extends Error {}

/** Replaces each solution region in one cell's source; `where` names the cell in errors. */
export function stubSolutions(source, where, exercise) {
  const out = [];
  let indent = null;
  source.split("\n").forEach((line, i) => {
    const begin = line.match(BEGIN);
    if (begin) {
      if (indent !== null) throw new NotebookSourceError(`${where} line ${i + 1}: BEGIN SOLUTION inside another solution region`);
      indent = begin[1];
      out.push(`${indent}// YOUR CODE HERE`, `${indent}throw new Error("not implemented yet: ${exercise}");`);
    } else if (END.test(line)) {
      if (indent === null) throw new NotebookSourceError(`${where} line ${i + 1}: END SOLUTION without a BEGIN SOLUTION`);
      indent = null;
    } else if (indent === null) {
      out.push(line);
    }
  });
  if (indent !== null) throw new NotebookSourceError(`${where}: BEGIN SOLUTION is never closed by END SOLUTION`);
  return out.join("\n");
}

function sourceText(cell) {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

/** The learner's version of one solution notebook (a plain JSON object). */
export function learnerNotebook(solution, name) {
  const nb = structuredClone(solution);
  nb.cells = nb.cells.map((cell, index) => {
    const copy = { ...cell, source: sourceText(cell) };
    if (copy.cell_type === "code") {
      const exercise = copy.metadata?.nbgrader?.grade_id ?? `${name} cell ${index + 1}`;
      const stubbed = stubSolutions(copy.source, `${name} cell ${index + 1}`, exercise);
      if (stubbed !== copy.source) {
        // Tells the notebook runner that a "not implemented yet" error after this cell is the
        // expected stop of an unsolved learner notebook, not a failure.
        copy.metadata = { ...copy.metadata, course: { ...copy.metadata?.course, stub: true } };
      }
      copy.source = stubbed;
      copy.outputs = [];
      copy.execution_count = null;
    }
    return copy;
  });
  return nb;
}

export function serialise(nb) {
  return `${JSON.stringify(nb, null, 1)}\n`;
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return null;
  }
}

/**
 * Compares (check) or writes notebooks/ from solutions/ under `root`. Returns
 * { stale, wrote, kept, ownEdits }: out-of-date files (check), files written, lines saying where
 * someone's edits were kept, and files whose edits the check let pass (the committed file is right).
 * `record` remembers what the generator wrote last (build/, not committed), so that its own
 * earlier output is never mistaken for a learner's work.
 */
export function generate({ root = ROOT, work = null, check = false, now = new Date(), record = join(root === ROOT ? BUILD : join(root, "build"), "generated-notebooks.json") } = {}) {
  const solutions = join(root, "solutions");
  const notebooks = join(root, "notebooks");
  const written = readJson(record) ?? {};
  const result = { stale: [], wrote: [], kept: [], ownEdits: [] };
  // Every learner notebook is made before any is written: a solution that cannot be read (bad
  // JSON, an unclosed solution region) stops the run with nothing changed.
  const made = readdirSync(solutions).filter((f) => f.endsWith(".ipynb")).sort().map((file) => {
    const text = readFileSync(join(solutions, file), "utf8");
    let solution;
    try {
      solution = JSON.parse(text);
    } catch (e) {
      throw new NotebookSourceError(`solutions/${file} is not valid JSON (${jsonWhere(text, e)}): nothing was written; fix the file (git diff solutions/${file} shows what changed)`);
    }
    return [file, serialise(learnerNotebook(solution, `solutions/${file}`))];
  });
  for (const [file, wanted] of made) {
    const rel = `notebooks/${file}`;
    const target = join(notebooks, file);
    const current = existsSync(target) ? readFileSync(target, "utf8") : null;
    if (current === wanted) {
      written[file] = contentHash(wanted);
      continue;
    }
    const committed = committedVersion(root, rel);
    if (check) {
      if (committed === wanted) result.ownEdits.push(rel);
      else result.stale.push(rel);
      continue;
    }
    if (current !== null && current !== committed && contentHash(current) !== written[file]) {
      const dir = work ?? (root === ROOT ? workDir() : join(root, WORK_DIR_NAME));
      mkdirSync(dir, { recursive: true });
      const kept = join(dir, besideName(dir, file, "your-edits-from-notebooks", now));
      writeFileSync(kept, current, { flag: "wx" }); // never over an existing file
      result.kept.push(`generate-notebooks: ${rel} had edits of your own: kept them as ${courseRelative(kept)} before regenerating it.`);
    }
    mkdirSync(notebooks, { recursive: true });
    writeFileSync(`${target}.tmp`, wanted);
    renameSync(`${target}.tmp`, target);
    written[file] = contentHash(wanted);
    result.wrote.push(rel);
  }
  // A learner copy whose solution is gone (renamed or removed): never made again, and release
  // would hand it to students.
  result.orphans = existsSync(notebooks)
    ? readdirSync(notebooks).filter((f) => f.endsWith(".ipynb") && !made.some(([file]) => file === f)).sort().map((f) => `notebooks/${f}`)
    : [];
  if (!check) {
    mkdirSync(join(record, ".."), { recursive: true });
    writeFileSync(record, `${JSON.stringify(written, null, 2)}\n`);
  }
  return result;
}

function main() {
  const argv = process.argv.slice(2);
  const check = argv.includes("--check");
  // --root DIR: the course at DIR instead of this checkout (the tests use a scratch copy).
  const at = argv.indexOf("--root");
  const root = at >= 0 ? resolve(argv[at + 1] ?? ".") : ROOT;
  let r;
  try {
    r = generate({ root, check });
  } catch (e) {
    // The course's own failures (a file, a marker, a folder it cannot write) as one line naming the
    // file; a bug in the generator keeps its stack.
    if (!(e instanceof SetupError) && !(e instanceof NotebookSourceError) && !e.code) throw e;
    console.error(`generate-notebooks: ${e.message}`);
    process.exit(1);
  }
  for (const line of r.kept) console.log(line);
  if (r.orphans.length) {
    console.error(`generate-notebooks: ${r.orphans.join(", ")} ${r.orphans.length === 1 ? "has" : "have"} no solution in solutions/ (renamed or removed?): ` +
      `remove ${r.orphans.length === 1 ? "it" : "them"} (git rm), or npm run release hands ${r.orphans.length === 1 ? "it" : "them"} to students.`);
    if (check) process.exit(1);
  }
  if (r.stale.length) {
    console.error(`generate-notebooks: out of date with solutions/: ${r.stale.join(", ")} (what the generator writes matches neither the file nor what git has committed). Run \`npm run notebooks:generate\` and commit.`);
    process.exit(1);
  }
  const own = r.ownEdits.length
    ? ` (${r.ownEdits.join(", ")} ${r.ownEdits.length === 1 ? "has" : "have"} edits of your own, left alone: the committed version is up to date; your work belongs in my-work/, where npm start makes your copies)`
    : "";
  console.log(r.wrote.length ? `generate-notebooks: wrote ${r.wrote.join(", ")}` : `generate-notebooks: notebooks/ is up to date${own}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
