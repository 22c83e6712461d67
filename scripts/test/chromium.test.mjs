// The browser test's Chromium: one already on the machine is found (COURSE_CHROMIUM, the usual
// install paths, then chromium / chromium-browser / google-chrome on PATH); without one, set-up
// installs Debian's chromium where it can (root, apt-get: `apt-get update`, then `apt-get install`),
// and otherwise the browser stage stops with one line that says what to install. The real Chromium
// is never uninstalled here: the search runs on a fake PATH, and apt-get is an injected command.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, SetupError } from "../lib/project.mjs";
import { PATH_NAMES, chromiumMissing, ensureChromium, findChromium } from "../lib/browser/chromium.mjs";

/** A folder of fake browser executables with the given names (and one file that is not executable). */
function fakeBin(names) {
  const dir = mkdtempSync(join(tmpdir(), "fake-chromium-"));
  for (const name of names) {
    writeFileSync(join(dir, name), "#!/bin/sh\nexit 0\n");
    chmodSync(join(dir, name), 0o755);
  }
  writeFileSync(join(dir, "not-executable"), "");
  return dir;
}

test("a Chromium or Chrome is looked for in order: COURSE_CHROMIUM, the usual paths, then PATH (chromium before chrome)", () => {
  const bin = fakeBin(["google-chrome", "chromium-browser", "chrome"]);
  const other = fakeBin(["chromium"]);
  try {
    const env = { PATH: `/nonexistent:relative/dir:${bin}:${other}` };
    assert.equal(findChromium({ env, known: [] }), join(bin, "chromium-browser"), "in a PATH folder, chromium-browser comes before google-chrome");
    assert.equal(findChromium({ env: { PATH: `${other}:${bin}` }, known: [] }), join(other, "chromium"), "an earlier PATH folder wins");
    assert.equal(findChromium({ env, known: ["/nonexistent/chromium", join(bin, "chrome")] }), join(bin, "chrome"), "a known install path comes before PATH");
    assert.equal(findChromium({ env: { ...env, COURSE_CHROMIUM: join(bin, "google-chrome") }, known: [join(bin, "chrome")] }), join(bin, "google-chrome"), "COURSE_CHROMIUM comes first");
    assert.equal(findChromium({ env: { PATH: "/nonexistent" }, known: [join(bin, "not-executable")] }), null, "a file that cannot run is not a browser");
    assert.deepEqual(PATH_NAMES.slice(0, 3), ["chromium", "chromium-browser", "google-chrome"]);
  } finally {
    rmSync(bin, { recursive: true, force: true });
    rmSync(other, { recursive: true, force: true });
  }
});

test("a COURSE_CHROMIUM that is not there is named, never replaced by another browser", () => {
  assert.throws(() => findChromium({ env: { COURSE_CHROMIUM: "/opt/nowhere/chrome", PATH: "/usr/bin" } }), (e) => e instanceof SetupError
    && e.message === "COURSE_CHROMIUM is /opt/nowhere/chrome, which is not an executable file: point it at a Chromium or Chrome binary, or unset it to let the course look for one.");
  assert.match(chromiumMissing({ env: { COURSE_CHROMIUM: "/opt/nowhere/chrome" } }), /^COURSE_CHROMIUM is \/opt\/nowhere\/chrome, which is not/);
});

test("without a browser and without root or apt-get, set-up stops with one line that says what to install", () => {
  const calls = [];
  const exec = (cmd, args) => (calls.push([cmd, ...args].join(" ")), { status: 0 });
  for (const [isRoot, apt] of [[false, true], [true, false]]) {
    assert.throws(() => ensureChromium({ env: { PATH: "/nonexistent" }, known: ["/nonexistent/chromium"], isRoot, hasAptGet: () => apt, exec, log: () => {} }), (e) => {
      assert.ok(e instanceof SetupError);
      assert.equal(e.message.split("\n").length, 1);
      assert.equal(e.message, "the browser test needs Chromium or Chrome and found none (looked at /nonexistent/chromium and for chromium, chromium-browser, google-chrome, google-chrome-stable, chrome on PATH): install Chromium or Chrome (Debian/Ubuntu: `sudo apt-get install chromium`), or set COURSE_CHROMIUM=/path/to/chrome.");
      return true;
    });
  }
  assert.deepEqual(calls, [], "nothing is installed without root and apt-get");
});

test("as root with apt-get, set-up installs Debian's chromium (apt-get update first) and uses it", () => {
  const bin = mkdtempSync(join(tmpdir(), "fake-apt-"));
  const calls = [];
  const lines = [];
  try {
    const exec = (cmd, args) => {
      calls.push([cmd, ...args].join(" "));
      if (args[0] === "install") {
        writeFileSync(join(bin, "chromium"), "#!/bin/sh\n"); // what the package puts on PATH
        chmodSync(join(bin, "chromium"), 0o755);
      }
      return { status: 0 };
    };
    const path = ensureChromium({ env: { PATH: bin }, known: [], isRoot: true, hasAptGet: () => true, exec, log: (l) => lines.push(l) });
    assert.equal(path, join(bin, "chromium"));
    assert.deepEqual(calls, ["apt-get update", "apt-get install -y --no-install-recommends chromium"]);
    assert.deepEqual(lines, ["setup: no Chromium found: installing Debian's chromium (apt-get update && apt-get install -y --no-install-recommends chromium)"]);

    // Found now: a second run installs nothing.
    calls.length = 0;
    assert.equal(ensureChromium({ env: { PATH: bin }, known: [], isRoot: true, hasAptGet: () => true, exec, log: () => {} }), join(bin, "chromium"));
    assert.deepEqual(calls, []);
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
});

test("an apt-get that fails is named, with what to install instead", () => {
  const calls = [];
  const exec = (cmd, args) => (calls.push(args[0]), { status: args[0] === "update" ? 100 : 0 });
  assert.throws(() => ensureChromium({ env: { PATH: "/nonexistent" }, known: [], isRoot: true, hasAptGet: () => true, exec, log: () => {} }),
    /^SetupError: `apt-get update` failed \(exit 100, see above\), so the browser test has no Chromium: install Chromium or Chrome \(Debian\/Ubuntu: `sudo apt-get install chromium`\), or set COURSE_CHROMIUM=\/path\/to\/chrome\.$/);
  assert.deepEqual(calls, ["update"], "no install after a failed update");
});

test("npm run browser with no usable Chromium stops in one line, every notebook counted as failed", () => {
  const r = spawnSync(process.execPath, [join(ROOT, "scripts", "browser-test.mjs"), "solutions"], {
    cwd: ROOT, encoding: "utf8", env: { ...process.env, COURSE_CHROMIUM: "/opt/nowhere/chrome" },
  });
  assert.equal(r.status, 1);
  const lines = r.stdout.split("\n").filter((l) => l.startsWith("browser: "));
  assert.deepEqual(lines, [
    "browser: COURSE_CHROMIUM is /opt/nowhere/chrome, which is not an executable file: point it at a Chromium or Chrome binary, or unset it to let the course look for one.",
    lines[1],
  ]);
  assert.match(lines[1], /^browser: 0 passed, \d+ failed$/);
});
