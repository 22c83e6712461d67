// Inverted dropout: during training, zero each element with probability p and scale the survivors
// by 1/(1-p), so the expected value of every element is unchanged and evaluation needs no rescaling.
import { gradSlot, record } from "../autograd/tape";
import { Tensor, allocate } from "../tensor";
import { defaultRng, Rng } from "../random";

export interface DropoutOptions {
  /** Generator for the mask (default: the module-level one; see seed()). */
  rng?: Rng;
  /** When false (evaluation), dropout is the identity. Default true. */
  training?: boolean;
}

export function dropout(a: Tensor, p: number, opts: DropoutOptions = {}): Tensor {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`dropout: p must be in [0, 1], got ${p} (input shape [${a.shape.join(",")}])`);
  if (opts.training === false || p === 0) return a;
  const rng = opts.rng ?? defaultRng();
  // mask[i] is 0 for dropped elements and 1/(1-p) for kept ones (all 0 when p = 1).
  const keep = p === 1 ? 0 : 1 / (1 - p);
  const mask = allocate("dropout", a.shape);
  for (let i = 0; i < mask.length; i++) mask[i] = rng.next() < p ? 0 : keep;
  const out = new Tensor(allocate("dropout", a.shape), a.shape);
  for (let i = 0; i < mask.length; i++) out.data[i] = a.data[i] * mask[i];
  return record(out, [a], (g) => {
    // The output is a times a constant mask, so the gradient is g times the same mask.
    const ga = gradSlot(a);
    if (ga) for (let i = 0; i < g.length; i++) ga[i] += g[i] * mask[i];
  }, "dropout");
}

declare module "../tensor" {
  interface Tensor {
    dropout(p: number, opts?: DropoutOptions): Tensor;
  }
}
Tensor.prototype.dropout = function (this: Tensor, p: number, opts?: DropoutOptions) { return dropout(this, p, opts); };
