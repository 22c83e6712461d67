// How fast could any float64 WebAssembly implementation of the workload be on this machine? Two
// measurements whose quotient bounds it from below, printed by the bench beside PyTorch's step:
//
//   - the arithmetic peak of WebAssembly SIMD in float64 here: a loop of f64x2 multiplies and adds
//     (and of fused multiply-adds, where the engine has them) into independent sums, the most any
//     kernel can do;
//   - the multiply-adds of the step's dense matrix products, counted by running one kernel-lib
//     step (products with a mostly-zero operand, the one-hot inputs and the zero first state, are
//     left out: an implementation can skip them, as the library does).
//
// Those products at that peak take a time no float64 WebAssembly implementation on one thread can
// beat, whatever it does about copies, the tape or the gates. Where it is longer than PyTorch's whole
// step, the issue's 1.0x cannot be reached on this machine by this route (bench/README.md).
//
//   node --import tsx kernel-lib/bench/ceiling.ts     (the peak alone, and each step's count)
import { performance } from "node:perf_hooks";
import { getKernels, setKernels, type Kernels } from "../src/kernels";
import { isMostlyZeros } from "../src/kernels/matmul";
import { useOneThread } from "./implementations";
import { kernelLibTrainer } from "./kernel-lib";
import { CELLS, makeBatch, makeWeights, referenceShape, type CellKind } from "./workload";

declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
};

/**
 * The loop: `sums` accumulators, acc_i += x_(i/2) * y_(i%2) per pass (4 flops each: an f64x2
 * multiply and an add, or one fused multiply-add), the x loaded from a 256-byte table as a kernel
 * loads its operands, each used twice (from the first or the second half of the table,
 * alternately, so that the loads cannot be taken out of the loop), y_0 and y_1 in registers.
 */
function peakWat(sums: number, fused: boolean): string {
  const ids = Array.from({ length: sums }, (_, i) => i);
  const multiplyAdd = (i: number) =>
    fused
      ? `(f64x2.relaxed_madd (local.get $x) (local.get $y${i % 2}) (local.get $acc${i}))`
      : `(f64x2.add (local.get $acc${i}) (f64x2.mul (local.get $x) (local.get $y${i % 2})))`;
  const step = (i: number) =>
    (i % 2 === 0 ? `(local.set $x (v128.load offset=${8 * i} (local.get $at)))\n      ` : "") + `(local.set $acc${i} ${multiplyAdd(i)})`;
  return `(module
  (memory (export "memory") 1)
  (func (export "run") (param $passes i32) (result f64)
    ${ids.map((i) => `(local $acc${i} v128)`).join(" ")} (local $x v128) (local $y0 v128) (local $y1 v128) (local $at i32)
    (local.set $y0 (f64x2.splat (f64.const 1e-3)))
    (local.set $y1 (f64x2.splat (f64.const 2e-3)))
    (loop $pass
      ${ids.map(step).join("\n      ")}
      (local.set $at (i32.xor (local.get $at) (i32.const 128)))
      (br_if $pass (local.tee $passes (i32.sub (local.get $passes) (i32.const 1)))))
    ;; the sums are returned, so that the loop is not dead code
    (f64x2.extract_lane 0 ${ids.reduce((e, i) => (i === 0 ? `(local.get $acc0)` : `(f64x2.add ${e} (local.get $acc${i}))`), "")})))`;
}

/** WABT (WebAssembly's text assembler, a dev dependency), set up once for the six loops. */
let wabtReady: ReturnType<typeof import("wabt")> | undefined;
// eslint-disable-next-line @typescript-eslint/no-var-requires
const wabtOnce = () => (wabtReady ??= (require("wabt") as typeof import("wabt"))());

/**
 * The loop compiled, its table filled with ordinary numbers (not zeros, not subnormals); null for
 * the fused loop where this engine lacks relaxed SIMD (Node 20 without a flag). Any other failure
 * throws: a peak that silently came out as 0 would make every bound meaningless.
 */
async function compile(sums: number, fused: boolean): Promise<((passes: number) => number) | null> {
  const wabt = await wabtOnce();
  const mod = wabt.parseWat("peak.wat", peakWat(sums, fused), { simd: true, relaxed_simd: true });
  try {
    mod.validate();
    const bytes = new Uint8Array(mod.toBinary({}).buffer);
    let exports: Record<string, unknown>;
    try {
      exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports;
    } catch (e) {
      if (fused && e instanceof Error && /not available|relaxed/i.test(e.message)) return null;
      throw e;
    }
    new Float64Array((exports.memory as { buffer: ArrayBuffer }).buffer, 0, 32).forEach((_, i, table) => (table[i] = 1 + i / 32));
    return exports.run as (passes: number) => number;
  } finally {
    mod.destroy();
  }
}

export interface SimdPeak {
  /** The higher of the two below: what the bound uses. */
  gflops: number;
  /** f64x2 multiplies and adds (every engine with WebAssembly SIMD). */
  multiplyAndAdd: number;
  /** f64x2 fused multiply-adds (relaxed SIMD: default from Node 22; rounds once where the pair rounds twice), or null where missing. */
  fused: number | null;
}

/**
 * WebAssembly SIMD's float64 peak here, GFLOP/s, with separate multiplies and adds and (where the
 * engine has them) fused multiply-adds: each the best of 8, 10 and 12 independent sums (below 6
 * the adds' latency would limit the loop, above 12 the registers run out), each of those the best
 * of `rounds` runs of 20 million passes (30-50 ms here) after a warm-up. The best, not the median:
 * the bound is meant to favour WebAssembly. A multiply-add counts 2 flops in each lane.
 */
export async function measureSimdPeak(rounds = 5): Promise<SimdPeak> {
  const best = async (fused: boolean): Promise<number | null> => {
    let top: number | null = null;
    for (const sums of [8, 10, 12]) {
      const run = await compile(sums, fused);
      if (run === null) return null;
      const passes = 20_000_000;
      run(passes); // warm-up: the optimizing compiler
      for (let r = 0; r < rounds; r++) {
        const t0 = performance.now();
        run(passes);
        top = Math.max(top ?? 0, (passes * sums * 4) / ((performance.now() - t0) * 1e6));
      }
    }
    return top;
  };
  const multiplyAndAdd = (await best(false))!;
  const fused = await best(true);
  return { gflops: Math.max(multiplyAndAdd, fused ?? 0), multiplyAndAdd, fused };
}

/**
 * The multiply-adds of one kernel-lib training step of the workload, in dense products only (see
 * the top of this file), counted by running the step once with the matmul kernel wrapped.
 */
export function denseMultiplyAdds(cell: CellKind, hidden: number): number {
  const previous = getKernels();
  useOneThread();
  const shape = referenceShape(hidden);
  const trainer = kernelLibTrainer(cell, shape, makeBatch(shape), makeWeights(cell, shape));
  const inner: Kernels = getKernels();
  let dense = 0;
  setKernels({
    ...inner,
    matmul(a, b, c, m, k, n, opts) {
      if (!isMostlyZeros(a, m * k) && !isMostlyZeros(b, k * n)) dense += m * k * n;
      inner.matmul(a, b, c, m, k, n, opts);
    },
  });
  try {
    trainer.step();
  } finally {
    setKernels(previous);
    trainer.dispose();
  }
  return dense;
}

/** The time (seconds) of `multiplyAdds` at `gflops`. */
export const secondsAtPeak = (multiplyAdds: number, gflops: number) => (2 * multiplyAdds) / (gflops * 1e9);

/** How the peak was measured, for the report. */
export const describePeak = (p: SimdPeak) =>
  `${p.gflops.toFixed(1)} GFLOP/s (f64x2 multiplies and adds: ${p.multiplyAndAdd.toFixed(1)}; fused multiply-adds: ` +
  `${p.fused === null ? "not in this Node's WebAssembly (relaxed SIMD, default from Node 22)" : p.fused.toFixed(1)})`;

if (require.main === module) {
  void (async () => {
    const peak = await measureSimdPeak();
    console.log(`WebAssembly SIMD float64 peak: ${describePeak(peak)}`);
    for (const cell of CELLS) {
      for (const hidden of [64, 128, 256]) {
        const macs = denseMultiplyAdds(cell, hidden);
        console.log(`${cell}/${hidden}: dense products ${(macs / 1e6).toFixed(0)} million multiply-adds a step, ${(secondsAtPeak(macs, peak.gflops) * 1000).toFixed(1)} ms at that peak`);
      }
    }
  })();
}
