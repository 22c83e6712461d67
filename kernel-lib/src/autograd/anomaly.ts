// Anomaly mode: every op output and every gradient is checked for NaN/Infinity, and the first
// bad one throws an error naming the op. Slow; switch it on to find where a NaN loss comes from.
// tape.ts calls the checks while it is on.
import { shapeStr } from "../errors";
import type { Tensor } from "../tensor";
import type { TapeNode } from "./tape";

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

/** "NaN" / "Infinity" / "-Infinity" if `data` holds one, else null. */
function firstNonFinite(data: Float64Array): string | null {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v - v !== 0) return String(v); // v - v is NaN exactly for NaN and ±Infinity
  }
  return null;
}

/** Forward: an op's output must be finite. */
export function checkOutput(op: string, output: Tensor, inputs: readonly Tensor[]): void {
  const bad = firstNonFinite(output.data);
  if (bad !== null) {
    const shapes = inputs.map((t) => shapeStr(t.shape)).join(", ");
    throw new RangeError(`${op} produced ${bad} in its output of shape ${shapeStr(output.shape)} (inputs: ${shapes || "none"})`);
  }
}

/** Backward: after a node's backward, every input's gradient must still be finite. */
export function checkGradients(node: TapeNode): void {
  node.inputs.forEach((t, i) => {
    if (!t.requiresGrad) return;
    const g = t._node === null ? t.grad?.data : t._node.grad;
    const bad = g ? firstNonFinite(g) : null;
    if (bad !== null) {
      throw new RangeError(`${node.op} backward produced ${bad} in the gradient for input ${i} of shape ${shapeStr(t.shape)}`);
    }
  });
}
