// The WASM SIMD matmul on two cores: the same kernels and the same staging as wasm-simd.ts, with
// C split (by rows or by columns, see TwoThreadRunner) between this thread and one helper thread
// (a worker_threads Worker).
//
// How the two share the work: the module is instantiated twice over ONE shared WebAssembly
// memory (matmul.wat assembled with its memory imported and shared; see assemble.ts). This thread
// copies the operands in as before, then writes the helper's half of the job (kernel and
// arguments) into a small shared Int32Array, bumps the job number and wakes the helper
// (Atomics.notify); it computes its own half meanwhile, then either waits for the helper's "done"
// number (Atomics.wait) or, if the helper has not claimed its half yet (no core free for it),
// computes that half too. Each element of C is still computed by one kernel call with the same
// sum order, so the result is bit for bit the single-thread one (the tests check it).
//
// When it pays: a hand-off costs tens of microseconds (waking a sleeping thread), so products
// below `minParallelWork` multiply-adds run on this thread alone, in a memory of their own,
// exactly as in wasm-simd.ts; the helper thread is only started by the first product above it.
// The helper sleeps as soon as it is idle: a helper that spun for its next job (0.1-0.2 ms) made
// the step 0.77x of one thread when another process kept a core busy (bench README).
//
// Failure is never silent: a kernel error in the helper is reported back and thrown here; a
// helper that stops answering (killed, out of memory) makes the waiting product throw after
// `timeoutMs`, naming the product; after either, every later product throws too.
import { Worker } from "node:worker_threads";
import type { Kernels } from "./types";
import { plainKernels } from "./plain";
import { MATMUL_SHARED_WASM_BASE64 } from "./wasm/matmul-wasm.generated";
import { type MatmulRunner, type PackB, type WasmMemory, type WasmModule, WasmMatmul, compiledModule } from "./wasm-simd";

declare const WebAssembly: {
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  Instance: new (module: WasmModule, imports: object) => { readonly exports: unknown };
};

export interface WasmThreadsOptions {
  /** Products with fewer multiply-adds than this run in plain JS (default 4096, as wasm-simd). */
  minWork?: number;
  /**
   * Products with fewer multiply-adds than this run on this thread alone (default 2^22, about 4
   * million: the LSTM's products at hidden 256 split, those at 128 do not; measured in the bench
   * README).
   */
  minParallelWork?: number;
  /** How long a product waits for the helper before it gives up and throws (default 30 s). */
  timeoutMs?: number;
  /**
   * Whether this thread computes the helper's half itself when the helper has not started on it
   * by the time this thread's half is done (default true). The tests turn it off to make the
   * helper compute every half.
   */
  takeBack?: boolean;
  /** Which B of op(A)·B to pack into panels first (default "large"; see wasm-simd.ts's packsB). */
  packB?: PackB;
}

// The control block, an Int32Array over a SharedArrayBuffer (exported for the tests, which drive
// a helper directly):
export const POSTED = 0; //  the number of the last job posted by this thread
export const DONE = 1; //    the number of the last job the helper finished
export const FAILED = 2; //  1 once a kernel call in the helper threw (its message is sent as a message)
export const KERNEL = 3; //  0: mm_nn, 1: mm_nt
export const ARGS = 4; //    up to 11 arguments, addresses in bytes
export const CLAIMED = 15; // the number of the last job claimed: by the helper, or taken back by this thread
export const STOP = -1; //   posted to end the helper's loop
const CONTROL_SLOTS = 16;
/**
 * How many times this thread looks for the helper's "done" before it sleeps in Atomics.wait (it
 * only waits for a half the helper has claimed, so the helper is at work and close to done).
 */
const WAIT_SPIN = 100000;

// The helper, as source: a Worker from a file would need one path under tsx (tests, bench) and
// another in the compiled library (notebooks). It runs only WebAssembly, never library code.
const HELPER_SOURCE = `
const { workerData, parentPort } = require("node:worker_threads");
const { module, memory, control } = workerData;
const kernels = new WebAssembly.Instance(module, { env: { memory } }).exports;
const ctl = new Int32Array(control);
let seen = 0;
for (;;) {
  // A wake-up is not a job: the notify of a job this loop already ran can arrive late, when the
  // posting thread was descheduled between its store and its notify.
  let job;
  while ((job = Atomics.load(ctl, ${POSTED})) === seen) Atomics.wait(ctl, ${POSTED}, seen);
  if (job === ${STOP}) break;
  seen = job;
  if (Atomics.compareExchange(ctl, ${CLAIMED}, job - 1, job) !== job - 1) continue; // taken back by the poster
  try {
    const a = ${ARGS};
    if (ctl[${KERNEL}] === 0) kernels.mm_nn(ctl[a], ctl[a + 1], ctl[a + 2], ctl[a + 3], ctl[a + 4], ctl[a + 5], ctl[a + 6], ctl[a + 7], ctl[a + 8], ctl[a + 9], ctl[a + 10]);
    else kernels.mm_nt(ctl[a], ctl[a + 1], ctl[a + 2], ctl[a + 3], ctl[a + 4], ctl[a + 5], ctl[a + 6]);
  } catch (e) {
    Atomics.store(ctl, ${FAILED}, 1);
    parentPort.postMessage(String(e && e.stack || e));
  }
  Atomics.store(ctl, ${DONE}, job);
  Atomics.notify(ctl, ${DONE});
}
`;

/**
 * Starts a helper thread running the kernels of `module` over `memory`, taking its jobs from the
 * control block `control` (CONTROL_SLOTS int32s).
 */
export function startHelper(module: WasmModule, memory: WasmMemory, control: SharedArrayBuffer): Worker {
  return new Worker(HELPER_SOURCE, { eval: true, execArgv: [], workerData: { module, memory, control } });
}

/**
 * Runs each kernel call on two threads. Each thread reads the operands this thread has just copied
 * in, so the split is the one that moves less across the cores: by rows of C (the helper reads
 * half of A and all of B) when A is the larger operand, by columns (all of A, half of B)
 * otherwise. In a recurrent step m is the batch and B a weight matrix, so most products split
 * by columns; the weight gradients ([4H, B]·[B, H]) split by rows. (Exported for the tests.)
 */
export class TwoThreadRunner implements MatmulRunner {
  readonly memory: WasmMemory;
  private readonly own: MatmulRunner;
  private readonly ctl: Int32Array;
  /** Started by the first product that is split: a process that never needs it never has it. */
  private helper: Worker | null = null;
  private job = 0;
  /** How many products were split, and how many of their helper's halves this thread took back. */
  readonly counts = { split: 0, takenBack: 0 };
  private broken: string | null = null;
  /** The product under way (kernel, m, k, n), for the error message. */
  private shape = [0, 0, 0, 0];

  constructor(private readonly module: WasmModule, private readonly timeoutMs: number, private readonly takeBack: boolean) {
    this.memory = new WebAssembly.Memory({ initial: 1, maximum: 16384, shared: true });
    this.own = new WebAssembly.Instance(module, { env: { memory: this.memory } }).exports as MatmulRunner;
    this.ctl = new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * 4));
  }

  /** Whether the helper thread has been started (by the first product split). */
  get started(): boolean {
    return this.helper !== null;
  }

  private startHelper(): void {
    let helper: Worker;
    try {
      helper = startHelper(this.module, this.memory, this.ctl.buffer as SharedArrayBuffer);
    } catch (e) {
      this.broken = `it could not be started: ${e instanceof Error ? e.message : String(e)}`;
      throw this.failure();
    }
    helper.on("message", (m: string) => (this.broken ??= `its kernel threw: ${m}`));
    helper.on("error", (e: Error) => (this.broken ??= `it failed: ${e.message}`));
    helper.on("exit", (code: number) => (this.broken ??= `it exited (code ${code})`));
    helper.unref(); // after the listeners (adding a "message" listener refs it again): an idle helper does not keep the process alive
    this.helper = helper;
  }

  mm_nn(a: number, b: number, c: number, m: number, k: number, n: number, aRow: number, aCol: number, bRow: number, bCol: number, ld: number): void {
    this.shape = [0, m, k, n];
    const split = this.split(m, k, n, 4);
    if (split === null) return this.own.mm_nn(a, b, c, m, k, n, aRow, aCol, bRow, bCol, ld);
    if (split.byRows) {
      const r = split.at; // rows 0..r here, r..m in the helper
      this.share(0, [a, b, c, r, k, n, aRow, aCol, bRow, bCol, ld], [a + r * aRow, b, c + r * ld * 8, m - r, k, n, aRow, aCol, bRow, bCol, ld]);
    } else {
      const q = split.at; // columns 0..q here, q..n in the helper (q % 4 == 0: a whole panel of a packed B)
      this.share(0, [a, b, c, m, k, q, aRow, aCol, bRow, bCol, ld], [a, b + q * bCol, c + q * 8, m, k, n - q, aRow, aCol, bRow, bCol, ld]);
    }
  }

  mm_nt(a: number, b: number, c: number, m: number, k: number, n: number, ld: number): void {
    this.shape = [1, m, k, n];
    const split = this.split(m, k, n, 2);
    if (split === null) return this.own.mm_nt(a, b, c, m, k, n, ld);
    if (split.byRows) {
      const r = split.at;
      this.share(1, [a, b, c, r, k, n, ld], [a + r * k * 8, b, c + r * ld * 8, m - r, k, n, ld]);
    } else {
      const q = split.at;
      this.share(1, [a, b, c, m, k, q, ld], [a, b + q * k * 8, c + q * 8, m, k, n - q, ld]);
    }
  }

  /** Packing is a copy: on this thread, before the product is shared. */
  pack_b(src: number, dst: number, k: number, n: number): void {
    this.own.pack_b(src, dst, k, n);
  }

  /**
   * Posts the helper's half, computes this thread's, then the helper's too if the helper has not
   * claimed it by then: on a busy machine the helper may not get a core for a while, and this
   * thread would only wait. Whoever claims the half computes it with the same kernel call, so the
   * result is the same either way.
   */
  private share(kernel: number, mine: number[], theirs: number[]): void {
    this.post(kernel, theirs);
    this.counts.split++;
    let mineDone = false;
    try {
      this.run(kernel, mine);
      mineDone = true;
    } finally {
      // If this thread's half threw, the posted half is still settled before anything else is
      // staged: claimed here (so the helper skips it) or waited for. Claims go job by job
      // (CLAIMED = job - 1 -> job): an unsettled job would leave every later one unclaimable.
      if (!mineDone && !this.claim()) this.wait();
    }
    if (this.takeBack && this.claim()) {
      this.counts.takenBack++;
      this.run(kernel, theirs);
    } else {
      this.wait();
    }
  }

  /** Claims the posted half for this thread; false if the helper has claimed it already. */
  private claim(): boolean {
    return Atomics.compareExchange(this.ctl, CLAIMED, this.job - 1, this.job) === this.job - 1;
  }

  private run(kernel: number, args: number[]): void {
    const [a, b, c, m, k, n, x0, x1, x2, x3, x4] = args;
    if (kernel === 0) this.own.mm_nn(a, b, c, m, k, n, x0, x1, x2, x3, x4);
    else this.own.mm_nt(a, b, c, m, k, n, x0);
  }

  /**
   * Where to cut C: rows at a multiple of 4 (the kernels' block), or columns at a multiple of
   * `colBlock` (4 for mm_nn, whose packed B also needs its halves to start at a panel of 4 columns)
   * rounded up to 8 doubles where possible (one cache line, so the two threads never
   * write the same line); null to compute the whole product on this thread (too few rows and
   * columns to cut; products too small to be worth splitting never reach this runner).
   */
  private split(m: number, k: number, n: number, colBlock: number): { byRows: boolean; at: number } | null {
    if (m >= n) return m >= 8 ? { byRows: true, at: Math.ceil(m / 8) * 4 } : null;
    const block = n >= 16 ? 8 : colBlock;
    return n >= 2 * block ? { byRows: false, at: Math.ceil(n / (2 * block)) * block } : null;
  }

  private post(kernel: number, args: number[]): void {
    if (this.broken !== null) throw this.failure();
    if (this.helper === null) this.startHelper();
    this.ctl[KERNEL] = kernel;
    args.forEach((v, i) => (this.ctl[ARGS + i] = v));
    Atomics.store(this.ctl, POSTED, ++this.job);
    Atomics.notify(this.ctl, POSTED);
  }

  private wait(): void {
    const ctl = this.ctl;
    const job = this.job;
    for (let spin = 0; spin < WAIT_SPIN && Atomics.load(ctl, DONE) !== job; spin++);
    const started = Date.now();
    for (let done = Atomics.load(ctl, DONE); done !== job; done = Atomics.load(ctl, DONE)) {
      Atomics.wait(ctl, DONE, done, 100); // DONE is older than job - 1 when halves were taken back
      if (Date.now() - started > this.timeoutMs) {
        this.broken ??= `it did not finish its half within ${this.timeoutMs} ms (killed, or out of memory?)`;
        throw this.failure();
      }
    }
    if (Atomics.load(ctl, FAILED) !== 0) {
      this.broken ??= "its kernel threw";
      throw this.failure();
    }
  }

  /** Ends the helper's loop and waits for the thread to exit. */
  async close(): Promise<void> {
    this.broken ??= "it was closed (close())";
    Atomics.store(this.ctl, POSTED, STOP);
    Atomics.notify(this.ctl, POSTED);
    const helper = this.helper;
    if (helper === null || helper.threadId === -1) return; // never started, or already gone
    helper.ref(); // an unref'd thread's exit would not keep this promise's process alive
    await new Promise<void>((resolve) => helper.once("exit", () => resolve()));
  }

  private failure(): Error {
    const [kernel, m, k, n] = this.shape;
    const what = kernel === 0 ? `[${m},${k}]·[${k},${n}]` : `[${m},${k}]·[${n},${k}]ᵀ`;
    // A cause may end with its own full stop (Node 24's permission error does): one, not two.
    return new Error(`wasm-threads kernels: the helper thread cannot compute ${what}: ${(this.broken ?? "").replace(/\.$/, "")}. Use setKernels(plainKernels) or createWasmSimdKernels() to go on with one thread.`);
  }
}

/**
 * Whether this process may start threads: not under Node's permission model (the grader's
 * sandbox) unless it was given --allow-worker.
 */
export function threadsAllowed(): boolean {
  const permission = (process as { permission?: { has(scope: string): boolean } }).permission;
  return permission === undefined || permission.has("worker");
}

/**
 * The WASM SIMD matmul on two threads, or null where the engine lacks WebAssembly SIMD or shared
 * memory, or the process may not start threads (threadsAllowed()). Products below `minParallelWork` run exactly as in createWasmSimdKernels(), on this
 * thread and in a memory of their own (copies into a shared memory are slower); larger ones are
 * split with a helper thread, started when the first one comes. Everything except matmul is the
 * plain kernels'. Each set has its own helper thread.
 */
export function createWasmThreadsKernels(options: WasmThreadsOptions = {}): ThreadedKernels | null {
  const sharedModule = typeof SharedArrayBuffer === "function" && threadsAllowed() ? compiledModule(MATMUL_SHARED_WASM_BASE64) : null;
  const module = compiledModule();
  if (sharedModule === null || module === null) return null;
  const minWork = options.minWork ?? 4096;
  const minParallelWork = options.minParallelWork ?? 1 << 22;
  const runner = new TwoThreadRunner(sharedModule, options.timeoutMs ?? 30000, options.takeBack ?? true);
  const alone = new WasmMatmul(new WebAssembly.Instance(module, {}).exports as MatmulRunner, minWork, options.packB);
  const split = new WasmMatmul(runner, minWork, options.packB);
  return {
    ...plainKernels,
    name: "wasm-simd-2threads",
    matmul: (a, b, c, m, k, n, opts) => (m * k * n < minParallelWork ? alone : split).matmul(a, b, c, m, k, n, opts),
    helperStarted: () => runner.started,
    splitProducts: () => ({ ...runner.counts }),
    close: () => runner.close(),
  };
}

/** A kernel set with a helper thread: close() ends the thread (every product after that throws). */
export interface ThreadedKernels extends Kernels {
  /** Whether a product has been large enough to start the helper thread. */
  helperStarted(): boolean;
  /** How many products were split so far, and of those how many halves this thread took back. */
  splitProducts(): { split: number; takenBack: number };
  close(): Promise<void>;
}
