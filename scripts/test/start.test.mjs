// `npm start` serves JupyterLab on the course: the TypeScript kernel is listed and points at this
// checkout's tslab, the welcome notebook is served, and its kernel runs a cell that uses kernel-lib.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { ROOT, TSLAB, chooseEnvironment, jupyterEnv } from "../lib/project.mjs";

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
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out after ${seconds} s waiting for ${what}${last ? `: ${last.message}` : ""}`);
}

test("npm start serves the course with the tslab kernel", { timeout: 180_000 }, async () => {
  const port = await freePort();
  const token = "course-test-token";
  const server = spawn(process.execPath, [join(ROOT, "scripts", "start.mjs"), "--no-browser", "--port", String(port)], {
    cwd: ROOT, env: { ...process.env, COURSE_TOKEN: token }, stdio: ["ignore", "pipe", "pipe"],
  });
  let printed = "";
  server.stdout.on("data", (d) => (printed += d));
  server.stderr.on("data", (d) => (printed += d));
  const api = (path, init) => fetch(`http://127.0.0.1:${port}${path}`, { ...init, headers: { Authorization: `token ${token}`, ...(init?.headers ?? {}) } });
  try {
    await poll(async () => (await api("/api/status")).ok, 90, "the Jupyter server");
    await poll(async () => printed.includes(`start: the course is at http://127.0.0.1:${port}/lab/tree/notebooks/00-welcome.ipynb?token=${token}`), 10, "the URL to be printed");

    const specs = await (await api("/api/kernelspecs")).json();
    assert.equal(specs.default, "tslab");
    assert.ok(specs.kernelspecs.tslab, `tslab is not listed: ${Object.keys(specs.kernelspecs)}`);
    assert.equal(specs.kernelspecs.tslab.spec.argv[0], TSLAB, "the kernel runs this checkout's tslab");

    const nb = await (await api("/api/contents/notebooks/00-welcome.ipynb")).json();
    assert.equal(nb.content.metadata.kernelspec.name, "tslab");

    // Open the welcome notebook as JupyterLab does (a session starts its kernel in notebooks/),
    // then run a cell through the server's websocket: kernel-lib must import from there.
    const session = await (await api("/api/sessions", {
      method: "POST",
      body: JSON.stringify({ path: "notebooks/00-welcome.ipynb", type: "notebook", name: "", kernel: { name: "tslab" } }),
    })).json();
    assert.equal(session.kernel.name, "tslab");
    const code = 'import * as kl from "kernel-lib"; const m = kl.randn([2, 3], new kl.Rng(1)); console.log(`shape ${m.shape}`)';
    const env = chooseEnvironment();
    const r = spawnSync(env.python, [join(ROOT, "scripts", "test", "kernel_client.py"), `http://127.0.0.1:${port}`, token, session.kernel.id, code], { encoding: "utf8", env: jupyterEnv(env.python) });
    assert.equal(r.status, 0, `the cell failed in the served kernel: ${r.stdout}${r.stderr}`);
    assert.match(r.stdout, /^shape 2,3$/m);
    await api(`/api/sessions/${session.id}`, { method: "DELETE" });
  } finally {
    server.kill("SIGTERM");
    await new Promise((res) => server.once("exit", res));
  }
});
