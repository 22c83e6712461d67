#!/usr/bin/env node
// `npm run grade:nbgrader-course -- DIR`: makes DIR an nbgrader course directory for this course,
// or brings one up to date:
//   DIR/source/chNN/NN-name.ipynb           the chapters 01, 02, ... from solutions/ (nbgrader's assignments
//                                           ch01, ch02, ...; generate_assignment stubs the solutions)
//   DIR/nbgrader_config.py                  grading/nbgrader/nbgrader_config.py
//   DIR/jupyter/kernels/tslab/kernel.json   the course kernel of this checkout, as set-up registers it
//   DIR/node_modules                        a link to this checkout's node_modules (kernel-lib, tslab)
// It never writes over a file a teacher changed: DIR/.course-files.json remembers what it wrote,
// a file still as written is updated when the course's version changes, and a file that is not as
// written is kept, with one line saying where the course's version is. Nothing else in DIR (the
// gradebook, release/, submitted/, ...) is touched. grading/nbgrader/README.md: what comes next.
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, realpathSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT, SetupError, contentHash, nbgraderCommand } from "./lib/project.mjs";
import { courseKernelSpec, ensureSetupOrExit } from "./setup.mjs";

export const MANIFEST = ".course-files.json";
const CONFIG = join(ROOT, "grading", "nbgrader", "nbgrader_config.py");

/** A numbered notebook with nbgrader solution cells is a chapter with exercises (00, 98 and 99 have none). */
export function hasExercises(path) {
  return JSON.parse(readFileSync(path, "utf8")).cells.some((c) => c.metadata?.nbgrader?.solution === true);
}

/** The nbgrader assignments the course directory holds: ch01, ch02, ... */
export function chapterNames() {
  return Object.keys(courseFiles()).map((rel) => /^source\/(ch\d\d)\//.exec(rel)?.[1]).filter(Boolean);
}

/** The files of a course directory, as { rel: { from, content } } (from: where the course keeps it). */
export function courseFiles({ node = process.execPath } = {}) {
  const files = {};
  for (const name of readdirSync(join(ROOT, "solutions")).sort()) {
    const m = /^(\d\d)-.*\.ipynb$/.exec(name);
    if (m && hasExercises(join(ROOT, "solutions", name))) files[`source/ch${m[1]}/${name}`] = { from: join(ROOT, "solutions", name), content: readFileSync(join(ROOT, "solutions", name)) };
  }
  files["nbgrader_config.py"] = { from: CONFIG, content: readFileSync(CONFIG) };
  files["jupyter/kernels/tslab/kernel.json"] = { from: "set-up's kernelspec (scripts/setup.mjs)", content: Buffer.from(`${JSON.stringify(courseKernelSpec(node), null, 1)}\n`) };
  return files;
}

/**
 * The notebooks with exercises that nbgrader-course leaves out for their name (not NN-name), other
 * than the capstones, which only npm run grade and Gradescope grade (their judges hold data back).
 */
export function leftOutNotebooks() {
  return readdirSync(join(ROOT, "solutions")).sort()
    .filter((name) => name.endsWith(".ipynb") && !/^\d\d-/.test(name) && !name.startsWith("capstone-") && hasExercises(join(ROOT, "solutions", name)));
}

function readManifest(dir) {
  try {
    const m = JSON.parse(readFileSync(join(dir, MANIFEST), "utf8"));
    if (m && typeof m.files === "object" && m.files) return m;
  } catch {
    /* missing or unreadable: every existing file is then of unknown origin, and kept */
  }
  return { files: {} };
}

function writeAtomic(path, content) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.tmp`, content);
  renameSync(`${path}.tmp`, path);
}

/**
 * Writes the course's files into `dir` (made if missing) and the node_modules link. Returns the
 * lines to print: one per file written, updated or kept.
 */
export function makeCourse(dir, { files = courseFiles() } = {}) {
  mkdirSync(dir, { recursive: true });
  const manifest = readManifest(dir);
  const lines = [];
  const made = [];
  for (const [rel, { from, content }] of Object.entries(files)) {
    const target = join(dir, rel);
    const hash = contentHash(content);
    const written = manifest.files[rel]?.written;
    if (!existsSync(target)) {
      writeAtomic(target, content);
      made.push(rel);
    } else {
      const now = contentHash(readFileSync(target));
      if (now === hash) {
        /* already the course's version */
      } else if (now === written) {
        writeAtomic(target, content);
        lines.push(`nbgrader-course: updated ${rel} (the course's version changed; yours was as this script wrote it).`);
      } else {
        lines.push(`nbgrader-course: kept ${rel}: it is not as this script wrote it (you changed it?). The course's version: ${from}.`);
        continue;
      }
    }
    manifest.files[rel] = { written: hash };
  }
  writeAtomic(join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  if (made.length) lines.unshift(`nbgrader-course: wrote ${made.length} file${made.length > 1 ? "s" : ""} (${made.join(", ")}).`);

  // kernel-lib and tslab resolve from the notebooks' folders upwards: DIR/node_modules.
  const link = join(dir, "node_modules");
  const ours = realpathSync(join(ROOT, "node_modules"));
  let stat = null;
  try {
    stat = lstatSync(link);
  } catch {
    /* missing */
  }
  if (!stat) {
    symlinkSync(ours, link, process.platform === "win32" ? "junction" : "dir");
    lines.push(`nbgrader-course: linked node_modules -> ${ours} (kernel-lib and tslab resolve through it).`);
  } else if (realpathOr(link) !== ours) {
    lines.push(`nbgrader-course: kept node_modules: it is not a link to ${ours}; notebooks take kernel-lib from it.`);
  }
  return lines;
}

function realpathOr(path) {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

function main(argv) {
  const args = argv.filter((a) => a !== "--");
  if (args.length !== 1 || args[0].startsWith("-")) {
    console.error("usage: npm run grade:nbgrader-course -- DIR   (makes DIR an nbgrader course directory for the chapters, or updates it)");
    process.exit(2);
  }
  // npm runs scripts in the package's folder; a relative DIR is taken from where npm was started.
  const base = process.env.INIT_CWD ?? process.cwd();
  const dir = resolve(base, args[0]);
  const env = ensureSetupOrExit();
  try {
    for (const line of makeCourse(dir)) console.log(line);
  } catch (e) {
    if (e instanceof SetupError || !e.code) throw e;
    console.error(`nbgrader-course: could not finish ${dir}: ${e.message}. It stopped part-way: files it updated before that hold the course's versions, ` +
      "files you changed were not written over; run it again once that is fixed.");
    process.exit(1);
  }
  const nbgrader = nbgraderCommand(env.python);
  const shown = relative(base, dir).startsWith("..") ? dir : relative(base, dir) || ".";
  console.log(`nbgrader-course: ${shown} is ready (assignments ${chapterNames().join(", ")}). Run nbgrader there with the course's Python environment:`);
  console.log(`  cd ${shown} && ${nbgrader} generate_assignment ch03`);
  for (const name of leftOutNotebooks()) {
    console.log(`nbgrader-course: left out solutions/${name}: nbgrader's assignments are made from notebooks named NN-name (assignment chNN); ` +
      "rename it so to grade it with nbgrader (npm run grade and Gradescope take it as it is)");
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));
