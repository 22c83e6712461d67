// Every implementation the bench times, with how it is set up and how long it is timed.
// Modules are required on demand, so a worker loads only its own implementation (TF.js's
// startup and memory stay out of the others' measurements). require, not import(): workers run
// under tsx's CommonJS hook only, and a dynamic import() would go to node's ESM loader, which
// does not know .ts files.

import type { Budget } from "./measure";
import type { TrainerFactory } from "./workload";

/** The implementations that run in a worker thread of the bench. */
export const WORKER_IMPLEMENTATIONS = ["kernel-lib", "kernel-lib-2t", "kernel-lib-f32", "kernel-lib-readable", "kernel-lib-by-hand", "tfjs-cpu", "tfjs-wasm", "hand-f64", "hand-f32"] as const;
/** PyTorch's, one thread (two for -2t), in a Python process of their own (peers/pytorch.ts); only when the bench is given a Python with torch. */
export const PYTORCH_IMPLEMENTATIONS = ["torch-f64", "torch-f32", "torch-f64-2t"] as const;
export const IMPLEMENTATIONS = [...WORKER_IMPLEMENTATIONS, ...PYTORCH_IMPLEMENTATIONS] as const;
export type WorkerImplName = (typeof WORKER_IMPLEMENTATIONS)[number];
export type ImplName = (typeof IMPLEMENTATIONS)[number];
export const isPytorch = (name: ImplName): name is (typeof PYTORCH_IMPLEMENTATIONS)[number] => (PYTORCH_IMPLEMENTATIONS as readonly string[]).includes(name);

/** Default timing: 2 warm-up steps, then the median of 3 repeats of >= 1 s each. */
const STANDARD: Budget = { warmupSteps: 2, repeats: 3, minSeconds: 1, minSteps: 1 };

/**
 * TF.js's pure-JS backend takes seconds per step (and more at hidden 256), so it gets one
 * warm-up step and a single repeat of >= 3 s with at least 2 steps: 2 timed steps at hidden 256.
 */
const SLOW: Budget = { warmupSteps: 1, repeats: 1, minSeconds: 3, minSteps: 2 };

/** --smoke: exactly one step, which is then also the "timed" one. */
export const SMOKE: Budget = { warmupSteps: 0, repeats: 1, minSeconds: 0, minSteps: 1 };

export function budgetOf(name: ImplName): Budget {
  return name === "tfjs-cpu" ? SLOW : STANDARD;
}

export function describeBudget(b: Budget): string {
  const each = b.minSeconds > 0 ? `>= ${b.minSeconds} s and >= ${b.minSteps} step${b.minSteps > 1 ? "s" : ""}` : `${b.minSteps} step(s)`;
  return `${b.warmupSteps} warm-up step(s), then ${b.repeats === 1 ? "one repeat" : `the median of ${b.repeats} repeats`} of ${each}`;
}

/** What each implementation is, for the legend under the table. */
export const LEGEND = [
  "kernel-lib: LSTM/GRU/RNN layer fed oneHot(x) [T,B,64], Linear head, crossEntropy, backward(), clipGradNorm, Adam; float64",
  "kernel-lib 2 threads: the same, with the matmul on two cores (createWasmThreadsKernels: a helper thread over a shared WebAssembly memory)",
  "kernel-lib f32 matmul: the same, with kl.kernels.createWasmF32Kernels() (opt-in): the products computed in float32 (f32x4; small and one-hot ones stay float64), added into float64 tensors",
  "readable: the same model with { fused: false }: each step written with basic ops, one per equation; fused/readable is what fusion buys",
  "lib by hand: the same math and the same kernels (getKernels().matmul, .addColumnSums), no tape, buffers allocated once",
  "hand f64/f32: textbook loops on typed arrays, W_ih x as a row gather (no one-hot product); JS computes in double either way",
  "TF.js: the cells written with tf ops + variableGrads + tf.train.adam, float32; W_ih x as one [T*B,64] one-hot matmul",
  "torch f64/f32: PyTorch's nn.RNN/LSTM/GRU fed F.one_hot(x), nn.Linear, F.cross_entropy, clip_grad_norm_, torch.optim.Adam; one thread (torch.set_num_threads(1)); torch f64 2 threads: set_num_threads(2)",
];

/**
 * The library's default splits its largest products over two cores; the one-thread columns (and
 * the goal against PyTorch on one thread) use the same kernels on this thread alone.
 */
export function useOneThread(): void {
  const { createWasmSimdKernels, plainKernels, setKernels } = require("../src/kernels") as typeof import("../src/kernels");
  setKernels(createWasmSimdKernels() ?? plainKernels);
}

/** Prepares the implementation in this thread and returns its trainer factory. */
export async function loadImplementation(name: WorkerImplName): Promise<TrainerFactory> {
  switch (name) {
    case "kernel-lib":
      useOneThread();
      return (require("./kernel-lib") as typeof import("./kernel-lib")).kernelLibTrainer;
    case "kernel-lib-2t": {
      const { createWasmThreadsKernels, setKernels } = require("../src/kernels") as typeof import("../src/kernels");
      const threaded = createWasmThreadsKernels();
      if (threaded === null) throw new Error("kernel-lib-2t: this engine has no WebAssembly SIMD or no SharedArrayBuffer");
      setKernels(threaded);
      return (require("./kernel-lib") as typeof import("./kernel-lib")).kernelLibTrainer;
    }
    case "kernel-lib-f32": {
      const { createWasmF32Kernels, setKernels } = require("../src/kernels") as typeof import("../src/kernels");
      const f32 = createWasmF32Kernels();
      if (f32 === null) throw new Error("kernel-lib-f32: this engine has no WebAssembly SIMD");
      setKernels(f32);
      return (require("./kernel-lib") as typeof import("./kernel-lib")).kernelLibTrainer;
    }
    case "kernel-lib-readable":
      useOneThread();
      return (require("./kernel-lib") as typeof import("./kernel-lib")).kernelLibReadableTrainer;
    case "kernel-lib-by-hand":
      useOneThread();
      return (require("./kernel-lib") as typeof import("./kernel-lib")).kernelLibByHandTrainer;
    case "tfjs-cpu":
    case "tfjs-wasm": {
      const tfjs = require("./peers/tfjs") as typeof import("./peers/tfjs");
      await tfjs.useTfBackend(name === "tfjs-cpu" ? "cpu" : "wasm");
      return tfjs.tfjsTrainer;
    }
    case "hand-f64":
    case "hand-f32": {
      const { handwrittenTrainer } = require("./peers/handwritten") as typeof import("./peers/handwritten");
      return handwrittenTrainer({ dtype: name === "hand-f32" ? "float32" : "float64" });
    }
  }
}
