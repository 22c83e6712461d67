// Reading what a student handed in, without changing it: a folder of notebooks, or one notebook.
// A notebook is matched to the teacher's by the grade_ids of its solution cells (whatever the
// student renamed, reordered or added); one that is not valid JSON is matched by its file name,
// so it can be given 0 with the reason.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { gradeIdOf, isSolutionCell, cellSource } from "./assignments.mjs";
import { jsonWhere } from "../lib/project.mjs";

const MAX_NOTEBOOK_BYTES = 100 * 2 ** 20;

/** The notebooks of one submission: [{ file, notebook } | { file, error }]. */
export function readSubmission(path) {
  const files = statSync(path).isDirectory() ? notebookFiles(path) : [path];
  return files.map((file) => {
    if (typeof file !== "string") return file; // found but not read (a link)
    let text;
    try {
      // A notebook is a few MiB at most even with its outputs; a huge file is not read whole.
      if (statSync(file).size > MAX_NOTEBOOK_BYTES) return { file, error: `is larger than ${MAX_NOTEBOOK_BYTES / 2 ** 20} MiB (clear its outputs and submit it again)` };
      // A byte-order mark (some editors on Windows write one) is not part of the JSON.
      text = readFileSync(file, "utf8").replace(/^\uFEFF/, "");
    } catch (e) {
      return { file, error: `could not be read (${e.code ?? e.message})` };
    }
    try {
      const notebook = JSON.parse(text);
      if (!notebook || !Array.isArray(notebook.cells)) return { file, error: "is not a notebook (no list of cells)" };
      return { file, notebook };
    } catch (e) {
      return { file, error: `is not valid JSON (${jsonWhere(text, e)}): the file may be cut short or edited by hand` };
    }
  });
}

/** The student's name: the folder's name, or the notebook file's name without .ipynb. */
export function studentName(path) {
  return basename(path).replace(/\.ipynb$/, "");
}

function notebookFiles(dir, depth = 0) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const p = join(dir, entry.name);
    if (entry.isDirectory() && depth < 3) out.push(...notebookFiles(p, depth + 1));
    else if (entry.isFile() && entry.name.endsWith(".ipynb")) out.push(p);
    // A link in a student's folder is never followed: the grader reads with the teacher's rights,
    // and 03-vanilla-rnn.ipynb -> ../../solutions/03-vanilla-rnn.ipynb would hand in the solutions.
    else if (entry.isSymbolicLink() && entry.name.endsWith(".ipynb")) out.push({ file: p, error: "is a symbolic link, not a notebook file: it was not read" });
  }
  return out;
}

/**
 * For each assignment, the student's notebook for it: { file, sources: Map gradeId -> source,
 * problems: [sentence] } or { file, error } or absent.
 */
export function matchNotebooks(entries, assignments, root) {
  const found = new Map();
  const rel = (f) => relative(root, f) || basename(f);
  for (const entry of entries) {
    let best = null;
    if (entry.notebook) {
      const ids = new Set(entry.notebook.cells.filter(isSolutionCell).map(gradeIdOf));
      let bestCount = 0;
      for (const a of assignments.values()) {
        const n = a.exercises.filter((e) => ids.has(e.gradeId)).length;
        if (n > bestCount) [best, bestCount] = [a, n];
      }
    }
    if (!best) best = [...assignments.values()].find((a) => basename(entry.file) === `${a.name}.ipynb`) ?? null;
    if (!best) continue;
    const prior = found.get(best.name);
    // Two files for one notebook: one that can be read wins (a copy cut short loses nothing when
    // another copy is whole), then the one with the course's file name, then the first by name.
    const rank = (file, broken) => (broken ? 2 : 0) + (basename(file) === `${best.name}.ipynb` ? 0 : 1);
    const another = (file, broken) => `${basename(file)} is another copy of this notebook${broken ? ` (it ${broken})` : ""}: it was not graded`;
    if (prior && rank(prior.file, prior.error) <= rank(entry.file, entry.error)) {
      prior.problems.push(`${another(entry.file, entry.error)} (${basename(prior.file)} was).`);
      continue;
    }
    const m = { file: entry.file, problems: prior ? [...prior.problems.filter((p) => p.includes(" is another copy of this notebook")), `${another(prior.file, prior.error)} (${basename(entry.file)} was).`] : [] };
    if (entry.error) m.error = `${basename(entry.file)} ${entry.error}`;
    else [m.sources, m.cellNotes] = solutionSources(entry.notebook, best, m.problems);
    found.set(best.name, m);
  }
  return found;
}

/**
 * [sources: Map gradeId -> the solution cell's source, notes: Map gradeId -> a sentence for that
 * exercise's feedback]. Of several copies of a solution cell (JupyterLab's copy and paste keeps
 * the grade_id), the last is graded: it is what running the notebook top to bottom leaves defined.
 */
function solutionSources(notebook, assignment, problems) {
  const sources = new Map();
  const notes = new Map();
  for (const { gradeId } of assignment.exercises) {
    const withId = notebook.cells.filter((c) => gradeIdOf(c) === gradeId); // a cell may be null
    const cells = withId.filter((c) => c.cell_type === "code");
    if (cells.length === 0) {
      const kind = withId[0]?.cell_type;
      const note = kind
        ? `The solution cell of ${gradeId} is a ${kind} cell in your notebook, not a code cell (change it back to code).`
        : `The solution cell of ${gradeId} is missing from your notebook (no code cell has that grade_id).`;
      problems.push(`${note.slice(0, -1)}: that exercise gets 0.`);
      notes.set(gradeId, note);
      continue;
    }
    if (cells.length > 1) {
      const note = `${cells.length} cells of your notebook are the solution cell of ${gradeId} (a copied cell keeps its id): the last one was graded, as running the notebook top to bottom leaves its code in effect.`;
      problems.push(note);
      notes.set(gradeId, note);
    }
    sources.set(gradeId, cellSource(cells[cells.length - 1]));
  }
  return [sources, notes];
}
