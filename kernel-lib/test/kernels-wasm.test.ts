// The WASM SIMD kernel set: its binary is up to date with its WAT source, and it is the default.
// (Its numbers are checked against the textbook loop in kernels-matmul.test.ts.)
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { getKernels, plainKernels, setKernels } from "../src/kernels";
import { F32_WAT_PATH, GENERATED_PATH, WAT_PATH, generatedSource } from "../src/kernels/wasm/assemble";
import { createWasmSimdKernels, packsB } from "../src/kernels/wasm-simd";
import { matmulReference } from "./op-asserts";

test("matmul-wasm.generated.ts is up to date with matmul.wat and matmul-f32.wat (else: npm run wasm --workspace kernel-lib)", async () => {
  const expected = await generatedSource(fs.readFileSync(WAT_PATH, "utf8"), fs.readFileSync(F32_WAT_PATH, "utf8"));
  assert.equal(fs.readFileSync(GENERATED_PATH, "utf8"), expected);
});

test("the WASM SIMD kernels (the largest products on two threads) are the default where WebAssembly SIMD exists, and can be swapped out", () => {
  assert.equal(getKernels().name, "wasm-simd-2threads");
  const previous = setKernels(plainKernels);
  try {
    assert.equal(getKernels().name, "plain-js");
  } finally {
    setKernels(previous);
  }
});

test("a product bigger than the WASM memory so far grows it and still agrees", () => {
  const kern = createWasmSimdKernels({ minWork: 0 })!;
  for (const [m, k, n] of [[4, 4, 4], [300, 257, 301], [8, 8, 8]]) {
    const a = Float64Array.from({ length: m * k }, (_, i) => Math.sin(i));
    const b = Float64Array.from({ length: k * n }, (_, i) => Math.cos(i));
    const c = new Float64Array(m * n);
    const expected = new Float64Array(m * n);
    kern.matmul(a, b, c, m, k, n);
    plainKernels.matmul(a, b, expected, m, k, n);
    for (let i = 0; i < c.length; i++) assert.ok(Math.abs(c[i] - expected[i]) <= 1e-12 * Math.max(1, Math.abs(expected[i])), `${m}x${k}x${n} at ${i}`);
  }
});

test("packing B into panels changes no bit of any product (packed always, never, or as chosen), and is chosen for large Bs with long rows", () => {
  const sets = (["large", "always", "never"] as const).map((packB) => createWasmSimdKernels({ minWork: 0, packB })!);
  // [32,1024]·[1024,256] is an LSTM's dPre·W_hh at hidden 256, which the default packs; [33,771]·
  // [771,257] too, with m and n padded to whole blocks and an odd k; the small ones are packed only
  // by "always".
  const shapes = [[32, 1024, 256], [33, 771, 257], [5, 9, 3], [4, 4, 4], [8, 300, 17], [1, 600, 300]];
  for (const [m, k, n] of shapes) {
    for (const transA of [false, true]) {
      for (const accumulate of [false, true]) {
        const a = Float64Array.from({ length: m * k }, (_, i) => Math.sin(i * 0.7));
        const b = Float64Array.from({ length: k * n }, (_, i) => Math.cos(i * 0.3));
        const start = Float64Array.from({ length: m * n }, (_, i) => Math.sin(i));
        const [large, always, never] = sets.map((kern) => {
          const c = start.slice();
          kern.matmul(a, b, c, m, k, n, { transA, accumulate });
          return c;
        });
        const where = `[${m},${k}]·[${k},${n}] transA ${transA} accumulate ${accumulate}`;
        assert.ok(never.every((v, i) => Object.is(v, always[i])), `${where}: packed differs from row-major`);
        assert.ok(never.every((v, i) => Object.is(v, large[i])), `${where}: the default differs from row-major`);
        // And right, not only the same: against the textbook loop.
        const want = matmulReference(a, b, m, k, n, transA, false).map((v, i) => (accumulate ? v + start[i] : v));
        const worst = always.reduce((w, v, i) => Math.max(w, Math.abs(v - want[i]) / Math.max(1, Math.abs(want[i]))), 0);
        assert.ok(worst < 1e-12, `${where}: packed is ${worst} from the textbook loop`);
      }
    }
  }
  // What the default packs: the LSTM's and GRU's W_hh at hidden 256 (1 MiB or more, rows of 256
  // doubles or more), not at 128, not a B with short rows however many.
  assert.deepEqual([packsB(1024, 256), packsB(768, 256), packsB(512, 128), packsB(2048, 64), packsB(256, 256)], [true, true, false, false, false]);
});
