// The workload written by hand on plain typed arrays: explicit forward and backward loops, no
// tape, no tensor objects, nothing allocated per step. It is the bench's "how fast can plain
// JavaScript go" reference, and it runs with Float32Array or Float64Array storage so the bench
// can report what kernel-lib's choice of float64 costs. (Arithmetic in JS is always double; the
// dtype only changes how much memory each loop streams through.)
//
// Same math as PyTorch's cells: gates = W_ih x + b_ih + W_hh h + b_hh in order i,f,g,o (LSTM) or
// r,z,n (GRU, where r multiplies the hidden part of n only).
//
// Three parts are pluggable so that kernel-lib.ts can reuse this step as "the same step by hand
// with the library's kernels" (the reference for the tape overhead):
//   - the three matrix products (plain loops here, or getKernels().matmul),
//   - the bias gradients' column sums (a plain loop here, or getKernels().addColumnSums), and
//   - the input projection W_ih x of the one-hot input: a row gather of W_ih^T (what one writes
//     by hand: no arithmetic on the zeros), or a one-hot matmul per step (what kernel-lib's LSTM
//     layer does when a learner feeds it oneHot(x)).

import {
  BETA1,
  BETA2,
  CLIP_NORM,
  EPS,
  LR,
  gateCount,
  type Batch,
  type CellKind,
  type InitialWeights,
  type Shape,
  type StepResult,
  type Trainer,
  type TrainerFactory,
} from "../workload";

export type Floats = Float32Array | Float64Array;
type FloatsConstructor = Float32ArrayConstructor | Float64ArrayConstructor;

/** The three matmul shapes the step needs, all row-major, all accumulating into `out`. */
export interface Matmuls {
  /** out[m,n] += Σ_k a[m,k]·b[n,k], a read from aOff, out written from outOff. */
  nt(a: Floats, aOff: number, b: Floats, out: Floats, outOff: number, M: number, N: number, K: number): void;
  /** out[m,n] += Σ_k a[m,k]·b[k,n]. */
  nn(a: Floats, aOff: number, b: Floats, out: Floats, outOff: number, M: number, N: number, K: number): void;
  /** out[m,n] += Σ_k a[k,m]·b[k,n], a read from aOff, b from bOff. */
  tn(a: Floats, aOff: number, b: Floats, bOff: number, out: Floats, M: number, N: number, K: number): void;
}

/** out[j] += Σ_i a[aOff + i*cols + j] over rows i < rows (a bias's gradient). */
export type ColumnSums = (a: Floats, aOff: number, rows: number, cols: number, out: Floats) => void;

export type InputProjection = "gather" | "one-hot-matmul";

export interface HandwrittenOptions {
  dtype: "float32" | "float64";
  matmuls?: Matmuls; // default: the plain loops below
  columnSums?: ColumnSums; // default: plainColumnSums below
  input?: InputProjection; // default: gather
}

function plainColumnSums(a: Floats, aOff: number, rows: number, cols: number, out: Floats): void {
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j] += a[aOff + i * cols + j];
}

// --- plain matmul loops ---

/** out[m,n] += Σ_k a[m,k]·b[n,k]  (x·Wᵀ: both rows contiguous, a dot product per output). */
function matmulNT(a: Floats, aOff: number, b: Floats, out: Floats, outOff: number, M: number, N: number, K: number): void {
  for (let m = 0; m < M; m++) {
    const ar = aOff + m * K;
    const or = outOff + m * N;
    for (let n = 0; n < N; n++) {
      const br = n * K;
      let s = 0;
      for (let k = 0; k < K; k++) s += a[ar + k] * b[br + k];
      out[or + n] += s;
    }
  }
}

/** out[m,n] += Σ_k a[m,k]·b[k,n]  (dy·W: one axpy of a row of b per (m,k)). */
function matmulNN(a: Floats, aOff: number, b: Floats, out: Floats, outOff: number, M: number, N: number, K: number): void {
  for (let m = 0; m < M; m++) {
    const or = outOff + m * N;
    for (let k = 0; k < K; k++) {
      const s = a[aOff + m * K + k];
      const br = k * N;
      for (let n = 0; n < N; n++) out[or + n] += s * b[br + n];
    }
  }
}

/** out[m,n] += Σ_k a[k,m]·b[k,n]  (dyᵀ·x for weight gradients: axpy rows again). */
function matmulTN(a: Floats, aOff: number, b: Floats, bOff: number, out: Floats, M: number, N: number, K: number): void {
  for (let k = 0; k < K; k++) {
    const ar = aOff + k * M;
    const br = bOff + k * N;
    for (let m = 0; m < M; m++) {
      const s = a[ar + m];
      const or = m * N;
      for (let n = 0; n < N; n++) out[or + n] += s * b[br + n];
    }
  }
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** A parameter with its gradient and Adam moments, all of the trainer's dtype. */
interface Param {
  value: Floats;
  grad: Floats;
  m: Floats;
  v: Floats;
}

const plainMatmuls: Matmuls = { nt: matmulNT, nn: matmulNN, tn: matmulTN };

export function handwrittenTrainer(options: HandwrittenOptions): TrainerFactory {
  return (cell, shape, batch, weights) => new Handwritten(options, cell, shape, batch, weights);
}

class Handwritten implements Trainer {
  private readonly B: number;
  private readonly T: number;
  private readonly H: number;
  private readonly V: number;
  private readonly G: number; // gates * hidden
  private readonly mm: Matmuls;
  private readonly columnSums: ColumnSums;
  private readonly gather: boolean;
  private readonly params: Param[];
  private readonly wIh: Param; // [G, V]
  private readonly wHh: Param; // [G, H]
  private readonly bIh: Param; // [G]
  private readonly bHh: Param; // [G]
  private readonly wOut: Param; // [V, H]
  private readonly bOut: Param; // [V]
  private adamStep = 0;

  // Activations kept for the backward pass, and scratch buffers, allocated once.
  private readonly wIhT: Floats; // [V, G]: W_ih transposed so the one-hot gather reads a row
  private readonly dWihT: Floats; // [V, G]
  private readonly oneHot: Floats; // [T*B, V] (one-hot-matmul input only)
  private readonly hs: Floats; // [(T+1)*B, H]; block 0 is h0 = 0
  private readonly cs: Floats; // [(T+1)*B, H] (LSTM cell state; tanh(c) is recomputed)
  private readonly acts: Floats; // [T*B, G]: gate activations (i,f,g,o / r,z,n)
  private readonly ghn: Floats; // [T*B, H]: GRU's W_hn h + b_hn, needed for dr
  private readonly xg: Floats; // [B, G]: this step's W_ih x + b_ih
  private readonly gh: Floats; // [B, G]: this step's W_hh h + b_hh
  private readonly logits: Floats; // [T*B, V], becomes dlogits
  private readonly dHs: Floats; // [T*B, H]
  private readonly dh: Floats; // [B, H]
  private readonly dhNext: Floats; // [B, H]
  private readonly dc: Floats; // [B, H]
  private readonly dgh: Floats; // [B, G]: gradient of W_hh h + b_hh
  private readonly dxg: Floats; // [B, G]: gradient of W_ih x + b_ih

  constructor(
    options: HandwrittenOptions,
    private readonly cell: CellKind,
    s: Shape,
    private readonly batch: Batch,
    w: InitialWeights,
  ) {
    const F: FloatsConstructor = options.dtype === "float32" ? Float32Array : Float64Array;
    const { batch: B, steps: T, hidden: H, vocab: V } = s;
    const G = gateCount(cell) * H;
    this.B = B;
    this.T = T;
    this.H = H;
    this.V = V;
    this.G = G;
    this.mm = options.matmuls ?? plainMatmuls;
    this.columnSums = options.columnSums ?? plainColumnSums;
    this.gather = (options.input ?? "gather") === "gather";
    const param = (init: Float64Array): Param => ({
      value: F.from(init),
      grad: new F(init.length),
      m: new F(init.length),
      v: new F(init.length),
    });
    this.wIh = param(w.weightIh);
    this.wHh = param(w.weightHh);
    this.bIh = param(w.biasIh);
    this.bHh = param(w.biasHh);
    this.wOut = param(w.headWeight);
    this.bOut = param(w.headBias);
    this.params = [this.wIh, this.wHh, this.bIh, this.bHh, this.wOut, this.bOut];
    this.wIhT = new F(this.gather ? V * G : 0);
    this.dWihT = new F(this.gather ? V * G : 0);
    this.oneHot = new F(this.gather ? 0 : T * B * V);
    for (let i = 0; i < this.oneHot.length / V; i++) this.oneHot[i * V + batch.inputs[i]] = 1;
    this.hs = new F((T + 1) * B * H);
    this.cs = new F(cell === "lstm" ? (T + 1) * B * H : 0);
    this.acts = new F(T * B * G);
    this.ghn = new F(cell === "gru" ? T * B * H : 0);
    this.xg = new F(B * G);
    this.gh = new F(B * G);
    this.logits = new F(T * B * V);
    this.dHs = new F(T * B * H);
    this.dh = new F(B * H);
    this.dhNext = new F(B * H);
    this.dc = new F(B * H);
    this.dgh = new F(B * G);
    this.dxg = new F(B * G);
  }

  step(): StepResult {
    for (const p of this.params) p.grad.fill(0);
    this.forwardRecurrence();
    const loss = this.headForwardBackward();
    this.backwardRecurrence();
    const gradNorm = this.clipGradients();
    this.adam();
    return { loss, gradNorm };
  }

  dispose(): void {}

  /** xg = W_ih x_t + b_ih for the batch at step t. */
  private inputProjection(t: number): void {
    const { B, V, G, xg } = this;
    const bIh = this.bIh.value;
    for (let b = 0; b < B; b++) xg.set(bIh, b * G);
    if (this.gather) {
      for (let b = 0; b < B; b++) {
        const row = this.batch.inputs[t * B + b] * G;
        for (let j = 0; j < G; j++) xg[b * G + j] += this.wIhT[row + j];
      }
    } else {
      this.mm.nt(this.oneHot, t * B * V, this.wIh.value, xg, 0, B, G, V);
    }
  }

  private forwardRecurrence(): void {
    const { B, T, H, V, G, cell, hs, cs, acts, ghn, xg, gh, wIhT } = this;
    const bHh = this.bHh.value;
    if (this.gather) {
      const wIh = this.wIh.value;
      for (let j = 0; j < G; j++) for (let v = 0; v < V; v++) wIhT[v * G + j] = wIh[j * V + v];
    }
    for (let t = 0; t < T; t++) {
      const hPrev = t * B * H; // offset of h_{t-1} block in hs
      const hNew = hPrev + B * H;
      this.inputProjection(t);
      for (let b = 0; b < B; b++) gh.set(bHh, b * G);
      this.mm.nt(hs, hPrev, this.wHh.value, gh, 0, B, G, H);
      for (let b = 0; b < B; b++) {
        const g = b * G;
        const a = (t * B + b) * G;
        const r = b * H;
        if (cell === "rnn") {
          for (let k = 0; k < H; k++) hs[hNew + r + k] = Math.tanh(xg[g + k] + gh[g + k]);
        } else if (cell === "lstm") {
          for (let k = 0; k < H; k++) {
            const i = sigmoid(xg[g + k] + gh[g + k]);
            const f = sigmoid(xg[g + H + k] + gh[g + H + k]);
            const gg = Math.tanh(xg[g + 2 * H + k] + gh[g + 2 * H + k]);
            const o = sigmoid(xg[g + 3 * H + k] + gh[g + 3 * H + k]);
            const c = f * cs[hPrev + r + k] + i * gg;
            cs[hNew + r + k] = c;
            hs[hNew + r + k] = o * Math.tanh(c);
            acts[a + k] = i;
            acts[a + H + k] = f;
            acts[a + 2 * H + k] = gg;
            acts[a + 3 * H + k] = o;
          }
        } else {
          for (let k = 0; k < H; k++) {
            const rr = sigmoid(xg[g + k] + gh[g + k]);
            const z = sigmoid(xg[g + H + k] + gh[g + H + k]);
            const hn = gh[g + 2 * H + k];
            const n = Math.tanh(xg[g + 2 * H + k] + rr * hn);
            hs[hNew + r + k] = n + z * (hs[hPrev + r + k] - n); // (1-z)*n + z*h
            acts[a + k] = rr;
            acts[a + H + k] = z;
            acts[a + 2 * H + k] = n;
            ghn[(t * B + b) * H + k] = hn;
          }
        }
      }
    }
  }

  /** logits = h·W_outᵀ + b for all steps, mean cross-entropy, then its gradient into dHs. */
  private headForwardBackward(): number {
    const { B, T, H, V, hs, logits, dHs } = this;
    const N = T * B;
    const targets = this.batch.targets;
    for (let i = 0; i < N; i++) logits.set(this.bOut.value, i * V);
    this.mm.nt(hs, B * H, this.wOut.value, logits, 0, N, V, H);
    let loss = 0;
    for (let i = 0; i < N; i++) {
      const row = i * V;
      let max = -Infinity;
      for (let v = 0; v < V; v++) max = Math.max(max, logits[row + v]);
      loss += max - logits[row + targets[i]];
      // e^(x - max) written over the logits: one exponential per entry, then scaled below.
      let sum = 0;
      for (let v = 0; v < V; v++) sum += logits[row + v] = Math.exp(logits[row + v] - max);
      loss += Math.log(sum);
      // d(mean CE)/dlogits = (softmax - onehot) / N, written over the logits.
      const scale = 1 / (sum * N);
      for (let v = 0; v < V; v++) logits[row + v] *= scale;
      logits[row + targets[i]] -= 1 / N;
    }
    this.columnSums(logits, 0, N, V, this.bOut.grad);
    this.mm.tn(logits, 0, hs, B * H, this.wOut.grad, V, H, N);
    dHs.fill(0);
    this.mm.nn(logits, 0, this.wOut.value, dHs, 0, N, H, V);
    return loss / N;
  }

  private backwardRecurrence(): void {
    const { B, T, H, V, G, cell, hs, cs, acts, ghn, dHs, dh, dhNext, dc, dgh, dxg, dWihT } = this;
    const dbIh = this.bIh.grad;
    const dbHh = this.bHh.grad;
    dhNext.fill(0);
    dc.fill(0);
    dWihT.fill(0);
    for (let t = T - 1; t >= 0; t--) {
      const hPrev = t * B * H;
      const hNew = hPrev + B * H;
      for (let i = 0; i < B * H; i++) dh[i] = dHs[t * B * H + i] + dhNext[i];
      dhNext.fill(0);
      for (let b = 0; b < B; b++) {
        const g = b * G;
        const a = (t * B + b) * G;
        const r = b * H;
        if (cell === "rnn") {
          for (let k = 0; k < H; k++) {
            const h = hs[hNew + r + k];
            dgh[g + k] = dxg[g + k] = dh[r + k] * (1 - h * h);
          }
        } else if (cell === "lstm") {
          for (let k = 0; k < H; k++) {
            const i = acts[a + k];
            const f = acts[a + H + k];
            const gg = acts[a + 2 * H + k];
            const o = acts[a + 3 * H + k];
            const tc = Math.tanh(cs[hNew + r + k]);
            const d = dh[r + k];
            const dck = dc[r + k] + d * o * (1 - tc * tc);
            dc[r + k] = dck * f; // flows to c_{t-1}
            dgh[g + k] = dxg[g + k] = dck * gg * i * (1 - i);
            dgh[g + H + k] = dxg[g + H + k] = dck * cs[hPrev + r + k] * f * (1 - f);
            dgh[g + 2 * H + k] = dxg[g + 2 * H + k] = dck * i * (1 - gg * gg);
            dgh[g + 3 * H + k] = dxg[g + 3 * H + k] = d * tc * o * (1 - o);
          }
        } else {
          for (let k = 0; k < H; k++) {
            const rr = acts[a + k];
            const z = acts[a + H + k];
            const n = acts[a + 2 * H + k];
            const d = dh[r + k];
            const dn = d * (1 - z) * (1 - n * n); // through tanh
            const dz = d * (hs[hPrev + r + k] - n) * z * (1 - z);
            const dr = dn * ghn[(t * B + b) * H + k] * rr * (1 - rr);
            dhNext[r + k] = d * z; // the z*h path
            dxg[g + k] = dgh[g + k] = dr;
            dxg[g + H + k] = dgh[g + H + k] = dz;
            dxg[g + 2 * H + k] = dn;
            dgh[g + 2 * H + k] = dn * rr; // r scales W_hn h + b_hn
          }
        }
      }
      this.columnSums(dxg, 0, B, G, dbIh);
      this.columnSums(dgh, 0, B, G, dbHh);
      if (this.gather) {
        // One-hot input: the W_ih gradient is a scatter-add into the token's row of W_ih^T.
        for (let b = 0; b < B; b++) {
          const row = this.batch.inputs[t * B + b] * G;
          for (let j = 0; j < G; j++) dWihT[row + j] += dxg[b * G + j];
        }
      } else {
        this.mm.tn(dxg, 0, this.oneHot, t * B * V, this.wIh.grad, G, V, B);
      }
      this.mm.tn(dgh, 0, hs, hPrev, this.wHh.grad, G, H, B);
      this.mm.nn(dgh, 0, this.wHh.value, dhNext, 0, B, H, G);
    }
    if (this.gather) {
      const dWih = this.wIh.grad;
      for (let v = 0; v < V; v++) for (let j = 0; j < G; j++) dWih[j * V + v] = dWihT[v * G + j];
    }
  }

  /** PyTorch's clip_grad_norm_: scale every gradient by max/(norm+1e-6) when that is below 1. */
  private clipGradients(): number {
    let sq = 0;
    for (const p of this.params) for (let i = 0; i < p.grad.length; i++) sq += p.grad[i] * p.grad[i];
    const norm = Math.sqrt(sq);
    const coef = CLIP_NORM / (norm + 1e-6);
    if (coef < 1) for (const p of this.params) for (let i = 0; i < p.grad.length; i++) p.grad[i] *= coef;
    return norm;
  }

  private adam(): void {
    this.adamStep++;
    // The constants are read into locals once: under tsx every use of an imported binding is a
    // getter call, which in this loop made the reference step ~4% slower than it has to be.
    const b1 = BETA1, b2 = BETA2, lr = LR, eps = EPS;
    const c1 = 1 - Math.pow(b1, this.adamStep);
    const c2 = 1 - Math.pow(b2, this.adamStep);
    for (const { value, grad, m, v } of this.params) {
      for (let i = 0; i < value.length; i++) {
        const g = grad[i];
        m[i] = b1 * m[i] + (1 - b1) * g;
        v[i] = b2 * v[i] + (1 - b2) * g * g;
        value[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + eps);
      }
    }
  }
}
