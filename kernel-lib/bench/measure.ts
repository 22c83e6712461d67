// Wall-clock timing of training steps: warm up, then repeats, then the median.
//
// A repeat runs steps until it has lasted at least `minSeconds` and taken at least `minSteps`,
// and yields seconds per step. main.ts interleaves the repeats of all implementations (repeat 1
// of each, then repeat 2 of each, ...), so a burst of background load on this shared 2-core
// machine hits every implementation alike instead of one of them; the median of the repeats is
// then robust to one repeat that caught such a burst, a GC pause or a deoptimization.

import type { StepResult, Trainer } from "./workload";

export interface Budget {
  /** Untimed steps first (JIT compilation, lazily allocated optimizer state, wasm warm-up). */
  warmupSteps: number;
  repeats: number;
  minSeconds: number;
  minSteps: number;
}

export interface Repeat {
  secondsPerStep: number;
  steps: number;
}

export interface Measurement {
  secondsPerStep: number; // median over the repeats
  /** Steps inside the timed repeats (warm-up not counted). */
  timedSteps: number;
  /** The result of the very first step, at the shared initial weights. */
  first: StepResult;
}

export function median(xs: readonly number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Wraps a trainer so that its first step's result is kept and a non-finite loss stops the bench. */
export class Timer {
  first: StepResult | undefined;

  constructor(private readonly trainer: Trainer, private readonly budget: Budget) {}

  private step(): void {
    const r = this.trainer.step();
    if (this.first === undefined) this.first = r;
    if (!Number.isFinite(r.loss)) throw new Error(`training diverged: loss ${r.loss}`);
  }

  warmUp(): void {
    for (let i = 0; i < this.budget.warmupSteps; i++) this.step();
  }

  repeat(): Repeat {
    const t0 = performance.now();
    let steps = 0;
    let elapsed = 0;
    do {
      this.step();
      steps++;
      elapsed = (performance.now() - t0) / 1000;
    } while (steps < this.budget.minSteps || elapsed < this.budget.minSeconds);
    return { secondsPerStep: elapsed / steps, steps };
  }
}
