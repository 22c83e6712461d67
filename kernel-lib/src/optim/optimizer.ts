// The shared skeleton of every optimizer: a list of parameters and per-parameter state.
//
// Optimizers update `param.data` in place, outside the tape: an update is not part of the
// computation we differentiate, and writing into the same Float64Array keeps every reference
// to the parameter (the module, the notebook's variables) pointing at the new values.
import { Tensor } from "../tensor";

export abstract class Optimizer {
  /** The parameters, in the order given; per-parameter state is kept in the same order. */
  readonly params: readonly Tensor[];
  /** How many times `step()` has been called. */
  stepCount = 0;

  constructor(params: readonly Tensor[]) {
    if (params.length === 0) throw new Error(`${this.constructor.name}: got an empty parameter list`);
    const seen = new Set<Tensor>();
    for (const p of params) {
      if (seen.has(p)) throw new Error(`${this.constructor.name}: parameter ${describe(p)} is listed twice`);
      seen.add(p);
    }
    this.params = params.slice();
  }

  /** Clears every parameter's gradient (call before each backward pass: gradients accumulate). */
  zeroGrad(): void {
    for (const p of this.params) p.zeroGrad();
  }

  /** Applies one update to every parameter that has a gradient (parameters without one are skipped, as in PyTorch). */
  step(): void {
    this.stepCount += 1;
    this.params.forEach((p, i) => {
      if (p.grad === null) return;
      if (p.grad.size !== p.size) {
        throw new Error(`${this.constructor.name}: gradient of ${describe(p)} has ${p.grad.size} entries, the parameter has ${p.size}`);
      }
      this.update(i, p.data, p.grad.data);
    });
  }

  /** Updates parameter number `i` in place: `param` and `grad` are its flat data. */
  protected abstract update(i: number, param: Float64Array, grad: Float64Array): void;
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
