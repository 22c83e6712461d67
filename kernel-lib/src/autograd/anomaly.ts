// Anomaly mode: every op output and every gradient is checked for NaN/Infinity, and the first
// bad one throws an error naming where it came from: the op that produced it, or, when an input
// already held it, that input (a parameter by name, an input by shape), with the layer it ran in.
// Slow; switch it on to find where a NaN loss comes from. tape.ts calls the checks while it is on.
import { shapeStr } from "../errors";
import type { Tensor } from "../tensor";
import type { TapeNode } from "./tape";
import { currentScope, describeScope, describeTensor } from "./scope";

let enabled = false;

/** Switches anomaly mode on or off. */
export function detectAnomaly(on: boolean): void {
  enabled = on;
}

export function isAnomalyDetectionEnabled(): boolean {
  return enabled;
}

/** Runs fn with anomaly mode on, then restores the previous setting. */
export function withAnomalyDetection<T>(fn: () => T): T {
  const previous = enabled;
  enabled = true;
  try {
    return fn();
  } finally {
    enabled = previous;
  }
}

/** The position of the first NaN or ±Infinity in `data`, or -1. */
function firstNonFinite(data: Float64Array): number {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v - v !== 0) return i; // v - v is NaN exactly for NaN and ±Infinity
  }
  return -1;
}

/** ` at [3,17]`: where flat position i sits in a tensor of this shape ("" for a scalar). */
function at(shape: readonly number[], i: number): string {
  if (shape.length === 0) return "";
  const index: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    index.unshift(i % shape[d]);
    i = Math.floor(i / shape[d]);
  }
  return ` at [${index.join(",")}]`;
}

/**
 * Forward: an op's output must be finite. When an input already held the NaN, that input is
 * named (a parameter by name, an input by shape, a result by the op that made it) instead of the
 * op that merely passed it on; ops inside a layer are reported with the layer (scope.ts).
 */
export function checkOutput(op: string, output: Tensor, inputs: readonly Tensor[]): void {
  const bad = firstNonFinite(output.data);
  if (bad < 0) return;
  const scope = currentScope();
  const where = describeScope(scope);
  for (const t of inputs) {
    const i = firstNonFinite(t.data);
    if (i < 0) continue;
    const v = String(t.data[i]);
    const origin =
      t._node !== null
        ? `${t._node.op} made it before anomaly mode was switched on`
        : t.requiresGrad
          ? `it was put there outside the tape (an optimizer step, loadStateDict, an init or a direct write), not computed by this forward pass`
          : `the ${v} is in the data fed in, not computed by an op`;
    throw new RangeError(`${describeTensor(t, scope)} already held ${v}${at(t.shape, i)} when ${op}${where ? ` ${where}` : ""} used it: ${origin}.`);
  }
  const shapes = inputs.map((t) => shapeStr(t.shape)).join(", ");
  throw new RangeError(
    `${op} produced ${String(output.data[bad])} in its output of shape ${shapeStr(output.shape)}${at(output.shape, bad)} ` +
      `(inputs: ${shapes || "none"})${where ? `, ${where}` : ""}`,
  );
}

/** Backward: the gradient given to backward() must be finite. */
export function checkSeed(loss: Tensor, seed: Float64Array): void {
  const i = firstNonFinite(seed);
  if (i >= 0) {
    throw new RangeError(`backward: the gradient passed in for the tensor of shape ${shapeStr(loss.shape)} holds ${String(seed[i])}${at(loss.shape, i)}`);
  }
}

/** Backward: after a node's backward, every input's gradient must still be finite. */
export function checkGradients(node: TapeNode): void {
  node.inputs.forEach((t, k) => {
    if (!t.requiresGrad) return;
    const g = t._node === null ? t.grad?.data : t._node.grad;
    const i = g ? firstNonFinite(g) : -1;
    if (i >= 0) {
      const where = describeScope(node.scope);
      throw new RangeError(
        `${node.op} backward produced ${String(g![i])} in the gradient for input ${k} of shape ${shapeStr(t.shape)}` +
          `${where ? `, ${where}` : ""}`,
      );
    }
  });
}
