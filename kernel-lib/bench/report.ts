// Turns the measurements into the printed report: the table, the goal lines, the cross-check
// of first-step losses, and the heap lines.

import { describePeak, secondsAtPeak, type SimdPeak } from "./ceiling";
import type { HeapReport } from "./heap";
import type { ImplName } from "./implementations";
import type { Measurement } from "./measure";
import { tokensPerStep, referenceShape, type CellKind } from "./workload";

export type Results = Map<string, Measurement>; // key: `${impl} ${cell} ${hidden}`

export const key = (impl: ImplName, cell: CellKind, hidden: number) => `${impl} ${cell} ${hidden}`;

/** The goals from the issue. */
const GOAL_RATIO_WASM = 3;
const GOAL_HIDDEN = 128;
const GOAL_TAPE_OVERHEAD = 0.2;
/** Issue 16: at least as fast as PyTorch float64 on one thread, at every hidden size measured. */
const GOAL_RATIO_TORCH = 1;
/** First-step losses and gradient norms must agree this closely (relative; TF.js is float32). */
const AGREEMENT = 1e-4;
/** ... and the float64 implementations among themselves this closely (PyTorch's included): the same math, rounded differently. */
const AGREEMENT_F64 = 1e-9;
const FLOAT64: readonly ImplName[] = ["kernel-lib", "kernel-lib-2t", "kernel-lib-readable", "kernel-lib-by-hand", "hand-f64", "torch-f64", "torch-f64-2t"];

function tokensPerSecond(r: Results, impl: ImplName, cell: CellKind, hidden: number): number | undefined {
  const m = r.get(key(impl, cell, hidden));
  return m === undefined ? undefined : tokensPerStep(referenceShape(hidden)) / m.secondsPerStep;
}

const fmtTokens = (x: number | undefined) => (x === undefined ? "-" : x >= 1e5 ? `${(x / 1000).toFixed(0)}k` : `${(x / 1000).toFixed(2)}k`);
const fmtRatio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? "-" : `${(a / b).toFixed(2)}x`);
const fmtOverhead = (lib: number | undefined, byHand: number | undefined) =>
  lib === undefined || byHand === undefined ? "-" : `${byHand / lib - 1 >= 0 ? "+" : ""}${((byHand / lib - 1) * 100).toFixed(0)}%`;
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(2)} MB`;
const signedMb = (bytes: number) => `${bytes >= 0 ? "+" : "-"}${(Math.abs(bytes) / 2 ** 20).toFixed(2)} MB`;

function printAligned(rows: string[][]): void {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const line = (row: string[]) => "| " + row.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(" | ") + " |";
  console.log(line(rows[0]));
  console.log("|" + widths.map((w, c) => (c < 2 ? "-".repeat(w + 2) : "-".repeat(w + 1) + ":")).join("|") + "|");
  for (const row of rows.slice(1)) console.log(line(row));
}

export function printTable(r: Results, cells: CellKind[], hiddens: number[]): void {
  const rows: string[][] = [
    ["cell", "hidden", "kernel-lib", "readable", "fused/readable", "TF.js cpu", "TF.js wasm", "ours/cpu", "ours/wasm", "torch f64", "torch f32", "ours/torch f64", "ours/torch f32", "lib by hand", "tape overhead", "hand f64", "hand f32", "f32/f64"],
  ];
  for (const cell of cells) {
    for (const hidden of hiddens) {
      const t = (impl: ImplName) => tokensPerSecond(r, impl, cell, hidden);
      const ours = t("kernel-lib");
      rows.push([
        cell,
        String(hidden),
        fmtTokens(ours),
        fmtTokens(t("kernel-lib-readable")),
        fmtRatio(ours, t("kernel-lib-readable")),
        fmtTokens(t("tfjs-cpu")),
        fmtTokens(t("tfjs-wasm")),
        fmtRatio(ours, t("tfjs-cpu")),
        fmtRatio(ours, t("tfjs-wasm")),
        fmtTokens(t("torch-f64")),
        fmtTokens(t("torch-f32")),
        fmtRatio(ours, t("torch-f64")),
        fmtRatio(ours, t("torch-f32")),
        fmtTokens(t("kernel-lib-by-hand")),
        fmtOverhead(ours, t("kernel-lib-by-hand")),
        fmtTokens(t("hand-f64")),
        fmtTokens(t("hand-f32")),
        fmtRatio(t("hand-f32"), t("hand-f64")),
      ]);
    }
  }
  printAligned(rows);
}

/**
 * The second figure of issue 16: two threads against PyTorch with two threads (and what the
 * second core buys each). Printed when either two-thread implementation was measured.
 */
export function printTwoThreads(r: Results, cells: CellKind[], hiddens: number[]): void {
  const measured = cells.some((cell) => hiddens.some((h) => r.has(key("kernel-lib-2t", cell, h)) || r.has(key("torch-f64-2t", cell, h))));
  if (!measured) return;
  const rows: string[][] = [["cell", "hidden", "kernel-lib", "kernel-lib 2 threads", "2 threads/1", "torch f64", "torch f64 2 threads", "2 threads/1 (torch)", "ours/torch f64, 2 threads each"]];
  for (const cell of cells) {
    for (const hidden of hiddens) {
      const t = (impl: ImplName) => tokensPerSecond(r, impl, cell, hidden);
      rows.push([cell, String(hidden), fmtTokens(t("kernel-lib")), fmtTokens(t("kernel-lib-2t")), fmtRatio(t("kernel-lib-2t"), t("kernel-lib")),
        fmtTokens(t("torch-f64")), fmtTokens(t("torch-f64-2t")), fmtRatio(t("torch-f64-2t"), t("torch-f64")), fmtRatio(t("kernel-lib-2t"), t("torch-f64-2t"))]);
    }
  }
  console.log("\nTwo threads (tokens/s):");
  printAligned(rows);
}

/**
 * The optional float32 path of issue 16: the opt-in float32 matmul against the float64 default
 * (speed, and how far its first step lands from float64's) and against PyTorch float32. Printed
 * when kernel-lib-f32 was measured.
 */
export function printFloat32(r: Results, cells: CellKind[], hiddens: number[]): void {
  if (!cells.some((cell) => hiddens.some((h) => r.has(key("kernel-lib-f32", cell, h))))) return;
  const relDiff = (what: "loss" | "gradNorm", cell: CellKind, hidden: number) => {
    const f32 = r.get(key("kernel-lib-f32", cell, hidden)), f64 = r.get(key("kernel-lib", cell, hidden));
    return f32 === undefined || f64 === undefined ? "-" : (Math.abs(f32.first[what] - f64.first[what]) / Math.abs(f64.first[what])).toExponential(1);
  };
  const rows: string[][] = [["cell", "hidden", "kernel-lib", "f32 matmul", "f32/f64", "loss vs f64", "grad norm vs f64", "torch f32", "f32 matmul/torch f32"]];
  for (const cell of cells) {
    for (const hidden of hiddens) {
      const t = (impl: ImplName) => tokensPerSecond(r, impl, cell, hidden);
      rows.push([cell, String(hidden), fmtTokens(t("kernel-lib")), fmtTokens(t("kernel-lib-f32")), fmtRatio(t("kernel-lib-f32"), t("kernel-lib")),
        relDiff("loss", cell, hidden), relDiff("gradNorm", cell, hidden), fmtTokens(t("torch-f32")), fmtRatio(t("kernel-lib-f32"), t("torch-f32"))]);
    }
  }
  console.log("\nThe opt-in float32 matmul (tokens/s; 'vs f64': relative difference of the first step's loss and gradient norm from kernel-lib's):");
  printAligned(rows);
}

export function printGoals(r: Results, cells: CellKind[], hiddens: number[], pytorch: boolean): void {
  const torchGoal = `goal: kernel-lib >= ${GOAL_RATIO_TORCH.toFixed(1)}x PyTorch float64 (one thread) at hidden ${hiddens.join(", ")}`;
  if (!pytorch) console.log(`${torchGoal}: not measured (no PyTorch given)`);
  else {
    const parts = cells.flatMap((cell) =>
      hiddens.map((hidden) => {
        const ours = tokensPerSecond(r, "kernel-lib", cell, hidden);
        const torch = tokensPerSecond(r, "torch-f64", cell, hidden);
        if (ours === undefined || torch === undefined) return { met: false, text: `${cell}/${hidden} -` };
        const met = ours / torch >= GOAL_RATIO_TORCH;
        return { met, text: `${cell}/${hidden} ${(ours / torch).toFixed(2)}x${met ? "" : " NOT met"}` };
      }),
    );
    console.log(`${torchGoal}: ${parts.every((p) => p.met) ? "met" : "NOT met"} (${parts.map((p) => p.text).join(", ")})`);
  }
  if (hiddens.includes(GOAL_HIDDEN)) {
    const parts = cells.map((cell) => {
      const ours = tokensPerSecond(r, "kernel-lib", cell, GOAL_HIDDEN);
      const wasm = tokensPerSecond(r, "tfjs-wasm", cell, GOAL_HIDDEN);
      if (ours === undefined || wasm === undefined) return `${cell} -`;
      return `${cell} ${(ours / wasm).toFixed(2)}x ${ours / wasm >= GOAL_RATIO_WASM ? "met" : "NOT met"}`;
    });
    console.log(`goal: kernel-lib >= ${GOAL_RATIO_WASM}x TF.js wasm at hidden ${GOAL_HIDDEN}: ${parts.join(", ")}`);
  }
  const over: string[] = [];
  let measured = 0;
  for (const cell of cells) {
    for (const hidden of hiddens) {
      const ours = tokensPerSecond(r, "kernel-lib", cell, hidden);
      const byHand = tokensPerSecond(r, "kernel-lib-by-hand", cell, hidden);
      if (ours === undefined || byHand === undefined) continue;
      measured++;
      if (byHand / ours - 1 > GOAL_TAPE_OVERHEAD) over.push(`${cell}/${hidden} ${fmtOverhead(ours, byHand)}`);
    }
  }
  if (measured > 0) {
    const verdict = over.length === 0 ? "met everywhere" : `NOT met at ${over.join(", ")}`;
    console.log(`goal: tape overhead <= ${GOAL_TAPE_OVERHEAD * 100}% over the same step by hand with the library's kernels: ${verdict}`);
  }
}

/** The largest relative difference of first-step losses and gradient norms between any two of `impls`, and where. */
function worstDisagreement(r: Results, impls: readonly ImplName[], cells: CellKind[], hiddens: number[]) {
  let worst = 0;
  let where = "";
  let pairs = 0;
  for (const cell of cells) {
    for (const hidden of hiddens) {
      const firsts = impls.flatMap((impl) => {
        const m = r.get(key(impl, cell, hidden));
        return m === undefined ? [] : [{ impl, ...m.first }];
      });
      for (const a of firsts) {
        for (const b of firsts) {
          if (a !== b) pairs++;
          for (const what of ["loss", "gradNorm"] as const) {
            const d = Math.abs(a[what] - b[what]) / Math.abs(b[what]);
            if (d > worst) [worst, where] = [d, `${what} of ${a.impl} vs ${b.impl} (${cell}/${hidden})`];
          }
        }
      }
    }
  }
  return { worst, where, pairs };
}

/**
 * Every implementation starts from the same weights and data, so their first steps must give
 * the same loss and gradient norm: proof that all of them train the same model (the float64
 * ones, PyTorch's included, to 1e-9). Returns false if some pair disagrees.
 */
export function printAgreement(r: Results, impls: readonly ImplName[], cells: CellKind[], hiddens: number[]): boolean {
  const all = worstDisagreement(r, impls, cells, hiddens);
  if (all.pairs === 0) {
    console.log("check: fewer than two implementations ran, nothing to compare first steps with");
    return true;
  }
  const ok = all.worst <= AGREEMENT;
  console.log(
    `check: first-step loss and gradient norm agree across implementations: max relative difference ${all.worst.toExponential(1)}` +
      (all.where ? ` (${all.where})` : "") +
      (ok ? "" : ` ABOVE ${AGREEMENT}: the implementations do not compute the same thing`),
  );
  const f64 = worstDisagreement(r, impls.filter((impl) => FLOAT64.includes(impl)), cells, hiddens);
  if (f64.pairs === 0) return ok;
  const okF64 = f64.worst <= AGREEMENT_F64;
  console.log(
    `check: ... and among the float64 ones (${impls.filter((impl) => FLOAT64.includes(impl)).join(", ")}): max relative difference ${f64.worst.toExponential(1)}` +
      (f64.where ? ` (${f64.where})` : "") +
      (okF64 ? "" : ` ABOVE ${AGREEMENT_F64}: they do not compute the same thing`),
  );
  return ok && okF64;
}

export function printHeap(h: HeapReport): void {
  const shape = "hidden 32, T 16, batch 32";
  console.log(
    `heap: kernel-lib ${h.cell}${h.twoThreads ? " on two threads" : ""} ${h.steps} steps (${shape}, ${h.seconds.toFixed(1)} s): ` +
      `heapUsed ${mb(h.heapBefore)} -> ${mb(h.heapAfter)} (${signedMb(h.heapAfter - h.heapBefore)}), ` +
      `arrayBuffers ${mb(h.arrayBuffersBefore)} -> ${mb(h.arrayBuffersAfter)} (${signedMb(h.arrayBuffersAfter - h.arrayBuffersBefore)}), ` +
      `rss ${signedMb(h.rssAfter - h.rssBefore)}, tape ${h.tapeAfter} nodes` +
      (h.forcedGc ? "" : " [no forced GC: run node with --expose-gc]"),
  );
}

/**
 * Below this the ceiling calls 1.0x out of reach: 10% under PyTorch's step, more than the medians
 * of runs of the same code differ here (PyTorch's by up to ~10%, the peak by ~5%).
 */
const OUT_OF_REACH = 0.9;

/** What ceiling.ts measured in this run: the SIMD peak, and each configuration's dense multiply-adds (key `${cell} ${hidden}`). */
export interface Ceiling {
  peak: SimdPeak;
  denseMultiplyAdds: Map<string, number>;
}

/**
 * The bound of ceiling.ts beside the measured steps: a step's dense products alone at WebAssembly
 * SIMD's float64 peak, kernel-lib's step, PyTorch float64's step, and the most that any float64
 * WebAssembly implementation on one thread could reach against PyTorch here (its step over the
 * products' time at the peak).
 */
export function printCeiling(r: Results, cells: CellKind[], hiddens: number[], c: Ceiling): void {
  const ms = (seconds: number | undefined) => (seconds === undefined ? "-" : `${(seconds * 1000).toFixed(1)} ms`);
  const rows: string[][] = [["cell", "hidden", "dense products", "at the peak", "kernel-lib step", "peak/kernel-lib", "torch f64 step", "at most, any WebAssembly f64/torch f64"]];
  const outOfReach: string[] = [];
  const withinNoise: string[] = [];
  let compared = 0;
  for (const cell of cells) {
    for (const hidden of hiddens) {
      const macs = c.denseMultiplyAdds.get(`${cell} ${hidden}`);
      if (macs === undefined) continue;
      const floor = secondsAtPeak(macs, c.peak.gflops);
      const ours = r.get(key("kernel-lib", cell, hidden))?.secondsPerStep;
      const torch = r.get(key("torch-f64", cell, hidden))?.secondsPerStep;
      const most = torch === undefined ? undefined : torch / floor;
      if (most !== undefined) {
        compared++;
        if (most < OUT_OF_REACH) outOfReach.push(`${cell}/${hidden} (at most ${most.toFixed(2)}x)`);
        else if (most < 1 / OUT_OF_REACH) withinNoise.push(`${cell}/${hidden} (${most.toFixed(2)}x)`);
      }
      rows.push([cell, String(hidden), `${(macs / 1e6).toFixed(0)}M multiply-adds`, ms(floor), ms(ours), ours === undefined ? "-" : `${((floor / ours) * 100).toFixed(0)}%`,
        ms(torch), most === undefined ? "-" : `${most.toFixed(2)}x`]);
    }
  }
  console.log(`\nThe ceiling (kernel-lib/bench/ceiling.ts): WebAssembly SIMD's float64 peak on this machine, measured in this run, is ${describePeak(c.peak)}; ` +
    `at that peak a step's dense matrix products (multiply-adds counted in one kernel-lib step, one-hot ones left out) take at least:`);
  printAligned(rows);
  if (compared === 0) {
    console.log("ceiling: PyTorch not measured, so not compared");
    return;
  }
  const low = OUT_OF_REACH.toFixed(1), high = (1 / OUT_OF_REACH).toFixed(1);
  console.log(outOfReach.length === 0
    ? `ceiling: nowhere below ${low}x: 1.0x of PyTorch float64 is not ruled out by arithmetic here`
    : `ceiling: the products alone at this peak leave any float64 WebAssembly implementation on one thread below ${low}x of PyTorch float64 ` +
      `(further from 1.0x than runs of the same code differ), so 1.0x is out of reach on this machine at ${outOfReach.join(", ")}`);
  if (withinNoise.length) console.log(`ceiling: between ${low}x and ${high}x, too close to 1.0x to call from one run, at ${withinNoise.join(", ")}`);
}
