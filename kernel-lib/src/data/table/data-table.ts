// A parsed CSV with typed access to its columns. Every conversion checks every cell and names
// the file, the line and the value at fault: `births.csv:4: column "births" is "x", not a number`.
// Line numbers count the header as line 1, as an editor shows them.
import { DataError } from "../errors";
import { describeLines, fmtCount, type Described } from "../describe";
import type { RawTable } from "./backend";

// A plain decimal number: 12, -3.5, .5, 1e-3. Not "", " ", "0x1F", "1,5", "NaN", "Infinity".
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export class DataTable implements Described {
  readonly columns: readonly string[];
  readonly numRows: number;
  private readonly rows: readonly (readonly unknown[])[];

  /**
   * `source` is the file (for errors); `backend` the library that parsed it; `rowLines` the line
   * each data row starts on, when a quoted field spans lines (else row i is on line i + 2).
   */
  constructor(readonly source: string, raw: RawTable, readonly backend: string, private readonly rowLines: readonly number[] | null = null) {
    this.columns = raw.columns.slice();
    this.rows = raw.rows;
    this.numRows = raw.rows.length;
  }

  /** The line of the file that holds (the start of) data row i. */
  lineOf(row: number): number {
    return this.rowLines?.[row] ?? row + 2;
  }

  private columnIndex(name: string): number {
    const j = this.columns.indexOf(name);
    if (j < 0) {
      throw new DataError(`${this.source}: no column "${name}" (the columns are ${this.columns.map((c) => `"${c}"`).join(", ")})`);
    }
    return j;
  }

  /** A column's cells as text (empty cells are ""). */
  text(name: string): string[] {
    const j = this.columnIndex(name);
    return this.rows.map((r) => (r[j] === null || r[j] === undefined ? "" : String(r[j])));
  }

  /** A numeric column; an empty or non-numeric cell is an error naming its line. */
  numeric(name: string): Float64Array {
    const j = this.columnIndex(name);
    const out = new Float64Array(this.numRows);
    for (let i = 0; i < this.numRows; i++) {
      const cell = this.rows[i][j];
      const s = cell === null || cell === undefined ? "" : String(cell).trim();
      if (s === "") throw new DataError(`${this.source}:${this.lineOf(i)}: column "${name}" is empty; a number is needed (data row ${i + 1})`);
      if (!NUMBER.test(s)) {
        // Spreadsheets export what they display: "1,539", "$100", "12%".
        const shown = /[,$€£%\s]/.test(s) ? ": write plain numbers, without thousands separators, currency or percent signs" : "";
        throw new DataError(`${this.source}:${this.lineOf(i)}: column "${name}" is ${JSON.stringify(String(cell))}, not a number (data row ${i + 1})${shown}`);
      }
      out[i] = Number(s);
    }
    return out;
  }

  /** A numeric column whose values must be whole numbers (ids, counts, labels). */
  integer(name: string): Int32Array {
    const values = this.numeric(name);
    const out = new Int32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      if (!Number.isInteger(values[i]) || Math.abs(values[i]) > 2147483647) {
        throw new DataError(`${this.source}:${this.lineOf(i)}: column "${name}" is ${values[i]}, not a whole number (data row ${i + 1})`);
      }
      out[i] = values[i];
    }
    return out;
  }

  /** The first n rows as { columns, values }: what kl.viz.table() shows. */
  head(n = 5): { columns: string[]; values: unknown[][] } {
    return { columns: this.columns.slice(), values: this.rows.slice(0, n).map((r) => r.slice()) };
  }

  describe(): string {
    return describeLines(`DataTable ${this.source}`, [
      ["rows", fmtCount(this.numRows)],
      ["columns", this.columns.join(", ")],
      ["parsed by", this.backend],
    ]);
  }
}
