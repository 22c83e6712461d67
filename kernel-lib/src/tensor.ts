// The Tensor: an n-dimensional array of numbers, plus what autodiff needs (requiresGrad, grad).
//
// Storage is always one contiguous Float64Array in row-major order: element [i, j] of a [n, m]
// tensor sits at data[i * m + j]. No strides, no views with gaps: every op can walk `data` with a
// plain loop, which is what a learner reading the ops expects, and what keeps kernels simple.
//
// Why float64 and not float32 (what GPUs use)? Gradient checks by finite differences need the
// extra precision: in float64 a central difference agrees with the analytic gradient to ~1e-9,
// so a wrong backward stands out immediately, and results can be compared with PyTorch (run in
// float64) to 1e-9. The benchmark measures what float32 would save, separately.
//
// The ops (add, matmul, tanh, ...) live in ops/ and are installed as methods on Tensor when the
// library's index is imported (`x.matmul(w).tanh()`); see ops/index.ts.
import { shapeStr } from "./errors";
import { Rng, defaultRng } from "./random";
import type { BackwardOptions, TapeNode } from "./autograd/tape";
import { backward as runBackward } from "./autograd/tape";

export type Shape = readonly number[];

/** A number or (nested) arrays of numbers, e.g. `[[1, 2], [3, 4]]`. */
export type NestedArray = number | readonly NestedArray[];

/** The number of elements of a tensor of this shape (1 for a scalar, shape []). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

// ---------------------------------------------------------------------------------------------
// Allocation: every tensor the library makes gets its numbers from allocate(), which checks the
// size against a limit BEFORE touching memory. Without it, zeros([3e9]) would fill memory until
// the operating system kills the kernel, and a larger shape fails with V8's "Invalid typed array
// length", which names neither the op nor the shape.

const GiB = 2 ** 30;
let allocationLimit = 4 * GiB;

/**
 * The largest single tensor, in bytes (8 per number), that ops and factories will allocate:
 * 4 GiB by default, which a laptop survives. `kl.setAllocationLimit(16 * 2 ** 30)` raises it on a
 * machine with the memory; Infinity switches the check off.
 */
export function setAllocationLimit(bytes: number): void {
  if (typeof bytes !== "number" || !(bytes > 0)) {
    throw new RangeError(`setAllocationLimit: the limit must be a positive number of bytes (or Infinity), got ${String(bytes)}`);
  }
  allocationLimit = bytes;
}

/** The current allocation limit in bytes (see setAllocationLimit). */
export function getAllocationLimit(): number {
  return allocationLimit;
}

/** `74.5 GiB`, `512 MiB`, `12 KiB`, `40 bytes`. */
function formatBytes(bytes: number): string {
  for (const [unit, size] of [["TiB", 2 ** 40], ["GiB", GiB], ["MiB", 2 ** 20], ["KiB", 2 ** 10]] as const) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(1))} ${unit}`;
  }
  return `${bytes} bytes`;
}

/**
 * A zeroed Float64Array for a tensor of `shape` (sizes already checked), made for `op`. Refuses,
 * naming the op, the shape and the size, when it is over the allocation limit or more than
 * JavaScript can hold.
 */
export function allocate(op: string, shape: Shape): Float64Array {
  const n = sizeOf(shape);
  if (n * 8 > allocationLimit) {
    throw new RangeError(
      `${op}: unable to allocate ${formatBytes(n * 8)} for a tensor of shape ${shapeStr(shape)} (${n} numbers), over the ` +
        `allocation limit of ${formatBytes(allocationLimit)}. Use a smaller shape, or, if the machine has the memory, ` +
        `raise the limit with kl.setAllocationLimit(bytes).`,
    );
  }
  try {
    return new Float64Array(n);
  } catch (e) {
    throw new RangeError(`${op}: unable to allocate ${formatBytes(n * 8)} for a tensor of shape ${shapeStr(shape)}: ${(e as Error).message}`);
  }
}

function checkShape(shape: Shape, op: string): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new RangeError(`${op}: shape ${shapeStr(shape)} has an invalid size ${d}; sizes must be integers >= 0`);
    }
  }
}

export class Tensor {
  readonly data: Float64Array;
  readonly shape: Shape;
  /** If true, backward() computes d(loss)/d(this) (into .grad for leaves such as parameters). */
  requiresGrad: boolean;
  /** The accumulated gradient, same shape as this tensor; null until a backward() reaches it. */
  grad: Tensor | null = null;
  /** Optional label, shown by toString() (handy for parameters: "W_hh"). */
  name?: string;

  /** @internal The recorded op that produced this tensor (null for leaves). Set by tape.record. */
  _node: TapeNode | null = null;
  /** @internal Set by retainGrad(): keep .grad even though this tensor is an intermediate result. */
  _retainGrad = false;

  constructor(data: Float64Array, shape: Shape, requiresGrad = false) {
    checkShape(shape, "Tensor");
    const n = sizeOf(shape);
    if (data.length !== n) {
      throw new RangeError(`Tensor: data has ${data.length} elements but shape ${shapeStr(shape)} needs ${n}`);
    }
    this.data = data;
    this.shape = Object.freeze(shape.slice());
    this.requiresGrad = requiresGrad;
  }

  /** Number of elements. */
  get size(): number {
    return this.data.length;
  }

  /** Number of dimensions (0 for a scalar). */
  get rank(): number {
    return this.shape.length;
  }

  /** True if this tensor was not produced by a recorded op (inputs, parameters, constants). */
  get isLeaf(): boolean {
    return this._node === null;
  }

  /** The single value of a one-element tensor, e.g. a loss. */
  item(): number {
    if (this.size !== 1) {
      throw new RangeError(`item: tensor of shape ${shapeStr(this.shape)} has ${this.size} elements; item() needs exactly 1`);
    }
    return this.data[0];
  }

  /** The values as nested arrays (a plain number for a scalar). */
  toArray(): any {
    const build = (dim: number, offset: number): any => {
      if (dim === this.rank) return this.data[offset];
      const stride = sizeOf(this.shape.slice(dim + 1));
      const out: any[] = [];
      for (let i = 0; i < this.shape[dim]; i++) out.push(build(dim + 1, offset + i * stride));
      return out;
    };
    return build(0, 0);
  }

  /** One element: `t.get(i, j)`. */
  get(...index: number[]): number {
    return this.data[this.offsetOf(index, "get")];
  }

  /** @internal The flat offset of a multi-index, with a readable error when it is out of range. */
  offsetOf(index: readonly number[], op: string): number {
    if (index.length !== this.rank) {
      throw new RangeError(`${op}: index [${index.join(",")}] has ${index.length} entries but the tensor has shape ${shapeStr(this.shape)}`);
    }
    let offset = 0;
    for (let d = 0; d < index.length; d++) {
      const i = index[d];
      if (!Number.isInteger(i) || i < 0 || i >= this.shape[d]) {
        throw new RangeError(`${op}: index [${index.join(",")}] is out of range for shape ${shapeStr(this.shape)} (axis ${d})`);
      }
      offset = offset * this.shape[d] + i;
    }
    return offset;
  }

  /**
   * Keep this intermediate tensor's gradient after backward() (leaves always keep theirs).
   * E.g. call h.retainGrad() on every hidden state to plot how dL/dh_t shrinks over time.
   */
  retainGrad(): this {
    this._retainGrad = true;
    return this;
  }

  /**
   * A tensor with the same data (shared, not copied) but no history: gradients stop here.
   * Truncated backprop through time detaches the hidden state between chunks.
   */
  detach(): Tensor {
    return new Tensor(this.data, this.shape, false);
  }

  /**
   * Runs reverse-mode autodiff from this tensor (autograd/tape.ts): `loss.backward()`, or with
   * dL/d(this) for a non-scalar, and options: `loss.backward({ retainGraph: true })`.
   */
  backward(grad?: Tensor | BackwardOptions, options?: BackwardOptions): void {
    if (grad !== undefined && !(grad instanceof Tensor)) runBackward(this, undefined, grad);
    else runBackward(this, grad, options);
  }

  /** Sets the accumulated gradient to zeros (in place, so references to grad.data stay valid). */
  zeroGrad(): void {
    if (this.grad !== null) this.grad.data.fill(0);
  }

  toString(): string {
    const MAX = 6; // elements shown per axis before "..."
    const fmt = (v: number) => (Number.isInteger(v) ? String(v) : Number(v.toPrecision(6)).toString());
    const build = (dim: number, offset: number): string => {
      if (dim === this.rank) return fmt(this.data[offset]);
      const n = this.shape[dim];
      const stride = sizeOf(this.shape.slice(dim + 1));
      const parts: string[] = [];
      for (let i = 0; i < n; i++) {
        if (n > MAX && i === MAX / 2) {
          parts.push("...");
          i = n - MAX / 2 - 1;
          continue;
        }
        parts.push(build(dim + 1, offset + i * stride));
      }
      return `[${parts.join(dim === this.rank - 1 ? ", " : ",\n" + " ".repeat(dim + 8))}]`;
    };
    const extras = [`shape=${shapeStr(this.shape)}`];
    if (this.name) extras.unshift(`name=${this.name}`);
    if (this._node) extras.push(`op=${this._node.op}`);
    else if (this.requiresGrad) extras.push("requiresGrad");
    return `Tensor(${build(0, 0)}, ${extras.join(", ")})`;
  }
}

// ---------------------------------------------------------------------------------------------
// Factories

export interface TensorOptions {
  /** Mark the new tensor as a parameter: backward() will fill its .grad. */
  requiresGrad?: boolean;
}

/**
 * A tensor from a number or nested arrays: `tensor([[1, 2], [3, 4]])` has shape [2, 2].
 * With `shape`, the values (nested or flat) are laid out in that shape: `tensor([1, 2, 3, 4], [2, 2])`.
 */
export function tensor(values: NestedArray, shape?: Shape, opts: TensorOptions = {}): Tensor {
  // The shape is read off the first element at each depth, then every element is checked against it.
  const inferred: number[] = [];
  for (let v = values; Array.isArray(v); v = v[0]) {
    inferred.push(v.length);
    if (v.length === 0) break;
  }
  const flat: number[] = [];
  const flatten = (v: NestedArray, dim: number, path: number[]): void => {
    if (dim === inferred.length) {
      if (typeof v !== "number") {
        throw new TypeError(`tensor: ragged nested array: expected a number at [${path.join(",")}], got ${Array.isArray(v) ? "an array" : typeof v}`);
      }
      flat.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== inferred[dim]) {
      const got = Array.isArray(v) ? `an array of length ${v.length}` : String(v);
      throw new RangeError(`tensor: ragged nested array: at [${path.join(",")}] expected an array of length ${inferred[dim]}, got ${got}`);
    }
    for (let i = 0; i < v.length; i++) flatten(v[i], dim + 1, [...path, i]);
  };
  flatten(values, 0, []);
  const target = shape ?? inferred;
  checkShape(target, "tensor");
  if (sizeOf(target) !== flat.length) {
    throw new RangeError(`tensor: ${flat.length} values do not fit shape ${shapeStr(target)} (${sizeOf(target)} elements)`);
  }
  return new Tensor(Float64Array.from(flat), target, opts.requiresGrad ?? false);
}

/** A tensor from flat row-major values (copied): `fromFlat([1, 2, 3, 4, 5, 6], [2, 3])`. */
export function fromFlat(data: ArrayLike<number>, shape: Shape, opts: TensorOptions = {}): Tensor {
  checkShape(shape, "fromFlat");
  if (data.length !== sizeOf(shape)) {
    throw new RangeError(`fromFlat: ${data.length} values do not fit shape ${shapeStr(shape)} (${sizeOf(shape)} elements)`);
  }
  return new Tensor(Float64Array.from(data), shape, opts.requiresGrad ?? false);
}

function filled(op: string, shape: Shape, value: number, opts: TensorOptions): Tensor {
  checkShape(shape, op);
  const data = allocate(op, shape);
  if (!Object.is(value, 0)) data.fill(value);
  return new Tensor(data, shape, opts.requiresGrad ?? false);
}

export function full(shape: Shape, value: number, opts: TensorOptions = {}): Tensor {
  return filled("full", shape, value, opts);
}

export function zeros(shape: Shape, opts: TensorOptions = {}): Tensor {
  return filled("zeros", shape, 0, opts);
}

export function ones(shape: Shape, opts: TensorOptions = {}): Tensor {
  return filled("ones", shape, 1, opts);
}

/** A 0-dimensional tensor (shape []) holding one number. */
export function scalar(v: number, opts: TensorOptions = {}): Tensor {
  return new Tensor(Float64Array.of(v), [], opts.requiresGrad ?? false);
}

/** Standard normal samples (mean 0, std 1), from `rng` or the default generator. */
export function randn(shape: Shape, rng: Rng = defaultRng(), opts: TensorOptions = {}): Tensor {
  checkShape(shape, "randn");
  const data = allocate("randn", shape);
  for (let i = 0; i < data.length; i++) data[i] = rng.normal();
  return new Tensor(data, shape, opts.requiresGrad ?? false);
}

/** Uniform samples in [lo, hi), from `rng` or the default generator. */
export function uniform(shape: Shape, lo: number, hi: number, rng: Rng = defaultRng(), opts: TensorOptions = {}): Tensor {
  checkShape(shape, "uniform");
  const data = allocate("uniform", shape);
  for (let i = 0; i < data.length; i++) data[i] = rng.uniform(lo, hi);
  return new Tensor(data, shape, opts.requiresGrad ?? false);
}
