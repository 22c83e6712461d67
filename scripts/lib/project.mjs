// Where things live in this project, and how to run its tools.
// Every script (setup, start, the notebook runner, the test orchestrator) takes paths from here,
// so there is one answer to "which Python?" and "which Jupyter kernels?".
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { delimiter, dirname, isAbsolute, join, relative, resolve, sep, win32 } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const BUILD = join(ROOT, "build");

/** Where JSON.parse stopped in `text`, as "line L, column C" (its message gives a character position). */
export function jsonWhere(text, e) {
  const m = /position (\d+)/.exec(e.message);
  if (!m) return e.message.split("\n")[0];
  const pos = Number(m[1]);
  const before = text.slice(0, pos);
  const line = before.split("\n").length;
  return `line ${line}, column ${pos - before.lastIndexOf("\n")}`;
}

/** What git has committed (HEAD) for `rel`, a path inside `root`; null when it is not committed or there is no git. */
export function committedVersion(root, rel) {
  const r = run("git", ["show", `HEAD:./${rel}`], { cwd: root, maxBuffer: 256 * 1024 * 1024 });
  return r.status === 0 ? r.stdout : null;
}

/** The file that marks a folder outside build/ as one a course tool writes its artifacts into. */
export const ARTIFACTS_MARK = ".course-artifacts";

/**
 * Makes sure the tool may write its artifacts (executed notebooks, screenshots) into `dir`: a
 * folder under build/, a new or empty one (then marked), or one it marked before. Anything else
 * (my-work/, the project's root, a folder of the learner's) is refused with an Error saying so:
 * an executed copy would be written over a notebook of the same name.
 */
export function claimArtifactsDir(dir, tool) {
  const rel = relative(BUILD, dir);
  if (rel === "" || (!rel.startsWith("..") && !isAbsolute(rel))) return;
  const mark = join(dir, ARTIFACTS_MARK);
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new Error(`--out ${dir} is a file: give a folder (nothing is overwritten)`);
  if (existsSync(dir) && readdirSync(dir).length > 0 && !existsSync(mark)) {
    throw new Error(`--out ${dir} holds files ${tool} did not write: give an empty folder, or one under build/ (nothing is overwritten: an executed copy would replace a notebook of the same name)`);
  }
  mkdirSync(dir, { recursive: true });
  if (!existsSync(mark)) writeFileSync(mark, `${tool} writes its artifacts here\n`);
}
export const VENV = join(ROOT, ".venv");
export const TSLAB = join(ROOT, "node_modules", ".bin", process.platform === "win32" ? "tslab.cmd" : "tslab");
export const MIN_PYTHON = [3, 10];
export const MIN_NODE = 20;
/** The folder of the learner's own notebooks (git ignores it; see workDir). */
export const WORK_DIR_NAME = "my-work";

/** A one-line, actionable failure: scripts print `message` and exit 1, never a stack trace. */
export class SetupError extends Error {
  constructor(message) {
    super(message);
    this.name = "SetupError";
  }
}

/**
 * The python binary inside a prefix: bin/python of a venv or a conda env; on Windows a venv keeps
 * it in Scripts\ and a conda env at its top.
 */
export function pythonIn(prefix, kind, platform = process.platform) {
  if (platform !== "win32") return join(prefix, "bin", "python");
  return kind === "venv" ? win32.join(prefix, "Scripts", "python.exe") : win32.join(prefix, "python.exe");
}

/**
 * Which Python environment the course uses, in order of preference:
 *  1. COURSE_PYTHON: an explicit interpreter (its environment receives the packages);
 *  2. an active conda env (CONDA_PREFIX) or a Binder/JupyterHub image (NB_PYTHON_PREFIX):
 *     the packages go there, as environment.yml intends; but not conda's base environment, which
 *     Anaconda activates in every shell (JupyterLab and nbgrader installed into it would be global);
 *  3. otherwise a project-local virtual environment in .venv (nothing installed globally).
 */
export function chooseEnvironment(env = process.env) {
  if (env.COURSE_PYTHON) return { kind: "explicit", python: env.COURSE_PYTHON, prefix: null };
  const condaBase = Boolean(env.CONDA_PREFIX) && env.CONDA_DEFAULT_ENV === "base" && !env.NB_PYTHON_PREFIX;
  const external = (condaBase ? "" : env.CONDA_PREFIX) || env.NB_PYTHON_PREFIX;
  if (external) return { kind: env.CONDA_PREFIX && !condaBase ? "conda" : "image", python: pythonIn(external, "conda"), prefix: external };
  return { kind: "venv", python: pythonIn(VENV, "venv"), prefix: VENV, skippedCondaBase: condaBase };
}

/** Runs a command and returns {status, stdout, stderr}; never throws for a non-zero exit. */
export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", ...opts });
  return { status: r.error ? null : r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "", error: r.error };
}

/** "3.12.4" as [3, 12, 4], or null when the text is not a version. */
export function parseVersion(text) {
  const parts = String(text ?? "").trim().split(".").map(Number);
  return parts.length === 3 && parts.every(Number.isFinite) ? parts : null;
}

/** The version of a Python interpreter as [major, minor, patch], or null if it does not run. */
export function pythonVersion(python) {
  if (!python || (/[\\/]/.test(python) && !existsSync(python))) return null; // a path, not a name on PATH
  const r = run(python, ["-c", "import sys; print('.'.join(map(str, sys.version_info[:3])))"]);
  return r.status === 0 ? parseVersion(r.stdout) : null;
}

/** How to run nbgrader with the course's Python, the same on every system (its script sits in bin/ or Scripts\). */
export function nbgraderCommand(python) {
  return `${/\s/.test(python) ? JSON.stringify(python) : python} -m nbgrader`;
}

export function versionAtLeast(version, minimum) {
  for (let i = 0; i < minimum.length; i++) {
    if ((version[i] ?? 0) !== minimum[i]) return (version[i] ?? 0) > minimum[i];
  }
  return true;
}

/** The sys.prefix of an interpreter: where `tslab install --sys-prefix` puts the kernelspec. */
export function sysPrefix(python) {
  const r = run(python, ["-c", "import sys; print(sys.prefix)"]);
  if (r.status !== 0) throw new SetupError(`cannot run ${python}: ${r.stderr.trim() || r.error}`);
  return r.stdout.trim();
}

/**
 * The environment every Jupyter process of ours runs with. JUPYTER_PATH puts the course's
 * kernelspecs first, so a `tslab` kernel a user installed globally can never shadow the
 * project's own (which points at this checkout's node_modules/.bin/tslab).
 */
export function jupyterEnv(python, extra = {}) {
  const prefix = sysPrefix(python);
  const binDir = dirname(python);
  return {
    ...process.env,
    JUPYTER_PATH: join(prefix, "share", "jupyter"),
    PATH: `${binDir}${delimiter}${process.env.PATH ?? ""}`,
    PYDEVD_DISABLE_FILE_VALIDATION: "1",
    // UTF-8 for Python's own pipes, on Windows too (cp1252 there): the runner prints the kernel's ✘ and ✔.
    PYTHONUTF8: "1",
    ...extra,
  };
}

/**
 * The `python -m jupyter lab` arguments every JupyterLab of ours starts with (npm start, the
 * browser test): the whole course as its root, loopback only (a server with a code-running kernel
 * is not offered to the network), one port and no fallback, our token, tslab as the default kernel.
 */
export function labServerArgs({ port, token }) {
  return [
    "-m", "jupyter", "lab",
    `--ServerApp.root_dir=${ROOT}`,
    "--ServerApp.ip=127.0.0.1",
    `--ServerApp.port=${port}`,
    "--ServerApp.port_retries=0",
    `--IdentityProvider.token=${token}`,
    "--MappingKernelManager.default_kernel_name=tslab",
    // Containers and CI machines often run as root; Jupyter refuses that unless told.
    ...(process.getuid?.() === 0 ? ["--allow-root"] : []),
  ];
}


/**
 * Where the learner's own copies of the notebooks live: my-work/ at the root of the course, which
 * git ignores. `npm start` makes a copy of each chapter there once and never overwrites it; a new
 * or changed chapter arrives beside it (scripts/start.mjs, syncLearnerCopies). COURSE_WORK_DIR
 * moves it (the tests use a scratch folder), but only inside the course: JupyterLab serves the
 * course folder and nothing else, and kernel-lib resolves from node_modules above it.
 */
export function workDir(env = process.env) {
  if (!env.COURSE_WORK_DIR) return join(ROOT, WORK_DIR_NAME);
  const dir = resolve(ROOT, env.COURSE_WORK_DIR);
  const rel = relative(ROOT, dir);
  if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) {
    throw new SetupError(`COURSE_WORK_DIR is ${env.COURSE_WORK_DIR}, which is not inside the course folder ${ROOT}: JupyterLab serves only that folder. Pick a folder inside it, or unset COURSE_WORK_DIR to use ${WORK_DIR_NAME}/.`);
  }
  return dir;
}

/** A path relative to the course folder, with forward slashes, for messages and URLs. */
export function courseRelative(path) {
  const rel = relative(ROOT, path);
  return rel.startsWith("..") || isAbsolute(rel) ? path : rel.split(sep).join("/");
}

/** Short content hash of a file's bytes (or a string): how copies remember what they were made from. */
export function contentHash(data) {
  return createHash("sha256").update(data).digest("hex").slice(0, 16);
}

/**
 * A name for a file that goes BESIDE `name` in `dir` and says what it is, e.g.
 * `03-vanilla-rnn.course-update-2026-12-03.ipynb`; never the name of a file that exists
 * (a second one the same day gets `-2`, then `-3`, ...).
 */
export function besideName(dir, name, label, now = new Date()) {
  const dot = name.lastIndexOf(".");
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot) : "";
  const day = now.toISOString().slice(0, 10);
  for (let n = 1; ; n++) {
    const candidate = `${stem}.${label}-${day}${n === 1 ? "" : `-${n}`}${ext}`;
    if (!existsSync(join(dir, candidate))) return candidate;
  }
}

/**
 * JupyterLab defaults for the course, written by set-up as an `overrides.d` file into the Python
 * environment's JupyterLab settings folder (the place JupyterLab reads a deployment's defaults
 * from; a learner's own settings still win):
 *   - no "Would you like to get notified about official Jupyter news?" pop-up (it covers the charts),
 *     and no update check (the course runs offline);
 *   - autosave every 20 s instead of 120 s, so stopping `npm start` loses at most the last 20 s.
 */
export const LAB_DEFAULTS = {
  "@jupyterlab/apputils-extension:notification": { fetchNews: "false", checkForUpdates: false },
  "@jupyterlab/docmanager-extension:plugin": { autosave: true, autosaveInterval: 20 },
};
