// Where things live in this project, and how to run its tools.
// Every script (setup, start, the notebook runner, the test orchestrator) takes paths from here,
// so there is one answer to "which Python?" and "which Jupyter kernels?".
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const BUILD = join(ROOT, "build");
export const VENV = join(ROOT, ".venv");
export const TSLAB = join(ROOT, "node_modules", ".bin", process.platform === "win32" ? "tslab.cmd" : "tslab");
export const MIN_PYTHON = [3, 10];
export const MIN_NODE = 20;

/** A one-line, actionable failure: scripts print `message` and exit 1, never a stack trace. */
export class SetupError extends Error {
  constructor(message) {
    super(message);
    this.name = "SetupError";
  }
}

/** The python binary inside a prefix (a venv or a conda env). */
export function pythonIn(prefix) {
  return process.platform === "win32" ? join(prefix, "python.exe") : join(prefix, "bin", "python");
}

/**
 * Which Python environment the course uses, in order of preference:
 *  1. COURSE_PYTHON: an explicit interpreter (its environment receives the packages);
 *  2. an active conda env (CONDA_PREFIX) or a Binder/JupyterHub image (NB_PYTHON_PREFIX):
 *     the packages go there, as environment.yml intends;
 *  3. otherwise a project-local virtual environment in .venv (nothing installed globally).
 */
export function chooseEnvironment(env = process.env) {
  if (env.COURSE_PYTHON) return { kind: "explicit", python: env.COURSE_PYTHON, prefix: null };
  const external = env.CONDA_PREFIX || env.NB_PYTHON_PREFIX;
  if (external) return { kind: env.CONDA_PREFIX ? "conda" : "image", python: pythonIn(external), prefix: external };
  return { kind: "venv", python: pythonIn(VENV), prefix: VENV };
}

/** Runs a command and returns {status, stdout, stderr}; never throws for a non-zero exit. */
export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", ...opts });
  return { status: r.error ? null : r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "", error: r.error };
}

/** The version of a Python interpreter as [major, minor, patch], or null if it does not run. */
export function pythonVersion(python) {
  if (!python || (python.includes("/") && !existsSync(python))) return null;
  const r = run(python, ["-c", "import sys; print('.'.join(map(str, sys.version_info[:3])))"]);
  if (r.status !== 0) return null;
  const parts = r.stdout.trim().split(".").map(Number);
  return parts.length === 3 && parts.every(Number.isFinite) ? parts : null;
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
    PATH: `${binDir}${process.platform === "win32" ? ";" : ":"}${process.env.PATH ?? ""}`,
    PYDEVD_DISABLE_FILE_VALIDATION: "1",
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

