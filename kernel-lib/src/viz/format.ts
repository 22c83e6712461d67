// Text formatting shared by charts, tables and the live view: HTML escaping, numbers a person can
// read at a glance, counts with thousands separators. Kept independent of the locale, so a
// notebook's outputs are the same on every machine (and in tests).

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text safe to put inside an HTML element or attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/**
 * JSON that can sit inside a <script> element: `</script>` or `<!--` in a title must not end the
 * script early, so every `<` becomes `\u003c` (the same string once parsed). U+2028/2029 are
 * escaped too: old engines treat them as line ends inside string literals.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/** `5000` -> `5,000`: counts in summaries ("showing 10 of 5,000 rows"). */
export function groupThousands(n: number): string {
  return Number.isFinite(n) ? withGroupedInt(String(n)) : String(n);
}

/**
 * A number with about `digits` significant digits: `0.001234`, `12.35`, `1,234,567`, `1.235e-7`.
 * Integers print whole (with thousands separators); very large or very small values switch to
 * exponent notation, so a column of losses never shows `0.0000`.
 */
export function formatNumber(v: number, digits = 4): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "Infinity";
  if (v === -Infinity) return "-Infinity";
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return groupThousands(v);
  const abs = Math.abs(v);
  if (abs >= 1e9 || abs < 1e-3) return v.toExponential(Math.max(0, digits - 1)).replace(/\.?0+e/, "e");
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(abs)));
  const fixed = v.toFixed(decimals);
  const trimmed = fixed.includes(".") ? fixed.replace(/\.?0+$/, "") : fixed;
  return withGroupedInt(trimmed === "-0" ? "0" : trimmed);
}

/** Thousands separators on the integer part of a decimal string: `12345.6` -> `12,345.6`. */
function withGroupedInt(s: string): string {
  const neg = s.startsWith("-");
  const [int, frac] = (neg ? s.slice(1) : s).split(".");
  return (neg ? "-" : "") + int.replace(/\B(?=(\d{3})+(?!\d))/g, ",") + (frac !== undefined ? `.${frac}` : "");
}

/** `1 value` / `3 values`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${groupThousands(n)} ${n === 1 ? one : many}`;
}

/** A duration for the live view: `850 ms`, `4.2 s`, `3 min 05 s`, `1 h 02 min`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "?";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const totalS = Math.round(s);
  if (totalS < 3600) return `${Math.floor(totalS / 60)} min ${String(totalS % 60).padStart(2, "0")} s`;
  const totalMin = Math.round(totalS / 60);
  return `${Math.floor(totalMin / 60)} h ${String(totalMin % 60).padStart(2, "0")} min`;
}
