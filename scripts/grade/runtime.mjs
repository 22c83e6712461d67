// The files a student's sandbox may read, made once per grading: a folder holding a copy of the
// built kernel-lib (its package.json and dist/, without the public checks' code: kl.exercises is
// replaced by a module that says the checks do not run while grading), and links to the other
// packages of node_modules. Node's permission model then allows this folder, those packages and
// datasets/ — not kernel-lib's sources, not solutions/ or grading/, not the submissions.
//
// Why a copy: the permission model matches path prefixes as written, so allowing node_modules/
// would allow node_modules/kernel-lib/src through the workspace link.
//
// The teacher's reference run gets a runtime with the public checks left in (`publicChecks`):
// it runs the check cells on the teacher's solutions, and no student code runs in it. The
// students' runtime also withholds the test data the judges use (withheld.mjs).
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, sep } from "node:path";
import { createRequire } from "node:module";
import { WITHHELD } from "./withheld.mjs";

const require = createRequire(import.meta.url);

const EXERCISES_STUB = `"use strict";
// While grading, the public checks do not run: hidden tests grade the functions instead.
const refuse = (name) => new Proxy({}, { get(_, key) {
  if (typeof key === "symbol" || key === "then" || key === "__esModule") return undefined;
  throw new Error("kl.exercises." + name + "." + String(key) + ": the public checks do not run while grading (hidden tests grade your functions)");
} });
for (const name of NAMES) exports[name] = refuse(name);
`;

/** Makes the runtime folder; returns { dir, readable, datasets, remove }. */
export function makeRuntime(root, { publicChecks = false } = {}) {
  const dist = join(root, "kernel-lib", "dist");
  if (!existsSync(join(dist, "index.js"))) throw new Error("kernel-lib is not built (kernel-lib/dist/index.js is missing): run npm run build");
  // Its real path: the permission model compares the paths Node's loader reads by (real ones) with
  // the allowed ones, and macOS's temporary folder is under /var, a link to /private/var.
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "course-grading-")));
  const modules = join(dir, "node_modules");
  const lib = join(modules, "kernel-lib");
  mkdirSync(lib, { recursive: true });
  cpSync(join(root, "kernel-lib", "package.json"), join(lib, "package.json"));
  cpSync(dist, join(lib, "dist"), {
    recursive: true,
    filter: (src) => publicChecks || !/[\\/]exercises[\\/].*\.js(\.map)?$/.test(src),
  });
  if (!publicChecks) {
    // The same namespaces as the real module (ch01, ch02, ...), each refusing every check.
    const names = [...readFileSync(join(dist, "exercises", "index.js"), "utf8").matchAll(/exports\.(\w+) =/g)].map((m) => m[1]).filter((n) => n !== "__esModule");
    writeFileSync(join(lib, "dist", "exercises", "index.js"), EXERCISES_STUB.replace("NAMES", JSON.stringify([...new Set(names)])));
  }
  const readable = [`${dir}${sep}`];
  const rootModules = join(root, "node_modules");
  const withheld = publicChecks ? [] : WITHHELD;
  let kl; // the filters' helper (kl.data.stableHash): loaded only when a package is filtered
  const link = (rel) => {
    const real = realpathSync(join(rootModules, rel));
    if (real.startsWith(join(root, "kernel-lib"))) return;
    // Windows: a junction, which needs no administrator rights or Developer Mode (packages are folders).
    symlinkSync(real, join(modules, rel), process.platform === "win32" ? "junction" : "dir");
    readable.push(`${real}${sep}`);
  };
  for (const entry of readdirSync(rootModules)) {
    if (entry === "kernel-lib" || entry === ".bin" || entry.startsWith(".package-lock")) continue;
    if (!withheld.some((w) => w.pkg.startsWith(`${entry}/`))) {
      link(entry);
      continue;
    }
    // A scope holding a withheld package: its other packages linked one by one, that one copied
    // with its data filtered (the copy is inside the runtime folder, readable; the original is not).
    mkdirSync(join(modules, entry));
    for (const name of readdirSync(join(rootModules, entry))) {
      const rel = `${entry}/${name}`;
      const w = withheld.find((x) => x.pkg === rel);
      if (!w) {
        link(rel);
        continue;
      }
      cpSync(realpathSync(join(rootModules, rel)), join(modules, rel), { recursive: true, dereference: true });
      for (const [file, filter] of Object.entries(w.files)) {
        const path = join(modules, rel, file);
        writeFileSync(path, filter(readFileSync(path, "utf8"), (kl ??= require(join(dist, "index.js")))));
      }
    }
  }
  return {
    dir,
    readable,
    datasets: join(root, "datasets"),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
