// State dicts: a model's parameters as a plain JSON object, keyed by PyTorch's names.
//
//   { "weight_ih_l0": [[...], ...], "bias_ih_l0": [...], "head.weight": [[...]], ... }
//
// Nested arrays (not flat arrays plus shapes) so that a state dict written by PyTorch with
// `{k: v.tolist() for k, v in model.state_dict().items()}` loads as it is, and vice versa.
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

/**
 * The shape of a nested array, checking that it is rectangular and holds only finite numbers.
 * `where` names the value in errors (e.g. "weight_ih_l0").
 */
export function nestedShape(value: unknown, where: string): number[] {
  const shape: number[] = [];
  let probe = value;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    if (probe.length === 0) break;
    probe = probe[0];
  }
  const check = (v: unknown, axis: number, path: string): void => {
    if (axis === shape.length) {
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new TypeError(`${where}${path} is ${JSON.stringify(v)}; expected a finite number`);
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

/** Flattens a (rectangular, already checked) nested array into `out`, row-major. */
export function flattenInto(value: Nested, out: Float64Array): void {
  let k = 0;
  const walk = (v: Nested): void => {
    if (typeof v === "number") out[k++] = v;
    else for (const item of v) walk(item);
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
      shape = nestedShape(state[name], name);
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

/** The module's state dict as a JSON string (numbers round-trip exactly through JSON). */
export function saveJSON(module: HasStateDict): string {
  return JSON.stringify(module.stateDict());
}

/** Loads a JSON string written by saveJSON (or by PyTorch, see above) into the module. */
export function loadJSON(module: HasStateDict, json: string, options: LoadOptions = {}): LoadResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    throw new SyntaxError(`loadJSON: not valid JSON (${(e as Error).message})`);
  }
  return module.loadStateDict(parsed as StateDict, options);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}
