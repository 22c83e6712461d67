#!/usr/bin/env node
// Sets up everything the course needs, inside the project folder (or the active conda env):
//   1. npm packages (npm ci from the committed lockfile),
//   2. a Python environment with JupyterLab 4, plotly (its JupyterLab renderer), nbclient,
//   3. kernel-lib compiled to kernel-lib/dist (what notebooks import as "kernel-lib"),
//   4. the tslab kernel registered into that Python environment, pointing at this checkout's
//      node_modules/.bin/tslab by absolute path.
// Each step checks whether it is already done, so a second run takes a second or two, and a run
// after an interrupted one repairs what is half-made. `npm start`, `npm test` and Binder's
// postBuild all call this same script; it is the only copy of the set-up logic.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, renameSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import {
  BUILD, MIN_NODE, MIN_PYTHON, ROOT, SetupError, TSLAB, VENV,
  chooseEnvironment, pythonVersion, run, sysPrefix, versionAtLeast,
} from "./lib/project.mjs";

const STATE_FILE = join(BUILD, "setup-state.json");
const PY_MODULES = ["jupyterlab", "plotly", "nbclient", "nbformat", "nbconvert", "jupyter_client", "IPython"];

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
function findBasePython() {
  const tried = [];
  for (const candidate of ["python3", "python"]) {
    const v = pythonVersion(candidate);
    if (!v) continue;
    tried.push(`${candidate} ${v.join(".")}`);
    if (versionAtLeast(v, MIN_PYTHON)) return candidate;
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
  const importable = () => run(env.python, ["-c", `import ${PY_MODULES.join(", ")}`]).status === 0;
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

// 4. The tslab kernel ------------------------------------------------------------------------------
function ensureKernel(env) {
  const prefix = sysPrefix(env.python);
  const spec = join(prefix, "share", "jupyter", "kernels", "tslab", "kernel.json");
  try {
    const argv = JSON.parse(readFileSync(spec, "utf8")).argv;
    if (argv[0] === TSLAB) return; // registered, and pointing at this checkout
  } catch {
    /* missing or unreadable: (re)install below */
  }
  log(`registering the TypeScript kernel (tslab) in ${relative(ROOT, prefix) || prefix}`);
  const r = run(TSLAB, ["install", "--python", env.python, "--binary", TSLAB, "--sys-prefix"], { stdio: "inherit" });
  if (r.status !== 0) throw new SetupError("`tslab install` failed (see above); it needs jupyter_client and IPython, which setup installs: run again.");
}

/** Does every step that is not yet done. Returns the chosen environment. */
export function ensureSetup() {
  checkNode();
  ensureNodeModules();
  const env = chooseEnvironment();
  if (env.kind === "venv") ensureVenv();
  const state = readState();
  ensurePythonPackages(env, state);
  writeState(state); // remembered even if a later step fails, so a re-run skips pip
  ensureLibraryBuilt();
  ensureKernel(env);
  return env;
}

/** For scripts: run set-up, turning a SetupError into one clear line and exit code 1. */
export function ensureSetupOrExit() {
  try {
    return ensureSetup();
  } catch (e) {
    if (e instanceof SetupError) {
      console.error(`setup: ${e.message}`);
      process.exit(1);
    }
    throw e;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const env = ensureSetupOrExit();
  const v = pythonVersion(env.python).join(".");
  log(`ready: Python ${v} (${env.kind === "venv" ? ".venv" : env.python}), kernel tslab -> ${relative(ROOT, TSLAB)}`);
}
