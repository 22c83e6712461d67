// The one seam between kernel-lib and a data-frame library. Everything tabular (time series,
// sensor readings, logs) is read through `getTableBackend().readCSV(path)`, which returns plain
// column names and rows of text. Checking, typing, windowing and normalisation happen in our own
// typed-array code, so swapping danfojs for another reader means writing one object like
// `danfoBackend` and calling setTableBackend: no loader changes.

/** A CSV as a backend parsed it: the header, then one array of cells per data row, all text. */
export interface RawTable {
  readonly columns: readonly string[];
  /** rows[i] is data row i (line i + 2 of the file: line 1 is the header). */
  readonly rows: readonly (readonly unknown[])[];
}

export interface TableBackend {
  /** Shown by describe(): which library parsed the file. */
  readonly name: string;
  /**
   * Parses a CSV file with a header row. Must not convert types (we do, with row-level errors),
   * and should reject rows with the wrong number of fields.
   */
  readCSV(path: string): Promise<RawTable>;
}

let current: TableBackend | null = null;
let defaultFactory: (() => TableBackend) | null = null;

/** @internal danfo.ts registers itself here, so that backend.ts does not import it eagerly. */
export function registerDefaultBackend(factory: () => TableBackend): void {
  defaultFactory = factory;
}

/** The reader in use (danfojs-node unless setTableBackend was called). */
export function getTableBackend(): TableBackend {
  if (current === null) {
    if (defaultFactory === null) throw new Error("getTableBackend: no default backend registered");
    current = defaultFactory();
  }
  return current;
}

/** Replaces the CSV reader; returns the previous one, to restore it later. */
export function setTableBackend(backend: TableBackend): TableBackend | null {
  const previous = current;
  current = backend;
  return previous;
}
