// Set-up's answers to a machine it cannot work with: one clear line that says what to do.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer } from "node:net";
import { ROOT, chooseEnvironment, pythonIn, versionAtLeast } from "../lib/project.mjs";
import { baseCandidates, findBasePython } from "../setup.mjs";

function runSetup(env) {
  return spawnSync(process.execPath, [join(ROOT, "scripts", "setup.mjs")], { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env } });
}

/** A stand-in interpreter that reports the given version, as an old system Python would; removed after test t. */
function fakePython(t, version) {
  const dir = mkdtempSync(join(tmpdir(), "fakepy-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, "python");
  writeFileSync(path, `#!/bin/sh\necho ${version}\n`);
  chmodSync(path, 0o755);
  return path;
}

test("versionAtLeast compares versions part by part", () => {
  assert.equal(versionAtLeast([3, 10, 0], [3, 10]), true);
  assert.equal(versionAtLeast([3, 9, 18], [3, 10]), false);
  assert.equal(versionAtLeast([4, 0, 0], [3, 10]), true);
  assert.equal(versionAtLeast([3, 11, 7], [3, 12]), false);
});

test("the environment is chosen: explicit, then conda, then Binder's image, else .venv", () => {
  assert.equal(chooseEnvironment({ COURSE_PYTHON: "/x/python", CONDA_PREFIX: "/c" }).kind, "explicit");
  assert.equal(chooseEnvironment({ CONDA_PREFIX: "/c" }).python, "/c/bin/python");
  assert.equal(chooseEnvironment({ NB_PYTHON_PREFIX: "/srv/conda/envs/notebook" }).kind, "image");
  assert.equal(chooseEnvironment({}).python, join(ROOT, ".venv", "bin", "python"));
  // conda's base environment, active in every Anaconda shell, is not one to install JupyterLab into.
  const base = chooseEnvironment({ CONDA_PREFIX: "/opt/anaconda3", CONDA_DEFAULT_ENV: "base" });
  assert.equal(base.kind, "venv");
  assert.equal(base.skippedCondaBase, true);
  assert.equal(chooseEnvironment({ CONDA_PREFIX: "/opt/anaconda3/envs/seq-models-course", CONDA_DEFAULT_ENV: "seq-models-course" }).kind, "conda");
});

test("the interpreter inside an environment is where each system puts it (a venv on Windows: Scripts\\python.exe)", () => {
  assert.equal(pythonIn("/p/.venv", "venv", "linux"), "/p/.venv/bin/python");
  assert.equal(pythonIn("/opt/conda/envs/rnn", "conda", "darwin"), "/opt/conda/envs/rnn/bin/python");
  assert.equal(pythonIn("C:\\course\\.venv", "venv", "win32"), "C:\\course\\.venv\\Scripts\\python.exe");
  assert.equal(pythonIn("C:\\miniconda3\\envs\\rnn", "conda", "win32"), "C:\\miniconda3\\envs\\rnn\\python.exe");
});

test("set-up makes .venv from the newest fitting Python it finds: a versioned python3.12 beside an old python3 (macOS), the py launcher on Windows", (t) => {
  assert.deepEqual(baseCandidates("win32").at(-1), ["py", "-3"]);
  assert.ok(!baseCandidates("linux").some(([cmd]) => cmd === "py"));
  const dir = mkdtempSync(join(tmpdir(), "basepy-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // Each stand-in answers set-up's question (its executable, then its version) as a real one would.
  const fake = (name, version) => {
    writeFileSync(join(dir, name), `#!/bin/sh\necho ${join(dir, name)}\necho ${version}\n`);
    chmodSync(join(dir, name), 0o755);
  };
  const withPath = (fn) => {
    const saved = process.env.PATH;
    process.env.PATH = dir; // only the stand-ins (their #!/bin/sh needs no PATH)
    try { return fn(); } finally { process.env.PATH = saved; }
  };
  fake("python3", "3.9.6");
  assert.throws(() => withPath(findBasePython), /Python 3\.10\+ is needed \(found python3 3\.9\.6\)/);
  fake("python3.12", "3.12.4");
  assert.equal(withPath(findBasePython), join(dir, "python3.12"));
});

test("a Python that does not exist gets one line naming it, and exit code 1", () => {
  const r = runSetup({ COURSE_PYTHON: "/nonexistent/python3" });
  assert.equal(r.status, 1);
  const lines = r.stderr.trim().split("\n");
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], /^setup: the Python at \/nonexistent\/python3 does not run\. Fix COURSE_PYTHON/);
});

test("a Python that is too old is named with its version and the minimum", (t) => {
  const r = runSetup({ COURSE_PYTHON: fakePython(t, "3.8.10") });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^setup: Python 3\.8\.10 at .* is too old: the course needs 3\.10\+\.$/m);
});

test("npm start with a busy port says which port and how to pick another", async () => {
  const server = createServer();
  await new Promise((res) => server.listen(0, "127.0.0.1", res));
  const port = server.address().port;
  try {
    const r = spawnSync(process.execPath, [join(ROOT, "scripts", "start.mjs"), "--port", String(port)], { cwd: ROOT, encoding: "utf8" });
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`start: port ${port} is already in use .*npm start -- --port ${port + 1}`));
  } finally {
    server.close();
  }
});

test("npm start with a --port that is not a port names the value it was given, before any set-up", () => {
  for (const [given, shown] of [["abc", "--port abc is not a port number"], ["0", "--port 0 is not a port number"], ["-1", "--port -1 is not a port number"],
    ["70000", "--port 70000 is not a port number"], ["1.5", "--port 1.5 is not a port number"], ["8e3", "--port 8e3 is not a port number"], ["", "--port needs a value"]]) {
    for (const argv of [["--port", given], [`--port=${given}`]]) {
      const r = spawnSync(process.execPath, [join(ROOT, "scripts", "start.mjs"), ...argv], { cwd: ROOT, encoding: "utf8" });
      assert.equal(r.status, 1, `${argv.join(" ")}: exit code`);
      assert.equal(r.stdout, "", `${argv.join(" ")}: nothing runs before the check (no set-up, no server)`);
      assert.equal(r.stderr, `start: ${shown}: give a whole number from 1 to 65535, e.g. \`npm start -- --port 8889\`.\n`, argv.join(" "));
    }
  }
  const missing = spawnSync(process.execPath, [join(ROOT, "scripts", "start.mjs"), "--port"], { cwd: ROOT, encoding: "utf8" });
  assert.equal(missing.stderr, "start: --port needs a value: give a whole number from 1 to 65535, e.g. `npm start -- --port 8889`.\n");
});

test("COURSE_WORK_DIR outside the course is refused with one line naming it", () => {
  // (A start.mjs that ignored the setting would serve on 8888 and never return: the time limit.)
  const r = spawnSync(process.execPath, [join(ROOT, "scripts", "start.mjs"), "--no-browser"], { cwd: ROOT, encoding: "utf8", timeout: 60_000, env: { ...process.env, COURSE_WORK_DIR: tmpdir() } });
  assert.equal(r.status, 1, `start.mjs did not refuse COURSE_WORK_DIR=${tmpdir()}: ${r.stdout}${r.stderr}`);
  assert.match(r.stderr, new RegExp(`^start: COURSE_WORK_DIR is ${tmpdir()}, which is not inside the course folder ${ROOT}: JupyterLab serves only that folder\\.`, "m"));
});
