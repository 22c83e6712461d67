// Series as the helpers accept them, turned into one checked form. A cell can name series with
// an object (`{ rnn: norms1, lstm: norms2 }`, drawn in that order) or list them with options
// (`[{ name: "rnn", y: norms1, x: steps }]`).
import { ChartInputError, Undrawable, checkUniqueNames } from "./checks";
import { toNumbers, type Values } from "./values";

/** One named series; `x` defaults to the chart's shared `x`, then to 0, 1, 2, ... */
export interface NamedSeries {
  name: string;
  y: Values;
  x?: Values;
}

export type SeriesInput = Readonly<Record<string, Values>> | readonly NamedSeries[];

/** A series after checking: plain arrays, y with gaps (null) where a value cannot be drawn. */
export interface CheckedSeries {
  name: string;
  x: number[];
  y: (number | null)[];
  notes: string[];
}

export function listSeries(where: string, series: SeriesInput | undefined): NamedSeries[] {
  if (series === undefined || series === null) throw new ChartInputError(`${where}: series is missing (give { name: values, ... })`);
  const list = Array.isArray(series)
    ? (series as readonly NamedSeries[]).slice()
    : Object.entries(series as Readonly<Record<string, Values>>).map(([name, y]) => ({ name, y }));
  if (list.length === 0) throw new ChartInputError(`${where}: no series to draw (series is empty)`);
  checkUniqueNames(where, list.map((s) => s.name));
  return list;
}

/**
 * Checks one x/y series. Shape problems throw (lengths, empty, x that is not a finite number or
 * not > 0 on a log x axis); y values that cannot be drawn become gaps and notes.
 */
export function checkSeries(where: string, s: NamedSeries, sharedX: Values | undefined, logX: boolean, logY: boolean): CheckedSeries {
  const what = `series "${s.name}"`;
  if (s.y === undefined || s.y === null) throw new ChartInputError(`${where}: ${what} has no y values`);
  const ys = toNumbers(s.y);
  if (ys.length === 0) throw new ChartInputError(`${where}: ${what} is empty (0 points)`);
  const xSource = s.x ?? sharedX;
  const xs = xSource === undefined ? ys.map((_, i) => i) : toNumbers(xSource);
  if (xs.length !== ys.length) {
    throw new ChartInputError(`${where}: ${what} has ${xs.length} x values but ${ys.length} y values`);
  }
  xs.forEach((x, i) => {
    if (!Number.isFinite(x)) throw new ChartInputError(`${where}: ${what} has x value ${x} at index ${i}; x values must be finite numbers`);
    if (logX && x <= 0) throw new ChartInputError(`${where}: ${what} has x value ${x} at index ${i}, which a log x axis cannot show (start steps at 1, or drop logX)`);
  });
  const undrawable = new Undrawable(ys);
  const y = ys.map((v) => undrawable.admit(v, logY));
  return { name: s.name, x: xs, y, notes: undrawable.notes(what) };
}
