// What a kernel set is: the interface every implementation (plain.ts, wasm-simd.ts,
// wasm-threads.ts) fills in, and the registry (registry.ts) hands to the ops. (Why kernels are
// kept apart from the ops: index.ts.)
//
// Conventions: all arrays are contiguous row-major Float64Arrays; kernels trust their arguments
// (shapes were checked by the op) and never allocate their outputs.
import type { Shape } from "../tensor";

export type BinaryOp = "add" | "sub" | "mul" | "div";
export type UnaryOp = "neg" | "exp" | "log" | "tanh" | "sigmoid" | "relu";

export interface MatmulOptions {
  /** A is stored as [k, m] and used transposed. */
  transA?: boolean;
  /** B is stored as [n, k] and used transposed (x·Wᵀ in linear layers). */
  transB?: boolean;
  /** Add into C instead of overwriting it (backward adds into existing gradients). */
  accumulate?: boolean;
}

export interface Kernels {
  /** Shown in benchmarks: "plain-js", "wasm-simd", ... */
  readonly name: string;

  /** C[m,n] = op(A)[m,k] · op(B)[k,n] (or C += ... with accumulate), op(X) = X or Xᵀ. */
  matmul(a: Float64Array, b: Float64Array, c: Float64Array, m: number, k: number, n: number, opts?: MatmulOptions): void;

  /** out = a ∘ b elementwise with numpy broadcasting; outShape is the broadcast of aShape and bShape. */
  binary(op: BinaryOp, a: Float64Array, aShape: Shape, b: Float64Array, bShape: Shape, out: Float64Array, outShape: Shape): void;

  /** out[i] = f(a[i]). `out` may be `a` itself. */
  unary(op: UnaryOp, a: Float64Array, out: Float64Array): void;

  /**
   * out += g summed over the axes along which `shape` was broadcast to `gShape` (the backward of
   * broadcasting: a bias added to every row gets the sum of the rows' gradients).
   */
  sumToShape(g: Float64Array, gShape: Shape, out: Float64Array, shape: Shape): void;

  /**
   * out[j] += Σ_i a[i, j] for a [rows, cols]: the column sums, which are the gradient of a bias
   * added to every row (linear's backward, twice per time step in a recurrent layer).
   */
  addColumnSums(a: Float64Array, rows: number, cols: number, out: Float64Array): void;

  /** Viewing a as [outer, n, inner]: out[o, i] = Σ_j a[o, j, i]. */
  sumAxis(a: Float64Array, outer: number, n: number, inner: number, out: Float64Array): void;

  /** Viewing a as [outer, n, inner]: out[o, i] = max_j a[o, j, i], argmax[o, i] = the first such j. */
  maxAxis(a: Float64Array, outer: number, n: number, inner: number, out: Float64Array, argmax: Int32Array): void;
}
