#!/usr/bin/env node
// Precomputes notebook 08's two grids and writes one row per training run to
// datasets/attention-lab.json:
//   - recall: a tanh RNN, a GRU, an LSTM and a small Transformer (parameter counts within 3%) on
//     delayed recall (name the symbol k steps back) at five lags, three seeds each: accuracy, and
//     the gradient each passes back to every input position, before and after training;
//   - names: the same four kinds as character models on first names, the same budget (600 steps),
//     three seeds: the validation curve with its training time, and samples.
// The notebook loads the file, draws it, and re-runs rows live with the same library functions
// (kl.tasks.recallRun, kl.tasks.namesRun): the runs are deterministic, so a row must come out the
// same. Everything in the file is deterministic except the names rows' measured `seconds`.
//
// It trains with the BUILT library (kernel-lib/dist, what the notebooks import). Resumable: each
// finished run is appended to build/attention-lab/progress.jsonl, and a run already there (or
// already in the results file, with the same settings) is skipped. To use both cores, start it
// twice: each process claims the next run nobody has (a file per run in build/attention-lab/claims).
//   nice node scripts/attention-lab.mjs &  nice node scripts/attention-lab.mjs
// Each process writes the results file from every row finished so far when it ends; `--collect`
// only writes it (no training). The recall grid (60 runs) took about 6 minutes on two busy cores.
//
// The names rows' `seconds` are drawn in the notebook (validation loss against training time), so
// they should be measured with nothing else running: `--redo-names` trains the 12 names runs again
// in this one process (about a minute) and keeps every other row. The stored ones were measured
// that way, on the course's 2-core machine. Their numbers other than the times come out the same.
//
// Usage: node scripts/attention-lab.mjs [--collect | --redo-names]
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { ROOT } from "./lib/project.mjs";
import { claimRun } from "./lib/run-claims.mjs";

const kl = createRequire(import.meta.url)("../kernel-lib/dist/index.js");

/** The grids. Changing the settings starts that grid over (they are part of each row's key). */
export const LAB = {
  recall: { kinds: ["rnn", "gru", "lstm", "transformer"], lags: [1, 2, 4, 8, 16], seeds: [0, 1, 2], settings: {} },
  names: { kinds: ["rnn", "gru", "lstm", "transformer"], seeds: [0, 1, 2], settings: {} },
};

const RESULTS = join(ROOT, "datasets", "attention-lab.json");
const PROGRESS = join(ROOT, "build", "attention-lab", "progress.jsonl");
const CLAIMS = join(ROOT, "build", "attention-lab", "claims");

const collectOnly = process.argv.slice(2).includes("--collect");
const redoNames = process.argv.slice(2).includes("--redo-names");

const settings = {
  recall: kl.tasks.recallSettings(LAB.recall.settings),
  names: kl.tasks.namesSettings(LAB.names.settings),
};
const settingsKey = { recall: JSON.stringify(settings.recall), names: JSON.stringify(settings.names) };
const rowKey = (part, r) => (part === "recall" ? `recall|${r.kind}|${r.lag}|${r.seed}` : `names|${r.kind}|${r.seed}`);

/** Every run of both grids, seed by seed (a lab stopped half-way has every kind and lag once). */
function allRuns() {
  const recall = kl.tasks.recallRuns(LAB.recall).map((r) => ({ part: "recall", ...r }));
  const names = LAB.names.kinds.flatMap((kind) => LAB.names.seeds.map((seed) => ({ part: "names", kind, seed })));
  return [...recall, ...names];
}

/** Rows already computed with these settings: from the results file, then from the progress file. */
function finishedRows() {
  const rows = new Map();
  if (existsSync(RESULTS)) {
    const stored = JSON.parse(readFileSync(RESULTS, "utf8"));
    for (const part of ["recall", "names"]) {
      if (JSON.stringify(stored[part]?.settings) === settingsKey[part]) for (const r of stored[part].rows) rows.set(rowKey(part, r), r);
    }
  }
  if (existsSync(PROGRESS)) {
    for (const line of readFileSync(PROGRESS, "utf8").split("\n")) {
      if (!line.trim()) continue;
      let entry;
      try { entry = JSON.parse(line); } catch { continue; } // a line cut short by a stop
      if (entry.settings === settingsKey[entry.part]) rows.set(rowKey(entry.part, entry.row), entry.row);
    }
  }
  return rows;
}

function writeResults() {
  const done = finishedRows();
  const runs = allRuns();
  const rowsOf = (part) => runs.filter((r) => r.part === part).map((r) => done.get(rowKey(part, r))).filter((r) => r !== undefined);
  const recallRows = rowsOf("recall"), namesRows = rowsOf("names");
  const file = {
    about: "Notebook 08's precomputed runs: delayed recall (kl.tasks.recallRun) and names (kl.tasks.namesRun), one row per run. Written by `node scripts/attention-lab.mjs`; re-running it gives the same numbers except the names rows' measured seconds.",
    command: "node scripts/attention-lab.mjs",
    complete: recallRows.length + namesRows.length === runs.length,
    recall: { grid: { kinds: LAB.recall.kinds, lags: LAB.recall.lags, seeds: LAB.recall.seeds }, settings: settings.recall, rows: recallRows },
    names: { grid: { kinds: LAB.names.kinds, seeds: LAB.names.seeds }, settings: settings.names, rows: namesRows },
  };
  const part = (p) => `{\n    "grid": ${JSON.stringify(p.grid)},\n    "settings": ${JSON.stringify(p.settings)},\n    "rows": [\n${p.rows.map((r) => `      ${JSON.stringify(r)}`).join(",\n")}\n    ]\n  }`;
  const text = `{\n${Object.entries(file).map(([k, v]) => `  ${JSON.stringify(k)}: ${k === "recall" || k === "names" ? part(v) : JSON.stringify(v)}`).join(",\n")}\n}\n`;
  writeFileSync(`${RESULTS}.tmp`, text);
  renameSync(`${RESULTS}.tmp`, RESULTS);
  console.log(`attention-lab: wrote datasets/attention-lab.json (${recallRows.length + namesRows.length} of ${runs.length} runs${file.complete ? "" : ": not complete yet"})`);
}

if (!collectOnly) {
  mkdirSync(CLAIMS, { recursive: true });
  const runs = allRuns().sort((a, b) => a.seed - b.seed);
  const done = finishedRows();
  const redo = (r) => redoNames && r.part === "names";
  const todo = runs.filter((r) => redo(r) || !done.has(rowKey(r.part, r)));
  console.log(`attention-lab: ${todo.length} runs to do (${done.size} of ${runs.length} done already)`);
  const started = Date.now();
  let count = 0;
  for (const r of todo) {
    const key = rowKey(r.part, r);
    if ((!redo(r) && finishedRows().has(key)) || !claimRun(CLAIMS, key)) continue; // done or taken by another process
    const t0 = Date.now();
    const row = r.part === "recall"
      ? kl.tasks.recallRow(kl.tasks.recallRun(r.kind, r.lag, r.seed, settings.recall))
      : kl.tasks.namesRow(kl.tasks.namesRun(r.kind, r.seed, settings.names));
    appendFileSync(PROGRESS, `${JSON.stringify({ part: r.part, settings: settingsKey[r.part], row })}\n`);
    count++;
    const what = r.part === "recall" ? `accuracy ${row.accuracy.toFixed(3)} after ${row.stepsTaken} steps` : `validation loss ${row.valLoss.toFixed(4)}`;
    console.log(`[${count}] ${key}: ${what} ${((Date.now() - t0) / 1000).toFixed(1)} s, ${((Date.now() - started) / 60000).toFixed(1)} min so far`);
  }
}
writeResults();
