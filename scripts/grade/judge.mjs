// Compares what a student's function gave on a hidden case with what the teacher's solution gave
// on the same inputs (both as sandbox-child.cjs's observations), in the grader's own process.
// Numbers agree within a relative tolerance (students may sum in another order); everything else
// (shapes, lengths, keys, booleans, strings) must match exactly. The message says where the first
// difference is, never the reference value itself.

export const TOLERANCE = 1e-7;

function num(o) {
  if (typeof o === "number") return o;
  if (o && typeof o === "object" && typeof o.number === "string" && Object.keys(o).length === 1) return Number(o.number);
  return undefined;
}

/** null when `got` matches `want`, else a sentence naming where they differ first. */
export function difference(got, want, where = "the result", tol = TOLERANCE) {
  const a = num(got);
  const b = num(want);
  if (b !== undefined) {
    if (a === undefined) return `${where} should be a number, got ${kind(got)}`;
    if (Number.isNaN(b) || Number.isNaN(a)) return Number.isNaN(a) === Number.isNaN(b) ? null : `${where} is ${a} (NaN where a number was expected, or the reverse)`;
    if (!Number.isFinite(b) || !Number.isFinite(a)) return a === b ? null : `${where} is ${a}, which is wrong`;
    return Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)) ? null : `${where} is ${fmt(a)}, which is wrong`;
  }
  if (want === null || typeof want !== "object") {
    return got === want ? null : `${where} is ${short(got)}, which is wrong`;
  }
  if (Array.isArray(want)) {
    if (!Array.isArray(got)) return `${where} should be an array, got ${kind(got)}`;
    if (got.length !== want.length) return `${where} has ${got.length} element${got.length === 1 ? "" : "s"} (a different number is expected)`;
    for (let i = 0; i < want.length; i++) {
      const d = difference(got[i], want[i], `${where}[${i}]`, tol);
      if (d) return d;
    }
    return null;
  }
  if ("tensor" in want) {
    if (!got || typeof got !== "object" || !("tensor" in got)) return `${where} should be a tensor of shape [${want.tensor}], got ${kind(got)}`;
    // A student's function can return a plain object that looks like an observed tensor
    // ({ tensor: "2,3" }): it is not one, and must not crash the comparison.
    if (!Array.isArray(got.tensor) || !Array.isArray(got.data) || got.data.length !== got.tensor.reduce((n, d) => n * d, 1)) return `${where} should be a tensor of shape [${want.tensor}], got an object that is not one`;
    if (got.tensor.join(",") !== want.tensor.join(",")) return `${where} has shape ${cap(`[${got.tensor}]`)}, expected [${want.tensor}]`;
    for (let i = 0; i < want.data.length; i++) {
      const d = difference(got.data[i], want.data[i], `${where} at ${tensorIndex(i, want.tensor)}`, tol);
      if (d) return d;
    }
    return null;
  }
  if (!got || typeof got !== "object" || Array.isArray(got)) return `${where} should be an object, got ${kind(got)}`;
  for (const key of Object.keys(want)) {
    if (!(key in got)) return `${where} has no field "${key}"`;
    const d = difference(got[key], want[key], `${where}.${key}`, tol);
    if (d) return d;
  }
  const extra = Object.keys(got).filter((k) => !(k in want));
  return extra.length ? `${where} has field${extra.length > 1 ? "s" : ""} ${extra.map((k) => `"${k}"`).join(", ")} that should not be there` : null;
}

/** The case's input an observer recorded under `given`, as one line of feedback ("" if none). */
export function givenLine(observation) {
  const given = observation && typeof observation === "object" && !Array.isArray(observation) ? observation.given : undefined;
  if (!given || typeof given !== "object" || Array.isArray(given)) return "";
  const parts = Object.entries(given).map(([k, v]) => `${k} = ${JSON.stringify(v)}`);
  const line = parts.join(", ");
  return `\nThis case's input: ${line.length > 400 ? `${line.slice(0, 397)}...` : line}`;
}

function tensorIndex(flat, shape) {
  const idx = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    idx.unshift(flat % shape[d]);
    flat = Math.floor(flat / shape[d]);
  }
  return `[${idx.join(", ")}]`;
}

// What a student's value is, in a few words (capped: the value may be anything JSON can hold).
const cap = (s) => (s.length > 80 ? `${s.slice(0, 77)}...` : s);
function kind(v) {
  return cap(kindOf(v));
}

function kindOf(v) {
  if (v === null) return "null";
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === "object") {
    if ("tensor" in v) return `a tensor of shape [${v.tensor}]`;
    if ("undefined" in v) return "undefined";
    if ("number" in v) return String(v.number);
    return "an object";
  }
  return `${typeof v} ${short(v)}`;
}

const fmt = (x) => (Math.abs(x) >= 1e-3 && Math.abs(x) < 1e6 ? String(Number(x.toPrecision(6))) : x.toExponential(3));
const short = (v) => {
  const s = typeof v === "string" ? JSON.stringify(v) : typeof v === "object" ? kind(v) : String(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
};
