// Hidden tests of capstone 2, "Forecasting US births a week ahead" (see types.ts for how observers
// are used). Exercises 1-5 are observed on random inputs and compared with the teacher's solutions;
// sizes vary with the case, so a function that only works for the notebook's shapes fails.
// Exercise 6 (cap2-forecast) is judged on hidden data instead: its observer answers one query of
// capstone-2-births-forecast.judges.mjs at a time (the history up to a week of 2014) with the
// student's 7-day forecast; the judge scores the forecasts outside the sandbox.
import type * as KL from "kernel-lib";
import type { Rng, Tensor } from "kernel-lib";
import type { Observers } from "./types";

type Module = KL.nn.Module;

/** A random series of L days: a weekly cycle, a level and noise, around `level` (births-like numbers, or small ones). */
function randomSeries(rng: Rng, L: number, level: number): number[] {
  const weekly = Array.from({ length: 7 }, () => rng.uniform(-0.3, 0.3));
  const offset = rng.int(7);
  return Array.from({ length: L }, (_, t) => level * (1 + weekly[(t + offset) % 7] + 0.05 * rng.normal()));
}

/** A tiny model whose weights say which epoch they are from (each weight is the epoch + its position / 1000). */
function setEpoch(model: Module, e: number): void {
  let k = 0;
  for (const p of model.parameters()) for (let i = 0; i < p.size; i++) p.data[i] = e + (k++) / 1000;
}

/** The largest |a − b| of two tensors of the same size. */
const maxDiff = (a: Tensor, b: Tensor) => a.data.reduce((m, v, i) => Math.max(m, Math.abs(v - b.data[i])), 0);

export const observers: Observers = {
  "cap2-windows": (s, kl, rng, { case: k }) => {
    // Window lengths and horizons of every size, one case with H = 1 and one with W = 1.
    const W = k === 2 ? 1 : 2 + rng.int(9);
    const H = k === 1 ? 1 : 2 + rng.int(8);
    const L = W + H + rng.int(20); // from a single window up
    const series = randomSeries(rng, L, rng.uniform(1, 20000));
    const given = series.slice();
    const r = s.makeWindows(given, W, H);
    return { x: r?.x, y: r?.y, seriesUnchanged: given.length === series.length && given.every((v, i) => Object.is(v, series[i])) };
  },

  "cap2-scaler": (s, kl, rng, { case: k }) => {
    const L = 5 + rng.int(40);
    const trainDays = k === 0 ? L : 2 + rng.int(L - 2); // once every day is a training day
    const series = randomSeries(rng, L, rng.uniform(1, 15000));
    const given = series.slice();
    const sc = s.fitScaler(given, trainDays);
    const fitted = { mean: sc?.mean, std: sc?.std };
    const other = { mean: rng.uniform(-50, 50), std: rng.uniform(0.5, 30) };
    const values = Array.from({ length: 1 + rng.int(8) }, () => rng.uniform(-100, 100));
    const zs = Array.from({ length: 1 + rng.int(8) }, () => 3 * rng.normal());
    const [valuesGiven, zsGiven] = [values.slice(), zs.slice()];
    return {
      fitted,
      seriesUnchanged: given.every((v, i) => Object.is(v, series[i])),
      scaled: s.scale(valuesGiven, { ...other }),
      unscaled: s.unscale(zsGiven, { ...other }),
      // (A scale that overwrites its input turns the notebook's series into z-scores.)
      inputsUnchanged: valuesGiven.every((v, i) => Object.is(v, values[i])) && zsGiven.every((v, i) => Object.is(v, zs[i])),
      withFitted: s.scale(series.slice(trainDays - 1, trainDays + 3), { ...fitted }),
    };
  },

  "cap2-naive": (s, kl, rng) => {
    const n = 7 + rng.int(40);
    const history = randomSeries(rng, n, rng.uniform(100, 15000));
    const given = history.slice();
    // Horizons within a week, a week, and beyond (up to three weeks).
    const horizons = [1 + rng.int(6), 7, 8 + rng.int(14)];
    const forecasts = horizons.map((h) => s.seasonalNaive(given.slice(), h));
    const fromGiven = s.seasonalNaive(given, 7);
    return { forecasts, fromGiven, historyUnchanged: given.every((v, i) => Object.is(v, history[i])) };
  },

  "cap2-model": (s, kl, rng) => {
    // What any right model does, whatever its cell (GRU or LSTM) and however it draws its weights
    // from the rng it is given (the same seed the same weights, another seed others).
    const hidden = 1 + rng.int(12), horizon = 1 + rng.int(9), W = 2 + rng.int(10), B = 2 + rng.int(4);
    const seed = rng.int(1_000_000);
    const model = new s.Forecaster(hidden, horizon, new kl.Rng(seed));
    const weightsFrom = (k: number) => new s.Forecaster(hidden, horizon, new kl.Rng(k)).parameters().flatMap((p: Tensor) => Array.from(p.data));
    const [first, again, other] = [weightsFrom(seed), weightsFrom(seed), weightsFrom(seed + 1)];
    const same = (a: number[], b: number[]) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
    const weightsFromTheRng = same(first, again) && !same(first, other);
    const modules = model.namedModules().map(([, m]: [string, Module]) => m);
    const rnn = modules.find((m: Module) => m instanceof kl.nn.GRU || m instanceof kl.nn.LSTM) as InstanceType<typeof kl.nn.GRU> | undefined;
    const head = modules.find((m: Module) => m instanceof kl.nn.Linear && m.inFeatures === hidden && m.outFeatures === horizon) as InstanceType<typeof kl.nn.Linear> | undefined;
    const x = kl.randn([W, B, 1], rng);
    const out: Tensor = model.forward(kl.fromFlat(x.data, x.shape));
    const shape = out instanceof kl.Tensor ? [...out.shape] : null;
    const ok = shape !== null && shape.length === 2 && shape[0] === B && shape[1] === horizon;
    // The head on the recurrent layer's state after the last step (the model's own layers).
    let headOnLastState = false;
    if (ok && rnn && head) {
      const hs: Tensor[] = kl.noGrad(() => rnn.forward(kl.fromFlat(x.data, x.shape)).hs);
      headOnLastState = maxDiff(out, kl.noGrad(() => head.forward(hs[hs.length - 1]))) < 1e-9;
    }
    // Windows do not mix: moving the first day of one window moves that window's forecast only.
    let windowsIndependent = false;
    let readsFirstDay = false;
    if (ok) {
      const moved = kl.fromFlat(x.data, x.shape);
      const b = rng.int(B);
      moved.data[b] += 1;
      const after: Tensor = kl.noGrad(() => model.forward(moved));
      const rowDiff = (r: number) => Math.max(...Array.from({ length: horizon }, (_, h) => Math.abs(after.data[r * horizon + h] - out.data[r * horizon + h])));
      windowsIndependent = Array.from({ length: B }, (_, r) => r).every((r) => r === b || rowDiff(r) < 1e-12);
      readsFirstDay = rowDiff(b) > 1e-12;
    }
    // Every parameter gets a gradient.
    for (const p of model.parameters()) p.zeroGrad();
    kl.sum(model.forward(kl.fromFlat(x.data, x.shape))).backward();
    const everyParameterLearns = model.parameters().every((p: Tensor) => p.grad !== null && p.grad.data.some((v) => v !== 0));
    return {
      shape,
      weightsFromTheRng,
      recurrentLayer: rnn ? { inputSize: rnn.inputSize, hiddenSize: rnn.hiddenSize } : null,
      hasHead: head !== undefined,
      headOnLastState,
      windowsIndependent,
      readsFirstDay,
      everyParameterLearns,
    };
  },

  "cap2-early-stopping": (s, kl, rng, { case: k }) => {
    const patience = 1 + rng.int(4);
    // Losses from a few levels, so that ties with the best happen; case 2 falls every epoch at first.
    const epochs = 6 + rng.int(12);
    const losses = Array.from({ length: epochs }, (_, e) => (k === 2 && e < 4 ? 10 - e : 5 + rng.int(4) - Math.floor(e / 4)));
    const stopper = new s.EarlyStopping(patience);
    const model = new kl.nn.Linear(1 + rng.int(3), 1 + rng.int(3), { rng });
    const decisions: unknown[] = [];
    for (let e = 0; e < losses.length; e++) {
      setEpoch(model, e);
      const stop = stopper.step(losses[e], model);
      decisions.push(stop);
      if (stop === true) break;
    }
    setEpoch(model, 99);
    stopper.restore(model);
    // stoppedAt comes first, so that a stopper that stops late or early is told so by the epoch
    // it stopped at (not by the length of its decisions); `given` is shown with any failure.
    return {
      given: { patience, losses },
      stoppedAt: decisions[decisions.length - 1] === true ? `epoch ${decisions.length - 1}` : "never",
      decisions,
      bestEpoch: stopper.bestEpoch,
      bestLoss: stopper.bestLoss,
      restored: model.parameters().map((p: Tensor) => Array.from(p.data)),
    };
  },

  // One query of the judge: the history up to the first day of a week of 2014 (every day from
  // 2000-01-01, the true values). The answer is the student's forecast for that week; the judge
  // compares it with the week outside the sandbox.
  "cap2-forecast": (s, kl, rng, { input }) => {
    const history = (input as { history: number[] }).history;
    const f = s.forecast(history.slice());
    return f === null || typeof f !== "object" || typeof f.length !== "number" ? f : Array.from(f as ArrayLike<unknown>);
  },
};
