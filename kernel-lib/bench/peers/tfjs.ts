// The workload in TensorFlow.js, for its pure-JS "cpu" backend and its "wasm" backend.
//
// The cells are written by hand with tf ops (not tf.layers) so the math is exactly PyTorch's:
// two weight matrices and two biases per layer (W_ih x + b_ih + W_hh h + b_hh), gates in
// PyTorch's order, GRU's r gating the hidden part of n. The input projection W_ih x is one
// matmul of the one-hot inputs [T*B, V] for all time steps at once (what cuDNN and PyTorch do
// too: only the W_hh product has to wait for the previous step). A row gather of W_ih^T would
// do less arithmetic, but its gradient (UnsortedSegmentSum) is missing on wasm and takes over
// half the step on cpu, so the matmul is TF.js's faster choice on both. Gradients come from tf.variableGrads, are clipped by
// global norm, then applied by tf.train.adam with PyTorch's epsilon.
// Float32 throughout: TF.js has no float64.

import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import {
  BETA1,
  BETA2,
  CLIP_NORM,
  EPS,
  LR,
  type Batch,
  type CellKind,
  type InitialWeights,
  type Shape,
  type StepResult,
  type Trainer,
} from "../workload";

export type TfBackend = "cpu" | "wasm";

let wasmPathsSet = false;

/**
 * Switches TF.js to a backend. For wasm, the .wasm files are loaded from the npm package's own
 * dist folder on disk: nothing may be fetched from the network.
 */
export async function useTfBackend(name: TfBackend): Promise<void> {
  // Production mode: what a user after speed sets; it also silences the cpu backend's banner
  // telling Node users to install tfjs-node (whose install downloads a binary: not an option).
  tf.enableProdMode();
  if (name === "wasm" && !wasmPathsSet) {
    const wasmFile = require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm");
    setWasmPaths(path.dirname(wasmFile) + path.sep);
    wasmPathsSet = true;
  }
  if (!(await tf.setBackend(name))) throw new Error(`TF.js backend ${name} failed to initialize`);
  await tf.ready();
}

let instance = 0; // TF.js variable names are global: each trainer gets its own prefix.

export function tfjsTrainer(cell: CellKind, s: Shape, batch: Batch, w: InitialWeights): Trainer {
  const { batch: B, steps: T, hidden: H, vocab: V } = s;
  const prefix = `bench${instance++}_`;
  const G = w.biasIh.length; // gates * hidden
  const v = (data: Float64Array, shape: number[], name: string) => {
    const initial = tf.tensor(Float32Array.from(data), shape, "float32");
    const variable = tf.variable(initial, true, prefix + name);
    initial.dispose(); // the variable holds its own reference to the data
    return variable;
  };
  const wIh = v(w.weightIh, [G, V], "weight_ih");
  const wHh = v(w.weightHh, [G, H], "weight_hh");
  const bIh = v(w.biasIh, [G], "bias_ih");
  const bHh = v(w.biasHh, [G], "bias_hh");
  const wOut = v(w.headWeight, [V, H], "head_weight");
  const bOut = v(w.headBias, [V], "head_bias");
  const params = [wIh, wHh, bIh, bHh, wOut, bOut];
  const oneHot = (tokens: Int32Array) => tf.tidy(() => tf.oneHot(tf.tensor1d(tokens, "int32"), V).toFloat());
  const inputs = oneHot(batch.inputs); // [T*B, V]
  const targets = oneHot(batch.targets);
  const optimizer = tf.train.adam(LR, BETA1, BETA2, EPS);

  // One recurrent step: xg is this step's W_ih x + b_ih ([B, G]); returns the new h (and c).
  function cellStep(xg: tf.Tensor, h: tf.Tensor, c: tf.Tensor): [tf.Tensor, tf.Tensor] {
    const gh = tf.add(tf.matMul(h, wHh, false, true), bHh);
    if (cell === "rnn") return [tf.tanh(tf.add(xg, gh)), c];
    if (cell === "lstm") {
      const [i, f, g, o] = tf.split(tf.add(xg, gh), 4, 1);
      const c2 = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
      return [tf.mul(tf.sigmoid(o), tf.tanh(c2)), c2];
    }
    const [xr, xz, xn] = tf.split(xg, 3, 1);
    const [hr, hz, hn] = tf.split(gh, 3, 1);
    const r = tf.sigmoid(tf.add(xr, hr));
    const z = tf.sigmoid(tf.add(xz, hz));
    const n = tf.tanh(tf.add(xn, tf.mul(r, hn)));
    return [tf.add(n, tf.mul(z, tf.sub(h, n))), c]; // (1-z)*n + z*h
  }

  const lossFn = (): tf.Scalar => {
    const xAll = tf.add(tf.matMul(inputs, wIh, false, true), bIh); // [T*B, G]
    const xs = tf.split(xAll, T, 0);
    let h = tf.zeros([B, H]);
    let c = tf.zeros([B, H]);
    const hs: tf.Tensor[] = [];
    for (let t = 0; t < T; t++) {
      [h, c] = cellStep(xs[t], h, c);
      hs.push(h);
    }
    const logits = tf.add(tf.matMul(tf.concat(hs, 0), wOut, false, true), bOut); // [T*B, V]
    return tf.neg(tf.mean(tf.sum(tf.mul(targets, tf.logSoftmax(logits)), 1))) as tf.Scalar;
  };

  return {
    step(): StepResult {
      let loss = 0;
      let gradNorm = 0;
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(lossFn, params);
        const names = Object.keys(grads);
        gradNorm = tf.sqrt(tf.addN(names.map((k) => tf.sum(tf.square(grads[k]))))).dataSync()[0];
        // PyTorch's clip_grad_norm_: scale by max_norm / (norm + 1e-6) when that is below 1.
        const coef = Math.min(1, CLIP_NORM / (gradNorm + 1e-6));
        optimizer.applyGradients(names.map((name) => ({ name, tensor: coef < 1 ? tf.mul(grads[name], coef) : grads[name] })));
        loss = value.dataSync()[0];
      });
      return { loss, gradNorm };
    },
    dispose(): void {
      optimizer.dispose();
      for (const p of params) p.dispose();
      inputs.dispose();
      targets.dispose();
    },
  };
}
