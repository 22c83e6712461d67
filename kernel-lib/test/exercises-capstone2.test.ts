// The checks of capstone 2 accept a right answer and name the wrong term of typical wrong ones.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as kl from "../src";
import { exercises, Tensor } from "../src";
import type { Scaler } from "../src/exercises/capstone2";
import { passes, rejectionMessage, rejects } from "./exercise-harness";

const cap2 = exercises.capstone2;

// ---- cap2-windows
type Win = { x: Tensor; y: Tensor };
function windows(series: readonly number[], W: number, H: number, o: { shift?: number; count?: number; batchMajor?: boolean; flat?: boolean } = {}): Win {
  const N = o.count ?? series.length - W - H + 1;
  const shift = o.shift ?? 0;
  const x = new Float64Array(W * N), y = new Float64Array(N * H);
  for (let n = 0; n < N; n++) {
    for (let w = 0; w < W; w++) x[o.batchMajor ? n * W + w : w * N + n] = series[n + w];
    for (let h = 0; h < H; h++) y[n * H + h] = series[n + W + h + shift];
  }
  const xShape = o.batchMajor ? [N, W, 1] : o.flat ? [W, N] : [W, N, 1];
  return { x: kl.fromFlat(x, xShape), y: kl.fromFlat(y, [N, H]) };
}
test("windows: the right windowing passes", () => void passes(() => cap2.checkWindows((s, W, H) => windows(s, W, H))));
test("windows: a target that starts on the last input day is named", () =>
  rejects(() => cap2.checkWindows((s, W, H) => windows(s, W, H, { shift: -1 })), /starts ON the last input day/));
test("windows: a missing last window is named", () =>
  rejects(() => cap2.checkWindows((s, W, H) => windows(s, W, H, { count: s.length - W - H })), /the last window is missing/));
test("windows: batch-major inputs are named", () =>
  rejects(() => cap2.checkWindows((s, W, H) => windows(s, W, H, { batchMajor: true })), /x is time-major/));
test("windows: a missing feature axis is named", () =>
  rejects(() => cap2.checkWindows((s, W, H) => windows(s, W, H, { flat: true })), /feature axis of size 1/));
test("windows: a target that skips a day is named", () =>
  rejects(() => cap2.checkWindows((s, W, H) => windows(s, W, H, { shift: 1 })), /with no gap \(yours starts 1 day later\)/));
test("windows: sizes written into the code are caught on the second probe", () =>
  rejects(() => cap2.checkWindows((s, W) => windows(s, W, 3, { count: s.length - W - 3 + 1 })), /probe: L = 11, W = 3, H = 1/));
test("windows: a series changed in place is named", () =>
  rejects(() => cap2.checkWindows((s, W, H) => {
    const out = windows(s, W, H);
    (s as number[]).reverse();
    return out;
  }), /leaves the series unchanged/));

// ---- cap2-scaler
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs: readonly number[], ddof = 0) => Math.sqrt(xs.reduce((a, v) => a + (v - mean(xs)) ** 2, 0) / (xs.length - ddof));
const fit = (s: readonly number[], n: number): Scaler => ({ mean: mean(s.slice(0, n)), std: std(s.slice(0, n)) });
const scale = (v: readonly number[], s: Scaler) => v.map((x) => (x - s.mean) / s.std);
const unscale = (z: readonly number[], s: Scaler) => z.map((x) => x * s.std + s.mean);
test("scaler: the right scaler passes", () => void passes(() => cap2.checkScaler(fit, scale, unscale)));
test("scaler: fitting on every day is named", () =>
  rejects(() => cap2.checkScaler((s) => ({ mean: mean(s), std: std(s) }), scale, unscale), /over the training days only \(yours uses every day/));
test("scaler: the sample standard deviation is named", () =>
  rejects(() => cap2.checkScaler((s, n) => ({ mean: mean(s.slice(0, n)), std: std(s.slice(0, n), 1) }), scale, unscale), /divides by n, the population form/));
test("scaler: the variance for the standard deviation is named", () =>
  rejects(() => cap2.checkScaler((s, n) => ({ mean: mean(s.slice(0, n)), std: std(s.slice(0, n)) ** 2 }), scale, unscale), /the square root of the variance/));
test("scaler: one training day too many is named", () =>
  rejects(() => cap2.checkScaler((s, n) => fit(s, n + 1), scale, unscale), /one day more or one day less/));
test("scaler: multiplying by std in scale is named", () =>
  rejects(() => cap2.checkScaler(fit, (v, s) => v.map((x) => (x - s.mean) * s.std), unscale), /scale divides by std/));
test("scaler: unscale in the wrong order is named", () =>
  rejects(() => cap2.checkScaler(fit, scale, (z, s) => z.map((x) => (x + s.mean) * s.std)), /unscale multiplies by std before adding the mean/));
test("scaler: a scale that overwrites its input is named (it passed, then turned the notebook's series into z-scores)", () =>
  rejects(() => cap2.checkScaler(fit, (v, sc) => {
    const a = v as number[];
    for (let i = 0; i < a.length; i++) a[i] = (a[i] - sc.mean) / sc.std;
    return a;
  }, unscale), /scale leaves the values it is given unchanged \(yours overwrote them/));
test("scaler: an unscale that overwrites its input is named", () =>
  rejects(() => cap2.checkScaler(fit, scale, (z, sc) => {
    const a = z as number[];
    for (let i = 0; i < a.length; i++) a[i] = a[i] * sc.std + sc.mean;
    return a;
  }), /unscale leaves the values it is given unchanged/));
test("scaler: the feedback never prints the training mean", () => {
  const message = rejectionMessage(() => cap2.checkScaler((s) => ({ mean: mean(s), std: std(s) }), scale, unscale));
  assert.doesNotMatch(message, /\d{2}\.\d{3}/);
});

// ---- cap2-naive
const naive = (h: readonly number[], horizon: number) => Array.from({ length: horizon }, (_, k) => h[h.length - 7 + (k % 7)]);
test("naive: the seasonal naive forecast passes", () => void passes(() => cap2.checkSeasonalNaive(naive)));
test("naive: the last value repeated is named", () =>
  rejects(() => cap2.checkSeasonalNaive((h, horizon) => Array(horizon).fill(h[h.length - 1])), /repeats last week, not the last day/));
test("naive: eight days back is named", () =>
  rejects(() => cap2.checkSeasonalNaive((h, horizon) => Array.from({ length: horizon }, (_, k) => h[h.length - 8 + (k % 7)])), /8 days back, one day too early/));
test("naive: reading past the end for horizons beyond a week is named", () =>
  rejects(() => cap2.checkSeasonalNaive((h, horizon) => Array.from({ length: horizon }, (_, k) => h[h.length - 7 + k])), /days more than a week ahead repeat last week too/));
test("naive: always seven values is named", () =>
  rejects(() => cap2.checkSeasonalNaive((h) => h.slice(-7)), /a shorter horizon, 3 days|has 7 elements/));
test("naive: a history changed in place is named", () =>
  rejects(() => cap2.checkSeasonalNaive((h, horizon) => {
    const out = naive(h, horizon);
    (h as number[]).length = 0;
    return out;
  }), /leaves the history unchanged/));

// ---- cap2-model
class Forecaster extends kl.nn.Module {
  rnn: kl.nn.GRU;
  head: kl.nn.Linear;
  constructor(hiddenSize: number, horizon: number, rng: kl.Rng) {
    super();
    this.rnn = new kl.nn.GRU(1, hiddenSize, { rng });
    this.head = new kl.nn.Linear(hiddenSize, horizon, { rng });
  }
  forward(x: Tensor): Tensor {
    const { hs } = this.rnn.forward(x);
    return this.head.forward(hs[hs.length - 1]);
  }
}
class LstmForecaster extends kl.nn.Module {
  rnn: kl.nn.LSTM;
  head: kl.nn.Linear;
  constructor(hiddenSize: number, horizon: number, rng: kl.Rng) {
    super();
    this.rnn = new kl.nn.LSTM(1, hiddenSize, { rng });
    this.head = new kl.nn.Linear(hiddenSize, horizon, { rng });
  }
  forward(x: Tensor): Tensor {
    const { hs } = this.rnn.forward(x);
    return this.head.forward(hs[hs.length - 1]);
  }
}
test("model: a GRU with a linear head on the last state passes, and so does an LSTM", () => {
  passes(() => cap2.checkForecaster(Forecaster));
  passes(() => cap2.checkForecaster(LstmForecaster));
});
test("model: a GRU made without the rng given is named", () =>
  rejects(() => cap2.checkForecaster(class extends Forecaster {
    constructor(hiddenSize: number, horizon: number, rng: kl.Rng) {
      super(hiddenSize, horizon, rng);
      this.rnn = new kl.nn.GRU(1, hiddenSize);
    }
  }), /initial weights are drawn from the rng given[^]*is the rng passed to both layers/));
test("model: reading the first step's state is named", () =>
  rejects(() => cap2.checkForecaster(class extends Forecaster {
    override forward(x: Tensor): Tensor {
      return this.head.forward(this.rnn.forward(x).hs[0]);
    }
  }), /reads the LAST step's hidden state \(yours reads the first step's\)/));
test("model: a head on every step is named", () =>
  rejects(() => cap2.checkForecaster(class extends Forecaster {
    override forward(x: Tensor): Tensor {
      return this.head.forward(this.rnn.forward(x).output);
    }
  }), /reads out the last step only/));
test("model: a tanh between state and head is named", () =>
  rejects(() => cap2.checkForecaster(class extends Forecaster {
    override forward(x: Tensor): Tensor {
      const { hs } = this.rnn.forward(x);
      return this.head.forward(kl.tanh(hs[hs.length - 1]));
    }
  }), /your head applied to your recurrent layer's state after the last day/));
test("model: a fixed hidden size is named", () =>
  rejects(() => cap2.checkForecaster(class extends kl.nn.Module {
    rnn: kl.nn.GRU;
    head: kl.nn.Linear;
    constructor(_h: number, horizon: number, rng: kl.Rng) {
      super();
      this.rnn = new kl.nn.GRU(1, 16, { rng });
      this.head = new kl.nn.Linear(16, horizon, { rng });
    }
    forward(x: Tensor): Tensor {
      const { hs } = this.rnn.forward(x);
      return this.head.forward(hs[hs.length - 1]);
    }
  }), /hiddenSize units \(probe: 5; yours has 16\)/));
test("model: mixing the windows of a batch is named", () =>
  rejects(() => cap2.checkForecaster(class extends Forecaster {
    override forward(x: Tensor): Tensor {
      const { hs } = this.rnn.forward(x);
      const last = hs[hs.length - 1];
      return this.head.forward(last.sub(kl.mean(last, 0, true)));
    }
  }), /each window's forecast depends on its own window only/));

// ---- cap2-early-stopping
class EarlyStopping {
  bestLoss = Infinity;
  bestEpoch = -1;
  private epoch = 0;
  private best: kl.io.StateDict | null = null;
  constructor(readonly patience: number) {}
  step(valLoss: number, model: kl.nn.Module): boolean {
    const e = this.epoch++;
    if (valLoss < this.bestLoss) {
      this.bestLoss = valLoss;
      this.bestEpoch = e;
      this.best = model.stateDict();
    }
    return e - this.bestEpoch >= this.patience;
  }
  restore(model: kl.nn.Module): void {
    if (this.best) model.loadStateDict(this.best);
  }
}
test("early stopping: the right bookkeeping passes", () => void passes(() => cap2.checkEarlyStopping(EarlyStopping)));
test("early stopping: stopping one epoch late is named", () =>
  rejects(() => cap2.checkEarlyStopping(class extends EarlyStopping {
    override step(v: number, m: kl.nn.Module): boolean {
      super.step(v, m);
      return (this as unknown as { epoch: number }).epoch - 1 - this.bestEpoch > this.patience;
    }
  }), /stops 1 epoch late[\s\S]*3, or 4\?/));
test("early stopping: keeping the live parameters instead of a copy is named", () =>
  rejects(() => cap2.checkEarlyStopping(class {
    bestLoss = Infinity;
    bestEpoch = -1;
    private epoch = 0;
    private best: kl.Tensor[] = [];
    constructor(readonly patience: number) {}
    step(valLoss: number, model: kl.nn.Module): boolean {
      const e = this.epoch++;
      if (valLoss < this.bestLoss) {
        this.bestLoss = valLoss;
        this.bestEpoch = e;
        this.best = model.parameters();
      }
      return e - this.bestEpoch >= this.patience;
    }
    restore(model: kl.nn.Module): void {
      model.parameters().forEach((p, i) => p.data.set(this.best[i].data));
    }
  }), /restore loads the weights of the best epoch \(yours loads those of the model as it is now/));
test("early stopping: counting ties as improvements is named", () =>
  rejects(() => cap2.checkEarlyStopping(class extends EarlyStopping {
    override step(v: number, m: kl.nn.Module): boolean {
      return super.step(v === this.bestLoss ? v - 1e-12 : v, m);
    }
  }), /a loss equal to the best is not an improvement/));
test("early stopping: bestEpoch counted from 1 is named", () =>
  rejects(() => cap2.checkEarlyStopping(class {
    bestLoss = Infinity;
    bestEpoch = 0;
    private epoch = 0;
    private best: kl.io.StateDict | null = null;
    constructor(readonly patience: number) {}
    step(valLoss: number, model: kl.nn.Module): boolean {
      this.epoch++;
      if (valLoss < this.bestLoss) {
        this.bestLoss = valLoss;
        this.bestEpoch = this.epoch;
        this.best = model.stateDict();
      }
      return this.epoch - this.bestEpoch >= this.patience;
    }
    restore(model: kl.nn.Module): void {
      if (this.best) model.loadStateDict(this.best);
    }
  }), /bestEpoch counts epochs from 0/));
test("early stopping: restoring nothing is named", () =>
  rejects(() => cap2.checkEarlyStopping(class extends EarlyStopping {
    override restore(): void {}
  }), /restore writes the best epoch's weights into the model it is given \(yours changed nothing in the model\)/));

// ---- cap2-forecast (on the notebook's data: 2000-2013, validation from 2012)
async function notebookSeries(): Promise<{ series: number[]; trainDays: number }> {
  const births = await kl.data.loadBirths();
  const end = births.dates.indexOf("2013-12-31") + 1;
  return { series: Array.from(births.births.subarray(0, end)), trainDays: births.dates.indexOf("2012-01-01") };
}
/** The median of the last five same weekdays: no learning, 11% below the naive on 2012-2013. */
const median5 = (h: number[]) => Array.from({ length: 7 }, (_, k) => {
  const xs = [1, 2, 3, 4, 5].map((j) => h[h.length - 7 * j + k]).sort((a, b) => a - b);
  return xs[2];
});
test("forecast: a forecast well below the naive's MAE on the validation years passes", async () => {
  const { series, trainDays } = await notebookSeries();
  passes(() => cap2.checkForecast(median5, series, trainDays));
});
test("forecast: the seasonal naive forecast itself is named, with its MAE", async () => {
  const { series, trainDays } = await notebookSeries();
  rejects(() => cap2.checkForecast((h) => naive(h, 7), series, trainDays), /10% or more below the seasonal naive's \(yours is 449\.7 births per day, 0\.0% below/);
});
test("forecast: forecasts left in scaled units are named", async () => {
  const { series, trainDays } = await notebookSeries();
  rejects(() => cap2.checkForecast((h) => median5(h).map((v) => (v - 11000) / 2000), series, trainDays), /births per day, not scaled units/);
});
test("forecast: a history changed in place is named", async () => {
  const { series, trainDays } = await notebookSeries();
  rejects(() => cap2.checkForecast((h) => {
    const out = median5(h);
    h.reverse();
    return out;
  }, series, trainDays), /forecast leaves the history unchanged/);
});
test("forecast: a forecast that changes between calls is named", async () => {
  const { series, trainDays } = await notebookSeries();
  let calls = 0;
  rejects(() => cap2.checkForecast((h) => median5(h).map((v) => v + calls++), series, trainDays), /the same answer for the same history/);
});
test("forecast: a series overwritten with z-scores (by a scale that wrote into its input) is named before the forecast", async () => {
  const { series, trainDays } = await notebookSeries();
  const sc = fit(series, trainDays);
  rejects(() => cap2.checkForecast(median5, series.map((v) => (v - sc.mean) / sc.std), trainDays), /the series still holds births per day, whole numbers[^]*did scale overwrite the series/);
});
test("forecast: a window one day early, worse than the naive, is told to look at where its window ends", async () => {
  const { series, trainDays } = await notebookSeries();
  rejects(() => cap2.checkForecast((h) => median5(h.slice(0, -1)), series, trainDays), /above the naive[^]*end with the last day of the history/);
});
test("forecast: a series other than the notebook's is named", async () => {
  const { series, trainDays } = await notebookSeries();
  rejects(() => cap2.checkForecast(median5, series.slice(0, -7), trainDays), /the notebook's series and TRAIN_DAYS/);
});
