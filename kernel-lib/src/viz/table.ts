// Compact tables: an array of records, a map of columns, or a DataFrame (danfojs or anything
// with `columns` and `values`, recognised by shape so kernel-lib does not depend on danfojs).
// Long tables show their first rows and say so ("showing 10 of 5,000 rows"); numbers get a
// readable number of digits; every cell is HTML-escaped (a token "<b>" stays text).
import { escapeHtml, formatNumber, groupThousands, plural } from "./format";
import type { Displayable, MimeBundle } from "./mime";
import { sendDisplay } from "./show";
import { isTensorLike } from "./values";

/** What a danfojs DataFrame looks like from outside: column names and rows of values. */
export interface DataFrameLike {
  readonly columns: readonly string[];
  readonly values: readonly (readonly unknown[])[];
}

export type TableData =
  | readonly Readonly<Record<string, unknown>>[]
  | Readonly<Record<string, ArrayLike<unknown>>>
  | DataFrameLike;

export interface TableOptions {
  /** A caption above the table. */
  title?: string;
  /** Rows shown before "showing N of M rows" (default 10). */
  maxRows?: number;
  /** Significant digits for non-integer numbers (default 4). */
  digits?: number;
  /** Longer text cells are cut with "…" (default 60 characters). */
  maxCellChars?: number;
}

export function isDataFrameLike(x: unknown): x is DataFrameLike {
  return typeof x === "object" && x !== null && Array.isArray((x as DataFrameLike).columns) && Array.isArray((x as DataFrameLike).values);
}

export class Table implements Displayable {
  readonly maxRows: number;
  readonly digits: number;
  readonly maxCellChars: number;

  constructor(
    readonly columns: readonly string[],
    /** Every row (only the first maxRows are shown). */
    readonly rows: readonly (readonly unknown[])[],
    readonly options: TableOptions = {},
  ) {
    this.maxRows = checkCount("maxRows", options.maxRows ?? 10, 0);
    this.digits = checkCount("digits", options.digits ?? 4, 1);
    this.maxCellChars = checkCount("maxCellChars", options.maxCellChars ?? 60, 4);
  }

  get label(): string {
    const size = `${plural(this.rows.length, "row")} x ${plural(this.columns.length, "column")}`;
    return this.options.title ? `table "${this.options.title}" (${size})` : `table (${size})`;
  }

  /** `showing 10 of 5,000 rows`, or `3 rows` when everything is shown. */
  get footer(): string {
    const n = this.rows.length;
    return n > this.maxRows ? `showing ${groupThousands(this.maxRows)} of ${groupThousands(n)} rows` : plural(n, "row");
  }

  /** The shown rows as text, and whether each column holds numbers (right-aligned). */
  cells(): { text: string[][]; numeric: boolean[] } {
    const shown = this.rows.slice(0, this.maxRows);
    const text = shown.map((row) => this.columns.map((_, c) => this.formatCell(row[c])));
    const numeric = this.columns.map((_, c) => shown.length > 0 && shown.every((row) => row[c] == null || typeof row[c] === "number" || typeof row[c] === "bigint"));
    return { text, numeric };
  }

  toBundle(): MimeBundle {
    return { "text/plain": this.toText(), "text/html": this.toHtml() };
  }

  toHtml(): string {
    const { text, numeric } = this.cells();
    const align = (c: number) => (numeric[c] ? ' style="text-align:right"' : ' style="text-align:left"');
    const caption = this.options.title ? `<caption style="caption-side:top;text-align:left;font-weight:bold">${escapeHtml(this.options.title)}</caption>` : "";
    const head = `<thead><tr>${this.columns.map((name, c) => `<th${align(c)}>${escapeHtml(name)}</th>`).join("")}</tr></thead>`;
    const body = `<tbody>${text.map((row) => `<tr>${row.map((cell, c) => `<td${align(c)}>${escapeHtml(cell)}</td>`).join("")}</tr>`).join("")}</tbody>`;
    return `<div class="kernel-lib-table"><table>${caption}${head}${body}</table><div style="font-size:90%;opacity:0.7">${escapeHtml(this.footer)}</div></div>`;
  }

  toText(): string {
    const { text, numeric } = this.cells();
    const widths = this.columns.map((name, c) => Math.max(name.length, ...text.map((row) => row[c].length)));
    const pad = (s: string, c: number) => (numeric[c] ? s.padStart(widths[c]) : s.padEnd(widths[c]));
    const lines = [this.columns.map(pad).join("  "), ...text.map((row) => row.map(pad).join("  "))].map((l) => l.trimEnd());
    return [...(this.options.title ? [this.options.title] : []), ...lines, this.footer].join("\n");
  }

  private formatCell(v: unknown): string {
    const s = formatValue(v, this.digits);
    return s.length > this.maxCellChars ? `${s.slice(0, this.maxCellChars - 1)}…` : s;
  }
}

/** One cell as text: numbers with `digits` significant digits, tensors as their shape. */
export function formatValue(v: unknown, digits: number): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return formatNumber(v, digits);
  if (typeof v === "string") return v;
  if (typeof v === "bigint" || typeof v === "boolean") return String(v);
  if (v instanceof Date) return v.toISOString();
  if (isTensorLike(v)) return `Tensor [${v.shape.join(",")}]`;
  if (Array.isArray(v) || ArrayBuffer.isView(v)) {
    const items = Array.from(v as ArrayLike<unknown>);
    const head = items.slice(0, 5).map((x) => formatValue(x, digits));
    return `[${head.join(", ")}${items.length > 5 ? `, … (${items.length})` : ""}]`;
  }
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

function checkCount(option: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) throw new RangeError(`table: ${option} must be a whole number >= ${min}; got ${value}`);
  return value;
}

/**
 * `table(rows)`, `table({ step: steps, loss: losses })` or `table(dataFrame)`, with
 * `{ title, maxRows, digits }`. Show it with `show(...)`.
 */
export function table(data: TableData, options: TableOptions = {}): Table {
  if (data === null || data === undefined || typeof data !== "object") {
    throw new TypeError(`table: expected an array of records, an object of columns, or a DataFrame; got ${data === null ? "null" : typeof data}`);
  }
  if (Array.isArray(data)) return fromRecords(data as readonly Readonly<Record<string, unknown>>[], options);
  if (isDataFrameLike(data)) return fromDataFrame(data, options);
  if (isTensorLike(data)) throw new TypeError("table: got a Tensor; pass its values as a column, e.g. table({ loss: t.data })");
  return fromColumns(data as Readonly<Record<string, ArrayLike<unknown>>>, options);
}

function fromRecords(records: readonly Readonly<Record<string, unknown>>[], options: TableOptions): Table {
  const columns: string[] = [];
  const seen = new Set<string>();
  records.forEach((r, i) => {
    if (typeof r !== "object" || r === null) throw new TypeError(`table: row ${i} is ${r === null ? "null" : typeof r}, not a record`);
    for (const key of Object.keys(r)) if (!seen.has(key)) { seen.add(key); columns.push(key); }
  });
  return new Table(columns, records.map((r) => columns.map((c) => r[c])), options);
}

function fromColumns(map: Readonly<Record<string, ArrayLike<unknown>>>, options: TableOptions): Table {
  const columns = Object.keys(map);
  let length: number | null = null;
  let first = "";
  for (const name of columns) {
    const col = map[name];
    if (col === null || typeof col !== "object" || typeof col.length !== "number") {
      throw new TypeError(`table: column "${name}" is ${col === null ? "null" : typeof col}, not an array of values`);
    }
    if (length === null) { length = col.length; first = name; }
    else if (col.length !== length) throw new RangeError(`table: column "${name}" has ${col.length} values but column "${first}" has ${length}`);
  }
  const rows = Array.from({ length: length ?? 0 }, (_, i) => columns.map((c) => map[c][i]));
  return new Table(columns, rows, options);
}

function fromDataFrame(df: DataFrameLike, options: TableOptions): Table {
  const columns = df.columns.map(String);
  const values = df.values;
  const rows = values.map((row, i) => {
    // A one-column frame (or a Series) may hold plain values instead of one-element rows.
    const r = Array.isArray(row) ? row : [row];
    if (r.length !== columns.length) throw new RangeError(`table: DataFrame row ${i} has ${r.length} values but there are ${columns.length} columns`);
    return r;
  });
  return new Table(columns, rows, options);
}

/** `showTable(rows, { title: "Runs", maxRows: 5 })`: the table, displayed. */
export function showTable(data: TableData, options: TableOptions = {}): void {
  sendDisplay(table(data, options));
}
