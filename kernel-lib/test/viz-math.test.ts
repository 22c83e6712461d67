// mathjs's symbolic derivatives beside the tape's numbers, formulas as LaTeX, and mathjs loaded
// only when one of these is called.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { add, mul, scalar, tanh } from "../src";
import { derivativeTable, formulaTex, showDerivatives } from "../src/viz";
import { fakeWorld, withWorld } from "./viz-fakes";

test("d/dw tanh(w*x + b) from mathjs equals the tape's gradient at a point", () => {
  const at = { w: 0.5, x: 1.2, b: -0.1 };
  const check = derivativeTable("tanh(w*x + b)", at);
  // The tape's gradient, computed here independently with kernel-lib's ops.
  const w = scalar(at.w, { requiresGrad: true });
  const b = scalar(at.b, { requiresGrad: true });
  tanh(add(mul(w, at.x), b)).backward();
  const rowW = check.rows.find((r) => r.variable === "w")!;
  assert.equal(rowW.derivative, "x * sech(w * x + b) ^ 2");
  // By hand: d/dw tanh(u) = x (1 - tanh(u)^2).
  const byHand = at.x * (1 - Math.tanh(at.w * at.x + at.b) ** 2);
  assert.ok(Math.abs(rowW.symbolic - byHand) < 1e-14);
  assert.ok(Math.abs(rowW.symbolic - w.grad!.item()) < 1e-12, `${rowW.symbolic} vs tape ${w.grad!.item()}`);
  assert.ok(Math.abs(rowW.tape - w.grad!.item()) < 1e-15);
  assert.ok(Math.abs(check.rows.find((r) => r.variable === "b")!.symbolic - b.grad!.item()) < 1e-12);
  assert.deepEqual(check.rows.map((r) => r.variable), ["w", "x", "b"]);
  assert.ok(check.allAgree);
});

test("the tape evaluator handles + - * / ^ (constant and variable exponents), exp, log, sqrt", () => {
  const check = derivativeTable("x^3 / y - exp(-x) * log(y) + sqrt(x) + 2^y - y^x", { x: 1.3, y: 2.1 });
  assert.ok(check.allAgree, JSON.stringify(check.rows));
});

test("a disagreement is shown as one (numbers given for the tape)", () => {
  const check = derivativeTable("w*x", { w: 2, x: 3 }, { tape: { w: 3, x: 2.5 } });
  assert.deepEqual(check.rows.map((r) => r.agrees), [true, false]);
  assert.match(check.toBundle()["text/plain"], /x\s+w\s+2\s+2\.5\s+0\.5\s+NO/);
});

test("errors name the expression and what is missing", () => {
  assert.throws(() => derivativeTable("tanh(w*x + b)", { w: 1, x: 2 }), /derivativeTable "tanh\(w\*x \+ b\)": no value for "b"; give it in the point/);
  assert.throws(() => derivativeTable("sin(w)", { w: 1 }), /derivativeTable "sin\(w\)": the tape evaluator does not support the function "sin" \(it knows tanh, exp, log, sqrt, sinh, cosh\)/);
  assert.throws(() => derivativeTable("w*", { w: 1 }), /derivativeTable "w\*": cannot parse "w\*"/);
  assert.throws(() => derivativeTable("w", { w: NaN }), /the point's w = NaN is not a finite number/);
});

test("formulaTex: mathjs's LaTeX, with variables as variables (b is a bias, not a byte)", () => {
  assert.equal(formulaTex("tanh(w*x + b)"), "\\tanh\\left( w\\cdot x+ b\\right)");
  assert.equal(formulaTex("sigma_1 * W_hh + pi"), "\\sigma_{1}\\cdot W_{hh}+\\pi");
});

test("showDerivatives sends markdown with LaTeX and a text table", () => {
  const world = fakeWorld({ version: "1.0.22" });
  withWorld(world, () => showDerivatives("tanh(w*x + b)", { w: 0.5, x: 1.2, b: -0.1 }));
  const data = world.sent[0].content.data;
  assert.deepEqual(Object.keys(data).sort(), ["text/markdown", "text/plain"]);
  const md = data["text/markdown"] as string;
  assert.match(md, /\| \$w\$ \| \$\\dfrac\{\\partial f\}\{\\partial w\} = x\\cdot\{\\mathrm\{sech\}/);
  assert.equal(md.split("\n").filter((l) => l.startsWith("| $")).length, 3);
});

test("import \"kernel-lib\" does not load mathjs, plotly.js or tslab; the first formula loads mathjs", () => {
  const root = join(__dirname, "..", "..");
  const code = `const kl = require("./kernel-lib/src/index.ts");
const heavy = () => Object.keys(require.cache).filter((k) => /node_modules[\\\\/](mathjs|plotly\\.js-dist-min|tslab)[\\\\/]/.test(k)).length;
const before = heavy();
kl.viz.formulaTex("x");
console.log(JSON.stringify({ before, after: heavy() }));`;
  const r = spawnSync(process.execPath, ["--import", "tsx", "-e", code], { cwd: root, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const { before, after } = JSON.parse(r.stdout);
  assert.equal(before, 0);
  assert.ok(after > 0);
});
