// Where in a cell an error happened, as the learner reads the cell.
//
// tslab runs a cell as TypeScript converted to JavaScript (types removed, imports turned into
// require calls, helper functions and `exports.x = x` lines added) inside a wrapper, through
// vm.runInThisContext with no file name: every frame of every cell read
// `evalmachine.<anonymous>:LINE`, a line of that converted code (a trial's 3-line cell said
// line 7), and the kernel could only say "this cell". Here each cell's script is named after its
// cell ("cell [12]"), so a frame says which cell, and the converted line is traced back to the
// cell's own line by its text: the one line of the cell that reads the same, ignoring spaces,
// semicolons and what TypeScript removes from that line alone (type annotations, `as` casts).
// When no line, or more than one, could be it, nothing is claimed (the frame names the cell only).
"use strict";

const path = require("node:path");
const vm = require("node:vm");

const tslabDir = path.dirname(require.resolve("tslab/package.json", { paths: [path.join(__dirname, "..", "..")] }));
const ts = require(require.resolve("typescript", { paths: [tslabDir] }));

/** tslab's wrapper around a cell's converted code: "(function(exports, require) { " or its async form. */
const WRAPPER = /^\((?:async )?function\(exports, require\) \{ /;
/** Cells whose scripts are kept, oldest dropped first (a function defined earlier can still throw). */
const KEEP_CELLS = 1000;
/** filename ("cell [12]") -> { source: the cell's lines, converted: the script's lines } */
const scripts = new Map();

/**
 * Names each script tslab runs for a cell after that cell (`cellOf()` gives the running cell:
 * { count, source }), and keeps what is needed to trace its lines back.
 */
function nameCellScripts(cellOf) {
  const runInThisContext = vm.runInThisContext;
  vm.runInThisContext = function (code, options) {
    const cell = cellOf();
    if (cell && cell.count !== null && typeof cell.source === "string" && typeof code === "string" && WRAPPER.test(code) && !options?.filename) {
      const filename = `cell [${cell.count}]`;
      scripts.delete(filename);
      scripts.set(filename, { source: cell.source.split("\n"), converted: code.split("\n") });
      if (scripts.size > KEEP_CELLS) scripts.delete(scripts.keys().next().value);
      options = { ...options, filename };
    }
    return runInThisContext.call(this, code, options);
  };
}

/**
 * A line of code as compared: without its spaces and final semicolons, and without what the
 * conversion adds to a line: tslab's wrapper (on the first line), `exports.tsLastExpr = ` (a
 * cell's last expression, kept to show it), `exports.` before a name an earlier cell defined,
 * `(0, kernel_lib_1.matmul)` for an imported name.
 */
function comparable(line) {
  return line
    .replace(WRAPPER, "")
    .replace(/^\s*exports\.tsLastExpr\d* = /, "")
    .replace(/\(0,\s*(?:exports|[\w$]+_\d+)\.([\w$]+)\)/g, "$1")
    .replace(/\bexports\./g, "")
    .replace(/\s+/g, "")
    .replace(/;+$/, "");
}

/** The line as JavaScript when TypeScript converts it alone (types and casts removed), comparable. */
function convertedAlone(line) {
  try {
    const js = ts.transpileModule(line, { reportDiagnostics: false, compilerOptions: { target: ts.ScriptTarget.ES2022, removeComments: true } }).outputText;
    return comparable(js.split("\n").find((l) => l.trim() !== "") ?? "");
  } catch {
    return null;
  }
}

/** Indexes (0-based) of the lines of `lines` that `key` reads the same as `target`. */
function matching(lines, key, target) {
  const found = [];
  lines.forEach((l, i) => {
    if (target !== "" && key(l) === target) found.push(i);
  });
  return found;
}

/**
 * The cell and the cell's own line a frame of a cell's script points at: { cell: "cell [12]",
 * line: 4 (1-based, or null when no one line of the cell can be named), text: that line, trimmed }.
 * Null for a frame outside any cell's script.
 */
function cellLine(filename, convertedLine) {
  const script = scripts.get(filename);
  if (!script) return /^cell \[\d+\]$/.test(filename) ? { cell: filename, line: null, text: null } : null;
  const target = comparable(script.converted[convertedLine - 1] ?? "");
  // The same text may come more than once (`loss.backward()` in two places): the k-th time in the
  // converted code is the k-th time in the cell, when both count the same.
  const inConverted = matching(script.converted, comparable, target);
  const k = inConverted.filter((i) => i < convertedLine - 1).length;
  // The cell's lines as they read, then as TypeScript converts each alone (once per script: a
  // recursion's ten frames in one function ask ten times).
  const aloneOf = (line) => (script.alone ??= new Map(script.source.map((l) => [l, convertedAlone(l)]))).get(line);
  for (const key of [comparable, aloneOf]) {
    const inCell = matching(script.source, key, target);
    if (inCell.length > 0 && inCell.length === inConverted.length) {
      const i = inCell[k];
      return { cell: filename, line: i + 1, text: script.source[i].trim() };
    }
  }
  return { cell: filename, line: null, text: null };
}

/** Whether a frame's line is the wrapper's call that ends a cell's script (not the learner's code). */
function isWrapperCall(filename, convertedLine) {
  const script = scripts.get(filename);
  return Boolean(script) && convertedLine === script.converted.length && /^\}\)\(__tslab__\.exports, __tslab__\.require\)$/.test(script.converted[convertedLine - 1].trim());
}

module.exports = { nameCellScripts, cellLine, isWrapperCall };
