// How far training with the opt-in float32 matmul drifts from float64: the reference workload
// trained twice from the same weights on the same batch, once with the one-thread float64 set and
// once with createWasmF32Kernels(), step by step side by side, and the losses compared. The full
// bench's float32 table gives the first step; this gives what a learner would see after a run.
// Beside it, a yardstick: float64 training started from the same weights rounded to float32 (a
// change of ~1e-8 relative, once), since training can amplify any difference at all: if that
// drifts as far, float32's drift is the run's sensitivity, not float32's fault. The steps of the
// two alternate, so their times (after two warm-up steps) give a paired speed-up too.
//
//   node --import tsx kernel-lib/bench/float32-drift.ts [--cells rnn,lstm,gru] [--hidden 64,128] [--steps 200] [--smoke]
//
// --smoke: 3 steps at hidden 64 (for the test that it runs).
import { createWasmF32Kernels, createWasmSimdKernels, setKernels, type Kernels } from "../src/kernels";
import { cellsOption, positiveIntegerOption, positiveIntegersOption, runCommand } from "./command-line";
import { kernelLibTrainer } from "./kernel-lib";
import { CELLS, makeBatch, makeWeights, referenceShape, type InitialWeights } from "./workload";

const SMOKE = process.argv.includes("--smoke");

/** The same weights, each rounded to the nearest float32. */
function roundedToFloat32(w: InitialWeights): InitialWeights {
  const r = (x: Float64Array) => x.map(Math.fround);
  return { weightIh: r(w.weightIh), weightHh: r(w.weightHh), biasIh: r(w.biasIh), biasHh: r(w.biasHh), headWeight: r(w.headWeight), headBias: r(w.headBias) };
}

function main(): void {
  const cells = cellsOption(CELLS.join(","));
  const hiddens = positiveIntegersOption("hidden", SMOKE ? "64" : "64,128");
  const steps = SMOKE ? 3 : positiveIntegerOption("steps", "200");
  const f64 = createWasmSimdKernels();
  const f32 = createWasmF32Kernels();
  if (f64 === null || f32 === null) throw new Error("float32-drift: this engine has no WebAssembly SIMD");
  const marks = [1, 10, 50, steps].filter((s, i, all) => s <= steps && all.indexOf(s) === i);
  console.log(`float64 against the float32 matmul, the same weights and batch, ${steps} Adam steps; loss at steps ${marks.join(", ")}`);
  console.log("| cell | hidden | " + marks.map((s) => `step ${s}: f64 / f32`).join(" | ") + " | largest relative difference, f32 from f64 | ... f64 from weights rounded to f32, from f64 | speed f32/f64 |");
  console.log("|------|-------:|" + marks.map(() => "---:|").join("") + "---:|---:|---:|");
  for (const cell of cells) {
    for (const hidden of hiddens) {
      const shape = referenceShape(hidden);
      const batch = makeBatch(shape), weights = makeWeights(cell, shape);
      const trainers = [kernelLibTrainer(cell, shape, batch, weights), kernelLibTrainer(cell, shape, batch, weights), kernelLibTrainer(cell, shape, batch, roundedToFloat32(weights))];
      const seconds = [0, 0, 0];
      const step = (i: number, kernels: Kernels, timed: boolean) => {
        setKernels(kernels);
        const t0 = performance.now();
        const loss = trainers[i].step().loss;
        if (timed) seconds[i] += (performance.now() - t0) / 1000;
        return loss;
      };
      const losses: [number, number, number][] = [];
      for (let s = 0; s < steps; s++) losses.push([step(0, f64, s >= 2), step(1, f32, s >= 2), step(2, f64, false)]);
      const worst = (j: 1 | 2) => Math.max(...losses.map((l) => Math.abs(l[j] - l[0]) / Math.abs(l[0]))).toExponential(1);
      const at = (s: number) => `${losses[s - 1][0].toFixed(4)} / ${losses[s - 1][1].toFixed(4)}`;
      console.log(`| ${cell} | ${hidden} | ${marks.map(at).join(" | ")} | ${worst(1)} | ${worst(2)} | ${steps > 2 ? (seconds[0] / seconds[1]).toFixed(2) + "x" : "-"} |`);
    }
  }
}

runCommand("float32-drift", main);
