// npm run bench in its smoke mode (one step of each implementation): it runs, its implementations
// agree, and PyTorch is optional and never silent: without one the report says it was not
// measured, asking for it without one is an error, and a Python that cannot import torch is named
// with how to install it (the test's Python is made to lack torch, whatever is installed).
import { test } from "node:test";
import assert from "node:assert/strict";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, chooseEnvironment, run } from "../lib/project.mjs";

const bench = (args, env = {}) => {
  const environment = { ...process.env, ...env };
  delete environment.BENCH_PYTORCH;
  return run(process.execPath, ["--expose-gc", "--import", "tsx", "kernel-lib/bench/main.ts", "--smoke", "--cells", "rnn", ...args], { cwd: ROOT, env: environment, timeout: 240_000 });
};

test("without a PyTorch the smoke bench runs, agrees with itself and says PyTorch was not measured", { timeout: 240_000 }, () => {
  const r = bench(["--impls", "kernel-lib,hand-f64"]);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /PyTorch: not measured \(give the bench a Python with PyTorch: npm run bench -- --pytorch/);
  assert.match(r.stdout, /^\| rnn  \| 64 /m, "the table has the rnn row");
  assert.match(r.stdout, /check: \.\.\. and among the float64 ones \(kernel-lib, hand-f64\): max relative difference \S+ \(/);
});

test("asking for PyTorch without giving one is an error that says how", { timeout: 60_000 }, () => {
  const r = bench(["--impls", "kernel-lib,torch-f64"]);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /--impls torch-f64: PyTorch runs only when the bench is given a Python with torch/);
});

test("a Python that cannot import torch is named, with the command that installs it", { timeout: 240_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "bench-no-torch-"));
  try {
    writeFileSync(join(dir, "torch.py"), 'raise ImportError("no torch in this test")\n');
    const python = join(dir, "python");
    writeFileSync(python, `#!/bin/sh\nPYTHONPATH=${JSON.stringify(dir)} exec ${JSON.stringify(chooseEnvironment().python)} "$@"\n`);
    chmodSync(python, 0o755);
    const r = bench(["--impls", "kernel-lib,torch-f64", "--pytorch", python]);
    assert.equal(r.status, 1, "a peer that fails fails the run");
    assert.match(r.stderr, /torch-f64: FAILED\n.*cannot import torch \(no torch in this test\); install it into that Python with: .* -m pip install torch==2\.13\.0/);
    assert.match(r.stdout, /^\| rnn  \| 64 /m, "the others still ran");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("products.ts (the step's products alone) runs, prints every product with its float32 error, and says PyTorch was not measured without one", { timeout: 120_000 }, () => {
  const environment = { ...process.env };
  delete environment.BENCH_PYTORCH;
  const r = run(process.execPath, ["--import", "tsx", "kernel-lib/bench/products.ts", "--smoke"], { cwd: ROOT, env: environment, timeout: 120_000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const rows = r.stdout.split("\n").filter((line) => /^\| (h·W_hhᵀ|dPre·W_hh|dPreᵀ·h), H (64|128|256) \| \[\d+,\d+\]·\[\d+,\d+\] \| [\d.]+ \| [\d.]+ \| [\d.]+ \| [\d.]+x \| ([\d.]+e-\d+) \| - \| - \|$/.test(line));
  assert.equal(rows.length, 9, r.stdout);
  for (const row of rows) {
    const error = Number(/ ([\d.]+e-\d+) \|/.exec(row)[1]);
    assert.ok(error > 1e-9 && error < 1e-5, `float32's error should be float32's, near 1e-7: ${row}`);
  }
  assert.match(r.stdout, /PyTorch not measured \(give --pytorch PYTHON\)/);
});

test("two-threads.ts (one thread against two, a core kept busy) runs, splits the large products, and leaves no busy process behind", { timeout: 120_000 }, () => {
  const r = run(process.execPath, ["--import", "tsx", "kernel-lib/bench/two-threads.ts", "--smoke", "--busy", "--cells", "lstm", "--hidden", "16,256"], { cwd: ROOT, timeout: 120_000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /with another process keeping one core busy/);
  assert.match(r.stdout, /^\| lstm \| 16 \| [\d.]+ \| [\d.]+ \| [\d.]+x \| [\d. ]+ \| none split \|$/m);
  assert.match(r.stdout, /^\| lstm \| 256 \| [\d.]+ \| [\d.]+ \| [\d.]+x \| [\d. ]+ \| \d+ of [1-9]\d* \|$/m);
  const left = run("pgrep", ["-f", "-x", `${process.execPath} -e for \\(;;\\);`]);
  assert.equal(left.stdout.trim(), "", "the busy process was left running");
});

test("float32-drift.ts (training with the float32 matmul beside float64) runs and finds the two near but not equal", { timeout: 120_000 }, () => {
  const r = run(process.execPath, ["--import", "tsx", "kernel-lib/bench/float32-drift.ts", "--smoke", "--cells", "lstm"], { cwd: ROOT, timeout: 120_000 });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const row = /^\| lstm \| 64 \| [\d.]+ \/ [\d.]+ \| [\d.]+ \/ [\d.]+ \| (\S+) \| (\S+) \| [\d.]+x \|$/m.exec(r.stdout);
  assert.ok(row, r.stdout);
  for (const diff of [Number(row[1]), Number(row[2])]) assert.ok(diff > 0 && diff < 1e-6, `three steps apart by ${diff}`);
  const bad = run(process.execPath, ["--import", "tsx", "kernel-lib/bench/float32-drift.ts", "--steps", "0"], { cwd: ROOT, timeout: 60_000 });
  assert.equal(bad.status, 2, bad.stderr);
  assert.equal(bad.stderr.trim(), "float32-drift: --steps: not a positive integer: 0");
});

test("a mistake on the command line is one line that names it, with exit code 2 (the bench and two-threads.ts)", { timeout: 60_000 }, () => {
  const bad = bench(["--impls", "kernel-lib,bogus"]);
  assert.equal(bad.status, 2, bad.stderr);
  assert.equal(bad.stderr.trim(), "bench: --impls: unknown bogus (known: kernel-lib, kernel-lib-2t, kernel-lib-f32, kernel-lib-readable, kernel-lib-by-hand, tfjs-cpu, tfjs-wasm, hand-f64, hand-f32, torch-f64, torch-f32, torch-f64-2t)");
  const cells = run(process.execPath, ["--import", "tsx", "kernel-lib/bench/two-threads.ts", "--cells", "lstm,bogus"], { cwd: ROOT, timeout: 60_000 });
  assert.equal(cells.status, 2, cells.stderr);
  assert.equal(cells.stderr.trim(), "two-threads: --cells: unknown bogus (known: rnn, lstm, gru)");
});
