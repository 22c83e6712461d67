// The text of every loader's describe(): a title line, then one "name: value" line per fact, so
// that a notebook cell prints the shapes a learner needs before writing the model.
import type { Shape } from "../tensor";

export interface Described {
  /** A few lines: what this is, its shapes, its size, where it came from. */
  describe(): string;
}

/** `[T=200, B=32, I=2]`: a shape with the meaning of each axis, as the docs write it. */
export function namedShape(shape: Shape, names: readonly string[]): string {
  return `[${shape.map((d, i) => (names[i] ? `${names[i]}=${d}` : String(d))).join(", ")}]`;
}

export function describeLines(title: string, facts: readonly (readonly [string, string | number])[]): string {
  const width = Math.max(0, ...facts.map(([k]) => k.length));
  return [title, ...facts.map(([k, v]) => `  ${k.padEnd(width)}  ${typeof v === "number" ? fmtCount(v) : v}`)].join("\n");
}

/** 12345 → "12,345"; non-integers keep 4 significant digits. */
export function fmtCount(n: number): string {
  if (!Number.isInteger(n)) return String(Number(n.toPrecision(4)));
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
