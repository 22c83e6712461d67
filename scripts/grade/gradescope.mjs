#!/usr/bin/env node
// `npm run grade:gradescope -- --assignment NAME[,NAME...] [--out FILE.zip] [--seed-file FILE]`
//
// Builds the autograder zip Gradescope runs in its own container for each submission (that is how
// grading scales past one machine): setup.sh and run_autograder (scripts/grade/gradescope/) at
// the top, beside what the grader needs and nothing more — package.json and the lockfile, the
// built kernel-lib (no sources), the grader, the teacher's copies of the named notebooks, their
// hidden tests, the secret seed, and datasets/. The zip is the teacher's: upload it as the
// assignment's autograder; students never see it. The same inputs give the same bytes.
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { loadAssignments } from "./assignments.mjs";
import { zip } from "./zip.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));

function filesUnder(dir, keep = () => true) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(p, keep));
    else if (entry.isFile() && keep(p)) out.push(p);
  }
  return out.sort();
}

/** The zip's entries for these assignments: [{ name, data, mode }]. */
export function autograderEntries(root, names, secret) {
  const all = loadAssignments(root);
  const chosen = names.map((n) => {
    const a = all.get(n);
    if (!a) throw new Error(`no such assignment: ${n} (there are: ${[...all.keys()].join(", ")})`);
    if (!a.observersPath) throw new Error(`${n} has no hidden tests (grading/hidden/${n}.ts)`);
    return a;
  });
  if (!existsSync(join(root, "kernel-lib", "dist", "index.js"))) throw new Error("kernel-lib is not built: run npm run build (or npm test) first");
  const file = (p, mode) => ({ name: relative(root, p).split("\\").join("/"), data: readFileSync(p), mode });
  const entries = [
    { name: "setup.sh", data: readFileSync(join(HERE, "gradescope", "setup.sh")), mode: 0o755 },
    { name: "run_autograder", data: readFileSync(join(HERE, "gradescope", "run_autograder"), "utf8").replace("__ASSIGNMENTS__", names.join(",")), mode: 0o755 },
    file(join(root, "package.json")),
    file(join(root, "package-lock.json")),
    file(join(root, "kernel-lib", "package.json")),
    ...filesUnder(join(root, "kernel-lib", "dist"), (p) => !p.endsWith(".map")).map((p) => file(p)),
    file(join(root, "scripts", "grade.mjs")),
    file(join(root, "scripts", "lib", "project.mjs")),
    ...filesUnder(join(root, "scripts", "grade"), (p) => /\.(mjs|cjs)$/.test(p) && !p.includes(`${join("grade", "gradescope")}`)).map((p) => file(p)),
    ...filesUnder(join(root, "datasets")).map((p) => file(p)),
    file(join(root, "grading", "hidden", "types.ts")),
    { name: "grading/secret-seed", data: `${secret}\n`, mode: 0o600 },
  ];
  for (const a of chosen) {
    entries.push(file(a.notebookPath), file(a.observersPath));
    if (a.judgesPath) entries.push(file(a.judgesPath));
  }
  return entries;
}

export async function main(argv) {
  const { ROOT } = await import("../lib/project.mjs");
  const { secretSeed } = await import("../grade.mjs");
  let names = null;
  let out = null;
  let seedFile = null;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--assignment") names = argv[++i]?.split(",").map((s) => s.trim().replace(/\.ipynb$/, "")).filter(Boolean);
    else if (argv[i] === "--out") out = argv[++i];
    else if (argv[i] === "--seed-file") seedFile = argv[++i];
    else throw new Error(`unknown argument ${argv[i]}\nusage: npm run grade:gradescope -- --assignment NAME[,NAME...] [--out FILE.zip] [--seed-file FILE]`);
  }
  if (!names?.length) throw new Error("usage: npm run grade:gradescope -- --assignment NAME[,NAME...] [--out FILE.zip] [--seed-file FILE]");
  out ??= join(ROOT, "build", `gradescope-${names.join("+")}.zip`);
  if (!out.endsWith(".zip")) throw new Error(`--out ${out}: the autograder is a .zip file; give a name ending in .zip`);
  // An existing file is replaced only when it is an autograder zip made here before (it holds run_autograder).
  if (existsSync(out)) {
    const old = statSync(out).isFile() ? readFileSync(out) : null;
    if (!old || old.subarray(0, 4).toString("latin1") !== "PK\x03\x04" || !old.includes("run_autograder")) {
      throw new Error(`--out ${out} exists and is not an autograder zip made by this command: choose another name (nothing is overwritten)`);
    }
  }
  const entries = autograderEntries(ROOT, names, secretSeed(seedFile));
  const bytes = zip(entries);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, bytes);
  console.log(`gradescope: wrote ${out} (${entries.length} files, ${(bytes.length / 2 ** 20).toFixed(1)} MiB): upload it as the assignment's autograder`);
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(`gradescope: ${e.message}`);
    process.exit(2);
  });
}
