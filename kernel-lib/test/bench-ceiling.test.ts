// The bench's ceiling (bench/ceiling.ts, report.ts's printCeiling): what it counts, what it measures,
// and how it reads the bound. Not a timed test: the peak is only checked to be a number, and which
// kinds of multiply-add this Node has.
import { test } from "node:test";
import assert from "node:assert/strict";
import { denseMultiplyAdds, measureSimdPeak } from "../bench/ceiling";
import { key, printCeiling, type Results } from "../bench/report";

test("the dense products of a step are counted: the layer's three products per step after the first (zero state) and the head's three", () => {
  // GRU at hidden 128: gates 3·128 = 384; T 64, batch 32, vocab 64. The one-hot input's products
  // are left out; h·W_hhᵀ, dPre·W_hh and dPreᵀ·h run for the 63 steps whose state is not zero.
  assert.equal(denseMultiplyAdds("gru", 128), 3 * 63 * 32 * 128 * 384 + 3 * 2048 * 128 * 64);
  assert.equal(denseMultiplyAdds("rnn", 64), 3 * 63 * 32 * 64 * 64 + 3 * 2048 * 64 * 64);
});

test("the SIMD peak is measured with multiplies and adds, and with fused multiply-adds where this Node has them (from 22)", async () => {
  const peak = await measureSimdPeak(1);
  assert.ok(Number.isFinite(peak.multiplyAndAdd) && peak.multiplyAndAdd > 0, `multiply-and-add peak ${peak.multiplyAndAdd}`);
  const major = Number(process.versions.node.split(".")[0]);
  if (major >= 22) assert.ok(peak.fused !== null && peak.fused > 0, `Node ${major} has relaxed SIMD: fused peak ${peak.fused}`);
  assert.equal(peak.gflops, Math.max(peak.multiplyAndAdd, peak.fused ?? 0));
});

test("the ceiling calls 1.0x out of reach only below 0.9x, says 0.9-1.1x is too close to call, and stays quiet above", () => {
  // 1e9 multiply-adds at 20 GFLOP/s: 0.1 s. PyTorch's step 0.05 s -> at most 0.5x; 0.095 s -> 0.95x; 0.2 s -> 2x.
  const first = { loss: 1, gradNorm: 1 };
  const results: Results = new Map();
  const torch = { rnn: 0.05, lstm: 0.095, gru: 0.2 } as const;
  for (const cell of ["rnn", "lstm", "gru"] as const) {
    results.set(key("torch-f64", cell, 64), { secondsPerStep: torch[cell], timedSteps: 3, first });
    results.set(key("kernel-lib", cell, 64), { secondsPerStep: 0.4, timedSteps: 3, first });
  }
  const lines: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => lines.push(args.join(" "));
  try {
    printCeiling(results, ["rnn", "lstm", "gru"], [64], {
      peak: { gflops: 20, multiplyAndAdd: 20, fused: null },
      denseMultiplyAdds: new Map([["rnn 64", 1e9], ["lstm 64", 1e9], ["gru 64", 1e9]]),
    });
  } finally {
    console.log = log;
  }
  const out = lines.join("\n");
  assert.match(out, /^\| rnn +\| 64 +\| +1000M multiply-adds \| +100\.0 ms \| +400\.0 ms \| +25% \| +50\.0 ms \| +0\.50x \|$/m);
  assert.match(out, /^ceiling: .*so 1\.0x is out of reach on this machine at rnn\/64 \(at most 0\.50x\)$/m);
  assert.match(out, /^ceiling: between 0\.9x and 1\.1x, too close to 1\.0x to call from one run, at lstm\/64 \(0\.95x\)$/m);
  assert.doesNotMatch(out, /gru\/64 \(/);
});
