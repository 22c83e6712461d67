#!/usr/bin/env node
// Precomputes notebook 07's larger grid: every cell (tanh RNN, IRNN, LSTM, GRU) on four long-range
// tasks at four lengths, several seeds each, and writes one row per run to
// datasets/long-range-grid.json. The notebook loads that file, draws success against length, and
// re-runs a sample of its rows live: the runs are deterministic, so a row must come out the same.
//
// It trains with the BUILT library (kernel-lib/dist, what the notebooks import), through
// kl.tasks.gridRun, the function the notebook's live grid uses. Nothing in the file depends on
// when or where it ran (no timestamps, no timings): running it again gives the same file.
//
// Resumable: each finished run is appended to build/long-range-grid/progress.jsonl, and a run
// already there (or already in the results file, with the same settings) is skipped. Stop it at
// any time and start it again. To use both cores, start it twice: each process claims the next
// run nobody has (a file per run in build/long-range-grid/claims, holding the pid).
//   nice node scripts/long-range-grid.mjs &  nice node scripts/long-range-grid.mjs
// Each process writes the results file from every row finished so far when it ends; `--collect`
// only writes it (no training). The whole grid (320 runs) took about 31 minutes on two busy cores.
//
// Usage: node scripts/long-range-grid.mjs [--collect]
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { ROOT } from "./lib/project.mjs";
import { claimRun } from "./lib/run-claims.mjs";

const kl = createRequire(import.meta.url)("../kernel-lib/dist/index.js");

/** The grid. Changing anything here starts the grid over (the settings are part of each row's key). */
export const GRID = {
  tasks: ["adding", "temporal-order", "copy", "reber"],
  cells: ["rnn", "irnn", "lstm", "gru"],
  lengths: {
    adding: [10, 20, 40, 80],
    "temporal-order": [10, 20, 40, 80],
    copy: [1, 5, 10, 20],
    reber: [12, 20, 30, 40],
  },
  seeds: [0, 1, 2, 3, 4],
  settings: {
    steps: 600,
    batchSize: 32,
    hiddenSize: 32,
    optimizer: "adam",
    lr: 0.01,
    clip: 1,
    lstmForgetBias: 1,
    stopWhenSolvedEvery: 50,
    testSize: 500,
  },
};

const RESULTS = join(ROOT, "datasets", "long-range-grid.json");
const PROGRESS = join(ROOT, "build", "long-range-grid", "progress.jsonl");
const CLAIMS = join(ROOT, "build", "long-range-grid", "claims");

const args = process.argv.slice(2);
const collectOnly = args.includes("--collect");

const settingsKey = JSON.stringify(kl.tasks.gridSettings(GRID.settings));
const rowKey = (r) => `${r.task}|${r.cell}|${r.T}|${r.seed}`;

/** Rows already computed with these settings: from the results file, then from the progress file. */
function finishedRows() {
  const rows = new Map();
  if (existsSync(RESULTS)) {
    const stored = JSON.parse(readFileSync(RESULTS, "utf8"));
    if (JSON.stringify(stored.settings) === settingsKey) for (const r of stored.rows) rows.set(rowKey(r), r);
  }
  if (existsSync(PROGRESS)) {
    for (const line of readFileSync(PROGRESS, "utf8").split("\n")) {
      if (!line.trim()) continue;
      let entry;
      try { entry = JSON.parse(line); } catch { continue; } // a line cut short by a stop
      if (entry.settings === settingsKey) rows.set(rowKey(entry.row), entry.row);
    }
  }
  return rows;
}

function writeResults() {
  const done = finishedRows();
  const runs = kl.tasks.gridRuns(GRID);
  const rows = runs.map((r) => done.get(rowKey(r))).filter((r) => r !== undefined);
  const file = {
    about: "Notebook 07's precomputed grid: one row per training run (kl.tasks.gridRun). Written by `node scripts/long-range-grid.mjs`; re-running it gives this file again.",
    command: "node scripts/long-range-grid.mjs",
    complete: rows.length === runs.length,
    grid: { tasks: GRID.tasks, cells: GRID.cells, lengths: GRID.lengths, seeds: GRID.seeds },
    settings: JSON.parse(settingsKey),
    rows,
  };
  const text = `{\n${Object.entries(file).map(([k, v]) => k === "rows"
    ? `  "rows": [\n${v.map((r) => `    ${JSON.stringify(r)}`).join(",\n")}\n  ]`
    : `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(",\n")}\n}\n`;
  writeFileSync(`${RESULTS}.tmp`, text);
  renameSync(`${RESULTS}.tmp`, RESULTS);
  console.log(`long-range-grid: wrote datasets/long-range-grid.json (${rows.length} of ${runs.length} runs${file.complete ? "" : ": not complete yet"})`);
}

if (!collectOnly) {
  mkdirSync(CLAIMS, { recursive: true });
  // Seed by seed, so that a grid stopped half-way has every task, cell and length at least once.
  const runs = kl.tasks.gridRuns(GRID).sort((a, b) => a.seed - b.seed);
  const done = finishedRows();
  const todo = runs.filter((r) => !done.has(rowKey(r)));
  console.log(`long-range-grid: ${todo.length} runs to do (${done.size} of ${runs.length} done already)`);
  const started = Date.now();
  let count = 0;
  for (const r of todo) {
    if (finishedRows().has(rowKey(r)) || !claimRun(CLAIMS, rowKey(r))) continue; // done or taken by another process
    const t0 = Date.now();
    const row = kl.tasks.gridRun(r.task, r.cell, r.T, r.seed, GRID.settings);
    appendFileSync(PROGRESS, `${JSON.stringify({ settings: settingsKey, row })}\n`);
    count++;
    console.log(`[${count}] ${r.task} ${r.cell} T=${r.T} seed ${r.seed}: ${row.solved ? "solved" : "not solved"} `
      + `(score ${row.score}, ${row.stepsTaken} steps${row.diverged ? ", diverged" : ""}) ${((Date.now() - t0) / 1000).toFixed(1)} s, `
      + `${((Date.now() - started) / 60000).toFixed(1)} min so far`);
  }
}
writeResults();
