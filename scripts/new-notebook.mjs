#!/usr/bin/env node
// `npm run new-notebook -- NN-name [--title "..."]`: a new graded notebook (assignment) of the
// teacher's own, as a skeleton that already works end to end. It writes three files, and nothing
// else (never over an existing file):
//   solutions/NN-name.ipynb                                    the teacher's copy: a title, the
//       context cell (`import * as kl`, marked {"course": {"grading": "context"}} so the grader
//       runs it before the student's solutions), one example exercise (heading, solution cell,
//       check cell) and a closing cell saying what to replace;
//   grading/hidden/NN-name.ts                                  the exercise's hidden test (observer);
//   scripts/test/fixtures/grading/wrong/chNN-running-mean.ts   a typical wrong answer, which the
//       grading test (scripts/test/grade.test.mjs) grades with the course's own.
// The name is two digits, a dash and lowercase words: nbgrader-course.mjs takes only such names
// (assignment chNN), Gradescope numbers the exercises NN.1, NN.2, ... and grade_ids are chNN-...
// 00, 98 and 99 are refused: release.mjs hands those notebooks to every class. The notebook's
// exercise is then found on its own by npm run grade, nbgrader and Gradescope: see docs/teaching.md,
// "Adding a notebook of your own". `--root DIR` makes the notebook in the course at DIR (the tests
// use a scratch copy).
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT, SetupError, chooseEnvironment, nbgraderCommand } from "./lib/project.mjs";

const USAGE = 'usage: npm run new-notebook -- NN-name [--title "Title"], e.g. 14-moving-averages';

/** Two digits, a dash, lowercase words joined by dashes: 14-moving-averages. */
export const NAME = /^(\d\d)-([a-z][a-z0-9]*(?:-[a-z0-9]+)*)$/;

/** Numbers the course keeps for notebooks without exercises, which release.mjs hands to every class. */
const RESERVED = { "00": "the welcome notebook's", "98": "the data sets appendix's", "99": "the gallery's" };

/** The example exercise the skeleton holds (its grade_id is ch<NN>-running-mean). */
export const EXERCISE = "running-mean";

/** The notebook metadata every notebook of solutions/ has: the course's TypeScript kernel. */
export const NOTEBOOK_METADATA = {
  kernelspec: { name: "tslab", display_name: "TypeScript", language: "typescript" },
  language_info: { name: "typescript", file_extension: ".ts", mimetype: "text/typescript" },
};

/** A solution cell's or a check cell's metadata, keys in the order of the course's notebooks. */
const nbgrader = ({ grade = false, grade_id, locked = false, points, solution = false }) => ({
  nbgrader: { grade, grade_id, locked, ...(points === undefined ? {} : { points }), schema_version: 3, solution, task: false },
});

/** "moving-averages" -> "Moving averages". */
export function titleOf(words) {
  const text = words.replace(/-/g, " ");
  return text[0].toUpperCase() + text.slice(1);
}

/** The teacher's copy of the notebook (a plain JSON object). */
export function skeletonNotebook(number, name, title) {
  const id = `ch${number}-${EXERCISE}`;
  const markdown = (source) => ({ cell_type: "markdown", metadata: {}, source });
  const code = (metadata, source) => ({ cell_type: "code", execution_count: null, metadata, outputs: [], source });
  const cells = [
    markdown(
      `# ${Number(number)}. ${title}\n\n` +
        "Replace this with the notebook's introduction: what it teaches, and its objectives.\n\n" +
        "This notebook was made by `npm run new-notebook` as a working skeleton: one example exercise with its\n" +
        "check cell, a hidden test and a typical wrong answer, which every grading route already picks up. The\n" +
        "last cell says what to replace.",
    ),
    code({ course: { grading: "context" } }, 'import * as kl from "kernel-lib";'),
    markdown(
      "## Exercise 1: the running mean\n\n" +
        "`runningMean(xs)` takes a sequence of numbers `xs` and returns, for every step t, the mean of the\n" +
        "values read so far, x₀ … x_t: one mean per step. It is a recurrence: carry the sum from one step\n" +
        "to the next, as a recurrent network carries its state.",
    ),
    code(
      nbgrader({ grade_id: id, solution: true }),
      "function runningMean(xs: number[]): number[] {\n" +
        "  // BEGIN SOLUTION\n" +
        "  const means: number[] = [];\n" +
        "  let sum = 0;\n" +
        "  for (let t = 0; t < xs.length; t++) {\n" +
        "    sum += xs[t];\n" +
        "    means.push(sum / (t + 1));\n" +
        "  }\n" +
        "  return means;\n" +
        "  // END SOLUTION\n" +
        "}",
    ),
    code(
      nbgrader({ grade: true, grade_id: `${id}-check`, locked: true, points: 2 }),
      `kl.testing.checkExercise("${id}", (c) => {\n` +
        '  c.that("one mean per step (probe: 4 steps)", runningMean([1, 2, 3, 4]).length === 4, "return one mean for every value of xs");\n' +
        '  c.close("one step is its own mean", runningMean([5]), [5], { hint: "the mean of a single value is that value" });\n' +
        '  c.close("a constant sequence stays constant (probe: 3, 3, 3)", runningMean([3, 3, 3]), [3, 3, 3], { hint: "divide the sum so far by the number of values so far, t + 1" });\n' +
        '  c.close("a late jump (probe: 0, 0, 6)", runningMean([0, 0, 6]), [0, 0, 2], { hint: "step t averages x₀ … x_t, not the whole sequence" });\n' +
        "});",
    ),
    markdown(
      // No "BEGIN SOLUTION" or "END SOLUTION" here: nbgrader refuses a notebook with either outside a solution cell.
      "## What to replace\n\n" +
        "This skeleton grades as it is (`npm run grade`, nbgrader, Gradescope). To make it yours, replace:\n\n" +
        "- the title and the introduction; keep the context cell (`import * as kl`, cell metadata\n" +
        '  `"course": {"grading": "context"}`): the grader runs it before the student\'s solutions;\n' +
        `- the exercise: its heading, its solution cell (nbgrader \`grade_id\` \`${id}\`; the answer stays\n` +
        "  between the two SOLUTION marker comments), its check cell (`" + id + "-check`, its points), its\n" +
        `  observer in \`grading/hidden/${number}-${name}.ts\` and its wrong answer in\n` +
        `  \`scripts/test/fixtures/grading/wrong/${id}.ts\`: a new grade_id (\`ch${number}-...\`) goes in all four;\n` +
        "- then add exercises the same way (heading, solution cell, check cell, observer, wrong answer), and\n" +
        "  delete this cell.\n\n" +
        "Then `npm run notebooks:generate` (never edit `notebooks/`: it is made from this file).",
    ),
  ];
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: structuredClone(NOTEBOOK_METADATA),
    cells: cells.map((cell, i) => {
      // Key order as in the course's notebooks: cell_type, execution_count, id, metadata, outputs, source.
      const { cell_type, execution_count, metadata, outputs, source } = cell;
      return cell_type === "code"
        ? { cell_type, execution_count, id: `ch${number}-${String(i).padStart(2, "0")}`, metadata, outputs, source }
        : { cell_type, id: `ch${number}-${String(i).padStart(2, "0")}`, metadata, source };
    }),
  };
}

/** The hidden test: one observer, sizes and values drawn from rng, the result named, the input under `given`. */
export function skeletonObservers(number, name, title) {
  const id = `ch${number}-${EXERCISE}`;
  return `// Hidden tests of notebook ${number}, "${title}" (see types.ts for how observers are used). Made by
// npm run new-notebook: replace the example exercise's observer with your exercises' (one per grade_id).
import type { Observers } from "./types";

export const observers: Observers = {
  "${id}": (s, kl, rng, { case: c }) => {
    // Case 0 is a single step; the others draw their length (2-12, then 2-30), so that a function
    // hard-wired to the check cell's probes fails. Values have two decimals: the feedback shows them.
    const T = c === 0 ? 1 : 2 + rng.int(c === 1 ? 11 : 29);
    const xs = Array.from({ length: T }, () => Math.round(rng.uniform(-10, 10) * 100) / 100);
    // The result under a name ("the result.means[3] is 0.52, which is wrong"), then the input under
    // \`given\` ("This case's input: xs = [...]"); the function gets a copy, so what is shown is the input.
    return { means: s.runningMean(xs.slice()), given: { xs } };
  },
};
`;
}

/** A typical wrong answer: the whole solution cell, as a student might write it. */
export function skeletonWrongAnswer() {
  return `// Divides each sum by the length of the whole sequence, not by the t + 1 values read so far.
function runningMean(xs: number[]): number[] {
  const means: number[] = [];
  let sum = 0;
  for (const x of xs) {
    sum += x;
    means.push(sum / xs.length);
  }
  return means;
}
`;
}

/** Every grade_id in the course's solutions/, with the notebook that has it. */
function gradeIds(root, files) {
  const ids = new Map();
  for (const f of files) {
    let nb;
    try {
      nb = JSON.parse(readFileSync(join(root, "solutions", f), "utf8"));
    } catch {
      continue; // not this script's business (npm run notebooks:generate names a broken notebook)
    }
    for (const c of nb.cells ?? []) if (typeof c?.metadata?.nbgrader?.grade_id === "string") ids.set(c.metadata.nbgrader.grade_id, f);
  }
  return ids;
}

/**
 * What `newNotebook` would write, after every check: [{ rel, text }]. Throws a SetupError (one
 * line, naming the clash or the file) for a bad name, a number or name in use, or a file that exists.
 */
export function plan({ root = ROOT, name, title = null }) {
  if (typeof name !== "string" || !name) throw new SetupError(`no notebook name given (${USAGE})`);
  const m = NAME.exec(name.replace(/\.ipynb$/, ""));
  if (!m) throw new SetupError(`"${name}" is not a notebook name: two digits, a dash and lowercase words joined by dashes, e.g. 14-moving-averages (nbgrader and Gradescope number assignments by the two digits)`);
  const [full, number, words] = m;
  if (RESERVED[number]) throw new SetupError(`${number} is ${RESERVED[number]} number: npm run release hands notebooks 00, 98 and 99 to every class; choose another number (01-97)`);
  if (title !== null && (typeof title !== "string" || !title.trim() || /\n/.test(title))) throw new SetupError("--title needs a title of one line");
  const solutions = join(root, "solutions");
  if (!existsSync(solutions)) throw new SetupError(`${root} has no solutions/ folder: run this in the course's checkout`);
  const files = readdirSync(solutions).filter((f) => f.endsWith(".ipynb")).sort();
  const sameNumber = files.find((f) => f.startsWith(`${number}-`));
  if (sameNumber) throw new SetupError(`number ${number} is taken by solutions/${sameNumber}: choose a number no notebook uses (grade_ids ch${number}-... would clash)`);
  const sameName = files.find((f) => f.replace(/^\d\d-/, "") === `${words}.ipynb`);
  if (sameName) throw new SetupError(`the name ${words} is taken by solutions/${sameName}: choose another name`);
  const id = `ch${number}-${EXERCISE}`;
  const clash = gradeIds(root, files);
  for (const gid of [id, `${id}-check`]) if (clash.has(gid)) throw new SetupError(`grade_id ${gid} is already used in solutions/${clash.get(gid)}: choose another number`);
  const heading = title?.trim() ?? titleOf(words);
  const out = [
    // Written as the course's notebooks are (generate-notebooks.mjs's serialise): indent 1, a final newline.
    { rel: `solutions/${full}.ipynb`, text: `${JSON.stringify(skeletonNotebook(number, words, heading), null, 1)}\n` },
    { rel: `grading/hidden/${full}.ts`, text: skeletonObservers(number, words, heading) },
    { rel: `scripts/test/fixtures/grading/wrong/${id}.ts`, text: skeletonWrongAnswer() },
  ];
  for (const { rel } of out) if (existsSync(join(root, rel))) throw new SetupError(`${rel} exists: nothing was written (this script never writes over a file; remove it or choose another name)`);
  for (const dir of ["grading/hidden", "scripts/test/fixtures/grading/wrong"]) {
    if (!existsSync(join(root, dir))) throw new SetupError(`${root} has no ${dir}/ folder: run this in the course's checkout`);
  }
  return { name: full, number, gradeId: id, title: heading, files: out };
}

/** The commands that check a new notebook, in order, each with what it shows (printed after it is written). */
export function nextSteps(name, number, python = chooseEnvironment().python) {
  const nbgrader = nbgraderCommand(python);
  const steps = [
    ["npm run notebooks:generate", `the learner copy, notebooks/${name}.ipynb`],
    [`node scripts/notebooks.mjs solutions/${name}.ipynb notebooks/${name}.ipynb`, "both through the kernel: 2 passed"],
    [`npm run grade -- solutions/${name}.ipynb --out build/grades/${name}-solution`, "the solution: 2 of 2"],
    [`npm run grade -- notebooks/${name}.ipynb --out build/grades/${name}-learner`, "the learner copy: 0 of 2"],
    ['node --test --test-name-pattern="each wrong answer" scripts/test/grade.test.mjs', "every notebook and wrong answer (minutes)"],
    ["npm run grade:nbgrader-course -- ~/rnn-course", `nbgrader's assignment ch${number}, then in ~/rnn-course:`],
    [`${nbgrader} generate_assignment ch${number}`, `release/ch${number}/${name}.ipynb`],
    [`npm run grade:gradescope -- --assignment ${name}`, `build/gradescope-${name}.zip`],
  ];
  return steps.map(([cmd, what]) => `${cmd}   # ${what}`);
}

/** Writes the skeleton under `root`; returns { name, gradeId, written: [rel] }. Refuses as `plan` does. */
export function newNotebook({ root = ROOT, name, title = null }) {
  const p = plan({ root, name, title });
  const written = [];
  try {
    for (const { rel, text } of p.files) {
      writeFileSync(join(root, rel), text, { flag: "wx" }); // never over a file, even one made since the check
      written.push(rel);
    }
  } catch (e) {
    // All three or none: a half-made notebook would fail the grading test.
    for (const rel of written) rmSync(join(root, rel), { force: true });
    if (e.code === "EEXIST") throw new SetupError(`${e.path ? e.path.slice(root.length + 1) : "a file"} appeared while writing: nothing was written`);
    throw e;
  }
  return { name: p.name, number: p.number, gradeId: p.gradeId, title: p.title, written };
}

export function parseArgs(argv) {
  const opts = { name: null, title: null, root: ROOT };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new SetupError(`${a} needs a value (${USAGE})`);
      return argv[++i];
    };
    if (a === "--title") opts.title = value();
    else if (a.startsWith("--title=")) opts.title = a.slice("--title=".length);
    else if (a === "--root") opts.root = resolve(value());
    else if (a === "--help" || a === "-h") throw new SetupError(USAGE);
    else if (a.startsWith("-")) throw new SetupError(`unknown option ${a} (${USAGE})`);
    else if (opts.name !== null) throw new SetupError(`one notebook at a time (got ${opts.name} and ${a}; ${USAGE})`);
    else opts.name = a;
  }
  return opts;
}

export function main(argv) {
  try {
    const opts = parseArgs(argv);
    const r = newNotebook(opts);
    console.log(`new-notebook: wrote ${r.written.join(", ")} ("${r.title}", exercise ${r.gradeId}, 2 points).`);
    console.log("Check it (docs/teaching.md, \"Adding a notebook of your own\"):");
    for (const line of nextSteps(r.name, r.number)) console.log(`  ${line}`);
  } catch (e) {
    if (!(e instanceof SetupError) && !e.code) throw e;
    console.error(`new-notebook: ${e.message}`);
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));
