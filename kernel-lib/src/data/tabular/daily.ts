// Daily series from CSV: one row per day, in date order. Windows assume one step per day, so a
// missing or repeated day (which would shift every week after it, in silence) is an error naming
// the file and line. loadBirths checks its packages' files this way; readDailySeries reads a
// learner's own file (sales, web traffic, energy use) into the same form.
import { Tensor } from "../../tensor";
import { describeLines, fmtCount, type Described } from "../describe";
import { DataError } from "../errors";
import type { DataTable } from "../table/data-table";
import { readCSV } from "../table/read";

const DAY_MS = 86400000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The rows' days as ISO dates, with 1 = Monday ... 7 = Sunday; every row must be the day after the one before it. */
export function consecutiveDays(table: DataTable, dayOf: (row: number) => { year: number; month: number; day: number; text: string }): { dates: string[]; dayOfWeek: Int32Array } {
  const dates: string[] = [];
  const dayOfWeek = new Int32Array(table.numRows);
  let previous = NaN;
  for (let i = 0; i < table.numRows; i++) {
    const { year, month, day, text } = dayOf(i);
    const ms = Date.UTC(year, month - 1, day);
    const date = new Date(ms);
    if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
      throw new DataError(`${table.source}:${table.lineOf(i)}: ${text} is not a date`);
    }
    const iso = date.toISOString().slice(0, 10);
    if (i > 0 && ms - previous !== DAY_MS) {
      const gap = (ms - previous) / DAY_MS;
      const why =
        gap === 0 ? `repeats ${iso}` :
        gap < 0 ? `${iso} comes before ${dates[i - 1]} (the rows must be in date order)` :
        `${iso} does not follow ${dates[i - 1]} by one day (${gap - 1} day${gap === 2 ? "" : "s"} missing)`;
      throw new DataError(`${table.source}:${table.lineOf(i)}: ${why}: a series read one step per day needs every day, once, in order`);
    }
    previous = ms;
    dates.push(iso);
    dayOfWeek[i] = ((date.getUTCDay() + 6) % 7) + 1;
  }
  return { dates, dayOfWeek };
}

/** describe() of a daily series: its days, its values (`label`: what they are) and their range, what else it holds. */
export function describeDaily(name: string, dates: readonly string[], values: Float64Array, label: string, what: string, more: [string, string][] = []): string {
  let min = Infinity, max = -Infinity;
  for (const v of values) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return describeLines(`${name}: ${fmtCount(values.length)} days, ${dates[0]} to ${dates[dates.length - 1]}`, [
    [label, `[N=${values.length}] ${what}, ${fmtCount(min)} to ${fmtCount(max)}`],
    ["series", `Tensor [N=${values.length}, 1] for forecastDataset`],
    ["also", "dates (ISO), dayOfWeek (1 = Monday), table"],
    ...more,
  ]);
}

export interface DailySeries extends Described {
  /** The file it was read from. */
  readonly name: string;
  /** dates[t]: "2024-01-01", one per day, consecutive. */
  readonly dates: readonly string[];
  /** values[t]: the value column on that day. [N] */
  readonly values: Float64Array;
  /** 1 = Monday ... 7 = Sunday. */
  readonly dayOfWeek: Int32Array;
  /** The series as a Tensor [N, 1], ready for forecastDataset. */
  readonly series: Tensor;
  /** The parsed CSV, for anything else. */
  readonly table: DataTable;
}

/**
 * A daily series from your own CSV: `await readDailySeries("sales.csv", { value: "sales" })`.
 * The date column (default "date") holds YYYY-MM-DD, one row per day, in order, no day missing;
 * the value column holds numbers. Anything else is an error naming the file and line.
 */
export async function readDailySeries(path: string, columns: { value: string; date?: string }): Promise<DailySeries> {
  if (!columns || typeof columns.value !== "string") throw new DataError(`readDailySeries: name the column of values, e.g. readDailySeries(${JSON.stringify(path)}, { value: "sales" })`);
  const dateColumn = columns.date ?? "date";
  const table = await readCSV(path, [dateColumn, columns.value]);
  const text = table.text(dateColumn);
  const { dates, dayOfWeek } = consecutiveDays(table, (i) => {
    const m = ISO_DATE.exec(text[i].trim());
    if (!m) throw new DataError(`${table.source}:${table.lineOf(i)}: column "${dateColumn}" is ${JSON.stringify(text[i])}, not a date written YYYY-MM-DD (as 2024-01-31): convert the column to that form (a spreadsheet's date format "yyyy-mm-dd" does it) and save again`);
    return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), text: text[i].trim() };
  });
  const values = table.numeric(columns.value);
  return {
    name: path,
    dates,
    values,
    dayOfWeek,
    series: new Tensor(Float64Array.from(values), [values.length, 1]),
    table,
    describe: () => describeDaily(path, dates, values, "values", `column "${columns.value}"`),
  };
}
