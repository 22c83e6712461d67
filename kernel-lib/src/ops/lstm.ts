// The LSTM's fused ops (see cells.ts for why ops are fused and how gate blocks are laid out).
//
// After its two products xProj, hProj [B, 4H] (blocks i, f, g, o), an LSTM step written with
// the basic ops is nine of them: four gates, then c' = add(mul(f, c), mul(i, g)) and
// h' = mul(o, tanh(c')). These two ops do the same in two tape nodes, one per output:
//
//   c' = lstmMemory(xProj, hProj, c)     i, f, g and  c' = f * c + i * g
//   h' = lstmOutput(xProj, hProj, c')    o and        h' = o * tanh(c')
//
// Two ops, not one, because a step has two outputs and a tape node has one: h' and c' each
// need their own gradient. The backward order works out by itself: lstmOutput is recorded after
// lstmMemory, so its backward runs first and has added its part of dL/dc' before lstmMemory's
// backward reads it.
import { gradSlot, record } from "../autograd/tape";
import { Tensor, allocate } from "../tensor";
import { checkBH, gateShape, sigmoidOf as sharedSigmoid } from "./cells";

// Read once into a local: the bench and the tests run this source through tsx (esbuild), where
// every use of an imported function is a getter call; in these loops that cost about 8% of the
// LSTM's whole training step (measured at hidden 128). A module-local function is called directly.
const sigmoidOf = sharedSigmoid;

/**
 * The LSTM's memory update: c' [B, H] from xProj, hProj [B, 4H] and the previous cell state
 * c [B, H], in one pass and one tape node:
 *
 *   i  = sigmoid(x_i + h_i)       gate("sigmoid", xProj, hProj, 0, 4)   input gate
 *   f  = sigmoid(x_f + h_f)       gate("sigmoid", xProj, hProj, 1, 4)   forget gate
 *   g  = tanh(x_g + h_g)          gate("tanh", xProj, hProj, 2, 4)      candidate content
 *   c' = f * c + i * g            add(mul(f, c), mul(i, g))
 *
 * The same as those six ops (the tests check it). i, f and g are kept for the backward.
 */
export function lstmMemory(xProj: Tensor, hProj: Tensor, c: Tensor): Tensor {
  const { B, W, H } = gateShape("lstmMemory", xProj, hProj, 0, 4);
  checkBH("lstmMemory", "c", c, B, H);
  const x = xProj.data;
  const hp = hProj.data;
  const cv = c.data;
  const ifg = allocate("lstmMemory", [B, 3 * H]); // row b: i (H), f (H), g (H)
  const out = new Tensor(allocate("lstmMemory", [B, H]), [B, H]);
  const y = out.data;
  for (let b = 0; b < B; b++) {
    const row = b * W; // row b of xProj and hProj; block k starts at row + k*H
    const kept = 3 * b * H; // row b of ifg
    for (let j = 0; j < H; j++) {
      const ii = row + j, iF = ii + H, iG = iF + H, n = b * H + j;
      const i = sigmoidOf(x[ii] + hp[ii]); // i = sigmoid(x_i + h_i)
      const f = sigmoidOf(x[iF] + hp[iF]); // f = sigmoid(x_f + h_f)
      const g = Math.tanh(x[iG] + hp[iG]); // g = tanh(x_g + h_g)
      ifg[kept + j] = i;
      ifg[kept + H + j] = f;
      ifg[kept + 2 * H + j] = g;
      y[n] = f * cv[n] + i * g; //           c' = f * c + i * g
    }
  }
  return record(out, [xProj, hProj, c], (gOut) => {
    // Each line is the backward of one forward line above, last line first (gOut = dL/dc'):
    //   c' = f c + i g:          dc = gOut f,  df = gOut c,  di = gOut g,  dg = gOut i     (mul, add)
    //   g = tanh(x_g + h_g):     dg_pre = dg (1 - g²);     dx_g = dh_g = dg_pre           (tanh, add)
    //   f = sigmoid(x_f + h_f):  df_pre = df f (1 - f);    dx_f = dh_f = df_pre           (sigmoid, add)
    //   i = sigmoid(x_i + h_i):  di_pre = di i (1 - i);    dx_i = dh_i = di_pre
    const gx = gradSlot(xProj);
    const gh = gradSlot(hProj);
    const gc = gradSlot(c);
    for (let b = 0; b < B; b++) {
      const row = b * W;
      const kept = 3 * b * H;
      for (let j = 0; j < H; j++) {
        const ii = row + j, iF = ii + H, iG = iF + H, n = b * H + j;
        const i = ifg[kept + j], f = ifg[kept + H + j], g = ifg[kept + 2 * H + j], d = gOut[n];
        const diPre = d * g * i * (1 - i);
        const dfPre = d * cv[n] * f * (1 - f);
        const dgPre = d * i * (1 - g * g);
        if (gc) gc[n] += d * f;
        if (gx) {
          gx[ii] += diPre;
          gx[iF] += dfPre;
          gx[iG] += dgPre;
        }
        if (gh) {
          gh[ii] += diPre;
          gh[iF] += dfPre;
          gh[iG] += dgPre;
        }
      }
    }
  }, "lstmMemory");
}

/**
 * The LSTM's output: h' [B, H] from xProj, hProj [B, 4H] and the new cell state c' [B, H]
 * (lstmMemory's output), in one pass and one tape node:
 *
 *   o  = sigmoid(x_o + h_o)       gate("sigmoid", xProj, hProj, 3, 4)   output gate
 *   h' = o * tanh(c')             mul(o, tanh(c'))
 *
 * The same as those three ops (the tests check it). o and tanh(c') are kept for the backward.
 */
export function lstmOutput(xProj: Tensor, hProj: Tensor, c: Tensor): Tensor {
  const { B, W, H } = gateShape("lstmOutput", xProj, hProj, 3, 4);
  checkBH("lstmOutput", "c", c, B, H);
  const x = xProj.data;
  const hp = hProj.data;
  const cv = c.data;
  const oT = allocate("lstmOutput", [2, B, H]); // o in the first B*H, tanh(c') in the second
  const out = new Tensor(allocate("lstmOutput", [B, H]), [B, H]);
  const y = out.data;
  const T = B * H; // where tanh(c') starts in oT
  for (let b = 0; b < B; b++) {
    const from = b * W + 3 * H; // where row b's block o starts in xProj and hProj
    for (let j = 0; j < H; j++) {
      const n = b * H + j;
      const o = sigmoidOf(x[from + j] + hp[from + j]); // o = sigmoid(x_o + h_o)
      const t = Math.tanh(cv[n]);
      oT[n] = o;
      oT[T + n] = t;
      y[n] = o * t; //                                    h' = o * tanh(c')
    }
  }
  return record(out, [xProj, hProj, c], (gOut) => {
    // Backward of each line, last line first (gOut = dL/dh'):
    //   h' = o tanh(c'):         do = gOut tanh(c'),  dc' = gOut o (1 - tanh²(c'))       (mul, tanh)
    //   o = sigmoid(x_o + h_o):  do_pre = do o (1 - o);  dx_o = dh_o = do_pre           (sigmoid, add)
    const gx = gradSlot(xProj);
    const gh = gradSlot(hProj);
    const gc = gradSlot(c);
    for (let b = 0; b < B; b++) {
      const from = b * W + 3 * H;
      for (let j = 0; j < H; j++) {
        const n = b * H + j;
        const o = oT[n], t = oT[T + n], d = gOut[n];
        const doPre = d * t * o * (1 - o);
        if (gc) gc[n] += d * o * (1 - t * t);
        if (gx) gx[from + j] += doPre;
        if (gh) gh[from + j] += doPre;
      }
    }
  }, "lstmOutput");
}
