import { test } from "node:test";
import assert from "node:assert/strict";
import { Adagrad, Adam, Optimizer, SGD } from "../src/optim";
import { Tensor, tensor } from "../src";
import { Parameter } from "../src/nn";

// Every optimizer is run for two steps on p = [1, -2] with hand-set gradients g1 = [0.5, 0.1],
// then g2 = [-0.25, 0.3], and compared with values worked out by hand (intermediate numbers in
// the comments; the literals were checked with a float64 calculator).

const G1 = [0.5, 0.1];
const G2 = [-0.25, 0.3];

/** Runs two steps with the fixed gradients; returns p after each step. */
function twoSteps(make: (params: Tensor[]) => Optimizer): number[][] {
  const p = new Parameter(tensor([1, -2]));
  const opt = make([p]);
  const after: number[][] = [];
  for (const g of [G1, G2]) {
    opt.zeroGrad();
    p.grad = tensor(g);
    opt.step();
    after.push(Array.from(p.data));
  }
  return after;
}

function close(actual: number[][], expected: number[][], tol = 1e-14): void {
  actual.forEach((row, i) =>
    row.forEach((v, j) => assert.ok(Math.abs(v - expected[i][j]) <= tol, `step ${i + 1}, p[${j}]: got ${v}, expected ${expected[i][j]}`)),
  );
}

test("SGD with momentum 0.9: buf1 = g1, buf2 = 0.9 buf1 + g2 (PyTorch's formula)", () => {
  // p[0]: buf = 0.5 → p = 1 - 0.1*0.5 = 0.95; buf = 0.45 - 0.25 = 0.2 → p = 0.95 - 0.02 = 0.93
  // p[1]: buf = 0.1 → p = -2.01;              buf = 0.09 + 0.3 = 0.39 → p = -2.01 - 0.039 = -2.049
  close(twoSteps((ps) => new SGD(ps, { lr: 0.1, momentum: 0.9 })), [[0.95, -2.01], [0.93, -2.049]]);
});

test("SGD with weight decay adds weightDecay * p to the gradient before momentum", () => {
  // p[0]: g = 0.5 + 0.1 = 0.6 → p = 0.94; g = -0.25 + 0.094 = -0.156, buf = 0.54 - 0.156 = 0.384 → p = 0.9016
  // p[1]: g = 0.1 - 0.2 = -0.1 → p = -1.99; g = 0.3 - 0.199 = 0.101, buf = -0.09 + 0.101 = 0.011 → p = -1.9911
  close(twoSteps((ps) => new SGD(ps, { lr: 0.1, momentum: 0.9, weightDecay: 0.1 })), [[0.94, -1.99], [0.9016, -1.9911]]);
});

test("plain SGD: p -= lr * g", () => {
  close(twoSteps((ps) => new SGD(ps, { lr: 0.1 })), [[0.95, -2.01], [0.975, -2.04]]);
});

test("Adam: bias-corrected moments, eps added after the square root", () => {
  // Step 1: m = 0.1 g, v = 0.001 g², bc1 = 0.1, bc2 = 0.001, so m/bc1 = g and sqrt(v)/sqrt(bc2) = |g|:
  //   p[0] = 1 - 0.1 * 0.5 / (0.5 + 1e-8) = 0.900000002;  p[1] = -2 - 0.1 * 0.1 / (0.1 + 1e-8) = -2.09999999
  // Step 2, p[0]: m = 0.05 + 0.1 * (-0.25 - 0.05) = 0.02, v = 0.999 * 0.00025 + 0.001 * 0.0625 = 0.00031225,
  //   bc1 = 0.19, bc2 = 0.001999, denom = sqrt(0.00031225) / sqrt(0.001999) + 1e-8 = 0.3952253800...,
  //   p = 0.900000002 - (0.1 / 0.19) * 0.02 / denom = 0.8733662987078463
  close(twoSteps((ps) => new Adam(ps, { lr: 0.1 })), [
    [0.900000002, -2.099999990000001],
    [0.8733662987078463, -2.19177809779441],
  ]);
});

test("Adam with weight decay (L2 added to the gradient, as torch.optim.Adam)", () => {
  close(twoSteps((ps) => new Adam(ps, { lr: 0.1, weightDecay: 0.1 })), [
    [0.9000000016666666, -1.900000009999999],
    [0.8544413674617625, -1.9100134862701348],
  ]);
});

test("Adagrad: sum of squared gradients from 0, eps 1e-10 after the square root", () => {
  // p[0]: sum = 0.25 → p = 1 - 0.1 * 0.5 / (0.5 + 1e-10) = 0.90000000002
  //       sum = 0.3125 → p += 0.1 * 0.25 / sqrt(0.3125) = 0.0447213595... → 0.9447213595619958
  close(twoSteps((ps) => new Adagrad(ps, { lr: 0.1 })), [
    [0.90000000002, -2.0999999999],
    [0.9447213595619958, -2.1948683296750513],
  ]);
});

test("parameters without a gradient are skipped; zeroGrad zeroes the others", () => {
  const a = new Parameter(tensor([1, 2]));
  const b = new Parameter(tensor([3]));
  const opt = new Adam([a, b], { lr: 0.1 });
  a.grad = tensor([1, 1]);
  opt.step();
  assert.deepEqual(Array.from(b.data), [3]);
  assert.notDeepEqual(Array.from(a.data), [1, 2]);
  opt.zeroGrad();
  assert.deepEqual(Array.from(a.grad.data), [0, 0]);
});

test("bad hyper-parameters and parameter lists are rejected with a message", () => {
  const p = new Parameter(tensor([1]));
  assert.throws(() => new SGD([p], { lr: -1 }), /SGD: lr must be a finite number >= 0/);
  assert.throws(() => new Adam([p], { betas: [0.9, 1] }), /Adam: betas\[1\] must be in \[0, 1\)/);
  assert.throws(() => new Adagrad([]), /empty parameter list/);
  assert.throws(() => new Adam([p, p]), /listed twice/);
});
