// Headless Chromium for the browser test: a Chromium or Chrome already on the machine (Debian's
// `chromium` package is what CI uses), driven by playwright-core, which never downloads a browser.
// findChromium says where one is; ensureChromium installs Debian's `chromium` when set-up can
// (root, with apt-get), and otherwise stops with one line that says what to install.
import { accessSync, constants, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, isAbsolute, join, win32 } from "node:path";
import { SetupError, run } from "../project.mjs";

/** Where a Chromium or Chrome usually is, before PATH is searched. */
export const KNOWN_PATHS = {
  linux: ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"],
  darwin: ["/Applications/Google Chrome.app/Contents/MacOS/Google Chrome", "/Applications/Chromium.app/Contents/MacOS/Chromium"],
  win32: windowsPaths(process.env),
};

/** Chrome's and Edge's usual places on Windows (Edge, Chromium too, is on every Windows machine). */
function windowsPaths(env) {
  const programFiles = env.ProgramFiles ?? "C:\\Program Files";
  const programFilesX86 = env["ProgramFiles(x86)"] ?? "C:\\Program Files (x86)";
  const chrome = ["Google", "Chrome", "Application", "chrome.exe"];
  const edge = ["Microsoft", "Edge", "Application", "msedge.exe"];
  const roots = [programFiles, programFilesX86, ...(env.LOCALAPPDATA ? [env.LOCALAPPDATA] : [])];
  return [...roots.map((r) => win32.join(r, ...chrome)), ...[programFilesX86, programFiles].map((r) => win32.join(r, ...edge))];
}
/** The names a Chromium or Chrome goes by on PATH, in the order we take them. */
export const PATH_NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome"];

const INSTALL_HINT = "install Chromium or Chrome (Debian/Ubuntu: `sudo apt-get install chromium`), or set COURSE_CHROMIUM=/path/to/chrome";

function isExecutable(path) {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The Chromium or Chrome to drive, or null: COURSE_CHROMIUM when set (it must then exist: a
 * wrong path is an error, never silently replaced by another browser), else the first of
 * `known` (the usual install paths) that is there, else the first of PATH_NAMES on PATH.
 */
export function findChromium({ env = process.env, known = KNOWN_PATHS[process.platform] ?? [], exists = isExecutable } = {}) {
  if (env.COURSE_CHROMIUM) {
    if (exists(env.COURSE_CHROMIUM)) return env.COURSE_CHROMIUM;
    throw new SetupError(`COURSE_CHROMIUM is ${env.COURSE_CHROMIUM}, which is not an executable file: point it at a Chromium or Chrome binary, or unset it to let the course look for one.`);
  }
  for (const path of known) if (exists(path)) return path;
  for (const dir of (env.PATH ?? "").split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue;
    for (const name of PATH_NAMES) {
      const path = join(dir, process.platform === "win32" ? `${name}.exe` : name);
      if (exists(path)) return path;
    }
  }
  return null;
}

/**
 * A Chromium to drive, installing Debian's `chromium` when there is none and set-up can (running
 * as root, with apt-get): `apt-get update`, then `apt-get install -y --no-install-recommends
 * chromium`. Otherwise a SetupError whose one line says what to install. `exec` runs a command
 * (injected by the tests) and returns { status }.
 */
export function ensureChromium({
  env = process.env,
  known,
  exists,
  isRoot = process.getuid?.() === 0,
  hasAptGet = () => isExecutable("/usr/bin/apt-get"),
  exec = (cmd, args) => run(cmd, args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } }),
  log = (line) => console.log(line),
} = {}) {
  const found = findChromium({ env, known, exists });
  if (found) return found;
  const paths = known ?? KNOWN_PATHS[process.platform] ?? [];
  const looked = `${paths.length ? `looked at ${paths.join(", ")} and ` : "looked "}for ${PATH_NAMES.join(", ")} on PATH`;
  if (!isRoot || !hasAptGet()) {
    throw new SetupError(`the browser test needs Chromium or Chrome and found none (${looked}): ${INSTALL_HINT}.`);
  }
  log("setup: no Chromium found: installing Debian's chromium (apt-get update && apt-get install -y --no-install-recommends chromium)");
  for (const args of [["update"], ["install", "-y", "--no-install-recommends", "chromium"]]) {
    const r = exec("apt-get", args);
    if (r.status !== 0) {
      throw new SetupError(`\`apt-get ${args.join(" ")}\` failed (exit ${r.status ?? "?"}, see above), so the browser test has no Chromium: ${INSTALL_HINT}.`);
    }
  }
  const installed = findChromium({ env, known, exists });
  if (!installed) throw new SetupError(`apt-get installed chromium, but no Chromium binary is where the course looks (${looked}): ${INSTALL_HINT}.`);
  return installed;
}

// Without the background-networking flags Chromium keeps calling Google services (component
// updates, sync, safe-browsing lists) and floods a closed network with refused connections.
// --no-sandbox: CI runs as root in a container, where Chromium's sandbox cannot start.
// --disable-dev-shm-usage: containers often have a 64 MB /dev/shm, too small for Chromium.
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-dev-shm-usage",
];

/** Why the browser cannot run here, as one line with the fix, or null when it can (nothing is installed). */
export function chromiumMissing(opts = {}) {
  try {
    return findChromium(opts) ? null : `no Chromium or Chrome found: ${INSTALL_HINT}.`;
  } catch (e) {
    if (e instanceof SetupError) return e.message;
    throw e;
  }
}

/**
 * Launches Chromium with a fresh user-data dir (no profile, cache or cookies from earlier runs).
 * Returns { context, close() }: one browser context for every page of the run.
 */
export async function launchChromium({ width = 1280, height = 900, executablePath = findChromium() } = {}) {
  if (!executablePath) throw new Error(chromiumMissing());
  // Loaded here, not at the top: set-up imports this file before npm has installed playwright-core.
  const { chromium } = await import("playwright-core");
  const profile = mkdtempSync(join(tmpdir(), "course-browser-profile-"));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width, height },
      // A fixed locale and time zone keep the screenshots the same from one machine to the next.
      locale: "en-US",
      timezoneId: "UTC",
    });
  } catch (e) {
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
  const close = async () => {
    await context.close().catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, close };
}
