// Training loops that a learner can watch and interrupt.
//
// A loop that never awaits keeps the kernel deaf to the interrupt button (the signal is handled
// on the event loop), and with tslab 1.0.22 it can wedge the kernel's output: tslab's zeromq
// socket defers one message in every ~512 to the next event-loop turn and refuses any other
// until then, and a burst of output within one synchronous stretch runs into that (seen: a cell
// printing 520 lines never finishes; the course kernel now sends its messages in turn, so there
// nothing is lost, but plain tslab still wedges). So a loop should yield to the event loop now and
// then: `trainingLoop` awaits a `setImmediate` every 25 ms or 100 steps, which costs microseconds.
//
// What tslab 1.0.22 does on Kernel > Interrupt (observed on the real kernel):
//   - during a cell's first synchronous stretch: the code is stopped (an exception inside it);
//   - once the cell has awaited anything: the cell is reported as failed ("Interrupted
//     asynchronously") at once, but its async code is NOT stopped: a loop keeps training in the
//     background, while the next cells run;
//   - during synchronous code after an await: the interrupt is lost altogether.
// So `trainingLoop` listens for the interrupt itself (SIGINT, which is how Jupyter interrupts a
// kernel) and stops between two steps: the parameters keep everything learned so far, no step
// is left half done, the live view shows `stopped: 57/200 steps (interrupted)`, and the loop
// throws `TrainingInterrupted` so the rest of that cell does not run.
//
// Two more tslab 1.0.22 rules shape how a notebook should use it:
//   - the declarations of a cell that failed (an interrupted cell fails) are unknown to later
//     cells: make the model, the optimizer and the loop in an earlier cell, and keep the
//     training cell to the loop itself. Running that cell again resumes the loop where it
//     stopped (step 57 of 200), with a new live view;
//   - tslab recognises top-level await only in an `await` expression: a cell whose only
//     asynchronous part is `for await (...)` fails with "SyntaxError: Unexpected reserved word".
//     Hence `await loop.run((step) => ...)`, the pattern notebooks use; `for await` works in a
//     cell that also awaits something (and anywhere outside tslab).
//
// Two mistakes a learner makes with a loop, which must not pass in silence:
//   - `loop.run(...)` without `await`: the cell ends at once and the loop trains on in the
//     background while later cells read a half-trained model. In the course kernel a running loop
//     holds its cell (`__courseKernel__.holdCell`, scripts/kernel/course-kernel.js): if the cell
//     ends first, the kernel stops the loop at its next step and fails the cell, saying so;
//   - running the cell of a finished loop again: it has no steps left, so it would train nothing
//     and show the old result. It throws instead, saying how to train again.
import { FeedbackError } from "../errors";
import { displayAdapter } from "./jupyter";
import { LiveView, systemClock, type Clock, type LiveViewDeps } from "./live";

/** Lets pending I/O run (display messages, the interrupt signal), then continues. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * For a hand-written loop: `const tick = ticker(); for (...) { step(); await tick(); }` yields to
 * the event loop at most every `everyMs` (cheap in between).
 */
export function ticker(everyMs = 25, clock: Clock = systemClock): () => Promise<void> {
  let last = clock.now();
  return () => {
    const now = clock.now();
    if (now - last < everyMs) return Promise.resolve();
    last = now;
    return yieldToEventLoop();
  };
}

/** Thrown by a trainingLoop stopped by Kernel > Interrupt, after its last update. */
export class TrainingInterrupted extends Error {
  constructor(readonly title: string, readonly stepsDone: number, readonly steps: number) {
    super(`trainingLoop "${title}" interrupted after ${stepsDone}/${steps} steps; the parameters keep what those steps learned`);
    this.name = "TrainingInterrupted";
  }
}

export interface TrainingLoopOptions {
  /** How many steps to run. */
  steps: number;
  /** The live view's title (default "Training"). */
  title?: string;
  /** Tokens (or examples) per step, for the speed; or pass them to `log` step by step. */
  tokensPerStep?: number;
  /** Yield to the event loop at least this often (default 25 ms) ... */
  yieldEveryMs?: number;
  /** ... and at least every this many steps (default 100), for fast steps that print. */
  yieldEverySteps?: number;
  /** Stop (normally, not as an interrupt) once this many seconds have passed. */
  maxSeconds?: number;
  /** Show a live view (default true). */
  show?: boolean;
  /** Stop on Kernel > Interrupt (default: true inside a kernel; in plain Node, Ctrl+C keeps its usual meaning). */
  stopOnInterrupt?: boolean;
  /** Live view options. */
  minIntervalMs?: number;
}

/** For tests: a fake clock, no real signal handler, no real display. */
export interface TrainingLoopDeps extends LiveViewDeps {
  onInterrupt?: (handler: () => void) => () => void;
  yieldNow?: () => Promise<void>;
}

/** The course kernel's hook (absent in plain Node and other kernels): work the current cell must await. */
type HoldCell = (describe: () => string, stop: () => void) => () => void;
function holdCell(describe: () => string, stop: () => void): () => void {
  const kernel = (globalThis as { __courseKernel__?: { holdCell?: HoldCell } }).__courseKernel__;
  return kernel?.holdCell?.(describe, stop) ?? (() => {});
}

function listenForSigint(handler: () => void): () => void {
  process.on("SIGINT", handler);
  return () => void process.off("SIGINT", handler);
}

/** Something with a single value: a number or a one-element Tensor (a loss). */
export type LossLike = number | { item(): number };

export class TrainingLoop implements AsyncIterable<number> {
  readonly title: string;
  readonly steps: number;
  /** The live view (null with `show: false`). Created when the loop starts. */
  view: LiveView | null = null;
  /** The loss logged at each step (NaN where none was logged). */
  readonly losses: number[] = [];
  private done = 0;
  private tokens = 0;
  private stepTokens: number | undefined;
  private stepLoss: number | undefined;
  private lastLoss: number | undefined;
  private stopReason: string | null = null;
  private running = false;
  private started = false;
  private readonly clock: Clock;

  constructor(private readonly options: TrainingLoopOptions, private readonly deps: TrainingLoopDeps = {}) {
    if (!Number.isInteger(options.steps) || options.steps < 0) {
      throw new RangeError(`trainingLoop: steps must be a whole number >= 0; got ${options.steps}`);
    }
    this.title = options.title ?? "Training";
    this.steps = options.steps;
    this.clock = deps.clock ?? systemClock;
  }

  /** Steps whose body ran to the end. */
  get stepsDone(): number {
    return this.done;
  }

  /** Why the loop stopped early (`"interrupted"`, `"time budget of 5 s"`, `stop()`'s reason), or null. */
  get stoppedBecause(): string | null {
    return this.stopReason;
  }

  /** Records this step's loss (a number or a one-element Tensor) and, optionally, its tokens. */
  log(loss: LossLike, tokens?: number): void {
    const v = typeof loss === "number" ? loss : loss.item();
    this.stepLoss = v;
    if (tokens !== undefined) this.stepTokens = (this.stepTokens ?? 0) + tokens;
  }

  /** Ends the loop after the current step (early stopping); the loop then ends normally. */
  stop(reason = "stopped by stop()"): void {
    if (this.stopReason === null) this.stopReason = reason;
  }

  /**
   * `await loop.run((step) => trainStep(step))`: runs the remaining steps, calling `body` for each
   * and logging what it returns (a loss: a number or a one-element Tensor; nothing to log nothing).
   * `body` may be async. The form for notebooks: see the note on tslab at the top of this file.
   */
  async run(body: (step: number) => LossLike | void | Promise<LossLike | void>): Promise<void> {
    for await (const step of this) {
      const loss = await body(step);
      if (loss !== undefined) this.log(loss);
    }
  }

  /**
   * Runs the remaining steps: from 0 the first time, from where it stopped after an interrupt,
   * `stop()` or a time budget. A finished loop has nothing left, and says so: make a new one to
   * train again.
   */
  async *[Symbol.asyncIterator](): AsyncGenerator<number, void, undefined> {
    if (this.running) throw new Error(`trainingLoop "${this.title}": this loop is already running (another cell?); wait for it or stop() it`);
    if (this.started && this.done >= this.steps) {
      throw new FeedbackError(
        `✘ trainingLoop "${this.title}" has already run all its ${this.steps} steps, so running it again would train nothing. ` +
          "To train from scratch, run the cells that make the model and this loop again; to train the same model on, make a new loop (kl.viz.trainingLoop({ steps: ... })).",
      );
    }
    this.started = true;
    this.running = true;
    this.stopReason = null;
    // Held until the loop ends: in the course kernel, a cell that ends first (a missing await) stops it.
    const release = holdCell(() => `training loop "${this.title}" (at step ${this.done} of ${this.steps})`, () => this.stop("not awaited"));
    const { options, deps, clock } = this;
    const yieldEveryMs = options.yieldEveryMs ?? 25;
    const yieldEverySteps = options.yieldEverySteps ?? 100;
    let stepsSinceYield = 0;
    const countsTokens = options.tokensPerStep !== undefined;
    if (options.show !== false) {
      const unit = countsTokens ? "tokens" : "steps";
      this.view = new LiveView({ title: this.title, totalSteps: this.steps, unit, minIntervalMs: options.minIntervalMs }, deps)
        .start({ step: this.done, loss: this.lastLoss, items: this.tokens });
    }
    const listen = options.stopOnInterrupt ?? displayAdapter().sink().mode !== "stdout";
    const yieldNow = deps.yieldNow ?? yieldToEventLoop;
    let unlisten = () => {};
    const startedAt = clock.now();
    let lastYield = startedAt;
    try {
      if (listen) {
        // Not during the cell's synchronous part: tslab runs it with vm's breakOnSigint, and a
        // SIGINT listener added while that is active leaves the process without its signal
        // handler afterwards, so the next interrupt kills the kernel (seen with tslab 1.0.22 on
        // Node 20). One yield ends the synchronous part.
        await yieldNow();
        unlisten = (deps.onInterrupt ?? listenForSigint)(() => this.stop("interrupted"));
      }
      for (let step = this.done; step < this.steps; step++) {
        if (options.maxSeconds !== undefined && this.stopReason === null && clock.now() - startedAt >= options.maxSeconds * 1000) {
          this.stop(`time budget of ${options.maxSeconds} s`);
        }
        if (this.stopReason !== null) break;
        this.stepLoss = undefined;
        this.stepTokens = undefined;
        yield step;
        // The body ran to the end: count the step.
        this.done = step + 1;
        this.tokens += this.stepTokens ?? options.tokensPerStep ?? 0;
        this.losses.push(this.stepLoss ?? NaN);
        if (this.stepLoss !== undefined) this.lastLoss = this.stepLoss;
        this.view?.update({ step: this.done, loss: this.stepLoss, items: this.tokens });
        if (++stepsSinceYield >= yieldEverySteps || clock.now() - lastYield >= yieldEveryMs) {
          await yieldNow();
          lastYield = clock.now();
          stepsSinceYield = 0;
        }
      }
    } finally {
      this.running = false;
      release();
      unlisten();
      this.view?.finish(this.stopReason ?? undefined, { step: this.done, loss: this.lastLoss, items: this.tokens });
    }
    if (this.stopReason === "interrupted") throw new TrainingInterrupted(this.title, this.done, this.steps);
  }
}

/**
 * ```ts
 * const loop = trainingLoop({ steps: 200, title: "LSTM, tiny corpus", tokensPerStep: 64 });
 * // next cell:
 * await loop.run((step) => trainStep(step));   // trainStep returns the loss
 * ```
 * Shows a live view (step, loss curve, tokens/s, time left) that ends in `done: 200/200 steps`,
 * yields to the event loop every ~25 ms, and stops cleanly on Kernel > Interrupt.
 */
export function trainingLoop(options: TrainingLoopOptions, deps: TrainingLoopDeps = {}): TrainingLoop {
  return new TrainingLoop(options, deps);
}
