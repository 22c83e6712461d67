// The public API notebooks import as "kernel-lib" (`import * as kl from "kernel-lib"`); notebooks
// import nothing else. Tensors, ops and the random generator are at the top, as in `torch.*`;
// everything else is in one namespace per job:
//
//   kl.nn         models and layers: Module, Parameter, Sequential, Linear, Embedding, the RNN,
//                 LSTM and GRU cells and layers, their readable steps, init; MultiheadAttention,
//                 LayerNorm, positions, TransformerBlock, TransformerLM
//   kl.optim      SGD, Adam, Adagrad, clipGradNorm, clipGradValue
//   kl.data       data sets and loaders: text, time series, tables, logs, audio, long-range tasks
//   kl.viz        charts, tables, LaTeX, the live training view and trainingLoop
//   kl.metrics    numbers computed from outputs and data (correlation, gradientByStep, fittedRate)
//   kl.tasks      the long-range memory tasks as experiments: loss, score, success; trainOnTask
//   kl.testing    gradcheck, claim (a notebook's takeaways, checked), the exercise-check machinery
//   kl.exercises  the course's exercise checks, one namespace per chapter (kl.exercises.ch03)
//   kl.io         state dicts to and from JSON
//   kl.autograd   the tape: tapeSize, resetTape, anomaly mode, record/gradSlot for new ops
//   kl.fused      the fused ops behind the cells' fast path
//   kl.kernels    the loops ops run on (how fast), swappable
// First, before any other module computes: the same Math.pow on every Node version (same-pow.ts).
import "./same-pow";

export const VERSION = "0.1.0";

// Tensors and factories
export { Tensor, tensor, fromFlat, zeros, ones, full, scalar, randn, uniform, sizeOf } from "./tensor";
export { setAllocationLimit, getAllocationLimit } from "./tensor";
export type { Shape, NestedArray, TensorOptions } from "./tensor";

// Random numbers
export { Rng, seed, defaultRng } from "./random";

// Grad mode (the rest of the tape is kl.autograd)
export { noGrad, isGradEnabled } from "./autograd/tape";

// Ops (also installed as Tensor methods: x.add(y), x.tanh(), ...)
export { add, sub, mul, div, neg, pow, lerp } from "./ops/arithmetic";
export { exp, log, tanh, sigmoid, relu } from "./ops/unary";
export { matmul, linear, transpose } from "./ops/linalg";
export { sum, mean, max } from "./ops/reduce";
export { reshape, slice, index, concat, stack, split } from "./ops/shape";
export { embedding, oneHot } from "./ops/indexing";
export type { Indices } from "./ops/indexing";
export { softmax, logSoftmax, crossEntropy, mse } from "./ops/loss";
export type { Reduction } from "./ops/loss";
export { bmm, causalMask, scaledDotProductAttention, layerNorm } from "./ops/attention";
export type { AttentionOptions, AttentionResult } from "./ops/attention";
export { dropout } from "./ops/dropout";
export type { DropoutOptions } from "./ops/dropout";
export { broadcastShapes } from "./ops/shared";
import "./ops"; // installs the methods

export * as nn from "./nn";
export * as optim from "./optim";
export * as data from "./data";
export * as viz from "./viz";
export * as metrics from "./metrics";
export * as tasks from "./tasks";
export * as train from "./train";
export * as baselines from "./baselines";
export * as testing from "./testing";
export * as exercises from "./exercises";
export * as io from "./io";
export * as autograd from "./autograd";
export * as fused from "./ops/fused";
export * as kernels from "./kernels";
