#!/usr/bin/env node
// Sets up everything the course needs, inside the project folder (or the active conda env):
//   1. npm packages (npm ci from the committed lockfile),
//   2. a Python environment with JupyterLab 4, plotly (its JupyterLab renderer), nbclient,
//   3. kernel-lib compiled to kernel-lib/dist (what notebooks import as "kernel-lib"),
//   4. the TypeScript kernel registered into that Python environment as `tslab`: this checkout's
//      tslab, run through scripts/kernel/course-kernel.js (by absolute path),
//   5. the course's JupyterLab defaults (no news pop-up, autosave every 20 s) in that environment,
//      and nbgrader's JupyterLab menus and server extensions off there (learners see no teacher
//      menus; a teacher turns them on: grading/nbgrader/README.md),
//   and, only when asked (ensureSetup({ chromium: true }): npm test when its browser stage will
//   run), a Chromium to drive (lib/browser/chromium.mjs; `npm start` never asks).
// Each step checks whether it is already done, so a second run takes a second or two, and a run
// after an interrupted one repairs what is half-made. `npm start`, `npm test` and Binder's
// postBuild all call this same script; it is the only copy of the set-up logic.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, renameSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { ensureChromium } from "./lib/browser/chromium.mjs";
import {
  BUILD, LAB_DEFAULTS, MIN_NODE, MIN_PYTHON, ROOT, SetupError, TSLAB, VENV,
  chooseEnvironment, parseVersion, pythonVersion, run, sysPrefix, versionAtLeast,
} from "./lib/project.mjs";

const STATE_FILE = join(BUILD, "setup-state.json");
const PY_MODULES = ["jupyterlab", "plotly", "nbclient", "nbformat", "nbconvert", "jupyter_client", "IPython"];
// Found, not imported: importing nbgrader loads its server extensions (over a second, every run).
const PY_PRESENT = ["nbgrader"];

function log(msg) {
  console.log(`setup: ${msg}`);
}

function readState() {
  try {
    return JSON.parse(readFileSync(STATE_FILE, "utf8"));
  } catch {
    return {};
  }
}

function writeState(state) {
  mkdirSync(BUILD, { recursive: true });
  const tmp = `${STATE_FILE}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2));
  renameSync(tmp, STATE_FILE); // atomic: an interrupted run never leaves a half-written state
}

function hashFile(path) {
  return createHash("sha256").update(readFileSync(path)).digest("hex").slice(0, 16);
}

function checkNode() {
  const major = Number(process.versions.node.split(".")[0]);
  if (major < MIN_NODE) {
    throw new SetupError(`Node ${process.versions.node} is too old: the course needs Node ${MIN_NODE} or newer (https://nodejs.org, or \`conda install nodejs=20\`).`);
  }
}

// 1. npm packages ------------------------------------------------------------------------------
function ensureNodeModules() {
  const marker = join(ROOT, "node_modules", ".package-lock.json");
  const lock = join(ROOT, "package-lock.json");
  const fresh = existsSync(marker) && existsSync(TSLAB) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs;
  if (fresh) return;
  log("installing npm packages (npm ci)");
  const r = run("npm", ["ci", "--no-audit", "--no-fund"], { cwd: ROOT, stdio: "inherit", shell: process.platform === "win32" });
  if (r.status !== 0) throw new SetupError("`npm ci` failed (see above). Check your network access to the npm registry, then run `npm start` again.");
}

// 2. Python environment --------------------------------------------------------------------------
/**
 * The Pythons .venv may be made from, in the order tried: the usual names on PATH, then versioned
 * names (on macOS `python3` may be Apple's 3.9 beside a newer `python3.12`), then Windows' `py`
 * launcher (python.org's installer leaves Python itself off PATH unless asked).
 */
export function baseCandidates(platform = process.platform) {
  const versioned = [14, 13, 12, 11, 10].map((minor) => [`python3.${minor}`]);
  return [["python3"], ["python"], ...versioned, ...(platform === "win32" ? [["py", "-3"]] : [])];
}

export function findBasePython() {
  const tried = [];
  for (const [cmd, ...args] of baseCandidates()) {
    const r = run(cmd, [...args, "-c", "import sys; print(sys.executable); print('.'.join(map(str, sys.version_info[:3])))"]);
    const [executable, version] = r.status === 0 ? r.stdout.trim().split(/\r?\n/) : [];
    const v = parseVersion(version);
    if (!executable || !v) continue;
    tried.push(`${[cmd, ...args].join(" ")} ${v.join(".")}`);
    if (versionAtLeast(v, MIN_PYTHON)) return executable;
  }
  const found = tried.length ? `found ${tried.join(", ")}` : "found no python3 or python on PATH";
  throw new SetupError(`Python ${MIN_PYTHON.join(".")}+ is needed (${found}). Install it (or activate a conda env made from environment.yml), then run again; COURSE_PYTHON=/path/to/python picks one explicitly.`);
}

function ensureVenv() {
  // A venv whose interpreter no longer runs (deleted base Python, interrupted creation) is rebuilt.
  if (existsSync(VENV) && !pythonVersion(chooseEnvironment({}).python)) {
    log(".venv is broken (its python does not run): recreating it");
    rmSync(VENV, { recursive: true, force: true });
  }
  if (existsSync(VENV)) return;
  const base = findBasePython();
  log(`creating a project-local Python environment in .venv (from ${base})`);
  const r = run(base, ["-m", "venv", VENV], { stdio: "inherit" });
  if (r.status !== 0) {
    rmSync(VENV, { recursive: true, force: true });
    throw new SetupError(`\`${base} -m venv\` failed. On Debian/Ubuntu install the venv module (apt-get install python3-venv), or use conda with environment.yml.`);
  }
}

function ensurePythonPackages(env, state) {
  const v = pythonVersion(env.python);
  if (!v) throw new SetupError(`the Python at ${env.python} does not run. ${env.kind === "explicit" ? "Fix COURSE_PYTHON" : "Activate a working environment"} and try again.`);
  if (!versionAtLeast(v, MIN_PYTHON)) {
    throw new SetupError(`Python ${v.join(".")} at ${env.python} is too old: the course needs ${MIN_PYTHON.join(".")}+.`);
  }
  const wanted = hashFile(join(ROOT, "requirements.txt"));
  const present = `import importlib.util, sys; sys.exit(0 if all(importlib.util.find_spec(m) for m in ${JSON.stringify(PY_PRESENT)}) else 1)`;
  const importable = () => run(env.python, ["-c", `import ${PY_MODULES.join(", ")}; ${present}`]).status === 0;
  if (state.python === env.python && state.requirements === wanted && importable()) return;
  const pipInstall = () => {
    log(`installing Python packages into ${env.kind === "venv" ? ".venv" : env.prefix ?? env.python} (pip install -r requirements.txt)`);
    const args = ["-m", "pip", "install", "--disable-pip-version-check", "-q", "-r", join(ROOT, "requirements.txt")];
    return run(env.python, args, { stdio: "inherit" }).status === 0 && importable();
  };
  let ok = pipInstall();
  if (!ok && env.kind === "venv") {
    // pip trusts its records: a package whose files were deleted or half-written stays "installed".
    // Our own .venv is cheap to rebuild, so a second failure starts it from scratch.
    log(".venv is still incomplete: rebuilding it from scratch");
    rmSync(VENV, { recursive: true, force: true });
    ensureVenv();
    ok = pipInstall();
  }
  if (!ok) {
    throw new SetupError("pip could not install the Python packages (see above). Check access to PyPI and run again; a re-run repairs a half-made environment.");
  }
  state.python = env.python;
  state.requirements = wanted;
}

// 3. kernel-lib build ------------------------------------------------------------------------------
function newestMtime(dir) {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const s = statSync(path);
    newest = Math.max(newest, s.isDirectory() ? newestMtime(path) : s.mtimeMs);
  }
  return newest;
}

export function ensureLibraryBuilt() {
  const lib = join(ROOT, "kernel-lib");
  const built = join(lib, "dist", "index.js");
  const sources = Math.max(newestMtime(join(lib, "src")), statSync(join(lib, "tsconfig.build.json")).mtimeMs);
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  log("building kernel-lib (tsc -> kernel-lib/dist)");
  const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
  const r = run(process.execPath, [tsc, "-p", join(lib, "tsconfig.build.json")], { cwd: ROOT, stdio: "inherit" });
  if (r.status !== 0) throw new SetupError("kernel-lib did not compile (errors above).");
}

// 4. The TypeScript kernel ------------------------------------------------------------------------
// The `tslab` kernelspec ("TypeScript", the name every notebook declares) runs the course's kernel,
// scripts/kernel/course-kernel.js: tslab from this checkout's node_modules, plus errors that escape
// a cell (a forgotten await, a throw in a timer) reported under that cell and failing a run. It is
// started with the Node that runs set-up, both by absolute path; a later run with another Node
// (or from a moved checkout), or a kernelspec an earlier version wrote, registers it again.
export const COURSE_KERNEL = join(ROOT, "scripts", "kernel", "course-kernel.js");

export function courseKernelSpec(node = process.execPath, platform = process.platform) {
  const spec = { argv: [node, COURSE_KERNEL, "--config-path", "{connection_file}"], display_name: "TypeScript", language: "typescript" };
  // Windows has no SIGINT to send a process: there Kernel ▸ Interrupt must be a message, which the
  // course kernel answers (scripts/kernel/interrupt-request.js). Elsewhere the signal stays: it
  // can also stop a cell's synchronous code (tslab runs it with vm's breakOnSigint), a message
  // waits for the event loop.
  return platform === "win32" ? { ...spec, interrupt_mode: "message" } : spec;
}

function ensureKernel(env) {
  const dir = join(sysPrefix(env.python), "share", "jupyter", "kernels", "tslab");
  const spec = join(dir, "kernel.json");
  const wanted = courseKernelSpec();
  try {
    if (JSON.stringify(JSON.parse(readFileSync(spec, "utf8"))) === JSON.stringify(wanted)) return;
  } catch {
    /* missing or unreadable: (re)write below */
  }
  log(`registering the TypeScript kernel (tslab, through ${relative(ROOT, COURSE_KERNEL)}) in ${relative(ROOT, dir) || dir}`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${spec}.tmp`, `${JSON.stringify(wanted, null, 1)}\n`);
    renameSync(`${spec}.tmp`, spec); // atomic: Jupyter never reads half a kernelspec
  } catch (e) {
    throw new SetupError(`cannot write the kernelspec ${spec} (${e.code ?? e.message}): make that folder writable, or use another Python (COURSE_PYTHON, or a conda env).`);
  }
}

// 5. JupyterLab's defaults for the course -----------------------------------------------------------
/**
 * Writes LAB_DEFAULTS as `overrides.d/sequence-models-course.json` in the JupyterLab settings
 * folder of the environment (`<app dir>/settings`, where JupyterLab reads a deployment's default
 * settings; a learner's own settings still win). It only sets defaults, and only these. Where
 * that folder cannot be written (a system Python), set-up says so and carries on.
 */
function ensureLabDefaults(env, state) {
  const wanted = `${JSON.stringify(LAB_DEFAULTS, null, 2)}\n`;
  const key = `${env.python}|${process.env.JUPYTERLAB_DIR ?? ""}`;
  let file = state.labDefaults?.key === key ? state.labDefaults.file : null;
  if (file && existsSync(file) && readFileSync(file, "utf8") === wanted) return;
  if (!file) {
    // Asking JupyterLab is slow (seconds), so the answer is remembered in the state file.
    const r = run(env.python, ["-c", "from jupyterlab.commands import get_app_dir; print(get_app_dir())"]);
    if (r.status !== 0) throw new SetupError(`cannot find JupyterLab's folder in ${env.python}: ${r.stderr.trim().split("\n").pop()}. Run set-up again; it reinstalls what is missing.`);
    file = join(r.stdout.trim(), "settings", "overrides.d", "sequence-models-course.json");
  }
  state.labDefaults = { key, file };
  try {
    mkdirSync(join(file, ".."), { recursive: true });
    writeFileSync(`${file}.tmp`, wanted);
    renameSync(`${file}.tmp`, file);
  } catch (e) {
    log(`could not write the course's JupyterLab defaults to ${file} (${e.code ?? e.message}): JupyterLab will ask about news and autosave every 120 s.`);
  }
}

/**
 * nbgrader (in requirements.txt, for teachers who grade with it: grading/nbgrader/) brings a
 * JupyterLab extension (assignment list, course list, formgrader, create-assignment toolbar,
 * validate button) and four server extensions, all on by default. A learner's `npm start` shows
 * none of them: set-up writes one file into each of the environment's two `.d` folders of Jupyter
 * settings, turning them off. A teacher's `jupyter labextension enable @jupyter/nbgrader` writes
 * `labconfig/page_config.json`, which takes precedence over the `.d` folder beside it;
 * `jupyter server extension enable nbgrader.server_extensions.formgrader` writes
 * `jupyter_server_config.d/nbgrader.server_extensions.formgrader.json`, and in a `.d` folder the
 * file whose name sorts last wins: ours, `nbgrader.off-for-learners.json`, sorts after nbgrader's
 * own `nbgrader.json` (which turns them on) and before those. Set-up never touches their files,
 * so a teacher's choice stays.
 */
export const NBGRADER_OFF = {
  "labconfig/page_config.d/sequence-models-course.json": { disabledExtensions: { "@jupyter/nbgrader": true } },
  "jupyter_server_config.d/nbgrader.off-for-learners.json": {
    ServerApp: {
      jpserver_extensions: Object.fromEntries(
        ["formgrader", "validate_assignment", "assignment_list", "course_list"].map((x) => [`nbgrader.server_extensions.${x}`, false]),
      ),
    },
  },
};

function ensureNbgraderOff(env) {
  const etc = join(sysPrefix(env.python), "etc", "jupyter");
  for (const [rel, settings] of Object.entries(NBGRADER_OFF)) {
    const file = join(etc, rel);
    const wanted = `${JSON.stringify(settings, null, 2)}\n`;
    if (existsSync(file) && readFileSync(file, "utf8") === wanted) continue;
    try {
      mkdirSync(join(file, ".."), { recursive: true });
      writeFileSync(`${file}.tmp`, wanted);
      renameSync(`${file}.tmp`, file);
    } catch (e) {
      log(`could not write ${file} (${e.code ?? e.message}): JupyterLab will show nbgrader's teacher menus.`);
    }
  }
}

/**
 * Does every step that is not yet done. Returns the chosen environment. With `python: false` only
 * the Node side (node_modules and kernel-lib's build), for the grader, which runs no Jupyter:
 * then it returns null.
 */
export function ensureSetup({ chromium = false, python = true } = {}) {
  checkNode();
  ensureNodeModules();
  if (!python) {
    ensureLibraryBuilt();
    return null;
  }
  const env = chooseEnvironment();
  if (env.skippedCondaBase) log("conda's base environment is active: the course uses its own .venv instead (conda activate seq-models-course, or COURSE_PYTHON, to choose another)");
  if (env.kind === "venv") ensureVenv();
  const state = readState();
  ensurePythonPackages(env, state);
  writeState(state); // remembered even if a later step fails, so a re-run skips pip
  ensureLibraryBuilt();
  ensureKernel(env);
  ensureLabDefaults(env, state);
  ensureNbgraderOff(env);
  writeState(state);
  if (chromium) {
    // Only for the browser test: its stage then says what is missing, while the other stages run.
    try {
      env.chromium = ensureChromium();
    } catch (e) {
      if (!(e instanceof SetupError)) throw e;
      log(e.message);
    }
  }
  return env;
}

/** For scripts: run set-up, turning a SetupError into one clear line and exit code 1. */
export function ensureSetupOrExit(opts) {
  try {
    return ensureSetup(opts);
  } catch (e) {
    if (e instanceof SetupError) {
      console.error(`setup: ${e.message}`);
      process.exit(1);
    }
    throw e;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const env = ensureSetupOrExit();
  const v = pythonVersion(env.python).join(".");
  log(`ready: Python ${v} (${env.kind === "venv" ? ".venv" : env.python}), kernel tslab -> ${relative(ROOT, COURSE_KERNEL)}`);
}
