// Optimizers and gradient clipping.
export { Optimizer } from "./optimizer";
export { SGD } from "./sgd";
export type { SGDOptions } from "./sgd";
export { Adam } from "./adam";
export type { AdamOptions } from "./adam";
export { Adagrad } from "./adagrad";
export type { AdagradOptions } from "./adagrad";
export { clipGradNorm, clipGradValue } from "./clip";
export type { ClipGradNormOptions } from "./clip";
