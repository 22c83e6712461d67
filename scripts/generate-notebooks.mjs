#!/usr/bin/env node
// One source of truth: the complete notebooks in solutions/ generate the learner's notebooks in
// notebooks/. For each solutions/NAME.ipynb this writes notebooks/NAME.ipynb with
//   - every region between `// BEGIN SOLUTION` and `// END SOLUTION` replaced by a stub
//     (`// YOUR CODE HERE` and a `throw new Error("not implemented yet: ...")`),
//   - such cells marked {"course": {"stub": true}} (the notebook runner's cue),
//   - outputs and execution counts removed (notebooks are committed clean).
// `npm run notebooks:generate` writes them; `--check` only compares and exits 1 when a committed
// learner notebook is out of date (a unit test runs that).
import { readFileSync, readdirSync, writeFileSync, renameSync, existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "./lib/project.mjs";

const SOLUTIONS = join(ROOT, "solutions");
const NOTEBOOKS = join(ROOT, "notebooks");
const BEGIN = /^(\s*)\/\/ BEGIN SOLUTION\s*$/;
const END = /^\s*\/\/ END SOLUTION\s*$/;

/** Replaces each solution region in one cell's source; `where` names the cell in errors. */
export function stubSolutions(source, where, exercise) {
  const out = [];
  let indent = null;
  source.split("\n").forEach((line, i) => {
    const begin = line.match(BEGIN);
    if (begin) {
      if (indent !== null) throw new Error(`${where} line ${i + 1}: BEGIN SOLUTION inside another solution region`);
      indent = begin[1];
      out.push(`${indent}// YOUR CODE HERE`, `${indent}throw new Error("not implemented yet: ${exercise}");`);
    } else if (END.test(line)) {
      if (indent === null) throw new Error(`${where} line ${i + 1}: END SOLUTION without a BEGIN SOLUTION`);
      indent = null;
    } else if (indent === null) {
      out.push(line);
    }
  });
  if (indent !== null) throw new Error(`${where}: BEGIN SOLUTION is never closed by END SOLUTION`);
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

function main() {
  const check = process.argv.includes("--check");
  const stale = [];
  for (const file of readdirSync(SOLUTIONS).filter((f) => f.endsWith(".ipynb")).sort()) {
    const solution = JSON.parse(readFileSync(join(SOLUTIONS, file), "utf8"));
    const wanted = serialise(learnerNotebook(solution, `solutions/${file}`));
    const target = join(NOTEBOOKS, file);
    const current = existsSync(target) ? readFileSync(target, "utf8") : null;
    if (current === wanted) continue;
    stale.push(`notebooks/${file}`);
    if (!check) {
      writeFileSync(`${target}.tmp`, wanted);
      renameSync(`${target}.tmp`, target);
    }
  }
  if (check && stale.length) {
    console.error(`generate-notebooks: out of date with solutions/: ${stale.join(", ")}. Run \`npm run notebooks:generate\` and commit.`);
    process.exit(1);
  }
  console.log(stale.length ? `generate-notebooks: wrote ${stale.join(", ")}` : "generate-notebooks: notebooks/ is up to date");
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) main();
