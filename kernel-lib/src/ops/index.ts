// All ops. Importing this module also installs them as Tensor methods (x.add(y), x.tanh(), ...),
// so library code should import ops from here (not only tensor.ts) to be sure the methods exist.
export { add, sub, mul, div, neg, pow, lerp } from "./arithmetic";
export { exp, log, tanh, sigmoid, relu } from "./unary";
export { matmul, linear, transpose } from "./linalg";
export { sum, mean, max } from "./reduce";
export { reshape, slice, index, concat, stack, split } from "./shape";
export { embedding, oneHot } from "./indexing";
export type { Indices } from "./indexing";
export { softmax, logSoftmax, crossEntropy, mse } from "./loss";
export type { Reduction } from "./loss";
export { gate } from "./cells";
export type { GateActivation } from "./cells";
export { gruCandidate, gruUpdate } from "./gru";
export { lstmMemory, lstmOutput } from "./lstm";
export { dropout } from "./dropout";
export type { DropoutOptions } from "./dropout";
export { broadcastShapes } from "./shared";
export { bmm, causalMask, scaledDotProductAttention, layerNorm } from "./attention";
export type { AttentionOptions, AttentionResult } from "./attention";
