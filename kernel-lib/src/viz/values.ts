// The numbers charts accept: plain arrays, typed arrays, and kernel-lib Tensors (so a cell can
// plot `hs.grad` without copying). Tensors are recognised by shape, not by class, so the viz
// code stays independent of the tensor module.

/** A tensor as far as plotting cares: a shape and row-major data. */
export interface TensorLike {
  readonly shape: readonly number[];
  readonly data: ArrayLike<number>;
}

/** One series of numbers: `[1, 2, 3]`, a `Float64Array`, or a Tensor (flattened). */
export type Values = ArrayLike<number> | TensorLike;

/** Rows of a matrix (`z[row][col]`) or a 2-D Tensor `[rows, cols]`. */
export type Matrix = readonly ArrayLike<number>[] | TensorLike;

export function isTensorLike(x: unknown): x is TensorLike {
  return typeof x === "object" && x !== null && Array.isArray((x as TensorLike).shape) && typeof (x as TensorLike).data === "object";
}

/** The values as a plain array (a copy: the chart must not change if the training loop does). */
export function toNumbers(values: Values): number[] {
  const flat = isTensorLike(values) ? values.data : values;
  return Array.from(flat, Number);
}

/** Rows of a matrix as plain arrays; `where` names the chart in errors. */
export function toRows(z: Matrix, where: string): number[][] {
  if (isTensorLike(z)) {
    if (z.shape.length !== 2) {
      throw new RangeError(`${where}: z must be a 2-D tensor [rows, cols]; got shape [${z.shape.join(",")}]`);
    }
    const [rows, cols] = z.shape;
    const out: number[][] = [];
    for (let r = 0; r < rows; r++) out.push(Array.from({ length: cols }, (_, c) => Number(z.data[r * cols + c])));
    return out;
  }
  return Array.from(z, (row) => Array.from(row, Number));
}
