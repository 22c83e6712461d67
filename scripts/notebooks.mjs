#!/usr/bin/env node
// `npm run notebooks -- [paths or globs]`: sets up what is missing, then executes the notebooks
// through the course's kernel (scripts/run_notebooks.py does the executing and reporting).
// Ctrl-C stops the run cleanly: the runner shuts the kernels down, names the notebooks that did
// not finish and exits 130. This wrapper stays until it has (a Ctrl-C at the terminal reaches the
// runner directly; a SIGINT or SIGTERM sent to this process alone is passed on to it).
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { join } from "node:path";
import { ROOT, jupyterEnv } from "./lib/project.mjs";
import { ensureSetupOrExit } from "./setup.mjs";

const env = ensureSetupOrExit();
const runner = spawn(env.python, [join(ROOT, "scripts", "run_notebooks.py"), ...process.argv.slice(2)], {
  cwd: ROOT,
  stdio: "inherit",
  env: jupyterEnv(env.python),
});
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    if (runner.exitCode === null) runner.kill(signal);
  });
}
runner.on("error", (e) => {
  console.error(`notebooks: could not start ${env.python}: ${e.message}`);
  process.exit(1);
});
runner.on("exit", (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
