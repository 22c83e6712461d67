// kl.tasks.successGrid and its helpers: the grid's order, rows that re-run to the same numbers,
// success rates that count diverged runs as failed runs, and the stored grid's loader.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tasks } from "../src";
import type { GridRow } from "../src/tasks";

const row = (task: GridRow["task"], cell: GridRow["cell"], T: number, seed: number, solved: boolean, diverged = false): GridRow =>
  ({ task, cell, T, seed, solved, diverged, score: diverged ? null : solved ? 0.99 : 0.3, stepsTaken: 100, finalLoss: 0.1 });

test("gridRuns: task, then cell, then length, then seed; lengths per task or shared", () => {
  const runs = tasks.gridRuns({ tasks: ["adding", "reber"], cells: ["rnn", "gru"], lengths: { adding: [10, 20], reber: [12] }, seeds: [0, 1] });
  assert.equal(runs.length, 2 * 2 * 2 + 2 * 1 * 2);
  assert.deepEqual(runs.slice(0, 3).map((r) => [r.task, r.cell, r.T, r.seed]), [["adding", "rnn", 10, 0], ["adding", "rnn", 10, 1], ["adding", "rnn", 20, 0]]);
  assert.deepEqual(runs[runs.length - 1], { task: "reber", cell: "gru", T: 12, seed: 1 });
  assert.equal(tasks.gridRuns({ tasks: ["adding"], cells: ["lstm"], lengths: [5, 6, 7], seeds: [3] }).length, 3);
  assert.throws(() => tasks.gridRuns({ tasks: ["adding", "copy"], cells: ["rnn"], lengths: { adding: [10] }, seeds: [0] }), /no lengths for the copy task/);
  assert.throws(() => tasks.gridRuns({ tasks: ["adding"], cells: ["tanh" as "rnn"], lengths: [10], seeds: [0] }), /cell must be one of/);
  assert.throws(() => tasks.gridRuns({ tasks: ["addition" as "adding"], cells: ["rnn"], lengths: [10], seeds: [0] }), /no task named "addition"/);
});

test("successRates: one row per (task, cell, T) in order of appearance; a diverged run is a failed run", () => {
  const rates = tasks.successRates([
    row("adding", "rnn", 10, 0, true), row("adding", "lstm", 10, 0, true), row("adding", "rnn", 10, 1, false, true),
    row("adding", "rnn", 10, 2, true), row("adding", "rnn", 20, 0, false), row("adding", "lstm", 10, 1, false),
  ]);
  assert.deepEqual(rates, [
    { task: "adding", cell: "rnn", T: 10, runs: 3, solved: 2, rate: 2 / 3 },
    { task: "adding", cell: "lstm", T: 10, runs: 2, solved: 1, rate: 0.5 },
    { task: "adding", cell: "rnn", T: 20, runs: 1, solved: 0, rate: 0 },
  ]);
});

test("gridRun: the same seed gives the same row; another seed another; the LSTM alone gets the forget bias", () => {
  const settings = { steps: 30, batchSize: 8, hiddenSize: 8, testSize: 50, stopWhenSolvedEvery: 10, lstmForgetBias: 1 };
  const a = tasks.gridRun("adding", "lstm", 6, 0, settings);
  const b = tasks.gridRun("adding", "lstm", 6, 0, settings);
  assert.deepEqual(a, b);
  assert.equal(a.stepsTaken <= 30, true);
  assert.notDeepEqual(tasks.gridRun("adding", "lstm", 6, 1, settings).score, a.score);
  // A GRU with the same settings: no forgetBias reaches it (RecurrentModel would refuse one).
  const g = tasks.gridRun("adding", "gru", 6, 0, settings);
  assert.equal(g.cell, "gru");
  // The forget bias changes the LSTM's run.
  assert.notEqual(tasks.gridRun("adding", "lstm", 6, 0, { ...settings, lstmForgetBias: 3 }).score, a.score);
  // The row is what trainOnTask gives with the same settings.
  const run = tasks.trainOnTask({ task: "adding", cell: "lstm", T: 6, seed: 0, steps: 30, batchSize: 8, hiddenSize: 8, testSize: 50, stopWhenSolvedEvery: 10, forgetBias: 1 });
  assert.equal(a.score, run.score);
  assert.equal(a.stepsTaken, run.stepsTaken);
});

test("successGrid: every run once, in the grid's order, reusing the rows given as done", () => {
  const settings = { steps: 5, batchSize: 4, hiddenSize: 4, testSize: 20 };
  const spec = { tasks: ["reber"] as const, cells: ["rnn", "gru"] as const, lengths: [12], seeds: [0, 1], ...settings };
  const seen: number[] = [];
  const rows = tasks.successGrid({ ...spec, onRow: (_r, i, total) => { seen.push(i); assert.equal(total, 4); } });
  assert.deepEqual(seen, [0, 1, 2, 3]);
  assert.deepEqual(rows.map((r) => `${r.cell} ${r.seed}`), ["rnn 0", "rnn 1", "gru 0", "gru 1"]);
  const fake = { ...rows[1], score: 123 };
  const again = tasks.successGrid({ ...spec, done: [fake] });
  assert.equal(again[1].score, 123); // reused, not re-run
  assert.deepEqual(again[0], rows[0]); // re-run: the same numbers
});

test("gridSettings fills in the defaults; loadGrid reads a results file and says what is wrong with a bad one", (t) => {
  assert.deepEqual(tasks.gridSettings({}), { steps: 500, batchSize: 32, hiddenSize: 32, optimizer: "adam", lr: 0.01, clip: 1, lstmForgetBias: null, stopWhenSolvedEvery: 50, testSize: 500 });
  assert.equal(tasks.gridSettings({ optimizer: "sgd", clip: null }).lr, 0.1);
  assert.equal(tasks.gridSettings({ clip: null }).clip, null);
  const dir = mkdtempSync(join(tmpdir(), "grid-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const good = join(dir, "good.json");
  writeFileSync(good, JSON.stringify({ command: "x", complete: true, grid: {}, settings: tasks.gridSettings({}), rows: [row("copy", "gru", 5, 0, false)] }));
  assert.equal(tasks.loadGrid(good).rows[0].cell, "gru");
  const bad = join(dir, "bad.json");
  writeFileSync(bad, JSON.stringify({ rows: [] }));
  assert.throws(() => tasks.loadGrid(bad), /not a grid's results file/);
  writeFileSync(bad, JSON.stringify({ grid: {}, settings: {}, rows: [{ task: "copy" }] }));
  assert.throws(() => tasks.loadGrid(bad), /row 0 .* lacks/);
  assert.throws(() => tasks.loadGrid(join(dir, "missing.json")), /cannot read .*long-range-grid\.mjs writes it/);
});

test("datasets/long-range-grid.json: complete, in the grid's order, with its settings; a stored row re-runs to the same numbers", () => {
  const stored = tasks.loadGrid();
  const runs = tasks.gridRuns(stored.grid);
  assert.equal(stored.complete, true);
  assert.equal(stored.rows.length, runs.length);
  assert.deepEqual(stored.rows.map((r) => [r.task, r.cell, r.T, r.seed]), runs.map((r) => [r.task, r.cell, r.T, r.seed]));
  assert.deepEqual(stored.settings, tasks.gridSettings(stored.settings));
  for (const r of stored.rows) assert.equal(r.solved, r.diverged ? false : r.task === "adding" ? r.score! < 0.01 : r.score! >= 0.95, `${r.task} ${r.cell} T=${r.T} seed ${r.seed}`);
  // The cheapest solved row (fewest steps × length), trained again.
  const cheapest = stored.rows.filter((r) => r.solved).sort((a, b) => a.stepsTaken * a.T - b.stepsTaken * b.T)[0];
  assert.deepEqual(tasks.gridRun(cheapest.task, cheapest.cell, cheapest.T, cheapest.seed, stored.settings), cheapest);
});
