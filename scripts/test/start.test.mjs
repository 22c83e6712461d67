// `npm start` serves JupyterLab on the learner's own copies of the course (my-work/): the
// TypeScript kernel is listed and points at this checkout's tslab, the welcome notebook is served
// from the learner's folder and its kernel runs a cell that uses kernel-lib; JupyterLab has the
// course's defaults (no news pop-up); a learner's saved edit survives npm test's staleness check,
// the generator and the next npm start; stopping npm start (SIGTERM, SIGINT, or SIGTERM to npm
// itself) leaves no server and no kernel running.
// Every server here uses a scratch learner folder under build/ (COURSE_WORK_DIR), never my-work/.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join, relative, sep } from "node:path";
import { BUILD, ROOT, TSLAB, chooseEnvironment, jupyterEnv } from "../lib/project.mjs";
import { findChromium, launchChromium } from "../lib/browser/chromium.mjs";

async function freePort() {
  const s = createServer();
  await new Promise((res) => s.listen(0, "127.0.0.1", res));
  const { port } = s.address();
  await new Promise((res) => s.close(res));
  return port;
}

async function poll(fn, seconds, what) {
  const until = Date.now() + seconds * 1000;
  let last;
  while (Date.now() < until) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`timed out after ${seconds} s waiting for ${what}${last ? `: ${last.message}` : ""}`);
}

/** A scratch learner folder inside the course (JupyterLab serves only the course folder). */
function scratchWork() {
  mkdirSync(BUILD, { recursive: true });
  const dir = mkdtempSync(join(BUILD, "test-my-work-"));
  rmSync(dir, { recursive: true }); // npm start makes it, as it makes my-work/ on a first run
  return { dir, rel: relative(ROOT, dir) };
}

// COURSE_TEST_START_SCRIPT runs these tests against another copy of start.mjs (in scripts/, for its
// imports): how one checks that they fail on the code before a fix without touching the real file.
const START = process.env.COURSE_TEST_START_SCRIPT ?? join(ROOT, "scripts", "start.mjs");

/** Starts `node scripts/start.mjs` (or `npm start`) on a free port with a known token. */
async function startCourse({ work, viaNpm = false }) {
  const port = await freePort();
  const token = `course-test-${port}`;
  const args = ["--no-browser", "--port", String(port)];
  const env = { ...process.env, COURSE_TOKEN: token, COURSE_WORK_DIR: work.dir };
  const npmArgs = process.env.COURSE_TEST_START_SCRIPT ? ["exec", "--", "node", START, ...args] : ["start", "--", ...args];
  const proc = viaNpm
    ? spawn("npm", npmArgs, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] })
    : spawn(process.execPath, [START, ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  const course = { proc, port, token, printed: "", exited: null };
  proc.stdout.on("data", (d) => (course.printed += d));
  proc.stderr.on("data", (d) => (course.printed += d));
  course.exit = new Promise((res) => proc.once("exit", (code, signal) => res((course.exited = { code, signal }))));
  course.api = (path, init) => fetch(`http://127.0.0.1:${port}${path}`, { ...init, headers: { Authorization: `token ${token}`, ...(init?.headers ?? {}) } });
  await poll(async () => {
    if (course.exited) throw new Error(`npm start exited (${JSON.stringify(course.exited)}):\n${course.printed}`);
    return (await course.api("/api/status")).ok;
  }, 120, "the Jupyter server");
  return course;
}

/** Every process as pid -> { ppid, alive, args }, read from /proc (or ps), not through start.mjs. */
function processes() {
  const table = new Map();
  if (existsSync("/proc/self/stat")) {
    for (const name of readdirSync("/proc").filter((n) => /^\d+$/.test(n))) {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, "utf8");
        const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        const args = readFileSync(`/proc/${name}/cmdline`, "utf8").split("\0").join(" ");
        table.set(Number(name), { ppid: Number(f[1]), alive: f[0] !== "Z", args });
      } catch {
        /* ended meanwhile */
      }
    }
  } else {
    for (const line of spawnSync("ps", ["-A", "-o", "pid=,ppid=,stat=,args="], { encoding: "utf8" }).stdout.split("\n")) {
      const m = /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line);
      if (m) table.set(Number(m[1]), { ppid: Number(m[2]), alive: !m[3].startsWith("Z"), args: m[4] });
    }
  }
  return table;
}

function treeOf(pid) {
  const table = processes();
  const found = [];
  const queue = [pid];
  while (queue.length) {
    const p = queue.shift();
    for (const [child, info] of table) if (info.ppid === p) {
      found.push({ pid: child, args: info.args });
      queue.push(child);
    }
  }
  return found;
}

const running = (pid) => processes().get(pid)?.alive === true;

/** After a failed test: stop npm start as a user would, then make sure nothing of it is left. */
async function endCourse(course) {
  if (!course) return;
  const tree = treeOf(course.proc.pid);
  if (!course.exited) {
    course.proc.kill("SIGTERM");
    await Promise.race([course.exit, new Promise((r) => setTimeout(r, 30_000))]);
  }
  for (const p of tree) if (running(p.pid)) process.kill(p.pid, "SIGKILL");
}

async function startKernels(course, n) {
  const ids = [];
  for (let i = 0; i < n; i++) {
    const r = await course.api("/api/kernels", { method: "POST", body: JSON.stringify({ name: "tslab" }) });
    const body = await r.text();
    assert.equal(r.status, 201, `starting a kernel: ${r.status} ${body}`);
    ids.push(JSON.parse(body).id);
  }
  return ids;
}

/**
 * Sends `signal` to `target` (the start.mjs process, or npm), then waits: the server and every
 * kernel under `course.proc` must be gone, by pid, within the time limit.
 */
async function stopAndCheck(course, { signal, target = course.proc.pid, kernels }) {
  // The server is the jupyter process under npm start; the kernels are its children.
  const tree = await poll(() => {
    const t = treeOf(course.proc.pid);
    const server = t.find((p) => /jupyter(-lab| lab)/.test(p.args));
    return server && treeOf(server.pid).length >= kernels && t;
  }, 60, `${kernels} kernel processes under npm start's Jupyter server`);
  process.kill(target, signal);
  const t0 = Date.now();
  try {
    await poll(() => tree.every((p) => !running(p.pid)), 45, "the server and its kernels to end");
  } catch {
    const left = tree.filter((p) => running(p.pid));
    assert.fail(`after ${signal}, ${left.length} process(es) of npm start are still running:\n${left.map((p) => `${p.pid} ${p.args}`).join("\n")}\n--- npm start printed ---\n${course.printed}`);
  } finally {
    for (const p of tree) if (running(p.pid)) process.kill(p.pid, "SIGKILL");
  }
  return { seconds: (Date.now() - t0) / 1000, tree };
}

describe("npm start", () => {
  const work = scratchWork();
  let course;
  before(async () => {
    course = await startCourse({ work });
  });
  after(async () => {
    await endCourse(course);
    rmSync(work.dir, { recursive: true, force: true });
  });

  test("serves the learner's own copies (my-work/) with the tslab kernel, and kernel-lib imports there", { timeout: 180_000 }, async () => {
    const { api, port, token } = course;
    await poll(async () => course.printed.includes(`start: the course is at http://127.0.0.1:${port}/lab/tree/${work.rel}/00-welcome.ipynb?token=${token}`), 20, "the URL to be printed");
    assert.match(course.printed, new RegExp(`^start: made your own copies of \\d+ notebooks in ${work.rel}/: your work is saved there, and npm start never overwrites it\\.$`, "m"));
    const chapters = readdirSync(join(ROOT, "notebooks")).filter((f) => f.endsWith(".ipynb")).sort();
    assert.deepEqual(readdirSync(work.dir).filter((f) => f.endsWith(".ipynb")).sort(), chapters, "one copy per chapter");
    for (const f of chapters) assert.equal(readFileSync(join(work.dir, f), "utf8"), readFileSync(join(ROOT, "notebooks", f), "utf8"), `${f} is the course's version`);

    const specs = await (await api("/api/kernelspecs")).json();
    assert.equal(specs.default, "tslab");
    assert.ok(specs.kernelspecs.tslab, `tslab is not listed: ${Object.keys(specs.kernelspecs)}`);
    const argv = specs.kernelspecs.tslab.spec.argv;
    assert.ok(argv.some((a) => a === TSLAB || a.startsWith(join(ROOT, "scripts") + sep)), `the kernel runs from this checkout: ${argv.join(" ")}`);

    const nb = await (await api(`/api/contents/${work.rel}/00-welcome.ipynb`)).json();
    assert.equal(nb.content.metadata.kernelspec.name, "tslab");

    // Open the welcome notebook as JupyterLab does (a session starts its kernel in the learner's
    // folder), then run a cell through the server's websocket: kernel-lib must import from there.
    const session = await (await api("/api/sessions", {
      method: "POST",
      body: JSON.stringify({ path: `${work.rel}/00-welcome.ipynb`, type: "notebook", name: "", kernel: { name: "tslab" } }),
    })).json();
    assert.equal(session.kernel.name, "tslab");
    const code = 'import * as kl from "kernel-lib"; const m = kl.randn([2, 3], new kl.Rng(1)); console.log(`shape ${m.shape} from ${process.cwd()}`)';
    const env = chooseEnvironment();
    const r = spawnSync(env.python, [join(ROOT, "scripts", "test", "kernel_client.py"), `http://127.0.0.1:${port}`, token, session.kernel.id, code], { encoding: "utf8", env: jupyterEnv(env.python) });
    assert.equal(r.status, 0, `the cell failed in the served kernel: ${r.stdout}${r.stderr}`);
    assert.match(r.stdout, new RegExp(`^shape 2,3 from ${work.dir}$`, "m"));
    await api(`/api/sessions/${session.id}`, { method: "DELETE" });
  });

  test("its JupyterLab has the course's defaults: no news pop-up, no update check, autosave every 20 s", { timeout: 60_000 }, async () => {
    const setting = async (id) => (await (await course.api(`/lab/api/settings/${id}`)).json()).schema.properties;
    const notification = await setting("@jupyterlab/apputils-extension:notification");
    assert.equal(notification.fetchNews.default, "false", "JupyterLab asks 'Would you like to get notified about official Jupyter news?' unless fetchNews is set");
    assert.equal(notification.checkForUpdates.default, false);
    const docs = await setting("@jupyterlab/docmanager-extension:plugin");
    assert.equal(docs.autosave.default, true);
    assert.equal(docs.autosaveInterval.default, 20);
  });

  const chromium = (() => {
    try {
      return findChromium();
    } catch {
      return null;
    }
  })();
  test("the course opened in Chromium shows no news pop-up over the notebook", { timeout: 120_000, skip: !chromium && "needs Chromium (npm run browser installs it where it can)" }, async () => {
    const browser = await launchChromium({ executablePath: chromium });
    try {
      const page = await browser.context.newPage();
      await page.goto(`http://127.0.0.1:${course.port}/lab/tree/${work.rel}/00-welcome.ipynb?token=${course.token}`);
      await page.waitForSelector(".jp-Notebook .jp-Cell", { timeout: 90_000 });
      await page.waitForTimeout(3000); // the pop-up comes once JupyterLab has restored its layout
      const text = await page.evaluate(() => document.body.innerText);
      assert.ok(!text.includes("official Jupyter news"), "JupyterLab shows 'Would you like to get notified about official Jupyter news?', which covers the charts");
    } finally {
      await browser.close();
    }
  });

  test("SIGTERM shuts down every kernel, then the server, and leaves no process running", { timeout: 180_000 }, async () => {
    await startKernels(course, 3);
    const n = (await (await course.api("/api/kernels")).json()).length; // 3, and any the tests above left
    const { seconds } = await stopAndCheck(course, { signal: "SIGTERM", kernels: n });
    await course.exit;
    assert.equal(course.exited.code, 0, course.printed);
    assert.match(course.printed, new RegExp(`^start: stopping \\(SIGTERM\\): shutting down ${n} kernels, then the server\\.`, "m"));
    assert.match(course.printed, new RegExp(`^start: stopped: the server and its ${n} kernels are shut down\\.$`, "m"));
    assert.ok(seconds < 40, `stopping took ${seconds} s`);
  });
});

test("Ctrl+C (SIGINT) to npm start shuts down every kernel and the server, and leaves no process running", { timeout: 240_000 }, async () => {
  const work = scratchWork();
  const course = await startCourse({ work });
  try {
    await startKernels(course, 2);
    await stopAndCheck(course, { signal: "SIGINT", kernels: 2 });
    await course.exit;
    assert.equal(course.exited.code, 0, course.printed);
    assert.match(course.printed, /^start: stopped: the server and its 2 kernels are shut down\.$/m);
  } finally {
    await endCourse(course);
    rmSync(work.dir, { recursive: true, force: true });
  }
});

describe("a learner's work is never lost", () => {
  const work = scratchWork();
  const chapter = "03-vanilla-rnn.ipynb";
  const mine = join(work.dir, chapter);
  let edited;
  let course;
  after(async () => {
    await endCourse(course);
    rmSync(work.dir, { recursive: true, force: true });
  });

  test("an edit saved in JupyterLab survives stopping, npm test's staleness check, the generator, and the next npm start", { timeout: 300_000 }, async (t) => {
    // 1. The learner opens their copy, types an answer and saves (JupyterLab PUTs the whole notebook).
    const first = await startCourse({ work });
    try {
      const path = `/api/contents/${work.rel}/${chapter}`;
      const model = await (await first.api(`${path}?content=1`)).json();
      const cell = model.content.cells.find((c) => c.cell_type === "code" && c.metadata?.course?.stub);
      assert.ok(cell, `${chapter} has an exercise stub`);
      cell.source = `${cell.source}\n// my answer, typed in JupyterLab`;
      const saved = await first.api(path, { method: "PUT", body: JSON.stringify({ type: "notebook", format: "json", content: model.content }) });
      assert.equal(saved.status, 200, await saved.text());
      edited = readFileSync(mine, "utf8");
      assert.match(edited, /my answer, typed in JupyterLab/);
    } finally {
      await endCourse(first);
    }
    assert.equal(readFileSync(mine, "utf8"), edited, "stopping npm start keeps the saved edit");

    // 2. npm test's staleness check, then the generator, as a learner would run them.
    const check = spawnSync(process.execPath, [join(ROOT, "scripts", "generate-notebooks.mjs"), "--check"], { cwd: ROOT, encoding: "utf8", env: { ...process.env, COURSE_WORK_DIR: work.dir } });
    assert.equal(check.status, 0, `npm test's staleness check fails: ${check.stderr}`);
    // The generator rewrites this checkout's notebooks/. If someone typed into them, it would keep
    // their edits in the scratch folder this test deletes: run it only on a checkout without any.
    if (/edits of your own/.test(`${check.stdout}${check.stderr}`)) {
      t.diagnostic(`not running the generator: this checkout's notebooks/ has edits of its own (${check.stdout.trim()}), which it would move into a scratch folder`);
    } else {
      const gen = spawnSync(process.execPath, [join(ROOT, "scripts", "generate-notebooks.mjs")], { cwd: ROOT, encoding: "utf8", env: { ...process.env, COURSE_WORK_DIR: work.dir } });
      assert.equal(gen.status, 0, `the generator fails: ${gen.stderr}`);
      assert.equal(readFileSync(mine, "utf8"), edited, "the generator leaves the learner's copy alone");
    }

    // 3. The course moves on: chapter 3 changes (as if pulled: its copy was made from an older
    //    version), a chapter is new to this learner, and the learner deleted their welcome copy.
    const manifestPath = join(work.dir, ".course-copies.json");
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
    manifest.copies[chapter] = { from: "0123456789abcdef", offered: "0123456789abcdef" };
    delete manifest.copies["98-datasets.ipynb"];
    writeFileSync(manifestPath, JSON.stringify(manifest));
    unlinkSync(join(work.dir, "98-datasets.ipynb"));
    unlinkSync(join(work.dir, "00-welcome.ipynb"));

    // 4. The next `npm start` (through npm, as the README says): the edit is there, the new
    //    version of chapter 3 is beside it under a name that says so, one line per event.
    course = await startCourse({ work, viaNpm: true });
    await poll(async () => course.printed.includes("start: the course is at"), 30, "the URL to be printed");
    assert.equal(readFileSync(mine, "utf8"), edited, "npm start never overwrites the learner's copy");
    const update = readdirSync(work.dir).find((f) => /^03-vanilla-rnn\.course-update-\d{4}-\d{2}-\d{2}\.ipynb$/.test(f));
    assert.ok(update, `the changed chapter arrives beside the learner's copy: ${readdirSync(work.dir)}`);
    assert.equal(readFileSync(join(work.dir, update), "utf8"), readFileSync(join(ROOT, "notebooks", chapter), "utf8"));
    assert.match(course.printed, new RegExp(`^start: 03-vanilla-rnn\\.ipynb is new or changed in the course: it is ${work.rel}/${update.replace(/\./g, "\\.")}, beside your ${work.rel}/03-vanilla-rnn\\.ipynb \\(untouched\\)\\.$`, "m"));
    assert.match(course.printed, new RegExp(`^start: made a copy of 98-datasets\\.ipynb in ${work.rel}/`, "m"));
    assert.match(course.printed, new RegExp(`^start: ${work.rel}/00-welcome\\.ipynb was not there: made a fresh copy of the course's version\\.$`, "m"));
    const model = await (await course.api(`/api/contents/${work.rel}/${chapter}?content=1`)).json();
    assert.ok(model.content.cells.some((c) => c.source.includes("my answer, typed in JupyterLab")), "JupyterLab serves the learner's edit");
  });

  test("SIGTERM to npm itself (not only to start.mjs) shuts down every kernel and the server", { timeout: 180_000 }, async () => {
    assert.ok(course && !course.exited, "npm start from the test above is running");
    await startKernels(course, 2);
    await stopAndCheck(course, { signal: "SIGTERM", target: course.proc.pid, kernels: 2 });
    await poll(() => /^start: stopped: the server and its 2 kernels are shut down\.$/m.test(course.printed), 10, `start.mjs to say it stopped:\n${course.printed}`);
    assert.equal(readFileSync(mine, "utf8"), edited, "stopping keeps the learner's copy");
  });
});
