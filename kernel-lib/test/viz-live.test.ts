// The live view's throttle (time-based, cost-bounded, final always drawn) and the training
// loop's yielding, stopping and interrupt handling, on a fake clock.
import { test } from "node:test";
import assert from "node:assert/strict";
import { LiveView, TrainingInterrupted, liveView, ticker, trainingLoop } from "../src/viz";
import { tensor } from "../src";
import { PLOTLY_MIME } from "../src/viz/mime";
import { fakeWorld, withWorldAsync } from "./viz-fakes";

function fakeClock(start = 0) {
  const clock = { t: start, now: () => clock.t };
  return clock;
}

/** A view whose every render is recorded (with its bundle) and costs `cost` ms of fake time. */
function recordedView(totalSteps: number, cost = 0, minIntervalMs?: number) {
  const clock = fakeClock();
  const renders: { update: boolean; final: boolean; text: string; at: number }[] = [];
  const view = new LiveView({ title: "LSTM", totalSteps, unit: "tokens", minIntervalMs }, {
    clock,
    send: (v, o) => {
      renders.push({ update: o.update, final: o.final, text: v.toBundle()["text/plain"], at: clock.t });
      clock.t += cost;
    },
  });
  return { clock, renders, view };
}

test("updates are throttled by time: at most one per 300 ms, however fast the loop", () => {
  const { clock, renders, view } = recordedView(10_000);
  view.start();
  for (let step = 1; step <= 10_000; step++) {
    clock.t += 0.1; // a 0.1 ms training step: 1 s in all
    view.update({ step, loss: 1 / step, items: step * 32 });
  }
  // The first display, then one update per 300 ms of the 1 s run.
  assert.equal(renders.length, 1 + 3);
  for (let i = 2; i < renders.length; i++) assert.ok(renders[i].at - renders[i - 1].at >= 300);
  assert.deepEqual(renders.map((r) => r.update), [false, true, true, true]);
});

test("a slow render waits longer, so updates stay under 5% of the run", () => {
  const { clock, renders, view } = recordedView(100_000, 40); // each render costs 40 ms
  view.start();
  for (let step = 1; step <= 100_000; step++) {
    clock.t += 0.2;
    view.update({ step, loss: 1, items: step });
  }
  assert.ok(view.overhead() <= 0.05 + 1e-9, `overhead ${view.overhead()}`);
  for (let i = 2; i < renders.length; i++) assert.ok(renders[i].at - renders[i - 1].at >= 800, "40 ms / 0.05 = 800 ms apart");
});

test("finish always draws the final state, once, with stable text", () => {
  const { clock, renders, view } = recordedView(200);
  view.start();
  for (let step = 1; step <= 200; step++) {
    clock.t += 1;
    view.update({ step, loss: 2 / step, items: step * 64 });
  }
  const before = renders.length;
  view.finish();
  view.finish();
  view.update({ step: 201 });
  assert.equal(renders.length, before + 1);
  const last = renders[renders.length - 1];
  assert.equal(last.final, true);
  assert.match(last.text, /^LSTM: done: 200\/200 steps · loss 0\.01 · 64,000 tokens\/s · 200 ms$/);
});

test("the status shows step, loss, speed and time left while running; stopped runs say why", () => {
  const { clock, view } = recordedView(200);
  view.start();
  clock.t = 1000;
  view.update({ step: 50, loss: 1.23456, items: 3200 });
  assert.equal(view.status(), "step 50/200 · loss 1.235 · 3,200 tokens/s · 3.0 s left");
  view.finish("interrupted");
  assert.equal(view.status(), "stopped: 50/200 steps (interrupted) · loss 1.235 · 3,200 tokens/s · 1.0 s");
});

test("while running: text and an SVG curve only; the final bundle adds the plotly chart, drawn by its HTML too", () => {
  const { clock, view } = recordedView(1000);
  view.start();
  for (let step = 1; step <= 1000; step++) {
    clock.t += 1;
    view.update({ step, loss: step === 500 ? NaN : 1 / step, items: step });
    if (step === 600) {
      // JupyterLab's plotly renderer ignores updates to a drawn chart: none is sent mid-run.
      const running = view.toBundle();
      assert.equal(running[PLOTLY_MIME], undefined);
      assert.match(running["text/html"] as string, /<svg[^>]*aria-label="loss curve"/);
      assert.match(running["text/plain"] as string, /step 600\/1,000/);
    }
  }
  view.finish();
  const b = view.toBundle();
  const fig = b[PLOTLY_MIME] as { data: { x: number[]; y: (number | null)[] }[]; layout: { title: { text: string } } };
  assert.ok(fig.data[0].x.length <= 400, "the curve is sampled down to 400 points");
  assert.equal(fig.data[0].x[fig.data[0].x.length - 1], 1000, "always with the last point");
  assert.match(fig.layout.title.text, /done: 1,000\/1,000 steps/);
  assert.match(b["text/html"] as string, /done: 1,000\/1,000 steps/);
  assert.match(b["text/html"] as string, /Plotly/, "the exported HTML draws the final chart with plotly.js");
  assert.doesNotMatch(b["text/html"] as string, /<svg/, "no second, hand-drawn curve beside it");
});

test("trainingLoop runs every step, yields to the event loop every ~25 ms, and ends in done: N/N steps", async () => {
  const clock = fakeClock();
  const sent: string[] = [];
  let yields = 0;
  const loop = trainingLoop({ steps: 200, title: "demo", tokensPerStep: 10, stopOnInterrupt: false }, {
    clock,
    send: (v) => void sent.push(v.toBundle()["text/plain"]),
    yieldNow: async () => void yields++,
  });
  const seen: number[] = [];
  for await (const step of loop) {
    clock.t += 1;
    seen.push(step);
    loop.log(1 / (step + 1));
  }
  assert.deepEqual(seen, Array.from({ length: 200 }, (_, i) => i));
  assert.equal(loop.stepsDone, 200);
  assert.equal(yields, 8, "200 ms of steps, a yield every 25 ms");

  // Fast steps: a yield every 100 steps anyway (a loop that prints must not burst).
  let fastYields = 0;
  const fast = trainingLoop({ steps: 1000, show: false, stopOnInterrupt: false }, { clock: fakeClock(), yieldNow: async () => void fastYields++ });
  for await (const _ of fast) { /* instant steps on a clock that never moves */ }
  assert.equal(fastYields, 10);
  assert.equal(loop.losses.length, 200);
  assert.match(sent[sent.length - 1], /^demo: done: 200\/200 steps · loss 0\.005 · 10,000 tokens\/s/);
  assert.equal(loop.view!.finished, true);
});

test("an interrupt stops the loop between steps, shows the final state, and throws TrainingInterrupted", async () => {
  const clock = fakeClock();
  const sent: string[] = [];
  let interrupt: () => void = () => {};
  let listening = false;
  // stopOnInterrupt is on by default only inside a kernel; here it is asked for.
  const loop = trainingLoop({ steps: 200, title: "demo", stopOnInterrupt: true }, {
    clock,
    send: (v) => void sent.push(v.toBundle()["text/plain"]),
    yieldNow: async () => {},
    onInterrupt: (handler) => {
      interrupt = handler;
      listening = true;
      return () => void (listening = false);
    },
  });
  const w = { value: 0 }; // a "parameter" the loop trains
  await assert.rejects(async () => {
    for await (const step of loop) {
      clock.t += 1;
      w.value += 1;
      if (step === 56) interrupt(); // Kernel > Interrupt arrives during step 57
    }
  }, (e: Error) => e instanceof TrainingInterrupted && e.message === 'trainingLoop "demo" interrupted after 57/200 steps; the parameters keep what those steps learned');
  assert.equal(w.value, 57, "the step in progress finished; no further step ran");
  assert.equal(loop.stoppedBecause, "interrupted");
  assert.equal(listening, false, "the interrupt listener is removed");
  assert.match(sent[sent.length - 1], /^demo: stopped: 57\/200 steps \(interrupted\)/);
});

test("stop(), a time budget, break and an exception all end with a final update", async () => {
  const mk = (options: { maxSeconds?: number } = {}) => {
    const clock = fakeClock();
    const sent: string[] = [];
    const loop = trainingLoop({ steps: 100, title: "t", stopOnInterrupt: false, ...options }, { clock, send: (v) => void sent.push(v.toBundle()["text/plain"]), yieldNow: async () => {} });
    return { clock, sent, loop };
  };
  const early = mk();
  for await (const step of early.loop) if (step === 9) early.loop.stop("early stopping: loss below 0.1");
  assert.match(early.sent[early.sent.length - 1], /^t: stopped: 10\/100 steps \(early stopping: loss below 0\.1\)/);

  const budget = mk({ maxSeconds: 0.05 });
  for await (const _ of budget.loop) budget.clock.t += 10;
  assert.equal(budget.loop.stepsDone, 5);
  assert.match(budget.sent[budget.sent.length - 1], /stopped: 5\/100 steps \(time budget of 0\.05 s\)/);

  const broken = mk();
  for await (const step of broken.loop) if (step === 3) break;
  assert.match(broken.sent[broken.sent.length - 1], /^t: stopped: 3\/100 steps/);

  const failing = mk();
  await assert.rejects(async () => {
    for await (const step of failing.loop) if (step === 4) throw new Error("loss is NaN");
  }, /loss is NaN/);
  assert.match(failing.sent[failing.sent.length - 1], /^t: stopped: 4\/100 steps/);
});

test("iterating a loop again resumes where it stopped, with a new view that measures the resumed part", async () => {
  const clock = fakeClock();
  const sent: string[] = [];
  const loop = trainingLoop({ steps: 100, title: "t", tokensPerStep: 10, stopOnInterrupt: false }, { clock, send: (v) => void sent.push(v.toBundle()["text/plain"]), yieldNow: async () => {} });
  const seen: number[] = [];
  for await (const step of loop) {
    clock.t += 1;
    seen.push(step);
    loop.log(1);
    if (step === 39) loop.stop("paused");
  }
  assert.match(sent[sent.length - 1], /^t: stopped: 40\/100 steps \(paused\)/);
  const firstView = loop.view;
  for await (const step of loop) {
    clock.t += 2; // slower now: the resumed view's speed must say so
    seen.push(step);
    loop.log(0.5);
  }
  assert.deepEqual(seen, Array.from({ length: 100 }, (_, i) => i), "each step exactly once");
  assert.notEqual(loop.view, firstView);
  assert.match(sent.find((s) => s.startsWith("t: step 40/100"))!, /^t: step 40\/100 · loss 1$/);
  assert.match(sent[sent.length - 1], /^t: done: 100\/100 steps · loss 0\.5 · 5,000 tokens\/s · 120 ms$/);
  assert.equal(loop.losses.length, 100);
  // A finished loop has nothing left to run, and says so rather than training nothing in silence.
  let more = 0;
  await assert.rejects(async () => {
    for await (const _ of loop) more++;
  }, /✘ trainingLoop "t" has already run all its 100 steps, so running it again would train nothing\. To train from scratch, run the cells that make the model and this loop again; to train the same model on, make a new loop/);
  assert.equal(more, 0);
  assert.equal(loop.stepsDone, 100);
});

test("a loop of 0 steps runs (nothing) once; a loop stopped early is not finished", async () => {
  const empty = trainingLoop({ steps: 0, show: false, stopOnInterrupt: false });
  await empty.run(() => assert.fail("no step to run"));
  await assert.rejects(empty.run(() => {}), /has already run all its 0 steps/);
  const early = trainingLoop({ steps: 3, show: false, stopOnInterrupt: false });
  await early.run((step) => { if (step === 0) early.stop("enough"); });
  await early.run(() => {});
  assert.equal(early.stepsDone, 3);
});

test("in the course kernel a running loop holds its cell: the hook's stop ends the loop at the next step, and the hold is released when it ends", async () => {
  const holds: { describe: () => string; stop: () => void; released: boolean }[] = [];
  const hook = {
    holdCell(describe: () => string, stop: () => void) {
      const hold = { describe, stop, released: false };
      holds.push(hold);
      return () => void (hold.released = true);
    },
  };
  Object.defineProperty(globalThis, "__courseKernel__", { value: hook, configurable: true });
  try {
    const loop = trainingLoop({ steps: 50, title: "held", show: false, stopOnInterrupt: false }, { yieldNow: async () => {} });
    let steps = 0;
    const running = loop.run(() => void steps++);
    assert.equal(holds.length, 1, "held as soon as run() is called, within the cell's synchronous part");
    assert.match(holds[0].describe(), /^training loop "held" \(at step \d+ of 50\)$/);
    holds[0].stop(); // what the kernel does when the cell ends first
    await running;
    assert.ok(loop.stepsDone < 50, `stopped early (${loop.stepsDone} steps)`);
    assert.equal(loop.stoppedBecause, "not awaited");
    assert.ok(holds[0].released, "released when the loop ended");
    await loop.run(() => void steps++); // awaited this time: it carries on to the end
    assert.equal(loop.stepsDone, 50);
    assert.equal(steps, 50);
    assert.ok(holds[1].released);
  } finally {
    delete (globalThis as { __courseKernel__?: unknown }).__courseKernel__;
  }
});

test("a loop cannot run twice at once", async () => {
  const loop = trainingLoop({ steps: 5, show: false, stopOnInterrupt: false });
  const it = loop[Symbol.asyncIterator]();
  await it.next();
  await assert.rejects(async () => { for await (const _ of loop) { /* a second cell */ } }, /trainingLoop "Training": this loop is already running/);
  await it.return(undefined);
});

test("ticker yields only after everyMs have passed", async () => {
  const clock = fakeClock();
  const tick = ticker(25, clock);
  let real = 0;
  for (let i = 0; i < 100; i++) {
    clock.t += 1;
    const p = tick();
    // A real yield is a setImmediate: its promise is not settled in the same microtask round.
    let settled = false;
    void p.then(() => (settled = true));
    await Promise.resolve();
    if (!settled) real++;
    await p;
  }
  assert.equal(real, 4);
});

test("liveView with the real display path: in a kernel, one display then updates with the same id", async () => {
  const world = fakeWorld({ version: "1.0.22" });
  await withWorldAsync(world, async () => {
    const clock = fakeClock();
    const live = liveView({ title: "run", totalSteps: 2 }, { clock });
    clock.t = 300;
    live.update({ step: 1, loss: 0.5 });
    live.finish(undefined, { step: 2, loss: 0.25 });
  });
  const ids = new Set(world.sent.map((s) => s.content.transient.display_id));
  assert.equal(ids.size, 1);
  assert.deepEqual(world.sent.map((s) => s.update), [false, true, true]);
  assert.equal(world.sent[2].content.data["text/plain"].split(" · ")[0], "run: done: 2/2 steps");
});

test("loop.run calls the body for each remaining step and logs what it returns (sync or async)", async () => {
  const clock = fakeClock();
  const sent: string[] = [];
  const loop = trainingLoop({ steps: 6, title: "r", stopOnInterrupt: false }, { clock, send: (v) => void sent.push(v.toBundle()["text/plain"]), yieldNow: async () => {} });
  await loop.run((step) => {
    clock.t += 1;
    if (step === 2) loop.stop("half");
    return step === 1 ? undefined : tensor([10 - step]);
  });
  assert.deepEqual(loop.losses.map((v) => (Number.isNaN(v) ? "none" : v)), [10, "none", 8]);
  await loop.run(async (step) => {
    clock.t += 1;
    await Promise.resolve();
    return 10 - step;
  });
  assert.deepEqual(loop.losses, [10, NaN, 8, 7, 6, 5]);
  assert.match(sent[sent.length - 1], /^r: done: 6\/6 steps · loss 5/);
});
