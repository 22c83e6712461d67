// Kernels: HOW FAST, kept apart from WHAT.
//
// The ops in ops/ say what is computed (matmul, and its backward is two more matmuls). The loops
// that do the heavy or shape-generic work live behind the interface in types.ts. The default is the WASM SIMD
// matmul (wasm-simd.ts), with the largest products split over two cores (wasm-threads.ts), and
// the plain JavaScript loops for everything else; the plain JavaScript kernels (plain.ts) are the
// readable reference, the fallback where WebAssembly SIMD is missing, and what the tests compare
// every other kernel with. Another implementation can be swapped in with setKernels() without
// touching a single op or model: createWasmF32Kernels() (wasm-f32.ts) is one, a matmul that
// computes in float32 for whoever trades precision for speed; it is never the default.
// TensorFlow.js separates ops and backends the same way.
//
// What is NOT here: the elementwise derivative formulas (tanh' = 1 - tanh², ...). Those are the
// lesson, so they stay in the op next to its forward; they are also memory-bound one-liners that a
// faster backend could hardly speed up.
//
// Conventions: see types.ts. Which set runs: registry.ts.
export type { BinaryOp, Kernels, MatmulOptions, UnaryOp } from "./types";
export { getKernels, setKernels } from "./registry";
export { plainKernels } from "./plain";
export { createWasmSimdKernels, type WasmSimdOptions } from "./wasm-simd";
export { createWasmF32Kernels } from "./wasm-f32";
export { createWasmThreadsKernels, type ThreadedKernels, type WasmThreadsOptions } from "./wasm-threads";
export { countMultiplyAdds, type CountedMultiplyAdds } from "./count";
