// Chapter 08's experiments, recurrence beside attention through one pipeline each:
//   - sequence-models.ts: the models (tanh RNN, GRU, LSTM, a small causal Transformer), one interface;
//   - delayed-recall.ts: memory over distance (name the symbol k steps back), one run per model,
//     lag and seed, with the gradient each model passes back (path length, measured);
//   - names-lab.ts: the same task, the same budget: the character model on first names.
// scripts/attention-lab.mjs runs the grids with the built library and stores the rows in
// datasets/attention-lab.json; the notebook loads them (loadAttentionLab) and re-runs some live,
// with the same functions, to show they come out the same.
import { readFileSync } from "node:fs";
import { datasetPath } from "../data/paths";
import type { RecallRow, RecallSettings } from "./delayed-recall";
import type { NamesRow, NamesSettings } from "./names-lab";
import type { SequenceModelKind } from "./sequence-models";

export { SEQUENCE_MODEL_KINDS, sequenceModel } from "./sequence-models";
export type { SequenceModel, SequenceModelKind, SequenceModelOptions } from "./sequence-models";
export { RECALL_DEFAULTS, delayedRecall, recallAccuracy, recallGradient, recallModel, recallRow, recallRun, recallRuns, recallSettings } from "./delayed-recall";
export type { DelayedRecallBatch, DelayedRecallOptions, RecallRow, RecallSettings } from "./delayed-recall";
export { NAMES_DEFAULTS, namesLoss, namesModel, namesRow, namesRun, namesSettings, namesSplit, sampleNames } from "./names-lab";
export type { CharModel, NamesCheckpoint, NamesRow, NamesSettings, NamesSplit } from "./names-lab";

/** datasets/attention-lab.json, as scripts/attention-lab.mjs writes it. */
export interface StoredAttentionLab {
  /** The command that wrote it (and writes it again: the same numbers, except the measured times). */
  command: string;
  /** Whether every run of both grids is in it. */
  complete: boolean;
  recall: {
    grid: { kinds: SequenceModelKind[]; lags: number[]; seeds: number[] };
    /** The settings every run shared, defaults filled in (pass them to recallRun to re-run a row). */
    settings: RecallSettings;
    rows: RecallRow[];
  };
  names: {
    grid: { kinds: SequenceModelKind[]; seeds: number[] };
    settings: NamesSettings;
    rows: NamesRow[];
  };
}

/** Loads the stored lab (default: datasets/attention-lab.json). */
export function loadAttentionLab(path: string = datasetPath("attention-lab.json")): StoredAttentionLab {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new Error(`loadAttentionLab: cannot read ${path}: ${e instanceof Error ? e.message : String(e)} (node scripts/attention-lab.mjs writes it)`);
  }
  const lab = parsed as Partial<StoredAttentionLab>;
  for (const part of ["recall", "names"] as const) {
    const p = lab?.[part] as { rows?: unknown; settings?: unknown; grid?: unknown } | undefined;
    if (!p || !Array.isArray(p.rows) || typeof p.settings !== "object" || typeof p.grid !== "object") {
      throw new Error(`loadAttentionLab: ${path} is not the attention lab's results file (its "${part}" part needs grid, settings and rows)`);
    }
  }
  return lab as StoredAttentionLab;
}
