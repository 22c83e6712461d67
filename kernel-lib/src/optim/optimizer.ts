// The shared skeleton of every optimizer: a list of parameters and per-parameter state.
//
// Optimizers update `param.data` in place, outside the tape: an update is not part of the
// computation we differentiate, and writing into the same Float64Array keeps every reference
// to the parameter (the module, the notebook's variables) pointing at the new values.
//
// What an optimizer accepts is checked when it is made, because a tensor it cannot update fails in
// silence later (its loss just never goes down):
//   - a tensor made by an op (not a leaf, e.g. `randn(...).mul(0.1)` after requiresGrad): backward()
//     leaves no .grad on it, and the next forward recomputes it anyway. PyTorch refuses it too
//     ("can't optimize a non-leaf Tensor").
//   - a plain tensor that does not require grad (a forgotten `{ requiresGrad: true }`): backward()
//     never reaches it. PyTorch accepts and skips it; we refuse it. A Parameter whose requiresGrad
//     was set to false (a frozen layer, listed by model.parameters()) is accepted and skipped.
import { Parameter } from "../nn/parameter";
import { Tensor } from "../tensor";

export abstract class Optimizer {
  /** The parameters, in the order given; per-parameter state is kept in the same order. */
  readonly params: readonly Tensor[];
  /** How many times `step()` has been called. */
  stepCount = 0;

  constructor(params: readonly Tensor[]) {
    const who = this.constructor.name;
    if (!Array.isArray(params)) {
      throw new TypeError(`${who}: expected an array of parameters, such as model.parameters(), got ${describeValue(params)}`);
    }
    if (params.length === 0) throw new Error(`${who}: got an empty parameter list`);
    const seen = new Set<Tensor>();
    params.forEach((p: unknown, i) => {
      if (!(p instanceof Tensor)) {
        throw new TypeError(`${who}: parameter ${i} is ${describeValue(p)}, not a Tensor; pass one flat array, such as model.parameters()`);
      }
      if (p._node !== null) {
        throw new Error(
          `${who}: parameter ${i} (${label(p)}) is not a leaf: it was made by ${p._node.op}, so step() could never update it ` +
            `(PyTorch: "can't optimize a non-leaf Tensor"). Make the value a leaf, new kl.nn.Parameter(value), and use that in the model.`,
        );
      }
      if (!p.requiresGrad && !(p instanceof Parameter)) {
        throw new Error(
          `${who}: parameter ${i} (${label(p)}) has requiresGrad false, so backward() never gives it a gradient and step() would ` +
            `never update it. Make it with { requiresGrad: true }, or as new kl.nn.Parameter(value).`,
        );
      }
      if (seen.has(p)) throw new Error(`${who}: parameter ${describe(p)} is listed twice`);
      seen.add(p);
    });
    this.params = params.slice();
  }

  /**
   * Sets every parameter's gradient to zeros (call before each backward pass: gradients accumulate).
   * Zeros, not null: PyTorch's zero_grad(set_to_none=False). (PyTorch 2's default sets them to
   * None, after which step() skips a parameter the next loss does not reach; here such a parameter
   * has a zero gradient, which momentum, Adam's moments and weight decay still act on.)
   */
  zeroGrad(): void {
    for (const p of this.params) p.zeroGrad();
  }

  /**
   * Applies one update to every parameter that has a gradient and requires one: a parameter with no
   * gradient is skipped, as in PyTorch, and so is a frozen one (requiresGrad set to false), even if
   * it still holds the zeros of a gradient from before it was frozen (without this, Adam moved a
   * frozen weight on every step: its moments and weight decay act on a zero gradient).
   */
  step(): void {
    this.stepCount += 1;
    this.params.forEach((p, i) => {
      if (p.grad === null || !p.requiresGrad) return;
      if (p.grad.size !== p.size) {
        throw new Error(`${this.constructor.name}: gradient of ${describe(p)} has ${p.grad.size} entries, the parameter has ${p.size}`);
      }
      this.update(i, p.data, p.grad.data);
    });
  }

  /** Updates parameter number `i` in place: `param` and `grad` are its flat data. */
  protected abstract update(i: number, param: Float64Array, grad: Float64Array): void;
}

/** What a wrong argument is, for an error: "a Linear", "an array of 2", "undefined". */
function describeValue(v: unknown): string {
  if (v instanceof Tensor) return `a Tensor [${v.shape.join(",")}]`;
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === "object" && v !== null) {
    const name = v.constructor?.name;
    return name && name !== "Object" ? `a ${name}` : "an object";
  }
  return typeof v === "string" ? JSON.stringify(v) : String(v);
}

/** Its name, if it has one, and its shape: "W_hh [3,2]", or "[3,2]". */
function label(p: Tensor): string {
  return `${p.name !== undefined ? `${p.name} ` : ""}[${p.shape.join(",")}]`;
}

/** A short description of a parameter for error messages: its name (if any) and shape. */
export function describe(p: Tensor): string {
  return `${p.name ?? "(unnamed)"} [${p.shape.join(",")}]`;
}

/** A Float64Array per parameter, created lazily (zero-filled, or filled with `init`). */
export class PerParam {
  private readonly arrays: (Float64Array | undefined)[] = [];
  constructor(private readonly init = 0) {}
  get(i: number, size: number): Float64Array {
    let a = this.arrays[i];
    if (a === undefined) {
      a = new Float64Array(size).fill(this.init);
      this.arrays[i] = a;
    }
    return a;
  }
  has(i: number): boolean {
    return this.arrays[i] !== undefined;
  }
}
