// One JupyterLab server for the browser test, started the way `npm start` starts it (the project's
// Python, jupyterEnv, a token, loopback only, --allow-root when root), plus what a test needs:
//   - the JupyterLab app object exposed in the page (window.jupyterapp), which is how JupyterLab's
//     own UI tests (Galata) read notebook models and kernel messages;
//   - its own config, data, runtime, settings and workspace folders in a scratch directory, so a
//     user's ~/.jupyter cannot change what is tested and the test leaves nothing behind there;
//   - autosave off, and checkpoints kept in the scratch directory: the test opens the course's
//     own notebooks and must never write into them or beside them (the committed notebooks carry
//     no outputs); the executed copy is written by the test instead, to build/browser;
//   - no update checks or news: the browser must not try to reach the internet.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, jupyterEnv, labServerArgs } from "../project.mjs";
import { portIsFree } from "../../start.mjs";

/** JupyterLab user settings, written as files into the server's private user_settings_dir. */
const SETTINGS = {
  "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": { autosave: false },
  "@jupyterlab/apputils-extension/notification.jupyterlab-settings": { fetchNews: "false", checkForUpdates: false },
};

/** A port nothing listens on: the OS picks one, then we check it as `npm start` checks its own. */
async function freePort() {
  for (let attempt = 0; attempt < 5; attempt++) {
    const s = createServer();
    await new Promise((res) => s.listen(0, "127.0.0.1", res));
    const { port } = s.address();
    await new Promise((res) => s.close(res));
    if (await portIsFree(port)) return port;
  }
  throw new Error("could not find a free port on 127.0.0.1");
}

/**
 * Starts JupyterLab on ROOT (so every notebook of the project can be opened) and resolves once it
 * answers its REST API. Returns { base, token, labUrl(path), api(path, init), stop() }.
 */
export async function startJupyterLab(python, { timeoutSeconds = 90 } = {}) {
  const scratch = mkdtempSync(join(tmpdir(), "course-browser-lab-"));
  const settingsDir = join(scratch, "settings");
  for (const [file, value] of Object.entries(SETTINGS)) {
    mkdirSync(join(settingsDir, file, ".."), { recursive: true });
    writeFileSync(join(settingsDir, file), JSON.stringify(value));
  }
  const port = await freePort();
  const token = randomBytes(16).toString("hex");
  const args = [
    // The same server options as scripts/start.mjs:
    ...labServerArgs({ port, token }),
    "--no-browser",
    // What the test adds (see the header):
    "--LabApp.expose_app_in_browser=True",
    `--LabApp.user_settings_dir=${settingsDir}`,
    `--LabApp.workspaces_dir=${join(scratch, "workspaces")}`,
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    // JupyterLab makes a checkpoint of every notebook it opens, by default in an
    // .ipynb_checkpoints folder beside it: keep those in the scratch directory instead.
    `--FileCheckpoints.checkpoint_dir=${join(scratch, "checkpoints")}`,
  ];
  const env = jupyterEnv(python, {
    JUPYTER_CONFIG_DIR: join(scratch, "config"),
    JUPYTER_DATA_DIR: join(scratch, "data"),
    JUPYTER_RUNTIME_DIR: join(scratch, "runtime"),
  });
  const server = spawn(python, args, { cwd: ROOT, env, stdio: ["ignore", "ignore", "pipe"] });
  // Jupyter logs to stderr; keep the tail to explain a server that never comes up.
  let log = "";
  server.stderr.on("data", (d) => (log = (log + d).slice(-20_000)));
  let exited = null;
  server.once("exit", (code, signal) => (exited = { code, signal }));
  // If this process ends without stop() (an uncaught error, process.exit), take the server (and
  // through it, its kernels) along rather than leave it running.
  const orphanGuard = () => exited === null && server.kill("SIGTERM");
  process.once("exit", orphanGuard);

  const base = `http://127.0.0.1:${port}`;
  const api = (path, init = {}) => fetch(`${base}${path}`, { ...init, headers: { Authorization: `token ${token}`, ...(init.headers ?? {}) } });
  const stop = async () => {
    if (exited === null) {
      const gone = new Promise((res) => server.once("exit", res));
      server.kill("SIGTERM");
      // Jupyter shuts its kernels down on SIGTERM; give it a few seconds before insisting.
      const timer = setTimeout(() => server.kill("SIGKILL"), 10_000);
      await gone;
      clearTimeout(timer);
    }
    process.removeListener("exit", orphanGuard);
    rmSync(scratch, { recursive: true, force: true });
  };

  const until = Date.now() + timeoutSeconds * 1000;
  for (;;) {
    if (exited !== null) {
      await stop();
      throw new Error(`JupyterLab exited (code ${exited.code}) before serving; its log ends with:\n${log.trim().split("\n").slice(-15).join("\n")}`);
    }
    try {
      if ((await api("/api/status")).ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > until) {
      await stop();
      throw new Error(`JupyterLab did not answer within ${timeoutSeconds} s; its log ends with:\n${log.trim().split("\n").slice(-15).join("\n")}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  const labUrl = (path) => `${base}${path}${path.includes("?") ? "&" : "?"}token=${token}`;
  return { base, token, labUrl, api, stop, log: () => log };
}
