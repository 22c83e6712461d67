// A chart must not invent a trend. Figures carry values to 6 significant digits (enough for any
// series that spreads over more than a millionth of its size), but a series that is nearly
// constant lives in its 7th digit and beyond: plotly zooms its axis onto that spread, and values
// rounded to 6 digits would be drawn as a staircase. Such series keep the digits they need.
import { test } from "node:test";
import assert from "node:assert/strict";
import { barChart, heatmap, lineChart, scatterChart } from "../src/viz";

const axes = { xTitle: "distance (steps)", yTitle: "norm" };
/** 60 values from 23.4529 down by 2e-5 each: a spread of 1.2e-3, 5e-5 of the size. */
const nearlyConstant = Array.from({ length: 60 }, (_, k) => 23.452906042660910 - 2e-5 * k + 1e-9 * Math.sin(k));
const yOf = (trace: unknown) => (trace as { y: (number | null)[] }).y;

test("a nearly constant line keeps every distinct value: no staircase from rounding", () => {
  const chart = lineChart({ title: "Orthogonal × 1.0", ...axes, logY: true, series: { measured: nearlyConstant } });
  const drawn = yOf(chart.figure.data[0]);
  assert.equal(new Set(drawn).size, nearlyConstant.length, "every point keeps its own value");
  drawn.forEach((v, i) => {
    // 6 significant digits of the spread (1.2e-3): within 1e-5 of it.
    assert.ok(Math.abs((v as number) - nearlyConstant[i]) <= 1e-5 * 1.2e-3, `point ${i}: drawn ${v}, value ${nearlyConstant[i]}`);
    if (i > 0) assert.ok((v as number) < (drawn[i - 1] as number), `point ${i} is below point ${i - 1}, as the values are`);
  });
});

test("bars, scatter points and heatmap cells that are nearly constant keep their digits too", () => {
  const values = [1.0000001, 1.0000002, 1.0000003];
  const bars = barChart({ title: "Rates", xTitle: "run", yTitle: "rate per step", labels: ["a", "b", "c"], series: { rate: values } });
  assert.deepEqual(yOf(bars.figure.data[0]), values);
  const points = scatterChart({ title: "Rates", ...axes, series: { runs: { x: values, y: values } } });
  assert.deepEqual(yOf(points.figure.data[0]), values);
  assert.deepEqual((points.figure.data[0] as { x: number[] }).x, values);
  const map = heatmap({ title: "Rates", xTitle: "a", yTitle: "b", z: [values, values] });
  assert.deepEqual((map.figure.data[0] as { z: number[][] }).z, [values, values]);
});

test("a series that spreads widely is still carried to 6 significant digits (figures stay small)", () => {
  const chart = lineChart({ title: "Loss", ...axes, series: { loss: [1 / 3, 2 / 3, 1, 4 / 3] } });
  assert.deepEqual(yOf(chart.figure.data[0]), [0.333333, 0.666667, 1, 1.33333]);
  const constant = lineChart({ title: "Flat", ...axes, series: { flat: [1 / 3, 1 / 3, 1 / 3] } });
  assert.deepEqual(yOf(constant.figure.data[0]), [0.333333, 0.333333, 0.333333], "a constant series has no spread to resolve");
});
