// The checks of notebook 07 accept a right answer and name the wrong term of typical wrong ones.
import assert from "node:assert/strict";
import { test } from "node:test";
import { exercises, tasks } from "../src";
import type { GridRow, RateRow } from "../src/tasks";
import { passes, rejectionMessage as feedbackOf, rejects } from "./exercise-harness";

const ch07 = exercises.ch07;

// ---- ch07-adding-baseline
test("adding-baseline: 1/6 + (1 − c)² passes", () => void passes(() => ch07.checkConstantMse((c) => 1 / 6 + (1 - c) ** 2)));
test("adding-baseline: one value's variance is named", () => rejects(() => ch07.checkConstantMse((c) => 1 / 12 + (1 - c) ** 2), /SUM of two independent values/));
test("adding-baseline: the sum taken as uniform on [0, 2] is named", () => rejects(() => ch07.checkConstantMse((c) => 4 / 12 + (1 - c) ** 2), /not uniform/));
test("adding-baseline: no variance term is named", () => rejects(() => ch07.checkConstantMse((c) => (1 - c) ** 2), /variance term is there/));
test("adding-baseline: no bias term is named", () => rejects(() => ch07.checkConstantMse(() => 1 / 6), /bias term is there/));
test("adding-baseline: the mean of one value in the bias is named", () => rejects(() => ch07.checkConstantMse((c) => 1 / 6 + (0.5 - c) ** 2), /mean of v₁ \+ v₂/));
test("adding-baseline: an unsquared bias is named", () => rejects(() => ch07.checkConstantMse((c) => 1 / 6 + Math.abs(1 - c)), /bias term is squared/));
test("adding-baseline: half the squared bias is named as half, not as unsquared", () =>
  rejects(() => ch07.checkConstantMse((c) => 1 / 6 + (1 - c) ** 2 / 2), /whole squared distance from the mean \(yours is half of it/));

// ---- ch07-copy-baseline
test("copy-baseline: K ln A / (T + 2K) passes", () => void passes(() => ch07.checkCopyBaseline((T, K, A) => (K * Math.log(A)) / (T + 2 * K))));
test("copy-baseline: log₂ is named", () => rejects(() => ch07.checkCopyBaseline((T, K, A) => (K * Math.log2(A)) / (T + 2 * K)), /natural logarithm.*log₂/));
test("copy-baseline: log₁₀ is named", () => rejects(() => ch07.checkCopyBaseline((T, K, A) => (K * Math.log10(A)) / (T + 2 * K)), /natural logarithm.*log₁₀/));
test("copy-baseline: a guess over all A + 2 tokens is named", () => rejects(() => ch07.checkCopyBaseline((T, K, A) => (K * Math.log(A + 2)) / (T + 2 * K)), /A symbols only/));
test("copy-baseline: the total instead of the mean is named", () => rejects(() => ch07.checkCopyBaseline((_T, K, A) => K * Math.log(A)), /mean per step/));
test("copy-baseline: T + K steps is named", () => rejects(() => ch07.checkCopyBaseline((T, K, A) => (K * Math.log(A)) / (T + K)), /divides by T \+ K/));
test("copy-baseline: T steps is named", () => rejects(() => ch07.checkCopyBaseline((T, K, A) => (K * Math.log(A)) / T), /divides by T\)/));
test("copy-baseline: K fixed at 10 is named", () => rejects(() => ch07.checkCopyBaseline((T, _K, A) => (10 * Math.log(A)) / (T + 20)), /grows with K/));

// ---- ch07-is-solved
const rightSolved = (task: string, s: number | null) => s !== null && Number.isFinite(s) && (task === "adding" ? s < 0.01 : s >= 0.95);
test("is-solved: the criteria pass", () => void passes(() => ch07.checkIsSolved(rightSolved)));
test("is-solved: one rule for every task, the task ignored, is named (a learner's trial: it passed)", () =>
  rejects(() => ch07.checkIsSolved((_t, s) => s !== null && !Number.isNaN(s) && (s < 0.01 || s >= 0.95)), /each task is judged by its own criterion/));
test("is-solved: a perfect MSE of 0 taken for a missing score is named", () =>
  rejects(() => ch07.checkIsSolved((t, s) => (!s ? false : t === "adding" ? s < 0.01 : s >= 0.95)), /an adding MSE of exactly 0 \(a perfect model\) solves it/));
test("is-solved: higher-is-better for adding is named", () => rejects(() => ch07.checkIsSolved((_t, s) => s !== null && s >= 0.95), /LOWER is better/));
test("is-solved: ≤ 0.01 for adding is named", () =>
  rejects(() => ch07.checkIsSolved((t, s) => s !== null && Number.isFinite(s) && (t === "adding" ? s <= 0.01 : s >= 0.95)), /exactly 0.01 is not solved/));
test("is-solved: > 0.95 is named", () =>
  rejects(() => ch07.checkIsSolved((t, s) => s !== null && Number.isFinite(s) && (t === "adding" ? s < 0.01 : s > 0.95)), /exactly 0.95 is solved/));
test("is-solved: a threshold of 0.9 is named", () =>
  rejects(() => ch07.checkIsSolved((t, s) => s !== null && Number.isFinite(s) && (t === "adding" ? s < 0.01 : s >= 0.9)), /0.95 \(yours accepts 0.9\)/));
test("is-solved: NaN taken as solved for adding is named", () =>
  rejects(() => ch07.checkIsSolved((t, s) => (t === "adding" ? !(s! >= 0.01) : s !== null && s >= 0.95)), /score NaN\) is not solved, for adding/));
test("is-solved: a null score taken as solved is named", () =>
  rejects(() => ch07.checkIsSolved((t, s) => (t === "adding" ? (s as number) < 0.01 : (s as number) >= 0.95)), /stored as null/));

// ---- ch07-success-table
const rightTable = (runs: GridRow[]): RateRow[] => tasks.successRates(runs);
function table(runs: GridRow[], key: (r: GridRow) => string, count: (r: GridRow) => boolean, denominator?: (g: GridRow[]) => number, scale = 1): RateRow[] {
  const groups = new Map<string, GridRow[]>();
  for (const r of runs) groups.set(key(r), [...(groups.get(key(r)) ?? []), r]);
  return [...groups.values()].map((g) => {
    const solved = g.filter(count).length;
    const runsN = denominator ? denominator(g) : g.length;
    return { task: g[0].task, cell: g[0].cell, T: g[0].T, runs: runsN, solved, rate: (scale * solved) / runsN };
  });
}
const full = (r: GridRow) => `${r.task}|${r.cell}|${r.T}`;
test("success-table: kl.tasks.successRates and a hand-written grouping pass", () => {
  passes(() => ch07.checkSuccessTable(rightTable));
  passes(() => ch07.checkSuccessTable((runs) => table(runs, full, (r) => r.solved)));
});
test("success-table: sorting the caller's runs in place is named (a learner's trial: it passed)", () =>
  rejects(() => ch07.checkSuccessTable((runs) => rightTable(runs.sort((a, b) => a.T - b.T))), /successTable leaves the runs as they were/));
test("success-table: grouping without T is named", () => rejects(() => ch07.checkSuccessTable((runs) => table(runs, (r) => `${r.task}|${r.cell}`, (r) => r.solved)), /each length is its own row/));
test("success-table: grouping without the task is named", () => rejects(() => ch07.checkSuccessTable((runs) => table(runs, (r) => `${r.cell}|${r.T}`, (r) => r.solved)), /task is part of the key/));
test("success-table: grouping without the cell is named", () => rejects(() => ch07.checkSuccessTable((runs) => table(runs, (r) => `${r.task}|${r.T}`, (r) => r.solved)), /cell is part of the key/));
test("success-table: leaving diverged runs out of the denominator is named", () =>
  rejects(() => ch07.checkSuccessTable((runs) => table(runs, full, (r) => r.solved, (g) => g.filter((r) => !r.diverged).length)), /diverged run is still a run/));
test("success-table: counting diverged runs as solved is named", () =>
  rejects(() => ch07.checkSuccessTable((runs) => table(runs, full, (r) => r.solved || r.diverged)), /never counts as solved/));
test("success-table: a percentage is named", () => rejects(() => ch07.checkSuccessTable((runs) => table(runs, full, (r) => r.solved, undefined, 100)), /percentage/));
test("success-table: dividing by all the runs is named", () =>
  rejects(() => ch07.checkSuccessTable((runs) => table(runs, full, (r) => r.solved).map((g) => ({ ...g, rate: g.solved / runs.length }))), /divides by all 30 runs/));

// ---- ch07-longest-solved
const rightLongest = (rates: RateRow[], task: string, cell: string): number | null => {
  const ok = rates.filter((r) => r.task === task && r.cell === cell && r.rate >= 0.5).map((r) => r.T);
  return ok.length ? Math.max(...ok) : null;
};
test("longest-solved: the largest T with rate ≥ 1/2 passes", () => void passes(() => ch07.checkLongestSolved(rightLongest)));
test("longest-solved: sorting the caller's rows in place is named (a learner's trial: it passed)", () =>
  rejects(() => ch07.checkLongestSolved((rates, task, cell) => rightLongest(rates.sort((a, b) => b.T - a.T), task, cell)), /longestSolved leaves the rows as they were/));
test("longest-solved: > 1/2 is named", () =>
  rejects(() => ch07.checkLongestSolved((rates, task, cell) => {
    const ok = rates.filter((r) => r.task === task && r.cell === cell && r.rate > 0.5).map((r) => r.T);
    return ok.length ? Math.max(...ok) : null;
  }), /exactly 1\/2 counts/));
test("longest-solved: stopping at the first failure is named", () =>
  rejects(() => ch07.checkLongestSolved((rates, task, cell) => {
    let best: number | null = null;
    for (const r of [...rates].filter((q) => q.task === task && q.cell === cell).sort((a, b) => a.T - b.T)) {
      if (r.rate < 0.5) break;
      best = r.T;
    }
    return best;
  }), /after a shorter one that was not/));
test("longest-solved: counting any length with a success is named as the threshold", () =>
  rejects(() => ch07.checkLongestSolved((rates, task, cell) => {
    const ok = rates.filter((r) => r.task === task && r.cell === cell && r.solved > 0).map((r) => r.T);
    return ok.length ? Math.max(...ok) : null;
  }), /counts only when at least half its runs are solved/));
test("longest-solved: the first failing length is named", () =>
  rejects(() => ch07.checkLongestSolved((rates, task, cell) => rates.filter((r) => r.task === task && r.cell === cell).sort((a, b) => a.T - b.T).find((r) => r.rate < 0.5)?.T ?? null), /first that is not/));
test("longest-solved: ignoring the cell is named", () =>
  rejects(() => ch07.checkLongestSolved((rates, task) => rightLongest(rates.map((r) => ({ ...r, cell: "rnn" })), task, "rnn")), /given cell count/));
test("longest-solved: ignoring the task is named", () =>
  rejects(() => ch07.checkLongestSolved((rates, _task, cell) => rightLongest(rates.map((r) => ({ ...r, task: "adding" })), "adding", cell)), /given task count/));
test("longest-solved: returning 0 for none is named", () => rejects(() => ch07.checkLongestSolved((r, t, c) => rightLongest(r, t, c) ?? 0), /returns null/));
test("longest-solved: relying on sorted rows is named", () =>
  rejects(() => ch07.checkLongestSolved((rates, task, cell) => {
    const ok = rates.filter((r) => r.task === task && r.cell === cell && r.rate >= 0.5);
    return ok.length ? ok[ok.length - 1].T : null;
  }), /any order/));
test("longest-solved: returning the rate is named", () =>
  rejects(() => ch07.checkLongestSolved((rates, task, cell) => {
    const ok = rates.filter((r) => r.task === task && r.cell === cell && r.rate >= 0.5).sort((a, b) => b.T - a.T);
    return ok.length ? ok[0].rate : null;
  }), /not a rate/));

// ---- the feedback names the wrong term and asks a question; it never prints the formula
test("feedback on wrong answers never spells out the formulas", () => {
  const messages = [
    feedbackOf(() => ch07.checkConstantMse((c) => 1 / 12 + (1 - c) ** 2)),
    feedbackOf(() => ch07.checkConstantMse((c) => 1 / 6 + Math.abs(1 - c))),
    feedbackOf(() => ch07.checkConstantMse((c) => 1 / 6 + (1 - c) ** 2 / 2)),
    feedbackOf(() => ch07.checkConstantMse((c) => 1 / 6 + 2 * (1 - c) ** 2)),
    feedbackOf(() => ch07.checkCopyBaseline((T, K, A) => (K * Math.log(A)) / (T + K))),
    feedbackOf(() => ch07.checkCopyBaseline((T, K, A) => (K * Math.log(A + 2)) / (T + 2 * K))),
    feedbackOf(() => ch07.checkCopyBaseline((T, K, A) => (K * Math.log(A)) / (T + 2 * K + 1))),
    feedbackOf(() => ch07.checkLongestSolved((rates, task, cell) => {
      const ok = rates.filter((r) => r.task === task && r.cell === cell && r.rate > 0.5).map((r) => r.T);
      return ok.length ? Math.max(...ok) : null;
    })),
  ];
  for (const m of messages) {
    const hint = m.split("\nHint: ")[1] ?? "";
    assert.ok(hint.length > 0, `a hint is given: ${m}`);
    assert.ok(hint.trim().endsWith("?"), `the hint is a question: ${hint}`);
    assert.doesNotMatch(m, /\(1 − c\)²|1\/6 \+|T \+ 2K|K·ln A|ln A \/|≥ 0\.5|rate ≥/, `the feedback gives the formula away: ${m}`);
  }
});
