// The fused cell ops (gate, gruCandidate, gruUpdate, lstmMemory, lstmOutput) and lerp against the
// basic ops they stand for.
import { test, afterEach } from "node:test";
import assert from "node:assert/strict";
import { Tensor, randn, Rng, add, mul, sub, sigmoid, tanh, split, sum, lerp } from "../src";
import { Parameter } from "../src/nn";
import { gradcheck } from "../src/testing";
import { resetTape } from "../src/autograd";
import { gate, gruCandidate, gruUpdate, lstmMemory, lstmOutput } from "../src/ops/fused";

const rng = new Rng(31);
afterEach(() => resetTape());

function assertNear(a: Float64Array, b: Float64Array, label: string, tol = 1e-14): void {
  assert.equal(a.length, b.length, label);
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= tol, `${label}[${i}]: ${v} vs ${b[i]}`));
}

/** Runs f on fresh parameter copies of `inputs`, backward of sum(f · weights); returns output and input grads. */
function run(f: (...t: Tensor[]) => Tensor, inputs: Tensor[], weights: Tensor): { out: Float64Array; grads: Float64Array[] } {
  const ps = inputs.map((t) => new Parameter(new Tensor(t.data.slice(), t.shape)));
  const out = f(...ps);
  sum(mul(out, weights)).backward();
  return { out: out.data.slice(), grads: ps.map((p) => p.grad!.data) };
}

function sameAsComposition(label: string, fused: (...t: Tensor[]) => Tensor, basic: (...t: Tensor[]) => Tensor, inputs: Tensor[], outShape: number[]): void {
  const weights = randn(outShape, rng);
  const a = run(fused, inputs, weights);
  const b = run(basic, inputs, weights);
  assertNear(a.out, b.out, `${label} forward`);
  a.grads.forEach((g, i) => assertNear(g, b.grads[i], `${label} grad of input ${i}`));
}

test("gate(act, xProj, hProj, k, G) is act(x_k + h_k) of the split blocks", () => {
  const [B, H] = [3, 5];
  for (const [act, G] of [["sigmoid", 4], ["tanh", 4], ["sigmoid", 3]] as const) {
    for (let k = 0; k < G; k++) {
      const f = act === "sigmoid" ? sigmoid : tanh;
      sameAsComposition(
        `${act} gate ${k}/${G}`,
        (x, h) => gate(act, x, h, k, G),
        (x, h) => f(add(split(x, G, 1)[k], split(h, G, 1)[k])),
        [randn([B, G * H], rng), randn([B, G * H], rng)],
        [B, H],
      );
    }
  }
});

test("gruCandidate(xProj, hProj, r) is tanh(x_n + r * h_n)", () => {
  const [B, H] = [4, 3];
  sameAsComposition(
    "gruCandidate",
    (x, h, r) => gruCandidate(x, h, r),
    (x, h, r) => tanh(add(split(x, 3, 1)[2], mul(r, split(h, 3, 1)[2]))),
    [randn([B, 3 * H], rng), randn([B, 3 * H], rng), sigmoid(randn([B, H], rng))],
    [B, H],
  );
});

test("gruUpdate(xProj, hProj, h) is gate r, gate z, gruCandidate and lerp in one op", () => {
  const [B, H] = [3, 4];
  sameAsComposition(
    "gruUpdate",
    (x, h, prev) => gruUpdate(x, h, prev),
    (x, h, prev) => {
      const r = gate("sigmoid", x, h, 0, 3);
      const z = gate("sigmoid", x, h, 1, 3);
      return lerp(gruCandidate(x, h, r), prev, z);
    },
    [randn([B, 3 * H], rng), randn([B, 3 * H], rng), randn([B, H], rng)],
    [B, H],
  );
});

test("lstmMemory(xProj, hProj, c) is gates i, f, g and f * c + i * g in one op", () => {
  const [B, H] = [3, 4];
  sameAsComposition(
    "lstmMemory",
    (x, h, c) => lstmMemory(x, h, c),
    (x, h, c) => add(mul(gate("sigmoid", x, h, 1, 4), c), mul(gate("sigmoid", x, h, 0, 4), gate("tanh", x, h, 2, 4))),
    [randn([B, 4 * H], rng), randn([B, 4 * H], rng), randn([B, H], rng)],
    [B, H],
  );
});

test("lstmOutput(xProj, hProj, c) is gate o and o * tanh(c) in one op", () => {
  const [B, H] = [3, 4];
  sameAsComposition(
    "lstmOutput",
    (x, h, c) => lstmOutput(x, h, c),
    (x, h, c) => mul(gate("sigmoid", x, h, 3, 4), tanh(c)),
    [randn([B, 4 * H], rng), randn([B, 4 * H], rng), randn([B, H], rng)],
    [B, H],
  );
});

test("lstmMemory then lstmOutput is the whole LSTM step: both outputs' gradients reach c and the blocks", () => {
  // The two ops share xProj and hProj and are chained through c'; a loss on both h' and c' checks
  // that lstmOutput's part of dL/dc' arrives before lstmMemory's backward reads it.
  const [B, H] = [2, 3];
  const wh = randn([B, H], rng);
  const wc = randn([B, H], rng);
  const step = (fused: boolean) => (x: Tensor, h: Tensor, c: Tensor) => {
    const cNext = fused ? lstmMemory(x, h, c) : add(mul(gate("sigmoid", x, h, 1, 4), c), mul(gate("sigmoid", x, h, 0, 4), gate("tanh", x, h, 2, 4)));
    const hNext = fused ? lstmOutput(x, h, cNext) : mul(gate("sigmoid", x, h, 3, 4), tanh(cNext));
    return add(mul(hNext, wh), mul(cNext, wc));
  };
  sameAsComposition("lstm step", step(true), step(false), [randn([B, 4 * H], rng), randn([B, 4 * H], rng), randn([B, H], rng)], [B, H]);
});

test("lerp(start, end, weight) is start + weight * (end - start)", () => {
  sameAsComposition("lerp", lerp, (a, b, w) => add(a, mul(w, sub(b, a))), [randn([3, 4], rng), randn([3, 4], rng), randn([3, 4], rng)], [3, 4]);
});

test("gradcheck of the fused ops", () => {
  const p = (shape: number[]) => new Parameter(randn(shape, rng));
  for (const [label, f, inputs] of [
    ["gate", (x: Tensor, h: Tensor) => gate("sigmoid", x, h, 1, 3), [p([2, 6]), p([2, 6])]],
    ["gruCandidate", (x: Tensor, h: Tensor, r: Tensor) => gruCandidate(x, h, r), [p([2, 6]), p([2, 6]), p([2, 2])]],
    ["lerp", lerp, [p([2, 3]), p([2, 3]), p([2, 3])]],
    ["gruUpdate", (x: Tensor, h: Tensor, prev: Tensor) => gruUpdate(x, h, prev), [p([2, 6]), p([2, 6]), p([2, 2])]],
    ["lstmMemory", (x: Tensor, h: Tensor, c: Tensor) => lstmMemory(x, h, c), [p([2, 8]), p([2, 8]), p([2, 2])]],
    ["lstmOutput", (x: Tensor, h: Tensor, c: Tensor) => lstmOutput(x, h, c), [p([2, 8]), p([2, 8]), p([2, 2])]],
  ] as const) {
    const r = gradcheck(f as (...t: Tensor[]) => Tensor, inputs.slice());
    assert.ok(r.ok && r.maxRelError < 1e-6, `${label}: ${JSON.stringify(r)}`);
  }
});

test("shape errors name the op and the shapes", () => {
  const x = randn([2, 6], rng);
  assert.throws(() => gate("sigmoid", x, randn([2, 8], rng), 0, 3), /sigmoid gate: xProj \[2,6\] and hProj \[2,8\]/);
  assert.throws(() => gate("sigmoid", x, x, 3, 3), /gate 3 does not exist/);
  assert.throws(() => gruCandidate(x, x, randn([2, 3], rng)), /gruCandidate: r has shape \[2,3\], expected \[2,2\]/);
  assert.throws(() => lerp(x, x, randn([6], rng)), /lerp: .* must have the same shape/);
  assert.throws(() => gruUpdate(x, x, randn([2, 3], rng)), /gruUpdate: h has shape \[2,3\], expected \[2,2\]/);
  const x4 = randn([2, 8], rng);
  assert.throws(() => lstmMemory(x4, randn([2, 6], rng), randn([2, 2], rng)), /lstmMemory: xProj \[2,8\] and hProj \[2,6\] must both be \[batch, 4\*hidden\]/);
  assert.throws(() => lstmMemory(x4, x4, randn([2, 3], rng)), /lstmMemory: c has shape \[2,3\], expected \[2,2\]/);
  assert.throws(() => lstmOutput(x4, x4, randn([3, 2], rng)), /lstmOutput: c has shape \[3,2\], expected \[2,2\]/);
});
