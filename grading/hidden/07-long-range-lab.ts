// Hidden tests of notebook 07, "A long-range memory lab" (see types.ts for how observers are used).
// The inputs are drawn at random: lengths, alphabets, constants, grids of runs of any shape, in any
// order, with diverged runs and success rates at exactly one half.
import type { Rng } from "kernel-lib";
import type { Observers } from "./types";

const TASKS = ["adding", "temporal-order", "copy", "reber"] as const;
const CELLS = ["rnn", "irnn", "lstm", "gru"] as const;
type Task = (typeof TASKS)[number];
type Cell = (typeof CELLS)[number];

/** k distinct items of xs, in a random order. */
const pick = <X>(rng: Rng, xs: readonly X[], k: number): X[] => rng.shuffle(xs.slice()).slice(0, k);
/** k distinct lengths from a ladder of the kind the grids use. */
const lengths = (rng: Rng, k: number) => pick(rng, [1, 5, 10, 20, 30, 40, 50, 80, 100, 160, 200, 320], k);

type Outcome = "solved" | "failed" | "diverged";
/** One run of a grid, its score consistent with its verdict (a diverged run: score NaN or null). */
function gridRow(rng: Rng, task: Task, cell: Cell, T: number, seed: number, outcome: Outcome) {
  const adding = task === "adding";
  const score = outcome === "diverged" ? (rng.int(2) === 0 ? null : NaN)
    : outcome === "solved" ? (adding ? rng.uniform(0, 0.0099) : rng.uniform(0.95, 1))
    : adding ? rng.uniform(0.011, 0.2) : rng.uniform(0, 0.94);
  return {
    task, cell, T, seed,
    solved: outcome === "solved",
    score,
    stepsTaken: outcome === "failed" ? 600 : 25 * (1 + rng.int(24)),
    diverged: outcome === "diverged",
    finalLoss: outcome === "diverged" ? null : rng.uniform(0, 1),
  };
}

export const observers: Observers = {
  "ch07-adding-baseline": (s, kl, rng) => {
    // Constants on both sides of the mean 1 and far from it, where a missing square or factor shows.
    const cs = [rng.uniform(-3, 0), rng.uniform(0, 1), rng.uniform(1, 2), rng.uniform(2, 6), 1 + rng.uniform(-0.1, 0.1)];
    return cs.map((c) => s.constantMse(c));
  },

  "ch07-copy-baseline": (s, kl, rng) => {
    const probes: [number, number, number][] = [
      [1 + rng.int(1000), 1 + rng.int(30), 2 + rng.int(30)],
      [1 + rng.int(10), 1 + rng.int(30), 2 + rng.int(30)],
      [1 + rng.int(200), 10, 8],
      [1 + rng.int(500), 1 + rng.int(5), 2 + rng.int(3)],
    ];
    return probes.map(([T, K, A]) => s.copyBaseline(T, K, A));
  },

  "ch07-is-solved": (s, kl, rng) => {
    const probes: [Task, number | null][] = [];
    for (const task of TASKS) {
      const threshold = task === "adding" ? 0.01 : 0.95;
      probes.push([task, threshold], [task, NaN], [task, null]); // the boundary itself and diverged runs
      // Scores near the threshold (an MSE of 0 to 0.03, an accuracy of 0.85 to 1), and one far from it.
      for (let n = 0; n < 6; n++) probes.push([task, task === "adding" ? rng.uniform(0, 0.03) : rng.uniform(0.85, 1)]);
      probes.push([task, task === "adding" ? rng.uniform(0.1, 0.3) : rng.uniform(0, 0.5)]);
      // A score the OTHER criterion would pass (a rule that ignores the task), and a perfect one.
      probes.push([task, task === "adding" ? rng.uniform(0.95, 1.5) : rng.uniform(0, 0.009)], [task, task === "adding" ? 0 : 1]);
    }
    rng.shuffle(probes);
    return probes.map(([task, score]) => s.isSolved(task, score));
  },

  "ch07-success-table": (s, kl, rng, { case: k }) => {
    // A grid of 2 to 4 tasks × 2 to 4 cells × 2 to 4 lengths × 1 to 5 seeds, stored in a random order.
    const tasks = pick(rng, TASKS, 2 + rng.int(3));
    const cells = pick(rng, CELLS, 2 + rng.int(3));
    const Ts = lengths(rng, 2 + rng.int(3));
    const seeds = 1 + rng.int(5);
    const runs: ReturnType<typeof gridRow>[] = [];
    for (const task of tasks) for (const cell of cells) for (const T of Ts) {
      // Some groups hold fewer seeds: a rate is over that group's own runs.
      const n = k === 0 ? seeds : 1 + rng.int(seeds);
      for (let seed = 0; seed < n; seed++) {
        const u = rng.next();
        runs.push(gridRow(rng, task, cell, T, seed, u < 0.15 ? "diverged" : u < 0.55 ? "solved" : "failed"));
      }
    }
    // At least one run of each kind.
    (["solved", "diverged", "failed"] as const).forEach((outcome, j) => {
      const r = runs[j];
      runs[j] = gridRow(rng, r.task, r.cell, r.T, r.seed, outcome);
    });
    rng.shuffle(runs);
    const got: Record<string, unknown>[] = s.successTable(runs.map((r) => ({ ...r })));
    // The rows in a fixed order (the exercise does not ask for one), each with the fields asked for.
    const key = (r: Record<string, unknown>) => `${String(r?.task)}|${String(r?.cell)}|${String(r?.T).padStart(6, "0")}`;
    return got
      .map((r) => ({ task: r?.task, cell: r?.cell, T: r?.T, runs: r?.runs, solved: r?.solved, rate: r?.rate }))
      .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  },

  "ch07-longest-solved": (s, kl, rng) => {
    // Rate rows of several tasks and cells, some lengths solved after a longer one failed, rates of
    // exactly one half, rows in a random order; asked for every pair, those without rows included.
    const tasks = pick(rng, TASKS, 3 + rng.int(2));
    const cells = pick(rng, CELLS, 3 + rng.int(2));
    const rows: { task: Task; cell: Cell; T: number; runs: number; solved: number; rate: number }[] = [];
    for (const task of tasks) for (const cell of cells) {
      for (const T of lengths(rng, 1 + rng.int(6))) {
        const runs = 2 * (2 + rng.int(2)); // 4 or 6 runs: rates of 0, of exactly 1/2, and between
        const kind = rng.int(4);
        const solved = kind === 0 ? 0 : kind === 1 ? 1 + rng.int(runs / 2 - 1) : kind === 2 ? runs / 2 : runs / 2 + 1 + rng.int(runs / 2);
        rows.push({ task, cell, T, runs, solved, rate: solved / runs });
      }
    }
    rng.shuffle(rows);
    const queries: [Task, Cell][] = [];
    for (const task of TASKS) for (const cell of CELLS) queries.push([task, cell]);
    return queries.map(([task, cell]) => s.longestSolved(rows.map((r) => ({ ...r })), task, cell));
  },
};
