#!/usr/bin/env node
// `npm start [-- --port N --no-browser]`: sets up whatever is missing, makes the learner's own
// copies of the notebooks (my-work/, once per chapter, never overwritten), then serves JupyterLab
// on the course, opened at my-work/00-welcome.ipynb with the TypeScript (tslab) kernel.
// It listens on 127.0.0.1 only: a course server holds a code-running kernel, so it is not offered
// to the network unless the user passes Jupyter's own --ip option.
// Ctrl+C (SIGINT), SIGTERM, SIGHUP, or the end of the npm/terminal that started it, shut down
// every kernel, then the server, and leave no process of theirs behind (stopServer below).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { constants, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { basename, dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT, SetupError, besideName, committedVersion, contentHash, courseRelative, jupyterEnv, labServerArgs, run, workDir } from "./lib/project.mjs";
import { ensureSetupOrExit } from "./setup.mjs";

const FIRST_NOTEBOOK = "00-welcome.ipynb";
/** What each copy in the learner's folder was made from (a hidden file: JupyterLab does not list it). */
export const MANIFEST = ".course-copies.json";

/** Resolves true when nothing listens on host:port. */
export function portIsFree(port, host = "127.0.0.1") {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.once("listening", () => server.close(() => resolve(true)));
    server.listen(port, host);
  });
}

/** `--port VALUE` as the user typed it, to a port number; anything else is an error naming VALUE. */
export function parsePort(raw) {
  const text = String(raw ?? "").trim();
  const port = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(port >= 1 && port <= 65535)) {
    const shown = text === "" ? "needs a value" : `${raw} is not a port number`;
    throw new SetupError(`--port ${shown}: give a whole number from 1 to 65535, e.g. \`npm start -- --port 8889\`.`);
  }
  return port;
}

/**
 * The port to serve on. An explicitly asked-for port that is busy is an error with the fix in it;
 * without one we take 8888 or the next free port after it, and say so.
 */
export async function choosePort(requested) {
  if (requested !== undefined) {
    if (!Number.isInteger(requested) || requested < 1 || requested > 65535) {
      throw new SetupError(`--port ${requested} is not a port number: give a whole number from 1 to 65535.`);
    }
    if (!(await portIsFree(requested))) {
      throw new SetupError(`port ${requested} is already in use (another Jupyter?). Stop that server, or run \`npm start -- --port ${requested === 65535 ? 8889 : requested + 1}\`.`);
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

export function parseArgs(argv) {
  const opts = { port: undefined, browser: true, passthrough: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--port") opts.port = parsePort(argv[++i]);
    else if (a.startsWith("--port=")) opts.port = parsePort(a.slice(7));
    else if (a === "--no-browser") opts.browser = false;
    else opts.passthrough.push(a); // anything else goes to `jupyter lab` as it is
  }
  if (process.env.CI || !process.stdout.isTTY) opts.browser = false;
  return opts;
}

// The learner's own copies ------------------------------------------------------------------------

function readManifest(dir) {
  try {
    const m = JSON.parse(readFileSync(join(dir, MANIFEST), "utf8"));
    if (m && typeof m.copies === "object" && m.copies) return m;
  } catch {
    /* missing or unreadable: every copy is then "of unknown origin", which is handled safely */
  }
  return { copies: {} };
}

function writeManifest(dir, manifest) {
  const path = join(dir, MANIFEST);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(`${path}.tmp`, path); // atomic: an interrupted start never leaves half a manifest
}

/**
 * Makes the learner's own copy of each notebook in `from` (notebooks/) inside `to` (my-work/),
 * once, and never writes over a file that is there. A chapter that is new, or that changed in
 * the course since the learner's copy was made (the manifest remembers what each copy was made
 * from), arrives BESIDE the learner's copy as NAME.course-update-DATE.ipynb, once per version.
 * A copy the learner deleted is made again, fresh. A notebook of `from` that differs from what git
 * has committed was edited there by hand: it arrives beside the copy under a name that says so
 * (NAME.your-edits-from-notebooks-DATE.ipynb), never as a course update. Returns the lines to
 * print, one per event.
 */
export function syncLearnerCopies({ from, to, now = new Date(), committed = (name) => committedVersion(dirname(from), `${basename(from)}/${name}`) }) {
  mkdirSync(to, { recursive: true });
  const manifest = readManifest(to);
  const made = [];
  const lines = [];
  const shownTo = courseRelative(to);
  for (const name of readdirSync(from).filter((f) => f.endsWith(".ipynb")).sort()) {
    const source = readFileSync(join(from, name));
    const hash = contentHash(source);
    const entry = manifest.copies[name];
    const target = join(to, name);
    if (!existsSync(target)) {
      // COPYFILE_EXCL: even a file that appears this instant (a Save As) is never overwritten.
      copyFileSync(join(from, name), target, constants.COPYFILE_EXCL);
      manifest.copies[name] = { from: hash, offered: hash };
      if (entry) lines.push(`start: ${shownTo}/${name} was not there: made a fresh copy of the course's version.`);
      else made.push(name);
      continue;
    }
    if (entry && (entry.from === hash || entry.offered === hash)) continue; // nothing new to offer
    if (!entry && statSync(target).isFile() && contentHash(readFileSync(target)) === hash) {
      manifest.copies[name] = { from: hash, offered: hash }; // the same as the course's: adopt it
      continue;
    }
    const inGit = committed(name);
    const ownEdits = inGit !== null && inGit !== source.toString("utf8");
    const beside = besideName(to, name, ownEdits ? "your-edits-from-notebooks" : "course-update", now);
    writeFileSync(join(to, beside), source, { flag: "wx" });
    manifest.copies[name] = { from: entry?.from ?? null, offered: hash };
    lines.push(ownEdits
      ? `start: ${basename(from)}/${name} has edits of your own (it differs from the course's committed version): kept them as ${shownTo}/${beside}, beside your ${shownTo}/${name} (untouched). ` +
        `Work in ${shownTo}/; git checkout -- ${basename(from)}/${name} puts the course's version back.`
      : `start: ${name} is new or changed in the course: it is ${shownTo}/${beside}, beside your ${shownTo}/${name} (untouched).`);
  }
  writeManifest(to, manifest);
  if (made.length) {
    const what = made.length === 1 ? `a copy of ${made[0]}` : `your own copies of ${made.length} notebooks`;
    lines.unshift(`start: made ${what} in ${shownTo}/: your work is saved there, and npm start never overwrites it.`);
  }
  return lines;
}

// Stopping: every kernel, then the server, then anything of theirs still running ---------------------

/** pid -> { ppid, start, zombie } for every process we can see (Linux: /proc; elsewhere: ps). */
function processTable() {
  const table = new Map();
  if (existsSync("/proc/self/stat")) {
    for (const name of readdirSync("/proc")) {
      if (!/^\d+$/.test(name)) continue;
      try {
        const stat = readFileSync(`/proc/${name}/stat`, "utf8");
        const f = stat.slice(stat.lastIndexOf(")") + 2).split(" "); // f[0] state, f[1] ppid, f[19] start time
        table.set(Number(name), { ppid: Number(f[1]), start: f[19], zombie: f[0] === "Z" });
      } catch {
        /* it ended while we looked */
      }
    }
    return table;
  }
  for (const line of run("ps", ["-A", "-o", "pid=,ppid=,stat="]).stdout.split("\n")) {
    const [pid, ppid, stat] = line.trim().split(/\s+/);
    if (pid) table.set(Number(pid), { ppid: Number(ppid), start: null, zombie: String(stat).startsWith("Z") });
  }
  return table;
}

/** The processes below `pid` (its kernels, and theirs), as [{ pid, start }]. */
export function descendantsOf(pid, table = processTable()) {
  const children = new Map();
  for (const [p, info] of table) {
    if (!children.has(info.ppid)) children.set(info.ppid, []);
    children.get(info.ppid).push(p);
  }
  const found = [];
  const queue = [...(children.get(pid) ?? [])];
  while (queue.length) {
    const p = queue.shift();
    found.push({ pid: p, start: table.get(p).start });
    queue.push(...(children.get(p) ?? []));
  }
  return found;
}

/** Whether a process we saw is still running (the same process: its start time matches, not a zombie). */
export function stillRunning({ pid, start }, table = processTable()) {
  const info = table.get(pid);
  return Boolean(info) && !info.zombie && (start === null || info.start === start);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function signalGroup(pid, sig) {
  try {
    if (process.platform === "win32") run("taskkill", ["/pid", String(pid), "/T", "/F"]);
    else process.kill(-pid, sig); // the server runs in its own process group (detached)
  } catch {
    /* already gone */
  }
}

/**
 * Stops the server `lab` (a ChildProcess in its own process group) and everything it started:
 *  1. asks it through its REST API (POST /api/shutdown) to shut down every kernel, then itself;
 *  2. if it has not exited after `graceMs`, SIGTERM to its process group (Jupyter then does the
 *     same shutdown), then SIGKILL after `termMs`;
 *  3. any process it started (a kernel, a kernel's child) still running after it is gone gets
 *     SIGTERM, then SIGKILL: no kernel outlives `npm start`.
 * `known` holds the descendants seen while the server ran (a kernel outlives its parent's pid).
 */
export async function stopServer({ lab, exited, api, known = [], graceMs = 20_000, termMs = 5_000, log = () => {} }) {
  const seen = new Map(known.map((p) => [p.pid, p]));
  const look = () => {
    for (const p of descendantsOf(lab.pid)) seen.set(p.pid, p);
  };
  const waitExit = (ms) => Promise.race([exited.then(() => true), sleep(ms).then(() => false)]);
  look();
  let gone = false;
  if (api) {
    api("/api/shutdown", { method: "POST", signal: AbortSignal.timeout(graceMs) }).catch(() => {});
    gone = await waitExit(graceMs);
  }
  if (!gone) {
    look();
    log("start: the server did not stop when asked: sending it SIGTERM");
    signalGroup(lab.pid, "SIGTERM");
    gone = await waitExit(termMs);
  }
  if (!gone) {
    look();
    log("start: the server is still running: killing it (SIGKILL)");
    signalGroup(lab.pid, "SIGKILL");
    await waitExit(termMs);
  }
  let left = [...seen.values()].filter((p) => stillRunning(p));
  if (left.length) {
    for (const p of left) signalGroup(p.pid, "SIGTERM");
    for (let i = 0; i < 20 && left.length; i++) {
      await sleep(100);
      left = left.filter((p) => stillRunning(p));
    }
    for (const p of left) signalGroup(p.pid, "SIGKILL");
  }
  return { stragglers: left.length };
}

async function kernelCount(api) {
  try {
    const r = await api("/api/kernels", { signal: AbortSignal.timeout(3000) });
    return r.ok ? (await r.json()).length : null;
  } catch {
    return null;
  }
}

const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

async function main() {
  // A closed terminal or pipe must never crash us halfway through stopping the server.
  process.stdout.on("error", () => {});
  process.stderr.on("error", () => {});
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof SetupError)) throw e;
    console.error(`start: ${e.message}`);
    process.exit(1);
  }
  const env = ensureSetupOrExit();
  let port;
  let work;
  try {
    work = workDir();
    port = await choosePort(opts.port); // before the copies: a busy port changes nothing on disk
    for (const line of syncLearnerCopies({ from: join(ROOT, "notebooks"), to: work })) console.log(line);
  } catch (e) {
    if (e instanceof SetupError) {
      console.error(`start: ${e.message}`);
      process.exit(1);
    }
    if (e.code && e.path) {
      // A file system error while making the learner's copies: nothing was overwritten.
      console.error(`start: could not make your copies of the notebooks: ${e.message}. Nothing of yours was changed; fix that and run npm start again.`);
      process.exit(1);
    }
    throw e;
  }
  const first = `${courseRelative(work)}/${FIRST_NOTEBOOK}`;
  const token = process.env.COURSE_TOKEN || randomBytes(16).toString("hex");
  const url = `http://127.0.0.1:${port}/lab/tree/${first}?token=${token}`;
  const args = [
    ...labServerArgs({ port, token }),
    `--LabApp.default_url=/lab/tree/${first}`,
    ...(opts.browser ? [] : ["--no-browser"]),
    ...opts.passthrough,
  ];
  // Its own process group (detached): a Ctrl+C in the terminal reaches us alone, and we stop the
  // server in order (Jupyter, hit by SIGINT itself, exits without shutting its kernels down).
  const lab = spawn(env.python, args, {
    cwd: ROOT, env: jupyterEnv(env.python), stdio: ["ignore", "inherit", "pipe"], detached: process.platform !== "win32",
  });
  const api = (path, init = {}) => fetch(`http://127.0.0.1:${port}${path}`, { ...init, headers: { Authorization: `token ${token}`, ...(init.headers ?? {}) } });
  let exitInfo = null;
  const exited = new Promise((res) => lab.once("exit", (code, signal) => res((exitInfo = { code, signal }))));
  // Should this process end in any other way (an uncaught error), take the server along.
  process.on("exit", () => exitInfo === null && signalGroup(lab.pid, "SIGTERM"));

  // Jupyter logs to stderr; we pass it through and announce our URL once the server is up.
  let announced = false;
  lab.stderr.on("data", (chunk) => {
    process.stderr.write(chunk);
    if (!announced && /is running at|Jupyter Server .* is running/.test(chunk.toString())) {
      announced = true;
      console.log(`\nstart: the course is at ${url}\nstart: your notebooks are in ${courseRelative(work)}/ (Ctrl+C stops the server and its kernels)\n`);
    }
  });

  // The kernels the server started, looked up now and then: should the server die on its own, its
  // kernels (each in its own session) would otherwise keep running.
  let known = [];
  const watch = setInterval(() => {
    for (const p of descendantsOf(lab.pid)) if (!known.some((k) => k.pid === p.pid)) known.push(p);
  }, 3000);

  let stopping = null;
  const stop = async (why, { force = false } = {}) => {
    if (stopping) {
      // A second Ctrl+C (not the echo of the first, which npm and the shell can deliver twice)
      // means "now": kill without waiting for a graceful shutdown.
      if (force && Date.now() - stopping.at > 2000 && !stopping.forced) {
        stopping.forced = true;
        console.log("start: stopping now (killing the server and its kernels)");
        signalGroup(lab.pid, "SIGKILL");
      }
      return;
    }
    stopping = { at: Date.now(), forced: false };
    clearInterval(watch);
    const n = exitInfo === null ? await kernelCount(api) : null;
    const kernels = n === null ? "the kernels" : plural(n, "kernel");
    console.log(`\nstart: stopping (${why}): shutting down ${kernels}, then the server. Your notebooks are as JupyterLab last saved them (it autosaves every 20 s).`);
    const { stragglers } = await stopServer({ lab, exited, api: exitInfo === null ? api : null, known, log: (l) => console.log(l) });
    console.log(`start: stopped: the server and ${n === null ? "its kernels" : `its ${kernels}`} are shut down${stragglers ? ` (${plural(stragglers, "process")} had to be killed)` : ""}.`);
    process.exit(0);
  };
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(sig, () => stop(sig, { force: true }));
  // `npm start` stopped with SIGTERM ends npm and its shell but does not pass the signal on to us:
  // a parent that is gone is a stop too.
  const parent = process.ppid;
  setInterval(() => process.ppid !== parent && stop("the npm or terminal that started it has ended"), 1000).unref();

  lab.on("exit", async (code, signal) => {
    if (stopping) return; // stop() finishes the job and exits
    clearInterval(watch);
    if (!announced && code) console.error(`start: JupyterLab exited (code ${code}) before serving the course; its log above says why.`);
    else if (signal) {
      console.error(`start: JupyterLab was stopped by ${signal}, not by npm start (the system's out-of-memory killer, or another program). ` +
        "Your notebooks are as JupyterLab last saved them; npm start again to carry on.");
    } else console.error(`start: JupyterLab exited (code ${code}).`);
    const { stragglers } = await stopServer({ lab, exited, api: null, known });
    if (stragglers) console.error(`start: killed ${plural(stragglers, "process")} it left running.`);
    // Ended by anything but npm start's own stop: an exit code that says so (0 only for a clean exit).
    process.exit(code ?? 1);
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
