#!/usr/bin/env node
// `npm start [-- --port N --no-browser]`: sets up whatever is missing, then serves JupyterLab on
// the course, opened at notebooks/00-welcome.ipynb with the TypeScript (tslab) kernel.
// It listens on 127.0.0.1 only: a course server holds a code-running kernel, so it is not offered
// to the network unless the user passes Jupyter's own --ip option.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { pathToFileURL } from "node:url";
import { ROOT, SetupError, jupyterEnv, labServerArgs } from "./lib/project.mjs";
import { ensureSetupOrExit } from "./setup.mjs";

const FIRST_NOTEBOOK = "notebooks/00-welcome.ipynb";

/** Resolves true when nothing listens on host:port. */
export function portIsFree(port, host = "127.0.0.1") {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.once("listening", () => server.close(() => resolve(true)));
    server.listen(port, host);
  });
}

/**
 * The port to serve on. An explicitly asked-for port that is busy is an error with the fix in it;
 * without one we take 8888 or the next free port after it, and say so.
 */
export async function choosePort(requested) {
  if (requested !== undefined) {
    if (!Number.isInteger(requested) || requested < 1 || requested > 65535) {
      throw new SetupError(`--port ${requested} is not a port number (1-65535).`);
    }
    if (!(await portIsFree(requested))) {
      throw new SetupError(`port ${requested} is already in use (another Jupyter?). Stop that server, or run \`npm start -- --port ${requested + 1}\`.`);
    }
    return requested;
  }
  for (let port = 8888; port < 8988; port++) {
    if (await portIsFree(port)) {
      if (port !== 8888) console.log(`start: port 8888 is busy, using ${port}`);
      return port;
    }
  }
  throw new SetupError("ports 8888-8987 are all busy. Pass a free one: `npm start -- --port 9999`.");
}

function parseArgs(argv) {
  const opts = { port: undefined, browser: true, passthrough: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--port") opts.port = Number(argv[++i]);
    else if (a.startsWith("--port=")) opts.port = Number(a.slice(7));
    else if (a === "--no-browser") opts.browser = false;
    else opts.passthrough.push(a); // anything else goes to `jupyter lab` as it is
  }
  if (process.env.CI || !process.stdout.isTTY) opts.browser = false;
  return opts;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const env = ensureSetupOrExit();
  let port;
  try {
    port = await choosePort(opts.port);
  } catch (e) {
    if (e instanceof SetupError) {
      console.error(`start: ${e.message}`);
      process.exit(1);
    }
    throw e;
  }
  const token = process.env.COURSE_TOKEN || randomBytes(16).toString("hex");
  const url = `http://127.0.0.1:${port}/lab/tree/${FIRST_NOTEBOOK}?token=${token}`;
  const args = [
    ...labServerArgs({ port, token }),
    `--LabApp.default_url=/lab/tree/${FIRST_NOTEBOOK}`,
    ...(opts.browser ? [] : ["--no-browser"]),
    ...opts.passthrough,
  ];
  const lab = spawn(env.python, args, { cwd: ROOT, env: jupyterEnv(env.python), stdio: ["inherit", "inherit", "pipe"] });
  // Jupyter logs to stderr; we pass it through and announce our URL once the server is up.
  let announced = false;
  lab.stderr.on("data", (chunk) => {
    process.stderr.write(chunk);
    if (!announced && /is running at|Jupyter Server .* is running/.test(chunk.toString())) {
      announced = true;
      console.log(`\nstart: the course is at ${url}\nstart: (Ctrl+C stops the server)\n`);
    }
  });
  for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => lab.kill(sig));
  lab.on("exit", (code, signal) => {
    if (!announced && code) console.error(`start: JupyterLab exited (code ${code}) before serving the course; its log above says why.`);
    process.exit(code ?? (signal ? 0 : 1));
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) main();
