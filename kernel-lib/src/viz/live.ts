// A display that updates in place while a loop runs: step, loss (a small curve), speed and time
// left. Jupyter replaces the output on each update_display_data with the same display id, and
// an executed notebook keeps only the last state, so the final update always shows the end.
//
// Updates are throttled by time: at most one every `minIntervalMs` (300 ms), and never more
// often than keeps their cost under `maxOverhead` (5%) of the run: each render is timed, and the
// next waits at least cost / maxOverhead. A 2 ms render therefore waits 40 ms at least, a 30 ms
// one 600 ms. `finish()` always renders.
import { escapeHtml, formatDuration, formatNumber, groupThousands } from "./format";
import { Chart, chartHtml, type PlotlyFigure } from "./figure";
import { PLOTLY_MIME, type Displayable, type MimeBundle, type RenderContext } from "./mime";
import { NO_CARRIER } from "./plotly-inline";
import { sendDisplay } from "./show";

/** Milliseconds from some fixed start; tests pass a fake one. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => performance.now() };

export interface LiveViewOptions {
  title: string;
  /** How many steps the run has (for "step 120/200" and the time left). */
  totalSteps: number;
  /** What `items` counts, for the speed: "tokens" (default "steps", counting steps). */
  unit?: string;
  /** At most one update per this many ms (default 300). */
  minIntervalMs?: number;
  /** The largest share of the run's time that updates may take (default 0.05). */
  maxOverhead?: number;
  /** At most this many points in the loss curve (evenly spaced, always the last). Default 400. */
  maxPoints?: number;
}

/** Where the run is: steps done, the last loss, and items (e.g. tokens) processed so far. */
export interface Progress {
  step: number;
  loss?: number;
  items?: number;
}

export interface LiveViewDeps {
  clock?: Clock;
  /** Sends the view's bundle; default: through show's sink, with the view's display id. */
  send?: (view: LiveView, options: { displayId: string; update: boolean; final: boolean }) => void;
}

let counter = 0;

export class LiveView implements Displayable {
  readonly id: string;
  readonly title: string;
  readonly totalSteps: number;
  readonly unit: string;
  private readonly minIntervalMs: number;
  private readonly maxOverhead: number;
  private readonly maxPoints: number;
  private readonly clock: Clock;
  private readonly sendFn: NonNullable<LiveViewDeps["send"]>;

  private readonly lossSteps: number[] = [];
  private readonly lossValues: number[] = [];
  private step = 0;
  private items = 0;
  private lastLoss: number | undefined;
  private startedAt: number | null = null;
  /** Where this view started (a resumed run starts past 0): speed and time left count from here. */
  private baseStep = 0;
  private baseItems = 0;
  private lastRenderAt = -Infinity;
  private lastRenderCost = 0;
  private renderMs = 0;
  private outcome: string | null = null;
  private failures = 0;
  /** How many times the view was drawn (the first display, updates, the final one). */
  renders = 0;

  constructor(options: LiveViewOptions, deps: LiveViewDeps = {}) {
    if (!Number.isInteger(options.totalSteps) || options.totalSteps < 0) {
      throw new RangeError(`liveView "${options.title}": totalSteps must be a whole number >= 0; got ${options.totalSteps}`);
    }
    this.title = options.title || "Training";
    this.totalSteps = options.totalSteps;
    this.unit = options.unit ?? "steps";
    this.minIntervalMs = options.minIntervalMs ?? 300;
    this.maxOverhead = options.maxOverhead ?? 0.05;
    this.maxPoints = options.maxPoints ?? 400;
    this.clock = deps.clock ?? systemClock;
    this.sendFn = deps.send ?? ((view, o) => void sendDisplay(view, o));
    this.id = `kernel-lib-live-${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;
  }

  get label(): string {
    return `training view "${this.title}"`;
  }

  /**
   * Shows the view, at `from` (default step 0; a resumed run starts further on). Called by
   * `liveView()`; the clock for speed and time left starts here.
   */
  start(from?: Progress): this {
    if (this.startedAt === null) {
      if (from) {
        this.record(from);
        this.baseStep = from.step;
        this.baseItems = from.items ?? 0;
      }
      this.startedAt = this.clock.now();
      this.render(false, false);
    }
    return this;
  }

  /** Records progress; redraws if enough time has passed. Returns whether it redrew. */
  update(progress: Progress): boolean {
    if (this.outcome !== null) return false;
    if (this.startedAt === null) this.start();
    this.record(progress);
    const now = this.clock.now();
    const wait = Math.max(this.minIntervalMs, this.lastRenderCost / this.maxOverhead);
    if (now - this.lastRenderAt < wait) return false;
    this.render(true, false);
    return true;
  }

  /**
   * The last update: `done: 200/200 steps` when every step ran, else `stopped: 57/200 steps`
   * with the reason (`interrupted`, `time budget of 5 s`, ...). Always drawn; later calls do nothing.
   */
  finish(reason?: string, progress?: Progress): void {
    if (this.outcome !== null) return;
    if (this.startedAt === null) this.start();
    if (progress) this.record(progress);
    const done = this.step >= this.totalSteps;
    this.outcome = done ? `done: ${groupThousands(this.step)}/${groupThousands(this.totalSteps)} steps`
      : `stopped: ${groupThousands(this.step)}/${groupThousands(this.totalSteps)} steps${reason ? ` (${reason})` : ""}`;
    this.render(true, true);
  }

  get finished(): boolean {
    return this.outcome !== null;
  }

  /** The share of the run's time spent drawing so far (the throttle keeps it under maxOverhead). */
  overhead(): number {
    if (this.startedAt === null) return 0;
    const elapsed = this.clock.now() - this.startedAt;
    return elapsed > 0 ? this.renderMs / elapsed : 0;
  }

  /** `step 120/200 · loss 1.234 · 5,120 tokens/s · 3.1 s left`, or the final state. */
  status(): string {
    const elapsed = this.startedAt === null ? 0 : this.clock.now() - this.startedAt;
    const parts = [this.outcome ?? `step ${groupThousands(this.step)}/${groupThousands(this.totalSteps)}`];
    if (this.lastLoss !== undefined) parts.push(`loss ${formatNumber(this.lastLoss, 4)}`);
    const stepsRun = this.step - this.baseStep;
    const count = this.unit === "steps" ? stepsRun : this.items - this.baseItems;
    if (elapsed > 0 && count > 0) parts.push(`${formatNumber(Math.round((count / elapsed) * 1000 * 10) / 10, 4)} ${this.unit}/s`);
    if (this.outcome === null) {
      if (stepsRun > 0 && this.totalSteps > this.step) parts.push(`${formatDuration(((this.totalSteps - this.step) * elapsed) / stepsRun)} left`);
    } else {
      parts.push(formatDuration(elapsed));
    }
    return parts.join(" · ");
  }

  /**
   * While the run goes on: text and a small inline SVG curve only. JupyterLab's plotly renderer
   * draws a plotly output once and ignores later updates to it, so the plotly chart is sent only
   * with the final state: the update then swaps in a fresh renderer that draws the end of the run.
   * The final text/html draws the same chart with plotly.js, for exported notebooks.
   */
  toBundle(context: RenderContext = NO_CARRIER): MimeBundle {
    const status = this.status();
    if (!this.finished || this.lossValues.length === 0) {
      return { "text/plain": `${this.title}: ${status}`, "text/html": this.html(status) };
    }
    const chart = this.chart();
    return {
      "text/plain": `${this.title}: ${status}`,
      [PLOTLY_MIME]: chart.figure,
      "text/html": context.plotlyCarrier() + this.html(status, false) + chartHtml(chart.figure, chart.label, chart.summary, chart.height),
    };
  }

  /** The loss curve as a chart (e.g. to show again after the run). */
  chart(): Chart {
    return new Chart("training", this.title, this.figure(this.status()), this.status());
  }

  private record(p: Progress): void {
    if (!Number.isFinite(p.step) || p.step < 0) throw new RangeError(`${this.label}: step must be a number >= 0; got ${p.step}`);
    this.step = p.step;
    if (p.items !== undefined) this.items = p.items;
    if (p.loss !== undefined) {
      this.lastLoss = p.loss;
      const last = this.lossSteps.length - 1;
      if (last >= 0 && this.lossSteps[last] === p.step) this.lossValues[last] = p.loss;
      else {
        this.lossSteps.push(p.step);
        this.lossValues.push(p.loss);
      }
    }
  }

  private render(update: boolean, final: boolean): void {
    const t0 = this.clock.now();
    try {
      this.sendFn(this, { displayId: this.id, update, final });
    } catch (e) {
      // A display that fails to send must not end the training; say so once, keep going (and
      // if the output channel is what failed, the warning may fail too: that must not throw).
      if (this.failures++ === 0) {
        try {
          console.warn(`kernel-lib: the ${this.label} could not be updated: ${e instanceof Error ? e.message : String(e)}`);
        } catch {
          /* nowhere left to say it */
        }
      }
    }
    const t1 = this.clock.now();
    this.renders++;
    this.lastRenderAt = t1;
    this.lastRenderCost = t1 - t0;
    this.renderMs += t1 - t0;
  }

  /** Indices of at most maxPoints points, evenly spaced, always including the last. */
  private sample(): number[] {
    const n = this.lossValues.length;
    if (n <= this.maxPoints) return Array.from({ length: n }, (_, i) => i);
    const stride = (n - 1) / (this.maxPoints - 1);
    return Array.from({ length: this.maxPoints }, (_, i) => Math.round(i * stride));
  }

  private figure(status: string): PlotlyFigure {
    const idx = this.sample();
    const y = idx.map((i) => (Number.isFinite(this.lossValues[i]) ? Number(this.lossValues[i].toPrecision(6)) : null));
    return {
      data: [{ type: "scatter", mode: "lines", name: "loss", x: idx.map((i) => this.lossSteps[i]), y, line: { color: "#1f77b4" } }],
      layout: {
        title: { text: `${this.title}<br><sub>${escapeHtml(status)}</sub>` },
        xaxis: { title: { text: "step" }, range: [0, Math.max(1, this.totalSteps)] },
        yaxis: { title: { text: "loss" } },
        height: 300,
        margin: { t: 70, b: 45 },
      },
    };
  }

  /** Status text and (unless the plotly chart follows) an inline SVG curve drawn without plotly.js. */
  private html(status: string, withCurve = true): string {
    const idx = this.sample().filter((i) => Number.isFinite(this.lossValues[i]));
    let svg = "";
    if (withCurve && idx.length > 1) {
      const ys = idx.map((i) => this.lossValues[i]);
      const lo = Math.min(...ys);
      const hi = Math.max(...ys);
      const xMax = Math.max(1, this.totalSteps);
      const pts = idx.map((i) => `${((this.lossSteps[i] / xMax) * 300).toFixed(1)},${(hi === lo ? 30 : 58 - ((this.lossValues[i] - lo) / (hi - lo)) * 56).toFixed(1)}`);
      svg = `<svg width="300" height="60" viewBox="0 0 300 60" role="img" aria-label="loss curve"><polyline fill="none" stroke="#1f77b4" stroke-width="1.5" points="${pts.join(" ")}"/></svg>`;
    }
    return `<div class="kernel-lib-live" data-status="${escapeHtml(status)}"><b>${escapeHtml(this.title)}</b><div class="kernel-lib-live-status" style="font-family:monospace">${escapeHtml(status)}</div>${svg}</div>`;
  }
}

/**
 * `const live = liveView({ title: "LSTM", totalSteps: 200, unit: "tokens" })`, then
 * `live.update({ step, loss, items })` in the loop and `live.finish()` after it.
 */
export function liveView(options: LiveViewOptions, deps: LiveViewDeps = {}): LiveView {
  return new LiveView(options, deps).start();
}
