// State dicts: a model's parameters as a plain JSON object, keyed by PyTorch's names.
//
//   { "weight_ih_l0": [[...], ...], "bias_ih_l0": [...], "head.weight": [[...]], ... }
//
// Nested arrays (not flat arrays plus shapes) so that a state dict written by PyTorch with
// `{k: v.tolist() for k, v in model.state_dict().items()}` loads as it is, and vice versa.
//
// JSON has no NaN or Infinity (JSON.stringify writes them as null, and the value is lost), yet a
// diverged model's checkpoint holds them. saveJSON writes them as the strings "NaN", "Infinity"
// and "-Infinity" (and -0 as -0), so every value comes back exactly; loadStateDict accepts those
// strings (and NaN/±Infinity numbers), and loadJSON also reads the bare NaN, Infinity and
// -Infinity that Python's json.dumps writes.
import { shapeStr } from "../errors";
import { Tensor } from "../tensor";

/** A number or (nested) array of numbers: a tensor as JSON. */
export type Nested = number | Nested[];
/** Parameter name → values as nested arrays. */
export type StateDict = Record<string, Nested>;

export interface LoadOptions {
  /** When true (the default), missing and unexpected keys are errors, as in PyTorch. */
  strict?: boolean;
}

/** What loading found, as PyTorch's load_state_dict reports it (only non-empty when strict is false). */
export interface LoadResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

/** Anything with a state dict: every nn.Module. */
export interface HasStateDict {
  stateDict(): StateDict;
  loadStateDict(state: StateDict, options?: LoadOptions): LoadResult;
}

/** The nested-array form of flat row-major `data` with the given shape. */
export function toNested(data: ArrayLike<number>, shape: readonly number[]): Nested {
  if (shape.length === 0) return data[0];
  let offset = 0;
  const build = (axis: number): Nested[] => {
    const out: Nested[] = [];
    for (let i = 0; i < shape[axis]; i++) {
      if (axis === shape.length - 1) out.push(data[offset++]);
      else out.push(build(axis + 1));
    }
    return out;
  };
  return build(0);
}

/** How saveJSON writes the non-finite numbers, which JSON lacks; loadStateDict reads them back. */
const NON_FINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity };

/** The number a state-dict entry stands for: itself, or NaN/±Infinity written as a string; undefined if neither. */
function entryValue(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string" && Object.prototype.hasOwnProperty.call(NON_FINITE, v)) return NON_FINITE[v];
  return undefined;
}

/**
 * The shape of a nested array, checking that it is rectangular and holds only finite numbers.
 * `where` names the value in errors (e.g. "weight_ih_l0"). With `nonFinite`, NaN and ±Infinity
 * are accepted too, as numbers or as the strings "NaN", "Infinity", "-Infinity" (a state dict);
 * without it (the fidelity fixtures' inputs) they are errors.
 */
export function nestedShape(value: unknown, where: string, options: { nonFinite?: boolean } = {}): number[] {
  const shape: number[] = [];
  let probe = value;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    if (probe.length === 0) break;
    probe = probe[0];
  }
  const check = (v: unknown, axis: number, path: string): void => {
    if (axis === shape.length) {
      if (options.nonFinite) {
        if (entryValue(v) !== undefined) return;
        const lost = v === null ? " (older saveJSON files wrote NaN and ±Infinity as null, and that value is lost)" : "";
        throw new TypeError(`${where}${path} is ${describeEntry(v)}; expected a number, or "NaN", "Infinity" or "-Infinity"${lost}`);
      }
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new TypeError(`${where}${path} is ${describeEntry(v)}; expected a finite number`);
      }
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[axis]) {
      throw new TypeError(`${where}${path} is not an array of length ${shape[axis]}: the nested arrays are ragged (shape ${shapeStr(shape)} from the first entries)`);
    }
    v.forEach((item, i) => check(item, axis + 1, `${path}[${i}]`));
  };
  check(value, 0, "");
  return shape;
}

/** `[3]`, `null`, `NaN` (JSON.stringify would show NaN as null), `"x"`, `a Tensor [2,3] (...)`. */
function describeEntry(v: unknown): string {
  if (typeof v === "number") return String(v);
  if (v instanceof Tensor) return `a Tensor ${shapeStr(v.shape)} (a state dict holds nested arrays: tensor.toArray())`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name} (a state dict holds nested arrays: Array.from, or tensor.toArray())`;
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/** Flattens a (rectangular, already checked) nested array into `out`, row-major ("NaN" and ±"Infinity" as numbers). */
export function flattenInto(value: Nested, out: Float64Array): void {
  let k = 0;
  const walk = (v: Nested): void => {
    if (Array.isArray(v)) for (const item of v) walk(item);
    else out[k++] = entryValue(v)!;
  };
  walk(value);
}

/** The state dict of named tensors (values are copied, so later training does not change it). */
export function stateDictOf(named: readonly (readonly [string, Tensor])[]): StateDict {
  const out: StateDict = {};
  for (const [name, t] of named) out[name] = toNested(t.data, t.shape);
  return out;
}

/**
 * Copies the values of `state` into the named tensors, in place (so optimizers and variables
 * holding the tensors see the new values). Every problem is collected and reported in one error:
 *   loadStateDict: weight_hh_l0 has shape [4,3], expected [12,3]
 * Shape mismatches are errors even when strict is false (as in PyTorch); nothing is written
 * unless everything checks out.
 */
export function loadNamed(
  named: readonly (readonly [string, Tensor])[],
  state: StateDict,
  options: LoadOptions = {},
): LoadResult {
  const strict = options.strict ?? true;
  if (typeof state !== "object" || state === null || Array.isArray(state)) {
    throw new TypeError(`loadStateDict: expected an object {name: nested arrays}, got ${Array.isArray(state) ? "an array" : typeof state}`);
  }
  const own = new Map(named.map(([name, t]) => [name, t] as const));
  const problems: string[] = [];
  const missingKeys: string[] = [];
  const unexpectedKeys = Object.keys(state).filter((k) => !own.has(k));
  const writes: [Tensor, Nested][] = [];
  for (const [name, t] of named) {
    if (!Object.prototype.hasOwnProperty.call(state, name)) {
      missingKeys.push(name);
      continue;
    }
    let shape: number[];
    try {
      shape = nestedShape(state[name], name, { nonFinite: true });
    } catch (e) {
      problems.push(`loadStateDict: ${(e as Error).message}`);
      continue;
    }
    if (!sameShape(shape, t.shape)) {
      problems.push(`loadStateDict: ${name} has shape ${shapeStr(shape)}, expected ${shapeStr(t.shape)}`);
      continue;
    }
    writes.push([t, state[name]]);
  }
  if (strict) {
    for (const k of missingKeys) {
      problems.push(`loadStateDict: missing key ${k} (expected shape ${shapeStr(own.get(k)!.shape)})`);
    }
    for (const k of unexpectedKeys) {
      problems.push(`loadStateDict: unexpected key ${k}; the model's keys are ${[...own.keys()].join(", ")}`);
    }
  }
  if (problems.length > 0) throw new Error(problems.join("\n"));
  for (const [t, value] of writes) flattenInto(value, t.data);
  return { missingKeys: strict ? [] : missingKeys, unexpectedKeys: strict ? [] : unexpectedKeys };
}

/**
 * The module's state dict as a JSON string. Every value round-trips exactly: finite numbers as
 * JSON numbers (the shortest text that reads back as the same double), -0 as -0, and NaN,
 * Infinity, -Infinity as the strings "NaN", "Infinity", "-Infinity" (JSON has no such numbers).
 */
export function saveJSON(module: HasStateDict): string {
  const state = module.stateDict();
  const entries = Object.keys(state).map((name) => `${JSON.stringify(name)}:${nestedToJSON(state[name])}`);
  return `{${entries.join(",")}}`;
}

function nestedToJSON(v: Nested): string {
  if (Array.isArray(v)) return `[${v.map(nestedToJSON).join(",")}]`;
  if (Number.isFinite(v)) return Object.is(v, -0) ? "-0" : String(v);
  return `"${String(v)}"`; // "NaN", "Infinity", "-Infinity"
}

/**
 * Loads a JSON string written by saveJSON (or by PyTorch, see above) into the module. Python's
 * json.dumps writes NaN and ±Infinity as bare NaN, Infinity, -Infinity, which JSON.parse refuses:
 * those are read as the numbers they stand for.
 */
export function loadJSON(module: HasStateDict, json: string, options: LoadOptions = {}): LoadResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    try {
      parsed = JSON.parse(quoteBareNonFinite(json));
    } catch {
      throw new SyntaxError(`loadJSON: not valid JSON (${(e as Error).message})`);
    }
  }
  return module.loadStateDict(parsed as StateDict, options);
}

/** Python's bare NaN, Infinity, -Infinity (outside strings) as the strings saveJSON writes. */
function quoteBareNonFinite(json: string): string {
  return json.replace(/"(?:[^"\\]|\\.)*"|-?\bInfinity\b|\bNaN\b/g, (m) => (m.startsWith('"') ? m : `"${m}"`));
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}
