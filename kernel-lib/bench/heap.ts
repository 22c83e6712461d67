// The memory check: a 1,000-step kernel-lib training loop must not grow the heap.
//
// Small configuration (hidden 32, 16 time steps) so it is quick; the point is the shape of the
// loop, not its size: if each step left anything reachable (tape nodes, gradients of
// intermediates, optimizer state per step), 1,000 steps would show it. Measured after forced
// GCs (node --expose-gc) and after warm-up steps, so lazily created state (Adam's moments,
// .grad buffers) exists before the "before" snapshot. Float64Array contents live outside the V8
// heap, so arrayBuffers is reported too.

import { tapeSize } from "../src/autograd";
import { createWasmSimdKernels, createWasmThreadsKernels, plainKernels, setKernels } from "../src/kernels";
import { kernelLibTrainer } from "./kernel-lib";
import { makeBatch, makeWeights, type CellKind, type Shape } from "./workload";

export const HEAP_SHAPE: Shape = { vocab: 64, batch: 32, steps: 16, hidden: 32 };

export interface HeapReport {
  cell: CellKind;
  steps: number;
  forcedGc: boolean;
  heapBefore: number;
  heapAfter: number;
  arrayBuffersBefore: number;
  arrayBuffersAfter: number;
  tapeAfter: number;
  seconds: number;
  /** Trained on the two-thread kernels (every product split), so that the helper thread runs too. */
  twoThreads: boolean;
  /** The process's resident memory: it includes the helper thread's and the shared WebAssembly memory. */
  rssBefore: number;
  rssAfter: number;
}

function collect(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return false;
  gc();
  gc(); // a second pass frees what the first one's finalization released
  return true;
}

export function heapCheck(cell: CellKind, steps: number, twoThreads = false): HeapReport {
  const threaded = twoThreads ? createWasmThreadsKernels({ minParallelWork: 0 }) : null;
  if (twoThreads && threaded === null) throw new Error("heap check: no two-thread kernels here (no SharedArrayBuffer or no WebAssembly SIMD)");
  const previous = setKernels(threaded ?? createWasmSimdKernels() ?? plainKernels);
  try {
    return measureHeap(cell, steps, twoThreads);
  } finally {
    setKernels(previous);
    void threaded?.close();
  }
}

function measureHeap(cell: CellKind, steps: number, twoThreads: boolean): HeapReport {
  const trainer = kernelLibTrainer(cell, HEAP_SHAPE, makeBatch(HEAP_SHAPE), makeWeights(cell, HEAP_SHAPE));
  for (let i = 0; i < 10; i++) trainer.step();
  const forcedGc = collect();
  const before = process.memoryUsage();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) trainer.step();
  const seconds = (performance.now() - t0) / 1000;
  collect();
  const after = process.memoryUsage();
  return {
    cell,
    steps,
    forcedGc,
    heapBefore: before.heapUsed,
    heapAfter: after.heapUsed,
    arrayBuffersBefore: before.arrayBuffers,
    arrayBuffersAfter: after.arrayBuffers,
    tapeAfter: tapeSize(),
    seconds,
    twoThreads,
    rssBefore: before.rss,
    rssAfter: after.rss,
  };
}
