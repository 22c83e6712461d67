// The matrix products of one recurrent time step, alone: GFLOP/s of the WASM kernel on one thread
// and on two (createWasmThreadsKernels), copies into WebAssembly memory included, of the opt-in
// float32 matmul (createWasmF32Kernels) with its error against float64, and PyTorch's
// float64 addmm_ on the same operands when given a Python with torch (peers/pytorch_products.py). It answers "how fast can
// the products get here", the ceiling under the training step's numbers (see README.md).
//
//   node --import tsx kernel-lib/bench/products.ts [--pytorch /path/to/python] [--smoke]
//
// --smoke: one repeat of ten calls each (for the test that it runs; the numbers mean nothing).
//
// Shapes: the LSTM's at hidden 64, 128 and 256 with batch 32, each accumulated into C as backward
// does: h·W_hhᵀ [32,H]·[4H,H]ᵀ, the input gradient dPre·W_hh [32,4H]·[4H,H] and the weight
// gradient dPreᵀ·h [32,4H]ᵀ·[32,H]. PyTorch gets the same operands stored the same way.
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { createWasmF32Kernels, createWasmSimdKernels, createWasmThreadsKernels, type Kernels, type MatmulOptions } from "../src/kernels";

interface Product {
  name: string;
  m: number;
  k: number;
  n: number;
  opts: MatmulOptions;
}

function products(): Product[] {
  return [64, 128, 256].flatMap((H) => [
    { name: `h·W_hhᵀ, H ${H}`, m: 32, k: H, n: 4 * H, opts: { transB: true, accumulate: true } },
    { name: `dPre·W_hh, H ${H}`, m: 32, k: 4 * H, n: H, opts: { accumulate: true } },
    { name: `dPreᵀ·h, H ${H}`, m: 4 * H, k: 32, n: H, opts: { transA: true, accumulate: true } },
  ]);
}

const SMOKE = process.argv.includes("--smoke");

/** The product's operands: A and B filled with sin and cos of their indices. */
const operands = (p: Product) => [Float64Array.from({ length: p.m * p.k }, (_, i) => Math.sin(i)), Float64Array.from({ length: p.k * p.n }, (_, i) => Math.cos(i))];

/** The float32 product's largest difference from the float64 one, relative to the float64 one's largest element. */
function f32Error(f32: Kernels, f64: Kernels, p: Product): number {
  const [a, b] = operands(p);
  const c32 = new Float64Array(p.m * p.n), c64 = new Float64Array(p.m * p.n);
  const opts = { ...p.opts, accumulate: false };
  f32.matmul(a, b, c32, p.m, p.k, p.n, opts);
  f64.matmul(a, b, c64, p.m, p.k, p.n, opts);
  let diff = 0, largest = 0;
  for (let i = 0; i < c64.length; i++) {
    diff = Math.max(diff, Math.abs(c32[i] - c64[i]));
    largest = Math.max(largest, Math.abs(c64[i]));
  }
  return diff / largest;
}

/** Best of 9 repeats of enough calls for ~100 ms, in GFLOP/s (2 flops per multiply-add). */
function gflops(kernels: Kernels, p: Product): number {
  const [a, b] = operands(p);
  const c = new Float64Array(p.m * p.n);
  const calls = SMOKE ? 10 : Math.max(10, Math.round(1e8 / (p.m * p.k * p.n)));
  for (let i = 0; i < calls; i++) kernels.matmul(a, b, c, p.m, p.k, p.n, p.opts);
  let best = Infinity;
  for (let r = 0; r < (SMOKE ? 1 : 9); r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) kernels.matmul(a, b, c, p.m, p.k, p.n, p.opts);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9 / calls);
  }
  return (2 * p.m * p.k * p.n) / best / 1e9;
}

function torchGflops(python: string, list: Product[]): number[] | string {
  const shapes = list.map((p) => [p.m, p.k, p.n, p.opts.transA ? 1 : 0, p.opts.transB ? 1 : 0]);
  const run = spawnSync(python, [path.join(__dirname, "peers", "pytorch_products.py"), JSON.stringify(shapes)], { encoding: "utf8" });
  if (run.status !== 0) return `PyTorch not measured: ${python} failed: ${(run.stderr || run.error?.message || "").trim().split("\n").pop()}`;
  return JSON.parse(run.stdout) as number[];
}

function main(): void {
  const i = process.argv.indexOf("--pytorch");
  const python = i >= 0 ? process.argv[i + 1] : process.env.BENCH_PYTORCH;
  const one = createWasmSimdKernels();
  const two = createWasmThreadsKernels({ minParallelWork: 0 });
  const f32 = createWasmF32Kernels();
  if (one === null || two === null || f32 === null) throw new Error("products: this node has no WebAssembly SIMD or no SharedArrayBuffer");
  const list = products();
  const torch = python ? torchGflops(python, list) : "PyTorch not measured (give --pytorch PYTHON)";
  console.log("| product | [m,k]·[k,n] | WASM, 1 thread | WASM, 2 threads | WASM f32, 1 thread | f32/f64 | f32 error | torch f64, 1 thread | ours/torch |");
  console.log("|---|---|---:|---:|---:|---:|---:|---:|---:|");
  list.forEach((p, j) => {
    const g1 = gflops(one, p);
    const g2 = gflops(two, p);
    const g32 = gflops(f32, p);
    const t = typeof torch === "string" ? undefined : torch[j];
    console.log(`| ${p.name} | [${p.m},${p.k}]·[${p.k},${p.n}] | ${g1.toFixed(1)} | ${g2.toFixed(1)} | ${g32.toFixed(1)} | ${(g32 / g1).toFixed(2)}x | ${f32Error(f32, one, p).toExponential(1)} | ${t?.toFixed(1) ?? "-"} | ${t ? (g1 / t).toFixed(2) + "x" : "-"} |`);
  });
  console.log("GFLOP/s, best of 9 repeats (PyTorch: 5); ours include the copies into WebAssembly memory and out;");
  console.log("f32 error: the float32 product's largest difference from float64's, relative to its largest element");
  if (typeof torch === "string") console.log(torch);
  void two.close();
}

main();
