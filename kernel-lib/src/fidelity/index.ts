// Fidelity against PyTorch: load reference cases, run them, report the worst error per case.
//
//   checkFixtureDir("../shared/fixtures/pytorch").map(formatReport)
//   → "PASS lstm_I3_H4_T5_B2.json  worst rel err 5.0e-16 (loss)", ...
//
// The pieces: format.ts reads and checks a case file, runners.ts runs it through the library,
// compare.ts defines the error measure (and why it has a floor of 1).
// scripts/fidelity.mjs is the command-line front end (`npm run fidelity`).
import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { Comparison, WorstError } from "./compare";
import { FixtureCase, loadFixtureCase } from "./format";
import { RunOptions, runCellCase, runCrossAttentionCase, runLayerNormCase, runModelCase, runSelfAttentionCase, runTrainCase } from "./runners";

export { Comparison, relativeError } from "./compare";
export type { WorstError } from "./compare";
export { FixtureError, loadFixtureCase, parseFixtureCase } from "./format";
export type { CellCase, CrossAttentionCase, FixtureCase, LayerNormCase, ModelCase, SelfAttentionCase, TrainCase } from "./format";
export { runCellCase, runCrossAttentionCase, runLayerNormCase, runModelCase, runSelfAttentionCase, runTrainCase } from "./runners";
export type { RunOptions } from "./runners";

/** The pass threshold on the worst error of a case (see compare.ts for the measure). */
export const FIDELITY_TOLERANCE = 1e-9;


export interface CaseReport {
  file: string;
  /** "cell", "train", "model", "mha_self", "mha_cross" or "layer_norm"; null when the file could not be loaded. */
  kind: FixtureCase["kind"] | null;
  pass: boolean;
  /** The worst error and where (null when the case could not be loaded or run). */
  worst: WorstError | null;
  /** How many numbers were compared. */
  compared: number;
  /** Why the case could not be loaded or run. */
  problem?: string;
}

/** Loads, runs and compares one case file; never throws (problems are reported as failures). */
export function checkFixtureFile(path: string, tolerance = FIDELITY_TOLERANCE, options: RunOptions = {}): CaseReport {
  const file = basename(path);
  let c: FixtureCase;
  try {
    c = loadFixtureCase(path);
  } catch (e) {
    return { file, kind: null, pass: false, worst: null, compared: 0, problem: (e as Error).message };
  }
  try {
    const cmp = runCase(c, options);
    return { file, kind: c.kind, pass: cmp.worst.error <= tolerance, worst: cmp.worst, compared: cmp.count };
  } catch (e) {
    return { file, kind: c.kind, pass: false, worst: null, compared: 0, problem: `${file}: ${(e as Error).message}` };
  }
}

/** Runs a loaded case of any kind. */
function runCase(c: FixtureCase, options: RunOptions): Comparison {
  switch (c.kind) {
    case "cell":
      return runCellCase(c, options);
    case "train":
      return runTrainCase(c);
    case "model":
      return runModelCase(c);
    case "mha_self":
      return runSelfAttentionCase(c);
    case "mha_cross":
      return runCrossAttentionCase(c);
    case "layer_norm":
      return runLayerNormCase(c);
  }
}

/** The case files of a directory: every *.json, sorted by name (README and other files ignored). */
export function fixtureFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith(".json"))
    .sort()
    .map((n) => join(dir, n));
}

/** Checks every case file of a directory. */
export function checkFixtureDir(dir: string, tolerance = FIDELITY_TOLERANCE, options: RunOptions = {}): CaseReport[] {
  return fixtureFiles(dir).map((f) => checkFixtureFile(f, tolerance, options));
}

/** One line: `PASS lstm_I3_H4_T5_B2.json  worst rel err 3.1e-15 (grads.weight_hh[2][1])`. */
export function formatReport(r: CaseReport): string {
  const status = r.pass ? "PASS" : "FAIL";
  if (r.worst === null) return `${status} ${r.file}  ${r.problem ?? "not run"}`;
  const { error, where, expected, actual } = r.worst;
  const detail = r.pass ? "" : `: expected ${expected}, got ${actual}`;
  return `${status} ${r.file}  worst rel err ${error.toExponential(1)} (${where}${detail})`;
}

/** The closing line: how many cases passed, and the worst error overall. */
export function formatSummary(reports: readonly CaseReport[], tolerance = FIDELITY_TOLERANCE): string {
  const passed = reports.filter((r) => r.pass).length;
  const worst = Math.max(0, ...reports.map((r) => (r.worst === null ? 0 : r.worst.error)));
  const verdict = passed === reports.length ? "all passed" : `${reports.length - passed} FAILED`;
  return `${reports.length} cases, ${passed} passed, ${verdict} (tolerance ${tolerance}; worst rel err ${worst.toExponential(1)})`;
}
