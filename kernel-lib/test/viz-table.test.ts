// Tables: records, column maps and DataFrame-like objects; row limits; number formatting; HTML
// escaping of every cell.
import { test } from "node:test";
import assert from "node:assert/strict";
import { showTable, table } from "../src/viz";
import { tensor } from "../src";
import { formatNumber } from "../src/viz/format";
import { fakeWorld, withWorld } from "./viz-fakes";

const runs = Array.from({ length: 5000 }, (_, i) => ({ step: i, loss: 2.302585 / (1 + i), model: i % 2 ? "lstm" : "rnn" }));

test("a long table shows its first rows and says so, in HTML and in text", () => {
  const t = table(runs, { title: "Runs" });
  assert.equal(t.footer, "showing 10 of 5,000 rows");
  const html = t.toHtml();
  assert.equal(html.split("<tr>").length - 1, 11, "a header row and 10 rows");
  assert.match(html, /showing 10 of 5,000 rows/);
  const text = t.toText().split("\n");
  assert.deepEqual(text.slice(0, 4), ["Runs", "step    loss  model", "   0   2.303  rnn", "   1   1.151  lstm"]);
  assert.equal(text[text.length - 1], "showing 10 of 5,000 rows");
  assert.equal(table(runs.slice(0, 3)).footer, "3 rows");
  assert.equal(table(runs, { maxRows: 2 }).footer, "showing 2 of 5,000 rows");
});

test("every header and cell is HTML-escaped", () => {
  const html = table([{ "<th>": "<script>alert(1)</script>", amp: "a & b", q: '"x"' }]).toHtml();
  assert.ok(!html.includes("<script>"));
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(html, /&lt;th&gt;/);
  assert.match(html, /a &amp; b/);
  assert.match(html, /&quot;x&quot;/);
});

test("a column map: columns of equal length, typed arrays welcome; a mismatch names both columns", () => {
  const t = table({ step: [1, 2, 3], loss: new Float64Array([0.5, 0.25, 0.125]) });
  assert.deepEqual(t.columns, ["step", "loss"]);
  assert.deepEqual(t.cells().text, [["1", "0.5"], ["2", "0.25"], ["3", "0.125"]]);
  assert.throws(() => table({ step: [1, 2, 3], loss: [1, 2] }), /table: column "loss" has 2 values but column "step" has 3/);
  assert.throws(() => table({ step: 5 } as never), /table: column "step" is number, not an array of values/);
  assert.throws(() => table(tensor([1, 2]) as never), /table: got a Tensor; pass its values as a column/);
});

test("a DataFrame-like object (danfojs: columns and values) is read by its shape", () => {
  const df = { columns: ["token", "count"], values: [["the", 120], ["cat", 7]], $data: "ignored" };
  const t = table(df);
  assert.deepEqual(t.columns, ["token", "count"]);
  assert.deepEqual(t.cells().text, [["the", "120"], ["cat", "7"]]);
  assert.deepEqual(t.cells().numeric, [false, true]);
  assert.throws(() => table({ columns: ["a", "b"], values: [[1]] }), /table: DataFrame row 0 has 1 values but there are 2 columns/);
});

test("records with different keys: the union of columns, in first-seen order; odd values are readable", () => {
  const t = table([{ a: 1 }, { b: "x", a: null }, { c: [1, 2, 3, 4, 5, 6], d: tensor([[1, 2]]) }]);
  assert.deepEqual(t.columns, ["a", "b", "c", "d"]);
  assert.deepEqual(t.cells().text[2], ["", "", "[1, 2, 3, 4, 5, … (6)]", "Tensor [1,2]"]);
  assert.throws(() => table([{ a: 1 }, 3 as never]), /table: row 1 is number, not a record/);
});

test("numbers: integers whole with separators, others to 4 significant digits, tiny and huge ones as exponents", () => {
  assert.deepEqual([1234567, 0.123456, 12.3456, 12345.678, 1.5e-7, 3.5e12, NaN, -Infinity].map((v) => formatNumber(v)),
    ["1,234,567", "0.1235", "12.35", "12,346", "1.5e-7", "3,500,000,000,000", "NaN", "-Infinity"]);
  assert.equal(table([{ v: 0.000123 }], { digits: 2 }).cells().text[0][0], "1.2e-4");
  assert.throws(() => table(runs, { maxRows: -1 }), /table: maxRows must be a whole number >= 0; got -1/);
});

test("showTable sends text/html and text/plain", () => {
  const world = fakeWorld({ version: "1.0.22" });
  withWorld(world, () => showTable(runs, { maxRows: 3 }));
  const data = world.sent[0].content.data;
  assert.deepEqual(Object.keys(data).sort(), ["text/html", "text/plain"]);
  assert.match(data["text/plain"], /showing 3 of 5,000 rows$/);
});
