#!/usr/bin/env node
// Runs the unit tests with node's own test runner: the library's (kernel-lib/test/**/*.test.ts)
// and the tooling's (scripts/test/*.test.mjs: set-up, start, the notebook runner, grading).
// TypeScript is loaded through tsx, so tests run from source with no build step.
// Usage: npm run unit [-- path/to/one.test.ts ...]
//
// The whole suite runs in two lanes at once, each one file at a time: the grading tests (which
// grade whole classes through real kernels, nbgrader and the Gradescope zip: about half of the
// stage's time, mostly one child process busy at a time) in one, everything else in the other.
// On two cores that takes about half the time of one lane, and no test shares its lane with
// another. Each lane's report is printed whole (the second after the first), then the totals of
// both in the test runner's own words (`ℹ pass N`), which is what `npm test` counts.
import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { basename, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { exitAfterOutput } from "./lib/exit-after-output.mjs";

const root = join(fileURLToPath(import.meta.url), "..", "..");

function findTests(dir) {
  const found = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...findTests(path));
    else if (name.endsWith(".test.ts") || name.endsWith(".test.mjs")) found.push(path);
  }
  return found;
}

/** The second lane: the tests that grade submissions. */
const GRADING = /^(grade|grade-.*|nbgrader|gradescope)\.test\.mjs$/;

/** Runs node's test runner on files; `echo` decides when its output is shown. Resolves { code, out }. */
function runLane(files, echo) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "--test", "--test-reporter=spec", ...files.map((f) => relative(root, f).split(sep).join("/"))], { // node --test reads globs: "/" on Windows too
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => { out += d; echo.stdout(d); });
    child.stderr.on("data", (d) => echo.stderr(d));
    child.on("close", (code) => resolve({ code: code ?? 1, out }));
  });
}

/** The last `ℹ <word> N` of a lane's report (null when it printed none: the lane crashed). */
function total(out, word) {
  const all = [...out.replace(/\x1b\[[0-9;]*m/g, "").matchAll(new RegExp(`^ℹ ${word} (\\d+)`, "gm"))];
  return all.length ? Number(all[all.length - 1][1]) : null;
}

async function main() {
  const args = process.argv.slice(2);
  const files = args.length > 0 ? args : [join(root, "kernel-lib", "test"), join(root, "scripts", "test")].flatMap(findTests);
  if (files.length === 0) {
    console.error("unit: no test files found under kernel-lib/test or scripts/test");
    process.exit(1);
  }
  const second = args.length > 0 ? [] : files.filter((f) => GRADING.test(basename(f)));
  const first = files.filter((f) => !second.includes(f));
  const live = { stdout: (d) => process.stdout.write(d), stderr: (d) => process.stderr.write(d) };
  if (second.length === 0) {
    const { code } = await runLane(first, live);
    exitAfterOutput(code);
    return;
  }
  // The second lane's output waits until the first lane is done, then follows it live.
  const held = [];
  let holding = true;
  const later = {
    stdout: (d) => (holding ? held.push(["stdout", d]) : process.stdout.write(d)),
    stderr: (d) => (holding ? held.push(["stderr", d]) : process.stderr.write(d)),
  };
  console.log(`unit: two lanes at once: ${first.length} files, and the ${second.length} grading test files (${second.map((f) => basename(f)).join(", ")}), shown after the first`);
  const secondLane = runLane(second, later);
  const a = await runLane(first, live);
  console.log(`\nunit: the grading lane (${second.length} files):`);
  holding = false;
  for (const [stream, d] of held) (stream === "stdout" ? process.stdout : process.stderr).write(d);
  const b = await secondLane;
  const lanes = [a, b];
  const sum = (word) => lanes.reduce((n, lane) => n + (total(lane.out, word) ?? 0), 0);
  const crashed = lanes.filter((lane) => total(lane.out, "pass") === null).length;
  console.log(`\nunit: both lanes`);
  for (const word of ["tests", "suites", "pass"]) console.log(`ℹ ${word} ${sum(word)}`);
  console.log(`ℹ fail ${sum("fail") + crashed}`); // a lane that printed no totals crashed: a failure
  for (const word of ["cancelled", "skipped", "todo"]) console.log(`ℹ ${word} ${sum(word)}`);
  exitAfterOutput(lanes.some((lane) => lane.code !== 0) || crashed ? 1 : 0);
}

main();
