// The GRU's fused ops (see cells.ts for why ops are fused and how gate blocks are laid out).
// nn/gru-cell.ts uses gruUpdate, the whole step after its two products. gruCandidate is the
// candidate line alone: with gate and lerp it is the four-op form that gruUpdate stands for
// (the tests compare the two), and a notebook can build the cell from it one line at a time.
import { gradSlot, record } from "../autograd/tape";
import { Tensor, allocate } from "../tensor";
import { checkBH, gateShape, sigmoidOf as sharedSigmoid } from "./cells";

// Read once into a local, for the reason given in lstm.ts (imported functions are getter calls
// under tsx, which the bench and the tests run through).
const sigmoidOf = sharedSigmoid;

/**
 * The GRU's candidate n = tanh(x_n + r * h_n), shape [B, H], where x_n and h_n are block 2 (of
 * r, z, n) of xProj and hProj [B, 3H], and r [B, H] is the reset gate.
 * The same as `tanh(add(xn, mul(r, hn)))` with xn, hn from split(..., 3, 1).
 */
export function gruCandidate(xProj: Tensor, hProj: Tensor, r: Tensor): Tensor {
  const { B, W, H } = gateShape("gruCandidate", xProj, hProj, 2, 3);
  checkBH("gruCandidate", "r", r, B, H);
  const x = xProj.data;
  const h = hProj.data;
  const rv = r.data;
  const out = new Tensor(allocate("gruCandidate", [B, H]), [B, H]);
  const n = out.data;
  for (let b = 0; b < B; b++) {
    const from = b * W + 2 * H;
    for (let j = 0; j < H; j++) n[b * H + j] = Math.tanh(x[from + j] + rv[b * H + j] * h[from + j]);
  }
  return record(out, [xProj, hProj, r], (g) => {
    // d = dL/d(pre) = g · (1 - n²) (tanh's backward); then pre = x_n + r·h_n gives
    // dx_n = d (add), dr = d·h_n and dh_n = d·r (mul).
    const gx = gradSlot(xProj);
    const gh = gradSlot(hProj);
    const gr = gradSlot(r);
    for (let b = 0; b < B; b++) {
      const from = b * W + 2 * H;
      for (let j = 0; j < H; j++) {
        const i = b * H + j;
        const d = g[i] * (1 - n[i] * n[i]);
        if (gx) gx[from + j] += d;
        if (gr) gr[i] += d * h[from + j];
        if (gh) gh[from + j] += d * rv[i];
      }
    }
  }, "gruCandidate");
}

/**
 * A whole GRU step after its two products: h' [B, H] from xProj, hProj [B, 3H] (blocks r, z, n)
 * and the previous state h [B, H], in one pass and one tape node:
 *
 *   r  = sigmoid(x_r + h_r)             gate("sigmoid", xProj, hProj, 0, 3)
 *   z  = sigmoid(x_z + h_z)             gate("sigmoid", xProj, hProj, 1, 3)
 *   n  = tanh(x_n + r * h_n)            gruCandidate(xProj, hProj, r)
 *   h' = n + z * (h - n)                lerp(n, h, z)
 *
 * The same as those four ops (the tests check it), which cost four output arrays, four tape
 * nodes and four passes forward and back; at hidden 128 that was a third of the GRU's step
 * beyond its matrix products. r, z and n are kept (one [B, 3H] array) for the backward.
 */
export function gruUpdate(xProj: Tensor, hProj: Tensor, h: Tensor): Tensor {
  const { B, W, H } = gateShape("gruUpdate", xProj, hProj, 2, 3);
  checkBH("gruUpdate", "h", h, B, H);
  const x = xProj.data;
  const hp = hProj.data;
  const hv = h.data;
  const rzn = allocate("gruUpdate", [B, W]); // row b: r (H), z (H), n (H), the same layout as xProj
  const out = new Tensor(allocate("gruUpdate", [B, H]), [B, H]);
  const y = out.data;
  for (let b = 0; b < B; b++) {
    const row = b * W; // row b of xProj, hProj and rzn; block k starts at row + k*H
    for (let j = 0; j < H; j++) {
      const ir = row + j, iz = ir + H, iN = iz + H, i = b * H + j;
      const r = sigmoidOf(x[ir] + hp[ir]); //     r = sigmoid(x_r + h_r)
      const z = sigmoidOf(x[iz] + hp[iz]); //     z = sigmoid(x_z + h_z)
      const n = Math.tanh(x[iN] + r * hp[iN]); // n = tanh(x_n + r * h_n)
      rzn[ir] = r;
      rzn[iz] = z;
      rzn[iN] = n;
      y[i] = n + z * (hv[i] - n); //              h' = n + z * (h - n)
    }
  }
  return record(out, [xProj, hProj, h], (g) => {
    // Each line is the backward of one forward line above, last line first (g = dL/dh'):
    //   h' = n + z(h - n):       dn = g(1 - z),  dz = g(h - n),  dh = g z            (lerp)
    //   n = tanh(x_n + r h_n):   dn_pre = dn(1 - n²); dx_n = dn_pre, dh_n = dn_pre r, dr = dn_pre h_n
    //   z = sigmoid(x_z + h_z):  dz_pre = dz z(1 - z); dx_z = dh_z = dz_pre
    //   r = sigmoid(x_r + h_r):  dr_pre = dr r(1 - r); dx_r = dh_r = dr_pre
    const gx = gradSlot(xProj);
    const gh = gradSlot(hProj);
    const gPrev = gradSlot(h);
    for (let b = 0; b < B; b++) {
      const row = b * W;
      for (let j = 0; j < H; j++) {
        const ir = row + j, iz = ir + H, iN = iz + H, i = b * H + j;
        const r = rzn[ir], z = rzn[iz], n = rzn[iN], gi = g[i];
        const dnPre = gi * (1 - z) * (1 - n * n);
        const dzPre = gi * (hv[i] - n) * z * (1 - z);
        const drPre = dnPre * hp[iN] * r * (1 - r);
        if (gPrev) gPrev[i] += gi * z;
        if (gx) {
          gx[ir] += drPre;
          gx[iz] += dzPre;
          gx[iN] += dnPre;
        }
        if (gh) {
          gh[ir] += drPre;
          gh[iz] += dzPre;
          gh[iN] += dnPre * r;
        }
      }
    }
  }, "gruUpdate");
}
