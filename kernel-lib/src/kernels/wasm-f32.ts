// An opt-in kernel set whose matmul computes in float32 (WebAssembly SIMD f32x4, the kernels of
// wasm/matmul-f32.wat): never the default, for whoever wants speed and can give up precision.
//
//   kl.kernels.setKernels(kl.kernels.createWasmF32Kernels()!);
//
// Tensors stay float64, and so does everything but the products: each product's operands are
// rounded to float32 as they are copied into the kernels' memory, the product is computed in
// float32, and it is added into the float64 C. So a sum over many products (a weight's gradient
// over every time step) is still carried in float64; the error is each product's, 1e-7 to 4e-6
// of its largest element on the LSTM's product shapes (bench README, "float32, opt-in"), against
// ~1e-16 in float64. Numbers beyond float32's range (|x| > 3.4e38) become ±Infinity.
//
// Why it can be faster: f32x4 holds four numbers where f64x2 holds two, so the same instruction
// does twice the arithmetic, and half the bytes move. Measured (bench README): products
// 1.0-2.4x, a training step 1.1-1.5x, against the float64 set.
//
// Like wasm-simd.ts: small products (m·k·n below `minWork`), Aᵀ·Bᵀ and zero-heavy operands
// (one-hot inputs: the sparse path, exact) stay on the plain float64 path.
import type { Kernels, MatmulOptions } from "./types";
import { matmul as plainMatmul, sparseMatmul } from "./matmul";
import { plainKernels } from "./plain";
import { PAGE, type WasmMemory, type WasmSimdOptions, instantiate, roundUp } from "./wasm-simd";
import { MATMUL_F32_WASM_BASE64 } from "./wasm/matmul-wasm.generated";

/** matmul-f32.wat's kernels (addresses in bytes; C is overwritten). */
interface F32Runner {
  readonly memory: WasmMemory;
  demote(src: number, dst: number, count: number): void;
  add_promoted(src: number, dst: number, count: number): void;
  mm_nn(a: number, b: number, c: number, m: number, k: number, n: number): void;
  mm_nt(a: number, b: number, c: number, m: number, k: number, n: number): void;
}

/**
 * The staging of float64 operands into the float32 kernels' memory, and of the product back out.
 * Memory: the float32 operands and product from address 0, then a float64 scratch area where each
 * operand is laid out (padded, transposed if need be) before `demote` rounds it into its place.
 * The layout loops repeat WasmMatmul's (wasm-simd.ts), on a scratch area instead of the kernels'
 * operands: kept apart so that an opt-in set never moves the default's measured path (shared
 * free functions timed within compare-trees.ts's noise, which read 0.99-1.16 for unchanged code
 * on this VM the same day).
 */
class F32Matmul {
  /** The module's memory as floats and as doubles; re-made whenever the memory grows (growing detaches it). */
  private mem: Float32Array;
  private mem64: Float64Array;
  /** Where the float64 scratch area starts, in doubles. */
  private scratch = 0;

  constructor(private readonly runner: F32Runner, private readonly minWork: number) {
    this.mem = new Float32Array(runner.memory.buffer);
    this.mem64 = new Float64Array(runner.memory.buffer);
  }

  /** Makes room for `floats` floats of operands and product, and `doubles` doubles of scratch after them. */
  private reserve(floats: number, doubles: number): void {
    this.scratch = roundUp(floats, 2) / 2;
    const bytes = (this.scratch + doubles) * 8;
    const memory = this.runner.memory;
    if (memory.buffer.byteLength < bytes) {
      memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE));
      this.mem = new Float32Array(memory.buffer);
      this.mem64 = new Float64Array(memory.buffer);
    }
  }

  /** Copies src [rows, cols] to the float64 scratch area as [rowsPad, colsPad], zero-padded. */
  private layOut(src: Float64Array, rows: number, cols: number, rowsPad: number, colsPad: number): void {
    const mem = this.mem64, s = this.scratch;
    if (cols === colsPad) {
      mem.set(rows * cols === src.length ? src : src.subarray(0, rows * cols), s);
    } else {
      for (let r = 0; r < rows; r++) {
        const to = s + r * colsPad, from = r * cols;
        for (let q = 0; q < cols; q++) mem[to + q] = src[from + q];
        for (let q = cols; q < colsPad; q++) mem[to + q] = 0;
      }
    }
    if (rowsPad > rows) mem.fill(0, s + rows * colsPad, s + rowsPad * colsPad);
  }

  /** Copies src [rows, cols] to floats at `at` as [rowsPad, colsPad], zero-padded, rounded to float32. */
  private stage(src: Float64Array, rows: number, cols: number, rowsPad: number, colsPad: number, at: number): void {
    this.layOut(src, rows, cols, rowsPad, colsPad);
    this.runner.demote(this.scratch * 8, at * 4, rowsPad * colsPad);
  }

  /** Copies the transpose of src [rows, cols] to floats at `at` as [colsPad, rows], zero-padded, rounded. */
  private stageTransposed(src: Float64Array, rows: number, cols: number, colsPad: number, at: number): void {
    const mem = this.mem64, s = this.scratch;
    for (let q = 0; q < cols; q++) {
      const to = s + q * rows;
      for (let r = 0; r < rows; r++) mem[to + r] = src[r * cols + q];
    }
    mem.fill(0, s + cols * rows, s + colsPad * rows);
    this.runner.demote(s * 8, at * 4, colsPad * rows);
  }

  /**
   * dst [rows, cols] = the product at `at` ([rowsPad, colsPad] floats), or dst += it with
   * accumulate: then dst is laid out in the scratch area and the product added there, in
   * WebAssembly (a JS loop of `+=` cost as much as a hidden-256 gradient's product).
   */
  private unstage(dst: Float64Array, rows: number, cols: number, rowsPad: number, colsPad: number, at: number, accumulate: boolean): void {
    let from: Float32Array | Float64Array = this.mem, start = at;
    if (accumulate) {
      this.layOut(dst, rows, cols, rowsPad, colsPad);
      this.runner.add_promoted(at * 4, this.scratch * 8, rowsPad * colsPad);
      from = this.mem64;
      start = this.scratch;
    }
    if (cols === colsPad) {
      dst.set(from.subarray(start, start + rows * cols));
    } else {
      for (let r = 0; r < rows; r++) {
        const f = start + r * colsPad, to = r * cols;
        for (let q = 0; q < cols; q++) dst[to + q] = from[f + q];
      }
    }
  }

  matmul(a: Float64Array, b: Float64Array, c: Float64Array, m: number, k: number, n: number, opts: MatmulOptions = {}): void {
    const transA = opts.transA ?? false;
    const transB = opts.transB ?? false;
    const accumulate = opts.accumulate ?? false;
    if (m * k * n < this.minWork || (transA && transB) || m === 0 || n === 0) {
      plainMatmul(a, b, c, m, k, n, { transA, transB, accumulate });
      return;
    }
    if (sparseMatmul(a, b, c, m, k, n, transA, transB, accumulate)) return; // one-hot operands: exact, in float64
    const m4 = roundUp(m, 4);
    if (transB) {
      // x·Wᵀ: A [m,k] and B stored [n,k]; k padded to whole f32x4 vectors.
      const k4 = roundUp(k, 4), n2 = roundUp(n, 2);
      const offB = m4 * k4, offC = offB + n2 * k4;
      this.reserve(offC + m4 * n2, Math.max(m4 * k4, n2 * k4, m4 * n2));
      this.stage(a, m, k, m4, k4, 0);
      this.stage(b, n, k, n2, k4, offB);
      this.runner.mm_nt(0, offB * 4, offC * 4, m4, k4, n2);
      this.unstage(c, m, n, m4, n2, offC, accumulate);
    } else {
      // op(A)·B: A [m,k] (or stored [k,m], transposed while copied), B [k,n].
      const n8 = roundUp(n, 8);
      const offB = m4 * k, offC = offB + k * n8;
      this.reserve(offC + m4 * n8, Math.max(m4 * k, k * n8, m4 * n8));
      if (transA) this.stageTransposed(a, k, m, m4, 0);
      else this.stage(a, m, k, m4, k, 0);
      this.stage(b, k, n, k, n8, offB);
      this.runner.mm_nn(0, offB * 4, offC * 4, m4, k, n8);
      this.unstage(c, m, n, m4, n8, offC, accumulate);
    }
  }
}

/**
 * A kernel set whose matmul computes in float32 (an explicit choice, never the default), or null
 * where WebAssembly SIMD is missing. Each set has its own WASM memory; everything but matmul is
 * the plain float64 kernels'.
 */
export function createWasmF32Kernels(options: WasmSimdOptions = {}): Kernels | null {
  const runner = instantiate(MATMUL_F32_WASM_BASE64) as F32Runner | null;
  if (runner === null) return null;
  const mm = new F32Matmul(runner, options.minWork ?? 4096);
  return { ...plainKernels, name: "wasm-simd-f32", matmul: (a, b, c, m, k, n, opts) => mm.matmul(a, b, c, m, k, n, opts) };
}
