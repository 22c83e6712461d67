// The danfojs-node backend: danfo parses the CSV (with PapaParse) into a DataFrame, and we take
// its columns and rows as text.
//
// Loaded lazily: danfojs-node pulls in TensorFlow.js and takes about a second to import, so
// `import "kernel-lib"` must not load it. The first readCSV pays that once. Its published 1.2.0
// installs offline only with the root package.json's `overrides` (xlsx from the registry,
// @tensorflow/tfjs-node mapped to the pure-JS @tensorflow/tfjs): see datasets/README.md.
import { requirePackage } from "../paths";
import { registerDefaultBackend, type RawTable, type TableBackend } from "./backend";

/** The part of danfojs-node's API we use, typed here so that its .d.ts never reaches notebooks. */
interface DanfoModule {
  readCSV(path: string, options: Record<string, unknown>): Promise<{ columns: string[]; values: unknown[][] }>;
}

let danfo: DanfoModule | null = null;

export const danfoBackend: TableBackend = {
  name: "danfojs-node",
  async readCSV(path: string): Promise<RawTable> {
    danfo ??= requirePackage("danfojs-node", "reading CSV files") as DanfoModule;
    // dynamicTyping off: every cell stays text, and our loaders convert it with errors that name
    // the row. (Danfo would turn "x" in a numeric column into a string column without a word.)
    const df = await danfo.readCSV(path, { dynamicTyping: false });
    return { columns: df.columns.slice(), rows: df.values };
  },
};

registerDefaultBackend(() => danfoBackend);
