// Matrix multiply with WebAssembly SIMD: the kernels of wasm/matmul.wat behind the Kernels
// interface. Everything except matmul is the plain kernels' (memory-bound loops that SIMD would
// hardly speed up).
//
// Why it is faster: the plain JS matmul does one scalar multiply-add per instruction pair. WASM
// SIMD works on f64x2 (two doubles per instruction), and the WAT kernels keep a 4x4 (or 4x2 dot)
// block of C in registers for the whole sum over p, so every number loaded is used 4 times (see
// the header of matmul.wat).
//
// The price: WebAssembly code can only read its own memory, so each call copies A, B (and C when
// it accumulates) into it and C back out. A memcpy moves ~10 doubles per ns, so against a product
// of m·k·n multiply-adds this costs little when all three sizes are in the tens or more; the
// copy is also where the operands are zero-padded to whole blocks, which keeps the WAT free of
// remainder loops. Small products (m·k·n below `minWork`), Aᵀ·Bᵀ (no layer uses it) and
// zero-heavy operands (one-hot inputs, see sparseMatmul) stay on the plain JS path.
//
// How fast, measured, and what was tried: kernel-lib/bench/README.md ("The kernels' history" and
// "The ceiling on one core"; `kernel-lib/bench/products.ts` times these products today).
import type { Kernels, MatmulOptions } from "./types";
import { matmul as plainMatmul, sparseMatmul } from "./matmul";
import { plainKernels } from "./plain";
import { MATMUL_WASM_BASE64 } from "./wasm/matmul-wasm.generated";

// The few WebAssembly APIs used here, declared for the type-check: the library compiles without
// the "dom" lib, which is where TypeScript declares them. At run time this is node's global.
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
export interface WasmModule {
  readonly __brand?: "WebAssembly.Module";
}
declare const WebAssembly: {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { readonly exports: unknown };
};

/** The WAT kernels (addresses in bytes, operands already in `memory`), and the memory they read. */
export interface MatmulRunner {
  readonly memory: WasmMemory;
  /**
   * `aRow`/`aCol` and `bRow`/`bCol` address A and B (row-major or transposed A; row-major or
   * packed B: see matmul.wat); `ld`: the row length of C in doubles (n, unless only some of C's
   * columns are computed).
   */
  mm_nn(a: number, b: number, c: number, m: number, k: number, n: number, aRow: number, aCol: number, bRow: number, bCol: number, ld: number): void;
  /** `ld`: the row length of C in doubles (n, unless only some of C's columns are computed). */
  mm_nt(a: number, b: number, c: number, m: number, k: number, n: number, ld: number): void;
  /** B [k,n] at `src` (row-major, n % 4 == 0) copied to `dst` as mm_nn's panels of 4 columns. */
  pack_b(src: number, dst: number, k: number, n: number): void;
}

export interface WasmSimdOptions {
  /** Products with fewer multiply-adds (m·k·n) than this run in plain JS (default 4096). */
  minWork?: number;
  /**
   * Which B of op(A)·B to pack into panels before the product (see `packsB`): "large" (the
   * default), "always" or "never". The same numbers either way; the tests use all three.
   */
  packB?: PackB;
}

export type PackB = "large" | "always" | "never";

/**
 * Whether op(A)·B packs B [k, n4] (n padded to 4) into panels first. Row-major, each step of the
 * kernel's walk down p reads 32 bytes from a new row; once B is larger than the caches (1 MiB here)
 * and its rows are 2 KB or longer, that walk ran at half speed ([32,1024]·[1024,256], an LSTM's
 * dPre·W_hh at hidden 256: 7.6 GFLOP/s row-major, 17 packed). Packing costs a pass over B, which
 * smaller or narrower Bs do not earn back (measured in kernel-lib/bench/README.md).
 */
export function packsB(k: number, n4: number, mode: PackB = "large"): boolean {
  if (mode !== "large") return mode === "always";
  return n4 >= 256 && k * n4 >= 1 << 17;
}

export const roundUp = (x: number, to: number) => Math.ceil(x / to) * to;
/** WebAssembly's page: memories grow by whole pages. */
export const PAGE = 65536;

/**
 * The staging of operands into the kernels' memory, and the choice of kernel. The runner runs the
 * kernels: one instance of the module here, or the same kernels shared with a helper thread
 * (wasm-threads.ts).
 */
export class WasmMatmul {
  /** The module's memory as doubles; re-made whenever the memory grows (growing detaches it). */
  private mem: Float64Array;

  constructor(private readonly runner: MatmulRunner, private readonly minWork: number, private readonly packB: PackB = "large") {
    this.mem = new Float64Array(this.runner.memory.buffer);
  }

  /** Makes the memory hold at least `doubles` doubles. */
  private reserve(doubles: number): void {
    const bytes = doubles * 8;
    const memory = this.runner.memory;
    if (memory.buffer.byteLength < bytes) {
      memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE));
      this.mem = new Float64Array(memory.buffer);
    }
  }

  /** Copies src [rows, cols] to memory at `at` (in doubles) as [rowsPad, colsPad], zero-padded. */
  private stage(src: Float64Array, rows: number, cols: number, rowsPad: number, colsPad: number, at: number): void {
    const mem = this.mem;
    if (cols === colsPad) {
      mem.set(rows * cols === src.length ? src : src.subarray(0, rows * cols), at);
    } else {
      for (let r = 0; r < rows; r++) {
        const to = at + r * colsPad;
        const from = r * cols;
        for (let q = 0; q < cols; q++) mem[to + q] = src[from + q];
        for (let q = cols; q < colsPad; q++) mem[to + q] = 0;
      }
    }
    if (rowsPad > rows) mem.fill(0, at + rows * colsPad, at + rowsPad * colsPad);
  }

  /**
   * Puts C's starting values at `at` as [rowsPad, colsPad]: c itself when the product accumulates
   * into it, else zeros straight in memory (c is overwritten when the product is copied out).
   */
  private startC(c: Float64Array, rows: number, cols: number, rowsPad: number, colsPad: number, at: number, accumulate: boolean): void {
    if (accumulate) this.stage(c, rows, cols, rowsPad, colsPad, at);
    else this.mem.fill(0, at, at + rowsPad * colsPad);
  }

  /** Copies the transpose of src [rows, cols] to memory at `at` as [colsPad, rows], zero-padded. */
  private stageTransposed(src: Float64Array, rows: number, cols: number, colsPad: number, at: number): void {
    const mem = this.mem;
    for (let q = 0; q < cols; q++) {
      const to = at + q * rows;
      for (let r = 0; r < rows; r++) mem[to + r] = src[r * cols + q];
    }
    mem.fill(0, at + cols * rows, at + colsPad * rows);
  }

  /** Copies [rows, cols] back out of memory at `at`, where it is laid out with colsPad columns. */
  private unstage(dst: Float64Array, rows: number, cols: number, colsPad: number, at: number): void {
    const mem = this.mem;
    if (cols === colsPad) {
      dst.set(mem.subarray(at, at + rows * cols));
    } else {
      for (let r = 0; r < rows; r++) {
        const from = at + r * colsPad;
        const to = r * cols;
        for (let q = 0; q < cols; q++) dst[to + q] = mem[from + q];
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
    if (sparseMatmul(a, b, c, m, k, n, transA, transB, accumulate)) return; // one-hot operands: exact, in JS
    const m4 = roundUp(m, 4);
    if (transB) {
      // x·Wᵀ: A [m,k] and B stored [n,k], rows padded to whole blocks and k to an even length.
      const k2 = roundUp(k, 2), n2 = roundUp(n, 2);
      const offB = m4 * k2, offC = offB + n2 * k2;
      this.reserve(offC + m4 * n2);
      this.stage(a, m, k, m4, k2, 0);
      this.stage(b, n, k, n2, k2, offB);
      this.startC(c, m, n, m4, n2, offC, accumulate);
      this.runner.mm_nt(0, offB * 8, offC * 8, m4, k2, n2, n2);
      this.unstage(c, m, n, n2, offC);
    } else {
      // op(A)·B: A [m,k] (or stored [k,m] and used transposed), B [k,n].
      const n4 = roundUp(n, 4);
      const pack = packsB(k, n4, this.packB);
      // B row-major at offB, or packed there from a row-major copy after C (offRows): a packed
      // product needs B's room twice (the two-thread set's shared memory stops at 1 GiB).
      const offB = roundUp(m4 * k, 2), offC = offB + k * n4, offRows = offC + m4 * n4;
      this.reserve(offRows + (pack ? k * n4 : 0));
      // Aᵀ is transposed while it is copied: walking it down its columns in the kernel (with B
      // also walked down its columns) ran at half the speed.
      if (transA) this.stageTransposed(a, k, m, m4, 0);
      else this.stage(a, m, k, m4, k, 0);
      if (pack) {
        this.stage(b, k, n, k, n4, offRows);
        this.runner.pack_b(offRows * 8, offB * 8, k, n4);
      } else {
        this.stage(b, k, n, k, n4, offB);
      }
      this.startC(c, m, n, m4, n4, offC, accumulate);
      // a(i,p) at (i*k + p)*8 bytes; B's 4 columns from j at j*8k + p*32 (packed) or j*8 + p*8n4.
      this.runner.mm_nn(0, offB * 8, offC * 8, m4, k, n4, k * 8, 8, pack ? 32 : n4 * 8, pack ? k * 8 : 8, n4);
      this.unstage(c, m, n, n4, offC);
    }
  }
}

const compiled = new Map<string, WasmModule | null>();

/** The compiled module of a base64 binary, or null if this engine cannot run it (no WebAssembly SIMD). */
export function compiledModule(base64: string = MATMUL_WASM_BASE64): WasmModule | null {
  if (!compiled.has(base64)) {
    let module: WasmModule | null = null;
    try {
      const bytes = Buffer.from(base64, "base64");
      if (typeof WebAssembly === "object" && WebAssembly.validate(bytes)) module = new WebAssembly.Module(bytes);
    } catch {
      module = null;
    }
    compiled.set(base64, module);
  }
  return compiled.get(base64)!;
}

/** The exports of a new instance of a base64 binary (with its own memory), or null where this engine cannot run it. */
export function instantiate(base64: string): unknown | null {
  const module = compiledModule(base64);
  return module === null ? null : new WebAssembly.Instance(module, {}).exports;
}

/**
 * A kernel set with the WASM SIMD matmul, or null where WebAssembly SIMD is missing (then use
 * plainKernels). Each set has its own WASM memory.
 */
export function createWasmSimdKernels(options: WasmSimdOptions = {}): Kernels | null {
  const runner = instantiate(MATMUL_WASM_BASE64) as MatmulRunner | null;
  if (runner === null) return null;
  const mm = new WasmMatmul(runner, options.minWork ?? 4096, options.packB);
  return { ...plainKernels, name: "wasm-simd", matmul: (a, b, c, m, k, n, opts) => mm.matmul(a, b, c, m, k, n, opts) };
}
