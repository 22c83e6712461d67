// A grid of training runs: tasks × cells × lengths × seeds, one row per run, and the success rate
// of each (task, cell, length). Chapter 07 runs a small grid live and loads a larger one that
// scripts/long-range-grid.mjs computed with the same function, so that a stored row can be
// re-run in the notebook and must give the same numbers.
//
//   const rows = kl.tasks.successGrid({ tasks: ["adding"], cells: ["rnn", "lstm"], lengths: { adding: [10, 20] }, seeds: [0, 1] });
//   kl.tasks.successRates(rows)   // one row per (task, cell, T): runs, solved, rate
import { readFileSync } from "node:fs";
import { datasetPath } from "../data/paths";
import type { CellKind } from "../nn/recurrent-model";
import { checkCellKind } from "../nn/recurrent-model";
import { TaskName, longRangeTask } from "./long-range";
import { defaultLr, trainOnTask } from "./train-on-task";

/** The training settings every run of a grid shares (the budget a success is measured within). */
export interface GridSettings {
  /** Training steps at most (default 500). */
  steps?: number;
  /** Sequences per step (default 32). */
  batchSize?: number;
  hiddenSize?: number;        // default 32
  optimizer?: "adam" | "sgd"; // default "adam"
  lr?: number;                // default 0.01 (Adam), 0.1 (SGD)
  /** Clip the gradient's global norm (default 1; null: no clipping). */
  clip?: number | null;
  /** The LSTM's initial forget-gate bias (other cells have none; default or null: PyTorch's draw). */
  lstmForgetBias?: number | null;
  /** Score every this many steps and stop once solved (default 50; 0: never stop early). */
  stopWhenSolvedEvery?: number;
  /** Sequences in the fixed test batch (default 500). */
  testSize?: number;
}

/** Which runs a grid holds. */
export interface GridSpec extends GridSettings {
  tasks: readonly TaskName[];
  cells: readonly CellKind[];
  /** The lengths T to train at: one list for every task, or a list per task. */
  lengths: readonly number[] | Partial<Record<TaskName, readonly number[]>>;
  seeds: readonly number[];
  /** Called after each run with its row (to save progress, or show it). */
  onRow?: (row: GridRow, index: number, total: number) => void;
  /** Rows already computed: a run with the same task, cell, T and seed is not run again, its row is reused. */
  done?: readonly GridRow[];
}

/** One run of a grid: what trainOnTask returned, without the model and the per-step curves. */
export interface GridRow {
  task: TaskName;
  cell: CellKind;
  T: number;
  seed: number;
  solved: boolean;
  /** The task's metric on the fixed test batch (NaN, stored as null, when the run diverged). */
  score: number | null;
  /** Steps trained (fewer than the budget when the run was solved early, or diverged). */
  stepsTaken: number;
  diverged: boolean;
  /** The mean training loss of the last 20 steps taken. */
  finalLoss: number | null;
}

/** One (task, cell, T) of a grid: how many runs, how many solved, their fraction. */
export interface RateRow {
  task: TaskName;
  cell: CellKind;
  T: number;
  runs: number;
  solved: number;
  /** solved / runs: a diverged run counts as a run that did not solve. */
  rate: number;
}

/** The settings with every default filled in, as a grid's results file records them. */
export function gridSettings(settings: GridSettings = {}): Required<Omit<GridSettings, "lstmForgetBias" | "lr">> & { lr: number; lstmForgetBias: number | null } {
  const optimizer = settings.optimizer ?? "adam";
  return {
    steps: settings.steps ?? 500,
    batchSize: settings.batchSize ?? 32,
    hiddenSize: settings.hiddenSize ?? 32,
    optimizer,
    lr: settings.lr ?? defaultLr(optimizer),
    clip: settings.clip === undefined ? 1 : settings.clip,
    lstmForgetBias: settings.lstmForgetBias ?? null,
    stopWhenSolvedEvery: settings.stopWhenSolvedEvery ?? 50,
    testSize: settings.testSize ?? 500,
  };
}

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** One run of the grid: trainOnTask with the grid's settings, reduced to its row. */
export function gridRun(task: TaskName, cell: CellKind, T: number, seed: number, settings: GridSettings = {}): GridRow {
  const s = gridSettings(settings);
  const run = trainOnTask({
    task, cell, T, seed,
    steps: s.steps, batchSize: s.batchSize, hiddenSize: s.hiddenSize, optimizer: s.optimizer, lr: s.lr, clip: s.clip,
    stopWhenSolvedEvery: s.stopWhenSolvedEvery, testSize: s.testSize,
    ...(cell === "lstm" && s.lstmForgetBias !== null ? { forgetBias: s.lstmForgetBias } : {}),
  });
  const tail = run.losses.slice(-20);
  return {
    task: run.task, cell, T, seed, solved: run.solved, score: finite(run.score), stepsTaken: run.stepsTaken, diverged: run.diverged,
    finalLoss: finite(tail.reduce((a, b) => a + b, 0) / tail.length),
  };
}

const key = (r: { task: string; cell: string; T: number; seed: number }) => `${r.task}|${r.cell}|${r.T}|${r.seed}`;

/** The runs a grid holds, in the order it runs them: task, then cell, then length, then seed. */
export function gridRuns(spec: Pick<GridSpec, "tasks" | "cells" | "lengths" | "seeds">): { task: TaskName; cell: CellKind; T: number; seed: number }[] {
  const runs: { task: TaskName; cell: CellKind; T: number; seed: number }[] = [];
  for (const task of spec.tasks) {
    longRangeTask(task); // throws, naming the tasks, for a name that is none
    const Ts = Array.isArray(spec.lengths) ? spec.lengths : (spec.lengths as Partial<Record<TaskName, readonly number[]>>)[task];
    if (!Ts || Ts.length === 0) throw new Error(`successGrid: no lengths for the ${task} task`);
    for (const cell of spec.cells) {
      checkCellKind("successGrid", cell);
      for (const T of Ts) for (const seed of spec.seeds) runs.push({ task, cell, T, seed });
    }
  }
  return runs;
}

/**
 * Trains every (task, cell, T, seed) of the grid once (runs are deterministic: the seed fixes the
 * initial weights and the training batches, the test batch is fixed) and returns one row per run,
 * in the grid's order.
 */
export function successGrid(spec: GridSpec): GridRow[] {
  const runs = gridRuns(spec);
  const done = new Map((spec.done ?? []).map((r) => [key(r), r] as const));
  return runs.map((r, i) => {
    const row = done.get(key(r)) ?? gridRun(r.task, r.cell, r.T, r.seed, spec);
    spec.onRow?.(row, i, runs.length);
    return row;
  });
}

/** One row per (task, cell, T), in the order they first appear: runs, runs solved, and the fraction. */
export function successRates(rows: readonly GridRow[]): RateRow[] {
  const groups = new Map<string, RateRow>();
  for (const r of rows) {
    const k = `${r.task}|${r.cell}|${r.T}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { task: r.task, cell: r.cell, T: r.T, runs: 0, solved: 0, rate: 0 }));
    g.runs++;
    if (r.solved && !r.diverged) g.solved++;
  }
  for (const g of groups.values()) g.rate = g.solved / g.runs;
  return [...groups.values()];
}

/** A grid's results file, as scripts/long-range-grid.mjs writes it. */
export interface StoredGrid {
  /** The command that wrote it (and writes it again, the same). */
  command: string;
  /** Whether every run of the grid is in it. */
  complete: boolean;
  grid: { tasks: TaskName[]; cells: CellKind[]; lengths: Partial<Record<TaskName, number[]>>; seeds: number[] };
  /** The settings every run shared, defaults filled in (pass them to gridRun to re-run a row). */
  settings: ReturnType<typeof gridSettings>;
  rows: GridRow[];
}

/** Loads a stored grid (default: datasets/long-range-grid.json, notebook 07's). */
export function loadGrid(path: string = datasetPath("long-range-grid.json")): StoredGrid {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new Error(`loadGrid: cannot read ${path}: ${e instanceof Error ? e.message : String(e)} (node scripts/long-range-grid.mjs writes it)`);
  }
  const g = parsed as Partial<StoredGrid>;
  if (!g || !Array.isArray(g.rows) || typeof g.settings !== "object" || typeof g.grid !== "object") {
    throw new Error(`loadGrid: ${path} is not a grid's results file (it needs grid, settings and rows)`);
  }
  for (const [i, r] of g.rows.entries()) {
    if (typeof r?.task !== "string" || typeof r.cell !== "string" || typeof r.T !== "number" || typeof r.seed !== "number" || typeof r.solved !== "boolean") {
      throw new Error(`loadGrid: row ${i} of ${path} lacks task, cell, T, seed or solved`);
    }
  }
  return g as StoredGrid;
}
