// The teacher's side of grading: which notebooks can be graded, their exercises and points, the
// cells of the teacher's copy a student's solutions need, and the hidden tests' observers.
//
// An assignment is one notebook of solutions/ (the teacher's copy: it holds the reference
// solutions) with a file of observers in grading/hidden/<notebook>.ts. From the teacher's copy:
//   - exercises: each solution cell (nbgrader metadata `solution: true`, a `grade_id`), worth the
//     points of its check cell (`<grade_id>-check`);
//   - context: the teacher's cells marked `"course": {"grading": "context"}` (imports, types and
//     helpers a solution cell uses), run before the student's solution cells, in notebook order;
//   - checks: the check cells that read only what the context and solution cells define. They
//     run once, after the hidden cases, on the teacher's solutions only: a solution edited wrong
//     would otherwise become the reference every student is judged against.
// Nothing else of the notebook runs when grading: its experiments do not, and a student's check
// cells do not.
//
// By default an exercise's hidden cases are judged against the teacher's solution on the same
// seeds. An exercise judged on hidden data instead (a held-out loss, a metric on a hidden test
// split) has a judge in grading/hidden/<notebook>.judges.mjs, which runs only in the grader:
//   export const judges = { "<grade_id>": {
//     queries(root)  -> [input, ...]   the inputs, sent to the observer one request at a time,
//                                     so the student's process answers query k before it
//                                     receives query k + 1 (labels are never sent);
//     judge(answers, root) -> { passed, output, leaderboard?: [{ name, value, order }] } } }
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { createRequire } from "node:module";

// tslab's own TypeScript (a dependency of tslab, so also in a Gradescope image, which installs no
// devDependencies) transpiles the observers.
const require = createRequire(import.meta.url);
const ts = require(require.resolve("@tslab/typescript-for-tslab", { paths: [dirname(require.resolve("tslab/package.json"))] }));

export const cellSource = (cell) => (Array.isArray(cell.source) ? cell.source.join("") : String(cell.source ?? ""));
export const gradeIdOf = (cell) => cell?.metadata?.nbgrader?.grade_id ?? null;
export const isSolutionCell = (cell) => cell?.cell_type === "code" && cell?.metadata?.nbgrader?.solution === true && typeof gradeIdOf(cell) === "string";

/** One gradeable notebook of the teacher's. */
export function loadAssignment(root, notebookPath) {
  const name = basename(notebookPath, ".ipynb");
  const nb = JSON.parse(readFileSync(notebookPath, "utf8"));
  const cells = nb.cells ?? [];
  const checks = new Map(cells.filter((c) => c.metadata?.nbgrader?.grade === true).map((c) => [gradeIdOf(c), Number(c.metadata.nbgrader.points ?? 0)]));
  const exercises = [];
  const program = []; // { kind: "context" | "solution", gradeId?, source, index }
  cells.forEach((cell, index) => {
    if (isSolutionCell(cell)) {
      const gradeId = gradeIdOf(cell);
      const points = checks.get(`${gradeId}-check`);
      if (points === undefined) throw new Error(`${notebookPath}: exercise ${gradeId} has no check cell ${gradeId}-check (its points)`);
      exercises.push({ gradeId, points, title: exerciseTitle(cells, index) });
      program.push({ kind: "solution", gradeId, source: cellSource(cell), index });
    } else if (cell.cell_type === "code" && cell.metadata?.course?.grading === "context") {
      program.push({ kind: "context", source: cellSource(cell), index });
    }
  });
  // The check cells the grader can run on the teacher's solutions: those that read nothing but
  // what the program defines (a check of a trained model needs the training, if it is context).
  const declared = new Set(program.flatMap((p) => [...declaredNames(p.source)]));
  const checkCells = [];
  cells.forEach((cell, index) => {
    const gradeId = gradeIdOf(cell)?.replace(/-check$/, "");
    if (cell.cell_type !== "code" || cell.metadata?.nbgrader?.grade !== true || !exercises.some((e) => e.gradeId === gradeId)) return;
    const source = cellSource(cell);
    const needs = [...freeNames(source)].filter((n) => !declared.has(n) && !(n in globalThis));
    checkCells.push({ gradeId, source, index, ...(needs.length ? { notRun: `it reads ${needs.join(", ")}, which no context or solution cell defines${unmarkedDefiners(cells, needs)}` } : {}) });
  });
  const observersPath = join(root, "grading", "hidden", `${name}.ts`);
  const judgesPath = join(root, "grading", "hidden", `${name}.judges.mjs`);
  // Which exercises each exercise's reference solution calls (a forward pass calls the step): a
  // student's bug in the step fails both, as it would in their notebook; the output says why.
  const defined = new Map(program.filter((p) => p.kind === "solution").map((p) => [p.gradeId, [...declaredNames(p.source)]]));
  // The given cells right after a solution cell count as its code (capstone 1's settings cell is
  // followed by the cells that train with them, calling the step, the loss and the clipping).
  for (const e of exercises) {
    const at = program.findIndex((p) => p.gradeId === e.gradeId);
    const next = program.findIndex((p, i) => i > at && p.kind === "solution");
    const source = program.slice(at, next < 0 ? program.length : next).map((p) => p.source).join("\n");
    e.uses = [...defined].filter(([id, names]) => id !== e.gradeId && names.some((n) => new RegExp(`\\b${n}\\s*\\(`).test(source.replace(/\/\/.*$/gm, "")))).map(([id]) => id);
  }
  return {
    name,
    notebookPath,
    title: notebookTitle(cells) ?? name,
    // Limits a notebook asks for (metadata.course.grading, e.g. { "cellSeconds": 120 } for training).
    limits: { ...(nb.metadata?.course?.grading ?? {}) },
    exercises,
    program,
    checks: checkCells,
    observersPath: existsSync(observersPath) ? observersPath : null,
    judgesPath: existsSync(judgesPath) ? judgesPath : null,
  };
}

/** Every notebook of solutions/ that has exercises, by name. */
export function loadAssignments(root) {
  const dir = join(root, "solutions");
  const all = new Map();
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".ipynb")).sort()) {
    const a = loadAssignment(root, join(dir, file));
    if (a.exercises.length) all.set(a.name, a);
  }
  return all;
}

const parse = (source) => ts.createSourceFile("cell.ts", source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);

/** Every name a cell declares at its top level: imports, functions, classes, enums, variables (destructured too). */
export function declaredNames(source) {
  const names = new Set();
  const bind = (name) => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else for (const element of name.elements ?? []) if (element.name) bind(element.name);
  };
  for (const st of parse(source).statements) {
    if (ts.isVariableStatement(st)) st.declarationList.declarations.forEach((d) => bind(d.name));
    else if ((ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st) || ts.isEnumDeclaration(st)) && st.name) names.add(st.name.text);
    else if (ts.isImportDeclaration(st) && st.importClause) {
      const { name, namedBindings } = st.importClause;
      if (name) names.add(name.text);
      if (namedBindings && ts.isNamespaceImport(namedBindings)) names.add(namedBindings.name.text);
      else namedBindings?.elements.forEach((e) => names.add(e.name.text));
    }
  }
  return names;
}

/**
 * The names a cell reads from outside itself: every identifier read as a value, minus the names
 * the cell binds anywhere (declarations, parameters, destructuring, catch clauses, functions and
 * classes). A check cell's callback `(c) => ...` reads its own c. Types are left out (erased when
 * the cell runs). Binding sets are per cell, not per scope: a name bound in one function and read
 * free in another counts as bound, so such a check cell is run and, if it needs the name, fails
 * loudly in the reference run (grading stops), never skipped in silence.
 */
export function freeNames(source) {
  const read = new Set();
  const bound = declaredNames(source); // the cell's top level, imports included
  const bind = (name) => {
    if (!name) return;
    if (ts.isIdentifier(name)) bound.add(name.text);
    else for (const element of name.elements ?? []) if (element.name) bind(element.name);
  };
  const isNameNotRead = (node, p) =>
    ((ts.isPropertyAccessExpression(p) || ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) ||
      ts.isGetAccessorDeclaration(p) || ts.isSetAccessorDeclaration(p) || ts.isEnumMember(p)) && p.name === node) ||
    (ts.isQualifiedName(p) && p.right === node) ||
    (ts.isBindingElement(p) && p.propertyName === node) ||
    ((ts.isLabeledStatement(p) || ts.isBreakStatement(p) || ts.isContinueStatement(p)) && p.label === node);
  const visit = (node) => {
    // A class's `extends Base` reads Base; every other type position is erased.
    if (ts.isExpressionWithTypeArguments(node) && ts.isHeritageClause(node.parent) && node.parent.token === ts.SyntaxKind.ExtendsKeyword) return visit(node.expression);
    if (ts.isTypeNode(node) || ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) return;
    if (ts.isParameter(node) || ts.isVariableDeclaration(node) || ts.isBindingElement(node)) bind(node.name);
    if ((ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isClassDeclaration(node) || ts.isClassExpression(node) || ts.isEnumDeclaration(node)) && node.name) bound.add(node.name.text);
    if (ts.isIdentifier(node) && !isNameNotRead(node, node.parent)) read.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(parse(source));
  return new Set([...read].filter((n) => !bound.has(n)));
}

function notebookTitle(cells) {
  const md = cells.find((c) => c.cell_type === "markdown");
  const m = md && /^#\s+(.+)$/m.exec(cellSource(md));
  return m ? m[1].trim() : null;
}

/** The last heading of the markdown cell just before an exercise ("Exercise 3.2: one step"), if any. */
function exerciseTitle(cells, index) {
  for (let i = index - 1; i >= 0 && i >= index - 3; i--) {
    if (cells[i].cell_type !== "markdown") continue;
    // The last heading of the cell: a section heading and "### Exercise N" often share one.
    const headings = [...cellSource(cells[i]).matchAll(/^#{1,6}\s+(.+)$/gm)];
    if (headings.length) return headings[headings.length - 1][1].replace(/[*_`]/g, "").trim();
  }
  return null;
}

/** The observers module as CommonJS source, for the sandbox to evaluate (it cannot read grading/). */
export function observersSource(assignment) {
  if (!assignment.observersPath) throw new Error(`no hidden tests for ${assignment.name}: write grading/hidden/${assignment.name}.ts`);
  const text = readFileSync(assignment.observersPath, "utf8");
  const out = ts.transpileModule(text, {
    fileName: assignment.observersPath,
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  const errors = (out.diagnostics ?? []).map((d) => {
    const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : null;
    return `${where ? `line ${where.line + 1}, column ${where.character + 1}: ` : ""}${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  });
  if (errors.length) throw new Error(`${assignment.observersPath}: ${errors.join("; ")}`);
  return out.outputText;
}

/**
 * The seed of hidden case k of an exercise: derived from the teacher's secret seed, so the cases
 * are the same at every grading (deterministic) and unknown without the secret.
 */
export function caseSeeds(secret, gradeId, cases) {
  return Array.from({ length: cases }, (_, k) => createHash("sha256").update(`${secret}\0${gradeId}\0${k}`).digest().readUInt32BE(0));
}

/**
 * For a check cell that reads names no context or solution cell defines: the cells that import
 * them but are not marked to run when grading (a new notebook's `import * as kl` cell, left
 * unmarked), and the metadata that marks them. A check that reads a function the notebook itself
 * defines (02's `add`) is skipped on purpose, with no hint.
 */
function unmarkedDefiners(cells, names) {
  const found = [];
  cells.forEach((cell, index) => {
    if (cell.cell_type !== "code" || isSolutionCell(cell) || cell.metadata?.nbgrader?.grade === true) return;
    if (!/^\s*import\b/m.test(cellSource(cell))) return;
    const defines = names.filter((n) => declaredNames(cellSource(cell)).has(n));
    if (defines.length) found.push(`the notebook's cell ${index + 1} defines ${defines.join(", ")}`);
  });
  return found.length ? ` (${found.join("; ")}: give that cell the metadata {"course": {"grading": "context"}} so that grading runs it)` : "";
}
