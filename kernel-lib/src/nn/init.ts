// Weight initialisers. Each one fills an existing tensor IN PLACE (like PyTorch's init.*_
// functions) and returns it, drawing from the Rng you pass, so a seed reproduces a model exactly.
//
//   init.xavierUniform(layer.weight, rng);
//   init.orthogonal(rnn.weight_hh_l0, rng, 1.0);   // gain 1
//
// fanIn / fanOut follow PyTorch: for a weight [out, in], fanIn = in and fanOut = out.
import { shapeStr } from "../errors";
import { Rng } from "../random";
import { Tensor } from "../tensor";
import type { CellMode } from "./cell-base";

/** Fills `t` with samples from U(lo, hi). */
export function uniform(t: Tensor, lo: number, hi: number, rng: Rng): Tensor {
  for (let k = 0; k < t.size; k++) t.data[k] = rng.uniform(lo, hi);
  return t;
}

/** Fills `t` with samples from N(mean, std^2). */
export function normal(t: Tensor, mean: number, std: number, rng: Rng): Tensor {
  for (let k = 0; k < t.size; k++) t.data[k] = mean + std * rng.normal();
  return t;
}

/** Fills `t` with one value. */
export function constant(t: Tensor, value: number): Tensor {
  t.data.fill(value);
  return t;
}

/** Fills `t` with zeros. */
export function zeros(t: Tensor): Tensor {
  return constant(t, 0);
}

/** [fanIn, fanOut] of a weight: for [out, in] that is [in, out]; a vector counts as [n] → fanIn n. */
export function fans(t: Tensor): [number, number] {
  if (t.rank === 1) return [t.shape[0], t.shape[0]];
  if (t.rank !== 2) throw new RangeError(`init: fanIn/fanOut need a matrix [out,in], got shape ${shapeStr(t.shape)}`);
  return [t.shape[1], t.shape[0]];
}

/**
 * PyTorch's default for nn.RNN / LSTM / GRU and their cells: every weight and bias from
 * U(-1/sqrt(H), 1/sqrt(H)), H the hidden size.
 */
export function recurrentDefault(params: readonly Tensor[], hiddenSize: number, rng: Rng): void {
  const bound = 1 / Math.sqrt(hiddenSize);
  for (const p of params) uniform(p, -bound, bound, rng);
}

/**
 * PyTorch's default for nn.Linear: kaiming_uniform(a=sqrt(5)) on the weight, which works out to
 * U(-1/sqrt(in), 1/sqrt(in)), and the same bound for the bias.
 */
export function linearDefault(weight: Tensor, bias: Tensor | null, rng: Rng): void {
  const bound = 1 / Math.sqrt(fans(weight)[0]);
  uniform(weight, -bound, bound, rng);
  if (bias !== null) uniform(bias, -bound, bound, rng);
}

/**
 * Glorot & Bengio (2010): U(-a, a) with a = gain * sqrt(6 / (fanIn + fanOut)), which keeps the
 * variance of activations and of gradients roughly the same from layer to layer.
 */
export function xavierUniform(t: Tensor, rng: Rng, gain = 1): Tensor {
  const [fanIn, fanOut] = fans(t);
  const a = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform(t, -a, a, rng);
}

/** Glorot & Bengio (2010), normal version: N(0, std^2) with std = gain * sqrt(2 / (fanIn + fanOut)). */
export function xavierNormal(t: Tensor, rng: Rng, gain = 1): Tensor {
  const [fanIn, fanOut] = fans(t);
  return normal(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)), rng);
}

/**
 * A (semi-)orthogonal matrix times `gain` (Saxe et al., 2014), as PyTorch's init.orthogonal_.
 * For a recurrent W_hh, all singular values are 1, so repeated multiplication by W_hh neither
 * blows up nor shrinks a vector: a good start against exploding/vanishing gradients.
 *
 * How: draw a Gaussian matrix A ([rows, cols], transposed first if it is wide so that it is
 * tall) and orthonormalise its columns by Gram-Schmidt, A = QR. Gram-Schmidt gives R a positive
 * diagonal, which is exactly PyTorch's sign correction (Q * sign(diag R)) of a Householder QR,
 * and makes Q uniformly distributed over orthogonal matrices. A [4H, H] LSTM weight gets
 * orthonormal columns; to make each gate block orthogonal, call this on each block separately.
 */
export function orthogonal(t: Tensor, rng: Rng, gain = 1): Tensor {
  if (t.rank !== 2) throw new RangeError(`init.orthogonal: needs a matrix, got shape ${shapeStr(t.shape)}`);
  const [rows, cols] = t.shape;
  const wide = rows < cols;
  const [n, m] = wide ? [cols, rows] : [rows, cols]; // the tall [n, m] matrix we orthonormalise
  // Columns of the tall matrix, each a vector of length n, drawn in row-major order of [n, m].
  const a = new Float64Array(n * m);
  for (let k = 0; k < a.length; k++) a[k] = rng.normal();
  const column = (j: number) => Float64Array.from({ length: n }, (_, i) => a[i * m + j]);
  const q: Float64Array[] = [];
  for (let j = 0; j < m; j++) {
    const v = column(j);
    // Modified Gram-Schmidt: subtract the projection on each earlier column, twice for accuracy.
    for (let pass = 0; pass < 2; pass++) {
      for (const u of q) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += u[i] * v[i];
        for (let i = 0; i < n; i++) v[i] -= dot * u[i];
      }
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm);
    if (norm < 1e-12) throw new Error("init.orthogonal: the random matrix was (numerically) singular; try another seed");
    for (let i = 0; i < n; i++) v[i] /= norm;
    q.push(v);
  }
  // Write Q (or Q transposed for a wide target) times gain.
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) t.data[r * cols + c] = gain * (wide ? q[r][c] : q[c][r]);
  }
  return t;
}

/**
 * The identity matrix times `scale` (1s on the main diagonal, 0 elsewhere; a non-square
 * matrix gets 1s on its leading diagonal). Le, Jaitly & Hinton (2015) start a ReLU RNN with
 * W_hh = I ("IRNN"): at first the hidden state is simply carried forward.
 */
export function identity(t: Tensor, scale = 1): Tensor {
  if (t.rank !== 2) throw new RangeError(`init.identity: needs a matrix, got shape ${shapeStr(t.shape)}`);
  const [rows, cols] = t.shape;
  t.data.fill(0);
  for (let i = 0; i < Math.min(rows, cols); i++) t.data[i * cols + i] = scale;
  return t;
}

/** A recurrent module as far as the helpers below need it: a cell or a sequence layer. */
interface RecurrentLike {
  readonly mode: CellMode;
  readonly hiddenSize: number;
  namedParameters(): [string, Tensor][];
}

/** The parameters of a recurrent module whose name starts with `prefix` (weight_hh matches weight_hh and weight_hh_l0, ...). */
function paramsNamed(m: RecurrentLike, prefix: string): Tensor[] {
  return m.namedParameters().filter(([n]) => n === prefix || n.startsWith(`${prefix}_l`)).map(([, t]) => t);
}

/**
 * Sets the forget-gate bias of an LSTM or LSTMCell (every layer) so that the gate starts open:
 * sigmoid(1) ≈ 0.73 keeps most of the memory at first (Gers et al. 2000; Jozefowicz et al. 2015).
 * PyTorch adds two biases, so the forget block of bias_ih is set to `value` and that of bias_hh
 * to 0: the effective bias is exactly `value`. The forget block is rows [H, 2H) (order i, f, g, o).
 */
export function setForgetBias(lstm: RecurrentLike, value = 1): void {
  if (lstm.mode !== "lstm") throw new Error(`setForgetBias: needs an LSTM or LSTMCell, got a ${lstm.mode} module`);
  const H = lstm.hiddenSize;
  for (const b of paramsNamed(lstm, "bias_ih")) b.data.fill(value, H, 2 * H);
  for (const b of paramsNamed(lstm, "bias_hh")) b.data.fill(0, H, 2 * H);
}

/**
 * IRNN initialisation (Le, Jaitly & Hinton, 2015) for an RNN or RNNCell with relu: every
 * weight_hh = scale * identity and every bias = 0. The input weights are left as they are (the
 * paper draws them from a small Gaussian: `init.normal(w, 0, 0.001, rng)` if you want that too).
 */
export function irnn(rnn: RecurrentLike, scale = 1): void {
  if (rnn.mode !== "rnn_relu" && rnn.mode !== "rnn_tanh") throw new Error(`irnn: needs an RNN or RNNCell, got a ${rnn.mode} module`);
  for (const w of paramsNamed(rnn, "weight_hh")) identity(w, scale);
  for (const b of [...paramsNamed(rnn, "bias_ih"), ...paramsNamed(rnn, "bias_hh")]) zeros(b);
}
