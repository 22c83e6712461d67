// What a computation costs, counted rather than timed: every matrix product the kernels run while
// a function runs, n·k·m multiply-adds each. Chapter 08 sets these counts beside the formulas of
// Vaswani et al.'s Table 1 (an LSTM layer 8·n·d², a self-attention layer 4·n·d² + 2·n²·d) and
// beside the measured times, which depend on the machine and on what else it is doing.
//
//   const { result, multiplyAdds } = kl.kernels.countMultiplyAdds(() => lstm.forward(x));
//
// It swaps in the registry's kernels wrapped (kernels/registry.ts: setKernels), so every op that
// multiplies matrices is counted, forward and backward alike (a backward() inside fn counts its
// two products per forward product), and restores the kernels it found, also when fn throws. Only
// matrix products are counted: the elementwise work (adding biases, the gates' sigmoids, the
// softmax) grows with the size of the tensors, not with a product of two sizes, and is left out as
// the papers' counts leave it out. Calls nest: an inner count is part of the outer one.
import { getKernels, setKernels } from "./registry";
import type { Kernels, MatmulOptions } from "./types";

/** What countMultiplyAdds measured while fn ran. */
export interface CountedMultiplyAdds<T> {
  /** What fn returned. */
  result: T;
  /** Σ over the matrix products run of n·k·m (an [n,k] by [k,m] product). */
  multiplyAdds: number;
  /** How many matrix products ran. */
  matmuls: number;
}

/** Runs fn (synchronous) with every matrix product's n·k·m tallied; see the top of this file. */
export function countMultiplyAdds<T>(fn: () => T): CountedMultiplyAdds<T> {
  if (typeof fn !== "function") throw new TypeError("countMultiplyAdds: pass a function to run, e.g. countMultiplyAdds(() => lstm.forward(x))");
  const inner: Kernels = getKernels();
  let multiplyAdds = 0;
  let matmuls = 0;
  const counting: Kernels = {
    ...inner,
    name: `${inner.name} (counting multiply-adds)`,
    matmul(a: Float64Array, b: Float64Array, c: Float64Array, m: number, k: number, n: number, opts?: MatmulOptions): void {
      multiplyAdds += m * k * n;
      matmuls++;
      inner.matmul(a, b, c, m, k, n, opts);
    },
  };
  // The other kernels are the inner ones, called with the inner object as `this`.
  for (const key of ["binary", "unary", "sumToShape", "addColumnSums", "sumAxis", "maxAxis"] as const) {
    (counting as unknown as Record<string, unknown>)[key] = (inner[key] as (...args: unknown[]) => void).bind(inner);
  }
  const previous = setKernels(counting);
  let result: T;
  try {
    result = fn();
  } finally {
    setKernels(previous);
  }
  if (result !== null && typeof result === "object" && typeof (result as { then?: unknown }).then === "function") {
    throw new TypeError("countMultiplyAdds: fn returned a promise; only synchronous work is counted (run the awaited part outside, or make fn synchronous)");
  }
  return { result, multiplyAdds, matmuls };
}
