// Fused ops for the recurrent cells: what they share, and `gate`, which every cell uses. The
// LSTM's own ops are in lstm.ts, the GRU's in gru.ts.
//
// Written with the basic ops, a GRU step is 17 of them (split the two [B, 3H] products into
// gate blocks: 6 copies; then add, sigmoid, mul, tanh, sub, ...). Each is a tape node, a fresh
// output array and a pass over memory; at hidden 128 those costs, not the arithmetic, were most
// of a training step. Each op here does what a few basic ops would, in one pass and one tape
// node, and its backward is those ops' backwards written out side by side. Each names the basic
// ops it stands for, and the tests check it against them.
//
// Gate blocks. A cell computes every gate's pre-activation with two matrix products,
// xProj = W_ih x + b_ih and hProj = W_hh h + b_hh, both [B, G*H]: gate k sits in columns
// k*H .. (k+1)*H - 1 of every row (PyTorch's order: LSTM i, f, g, o; GRU r, z, n). The ops read
// a gate's block in place, with no split copy, and add its gradient back into the same columns.
import { shapeStr } from "../errors";
import { gradSlot, record } from "../autograd/tape";
import { Tensor, allocate } from "../tensor";

export type GateActivation = "sigmoid" | "tanh";

/** The logistic sigmoid of one number, in the same form as the sigmoid kernel (no overflow). */
export function sigmoidOf(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** Checks xProj and hProj are the same [B, gates*H] and returns B, the row length and H. */
export function gateShape(op: string, xProj: Tensor, hProj: Tensor, k: number, gates: number): { B: number; W: number; H: number } {
  const ok = xProj.rank === 2 && hProj.rank === 2 && xProj.shape[0] === hProj.shape[0] && xProj.shape[1] === hProj.shape[1];
  if (!ok || xProj.shape[1] % gates !== 0) {
    throw new RangeError(`${op}: xProj ${shapeStr(xProj.shape)} and hProj ${shapeStr(hProj.shape)} must both be [batch, ${gates}*hidden]`);
  }
  if (!Number.isInteger(k) || k < 0 || k >= gates) throw new RangeError(`${op}: gate ${k} does not exist (gates 0..${gates - 1})`);
  const [B, W] = xProj.shape;
  return { B, W, H: W / gates };
}

/** Checks that s (a state or gate, named `what`) is [B, H], as the op needs. */
export function checkBH(op: string, what: string, s: Tensor, B: number, H: number): void {
  if (s.rank !== 2 || s.shape[0] !== B || s.shape[1] !== H) {
    throw new RangeError(`${op}: ${what} has shape ${shapeStr(s.shape)}, expected [${B},${H}]`);
  }
}

/**
 * Gate k of `gates`: act(xProj[:, block k] + hProj[:, block k]), shape [B, H].
 * The same as `act(add(split(xProj, gates, 1)[k], split(hProj, gates, 1)[k]))`.
 * The LSTM's i, f, g, o and the GRU's r, z.
 */
export function gate(act: GateActivation, xProj: Tensor, hProj: Tensor, k: number, gates: number): Tensor {
  const op = `${act} gate`;
  if (act !== "sigmoid" && act !== "tanh") throw new Error(`gate: activation must be "sigmoid" or "tanh", got ${JSON.stringify(act)}`);
  const { B, W, H } = gateShape(op, xProj, hProj, k, gates);
  const x = xProj.data;
  const h = hProj.data;
  const out = new Tensor(allocate("gate", [B, H]), [B, H]);
  const y = out.data;
  for (let b = 0; b < B; b++) {
    const from = b * W + k * H; // where row b's block starts in xProj and hProj
    for (let j = 0; j < H; j++) {
      const pre = x[from + j] + h[from + j];
      y[b * H + j] = act === "sigmoid" ? sigmoidOf(pre) : Math.tanh(pre);
    }
  }
  return record(out, [xProj, hProj], (g) => {
    // add's backward passes the activation's gradient to both blocks unchanged; the activation's
    // derivative comes from its output: σ' = σ(1 - σ), tanh' = 1 - tanh².
    const gx = gradSlot(xProj);
    const gh = gradSlot(hProj);
    for (let b = 0; b < B; b++) {
      const from = b * W + k * H;
      for (let j = 0; j < H; j++) {
        const v = y[b * H + j];
        const d = g[b * H + j] * (act === "sigmoid" ? v * (1 - v) : 1 - v * v);
        if (gx) gx[from + j] += d;
        if (gh) gh[from + j] += d;
      }
    }
  }, op);
}
