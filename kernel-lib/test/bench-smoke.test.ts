// The benchmark is never a timed test; this only proves it still runs end to end and that every
// implementation computes the same first step (the bench's own check), so it cannot rot unseen.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

test("npm run bench -- --smoke runs every implementation and prints the ratio table", { timeout: 180_000 }, () => {
  const root = resolve(__dirname, "..", "..");
  const r = spawnSync(process.execPath, ["--expose-gc", "--import", "tsx", "kernel-lib/bench/main.ts", "--smoke"], { cwd: root, encoding: "utf8" });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  for (const cell of ["rnn", "lstm", "gru"]) assert.match(r.stdout, new RegExp(`^\\| ${cell} +\\| 64 `, "m"));
  assert.match(r.stdout, /^check: first-step loss and gradient norm agree/m);
  // The ceiling: the SIMD peak measured, and each configuration's dense products counted (an LSTM at
  // hidden 64: 3·63·32·64·256 in the layer's three products per step after the first, whose state
  // is zero, and 3·2048·64·64 in the head's; the one-hot input's left out).
  assert.match(r.stdout, /^The ceiling \(kernel-lib\/bench\/ceiling\.ts\): WebAssembly SIMD's float64 peak on this machine, measured in this run, is \d+\.\d GFLOP\/s/m);
  assert.match(r.stdout, new RegExp(`^\\| lstm +\\| 64 +\\| +${Math.round((3 * 63 * 32 * 64 * 256 + 3 * 2048 * 64 * 64) / 1e6)}M multiply-adds \\| +[\\d.]+ ms \\| +[\\d.]+ ms \\| +\\d+% \\|`, "m"));
  assert.match(r.stdout, /^ceiling: PyTorch not measured, so not compared$/m);
  assert.match(r.stdout, /^heap: kernel-lib lstm \d/m);
  assert.match(r.stdout, /^heap: kernel-lib lstm on two threads \d+ steps/m);
  const twoThreads = r.stdout.split("\nTwo threads (tokens/s):\n")[1] ?? "";
  assert.match(twoThreads, /^\| lstm +\| 64 +\| +[\d.]+k \| +[\d.]+k \| +[\d.]+x \|/m, "the two-thread table: kernel-lib, kernel-lib 2 threads and their ratio");
  // The opt-in float32 matmul: its first step lands near float64's (1e-12 to 1e-8 apart), not on it.
  const float32 = r.stdout.split("\nThe opt-in float32 matmul")[1] ?? "";
  for (const cell of ["rnn", "lstm", "gru"]) {
    const row = new RegExp(`^\\| ${cell} +\\| 64 +\\| +[\\d.]+k \\| +[\\d.]+k \\| +[\\d.]+x \\| +(\\S+) \\| +(\\S+) \\|`, "m").exec(float32);
    assert.ok(row, `the float32 table's ${cell} row: kernel-lib, f32 matmul, their ratio, the first step's differences`);
    for (const diff of [Number(row[1]), Number(row[2])]) assert.ok(diff > 0 && diff < 1e-5, `${cell}: float32 first step ${diff} from float64's`);
  }
});
