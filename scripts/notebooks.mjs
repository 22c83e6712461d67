#!/usr/bin/env node
// `npm run notebooks -- [paths or globs]`: sets up what is missing, then executes the notebooks
// through the real tslab kernel (scripts/run_notebooks.py does the executing and reporting).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT, jupyterEnv } from "./lib/project.mjs";
import { ensureSetupOrExit } from "./setup.mjs";

const env = ensureSetupOrExit();
const r = spawnSync(env.python, [join(ROOT, "scripts", "run_notebooks.py"), ...process.argv.slice(2)], {
  cwd: ROOT,
  stdio: "inherit",
  env: jupyterEnv(env.python),
});
process.exit(r.status ?? 1);
