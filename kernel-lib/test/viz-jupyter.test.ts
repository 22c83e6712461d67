// The display adapter: a full bundle through tslab's internal when it checks out, the public
// single-MIME API when it does not, the text summary on stdout in plain Node.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { displayInfo, lineChart, show, showTable } from "../src/viz";
import { PLOTLY_MIME } from "../src/viz/mime";
import { sendDisplay } from "../src/viz/show";
import { fakeWorld, withWorld } from "./viz-fakes";

const chart = () => lineChart({ title: "Loss", xTitle: "step", yTitle: "loss (nats)", series: { lstm: [3, 2, 1] } });

test("tslab 1.0.22 with its internal: one display_data message holding the whole bundle", () => {
  const world = fakeWorld({ version: "1.0.22" });
  withWorld(world, () => {
    show(chart());
    assert.equal(displayInfo().mode, "bundle");
  });
  assert.equal(world.sent.length, 1);
  const { content, update } = world.sent[0];
  assert.equal(update, false);
  assert.deepEqual(Object.keys(content.data).sort(), [PLOTLY_MIME, "text/html", "text/plain"].sort());
  assert.deepEqual(content.metadata, {});
  assert.deepEqual(content.transient, {});
  assert.equal(world.publicRaw.length + world.stdout.length + world.warnings.length, 0);
});

test("updates carry the display id and update=true (update_display_data)", () => {
  const world = fakeWorld({ version: "1.0.22" });
  withWorld(world, () => {
    const item = chart();
    sendDisplay(item, { displayId: "abc" });
    sendDisplay(item, { displayId: "abc", update: true });
  });
  assert.deepEqual(world.sent.map((s) => [s.content.transient.display_id, s.update]), [["abc", false], ["abc", true]]);
});

test("an unknown tslab version falls back to display.raw with the plotly JSON as an object, and warns once", () => {
  const world = fakeWorld({ version: "1.1.0" });
  withWorld(world, () => {
    show(chart());
    show(chart());
    assert.equal(displayInfo().mode, "single-mime");
  });
  assert.equal(world.sent.length, 0, "the internal is not used for a version we did not check");
  assert.equal(world.publicRaw.length, 2);
  assert.equal(world.publicRaw[0].mime, PLOTLY_MIME);
  assert.equal(typeof world.publicRaw[0].value, "object", "a JSON MIME type travels as an object, not a string");
  assert.ok((world.publicRaw[0].value as { layout?: object }).layout);
  assert.equal(world.warnings.length, 1);
  assert.match(world.warnings[0], /tslab 1\.1\.0 is not a version this code was checked with \(1\.0\.22\)/);
});

test("a missing internal (or one of another shape) falls back too; a table then goes as its HTML", () => {
  const missing = fakeWorld({ version: "1.0.22", internal: "missing", kernelGlobal: true });
  withWorld(missing, () => {
    show(chart());
    showTable([{ a: 1 }]);
  });
  assert.deepEqual(missing.publicRaw.map((r) => r.mime), [PLOTLY_MIME, "text/html"]);
  assert.match(missing.warnings[0], /lastWriteDisplayData is missing/);

  const oddShape = fakeWorld({ version: "1.0.22" });
  oddShape.deps.loadKernel = () => ({ lastWriteDisplayData: ((content: never) => void content) as never });
  withWorld(oddShape, () => show(chart()));
  assert.equal(oddShape.publicRaw.length, 1);
  assert.match(oddShape.warnings[0], /takes 1 arguments, not 2/);
});

test("in the fallback, a display with an id goes through one tslab Display (tslab sends the updates)", () => {
  const world = fakeWorld({ version: "2.0.0" });
  withWorld(world, () => {
    sendDisplay(chart(), { displayId: "live" });
    sendDisplay(chart(), { displayId: "live", update: true });
    sendDisplay(chart(), { displayId: "live", update: true, final: true });
  });
  assert.deepEqual(world.publicRaw.map((r) => r.displayId), ["public-1", "public-1", "public-1"]);
});

test("no tslab, or tslab outside a kernel: the text summary goes to stdout", () => {
  const none = fakeWorld({ tslab: false });
  withWorld(none, () => show(chart()));
  assert.deepEqual(none.stdout, ['line chart "Loss": 1 series x 3 points']);

  const outside = fakeWorld({ version: "1.0.22", internal: "null", kernelGlobal: false });
  withWorld(outside, () => {
    show(chart());
    assert.match(displayInfo().reason, /not inside a tslab kernel/);
  });
  assert.equal(outside.stdout.length, 1);
  assert.equal(outside.sent.length + outside.publicRaw.length, 0);
});

test("a kernel running another copy of tslab (internal never set) prints instead of failing", () => {
  const world = fakeWorld({ version: "1.0.22", internal: "null", kernelGlobal: true });
  withWorld(world, () => show(chart()));
  assert.equal(world.stdout.length, 1);
  assert.equal(world.publicRaw.length, 0);
});

test("on stdout a live display prints now and then (every 5 s), and always its final state", () => {
  const world = fakeWorld({ tslab: false });
  withWorld(world, () => {
    const item = chart();
    sendDisplay(item, { displayId: "d" });
    for (let t = 100; t <= 4900; t += 100) {
      world.clock.t = t;
      sendDisplay(item, { displayId: "d", update: true });
    }
    world.clock.t = 5100;
    sendDisplay(item, { displayId: "d", update: true });
    world.clock.t = 5200;
    sendDisplay(item, { displayId: "d", update: true, final: true });
  });
  assert.equal(world.stdout.length, 3, "the first display, one at 5.1 s, the final one");
});

test("in plain Node (the real adapter, a child process), show prints the summary to stdout", () => {
  const root = join(__dirname, "..", "..");
  const code = `const kl = require("./kernel-lib/src/index.ts");
kl.viz.show(kl.viz.lineChart({ title: "Gradient norm vs time step", xTitle: "t", yTitle: "norm", logY: true, series: { a: [1, 0.5], b: [1, 0.25], c: [1, NaN] } }));
console.log(JSON.stringify(kl.viz.displayInfo()));`;
  const r = spawnSync(process.execPath, ["--import", "tsx", "-e", code], { cwd: root, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split("\n");
  assert.equal(lines[0], 'line chart "Gradient norm vs time step": 3 series x 2 points, y log; 1 NaN value in series "c" not drawn');
  assert.equal(JSON.parse(lines[1]).mode, "stdout");
  assert.equal(r.stderr, "");
});

test("a display refused by a busy zeromq socket is sent on the next turn, not thrown (throwing would wedge tslab)", async () => {
  const world = fakeWorld({ version: "1.0.22" });
  let refusals = 2;
  const delivered: string[] = [];
  world.deps.loadKernel = () => ({
    lastWriteDisplayData: (content: { data: { "text/plain": string } }, _update: boolean) => {
      if (refusals-- > 0) throw Object.assign(new Error("Socket is busy writing; only one send operation may be in progress at any time"), { code: "EBUSY" });
      delivered.push(content.data["text/plain"]);
    },
  } as never);
  withWorld(world, () => show(chart()));
  assert.deepEqual(delivered, [], "not yet: deferred");
  for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
  assert.deepEqual(delivered, ['line chart "Loss": 1 series x 3 points']);
});
