// Equations from expressions, with mathjs: `formulaTex("tanh(w*x + b)")` for a LaTeX display, and
// `derivativeTable(expr, at)`, which sets mathjs's symbolic derivative beside the number
// kernel-lib's tape computes for the same expression at the same point. When the two agree to
// ~1e-12 the learner has seen the chain rule and the tape give one answer.
//
// mathjs is large (~18 MB installed, ~600 ms to load), so it is loaded here, inside the
// functions that need it, the first time one is called: `import "kernel-lib"` does not pay.
import type * as MathJs from "mathjs";
import { tanh, exp, log, add, sub, mul, div, neg, pow } from "../ops";
import { scalar, Tensor } from "../tensor";
import { formatNumber } from "./format";
import type { Displayable, MimeBundle } from "./mime";
import { sendDisplay } from "./show";
import { Table } from "./table";

type MathJsModule = typeof MathJs;
let mathjs: MathJsModule | null = null;

/** mathjs, loaded on first use. */
export function loadMathjs(): MathJsModule {
  if (mathjs === null) {
    try {
      mathjs = require("mathjs") as MathJsModule;
    } catch {
      throw new Error("kernel-lib: the package mathjs is not installed (it is a dependency of kernel-lib: run npm ci)");
    }
  }
  return mathjs;
}

/** The nodes of a mathjs expression tree, as far as this file reads them. */
interface AstNode {
  type: string;
  name?: string;
  value?: unknown;
  fn?: string | { name: string };
  op?: string;
  args?: AstNode[];
  content?: AstNode;
  toTex(options?: object): string;
  toString(): string;
  evaluate(scope?: Record<string, number>): unknown;
}

const GREEK = new Set("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi rho sigma tau upsilon phi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega".split(" "));
/** Names mathjs knows as constants; everything else in a formula is a variable. */
const CONSTANTS = new Set(["pi", "e", "E", "tau", "phi", "i", "Infinity", "NaN", "LN2", "LN10", "LOG2E", "LOG10E", "SQRT2", "SQRT1_2", "true", "false", "null"]);

/**
 * A variable's LaTeX: `w` -> `w`, `W_hh` -> `W_{hh}`, `sigma` -> `\sigma`. mathjs would print
 * names that are also units as units (`b`, the bias, as `\mathrm{b}`, a byte).
 */
export function variableTex(name: string): string {
  const [base, ...rest] = name.split("_");
  const head = GREEK.has(base) ? `\\${base}` : base.length > 1 ? `\\mathrm{${base}}` : base;
  return rest.length ? `${head}_{${rest.join("_")}}` : head;
}

function texOf(node: AstNode): string {
  return node.toTex({
    // The leading space matters: mathjs writes `\cdot` + symbol, and `\cdotx` is not LaTeX.
    handler: (n: AstNode) => (n.type === "SymbolNode" && n.name !== undefined && !CONSTANTS.has(n.name) ? ` ${variableTex(n.name)}` : undefined),
  }).trim();
}

function parse(where: string, expr: string): AstNode {
  if (typeof expr !== "string" || !expr.trim()) throw new TypeError(`${where}: the expression is empty`);
  try {
    return loadMathjs().parse(expr) as unknown as AstNode;
  } catch (e) {
    throw new SyntaxError(`${where}: cannot parse "${expr}": ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** `formulaTex("tanh(w*x + b)")` -> `\tanh\left(w\cdot x+b\right)` */
export function formulaTex(expr: string): string {
  return texOf(parse("formulaTex", expr));
}

/** One row of a derivative check: the symbolic derivative and both values at the point. */
export interface DerivativeRow {
  variable: string;
  /** The symbolic derivative (mathjs, simplified) as text and as LaTeX. */
  derivative: string;
  derivativeTex: string;
  /** Its value at the point. */
  symbolic: number;
  /** The tape's value of the same partial derivative (backward() through kernel-lib's ops). */
  tape: number;
  difference: number;
  agrees: boolean;
}

export interface DerivativeTableOptions {
  /** The variables to differentiate by (default: every variable in `at` that the expression uses). */
  wrt?: readonly string[];
  /** The tape's gradients, if you computed them yourself; otherwise kernel-lib's tape computes them. */
  tape?: Readonly<Record<string, number>>;
  /** Relative tolerance for "agrees" (default 1e-9). */
  tolerance?: number;
}

export class DerivativeCheck implements Displayable {
  constructor(
    readonly expr: string,
    readonly tex: string,
    readonly at: Readonly<Record<string, number>>,
    readonly value: number,
    readonly rows: readonly DerivativeRow[],
  ) {}

  get label(): string {
    return `derivative table for "${this.expr}"`;
  }

  get allAgree(): boolean {
    return this.rows.every((r) => r.agrees);
  }

  toBundle(): MimeBundle {
    const point = Object.entries(this.at).map(([k, v]) => `${variableTex(k)} = ${formatNumber(v, 10)}`).join(",\\ ");
    const cellTex = (t: string) => t.replace(/\|/g, "\\vert ");
    const md = [
      `**Symbolic derivatives (mathjs) beside the tape's, for $f = ${cellTex(this.tex)}$ at $${point}$** (there $f = ${formatNumber(this.value, 10)}$)`,
      "",
      "| variable | symbolic derivative | its value | tape's value | difference |",
      "|---|---|--:|--:|--:|",
      ...this.rows.map((r) =>
        `| $${variableTex(r.variable)}$ | $\\dfrac{\\partial f}{\\partial ${variableTex(r.variable)}} = ${cellTex(r.derivativeTex)}$ | ${formatNumber(r.symbolic, 10)} | ${formatNumber(r.tape, 10)} | ${r.difference.toExponential(1)} ${r.agrees ? "✓" : "✗"} |`),
    ].join("\n");
    const text = new Table(
      ["variable", "symbolic derivative", "its value", "tape's value", "difference", "agrees"],
      this.rows.map((r) => [r.variable, r.derivative, r.symbolic, r.tape, Number(r.difference.toExponential(1)), r.agrees ? "yes" : "NO"]),
      { title: `f = ${this.expr} at ${Object.entries(this.at).map(([k, v]) => `${k} = ${v}`).join(", ")}`, digits: 10, maxCellChars: 80 },
    ).toText();
    return { "text/plain": text, "text/markdown": md };
  }
}

/**
 * `derivativeTable("tanh(w*x + b)", { w: 0.5, x: 1.2, b: -0.1 })`: for each variable, mathjs's
 * symbolic derivative, its value at the point, and the tape's gradient there. Show it with
 * `show(...)` or use `showDerivatives`.
 */
export function derivativeTable(expr: string, at: Readonly<Record<string, number>>, options: DerivativeTableOptions = {}): DerivativeCheck {
  const where = `derivativeTable "${expr}"`;
  const math = loadMathjs();
  const node = parse(where, expr);
  for (const [k, v] of Object.entries(at)) {
    if (typeof v !== "number" || !Number.isFinite(v)) throw new RangeError(`${where}: the point's ${k} = ${v} is not a finite number`);
  }
  const used = new Set<string>();
  collectSymbols(node, used);
  for (const name of used) {
    if (!(name in at) && !CONSTANTS.has(name)) throw new RangeError(`${where}: no value for "${name}"; give it in the point, e.g. { ${name}: 0.5 }`);
  }
  const wrt = options.wrt ?? Object.keys(at).filter((k) => used.has(k));
  for (const v of wrt) if (!(v in at)) throw new RangeError(`${where}: cannot differentiate by "${v}": it has no value in the point`);
  const tapeGrads = options.tape ?? tapeGradients(where, node, at, wrt);
  const tolerance = options.tolerance ?? 1e-9;
  const rows = wrt.map((variable): DerivativeRow => {
    const d = math.derivative(node as unknown as MathJs.MathNode, variable) as unknown as AstNode;
    const symbolic = Number(d.evaluate({ ...at }));
    const tape = tapeGrads[variable];
    if (typeof tape !== "number") throw new RangeError(`${where}: the tape values have no entry for "${variable}"`);
    const difference = Math.abs(symbolic - tape);
    const agrees = difference <= tolerance * Math.max(1, Math.abs(symbolic), Math.abs(tape));
    return { variable, derivative: d.toString(), derivativeTex: texOf(d), symbolic, tape, difference, agrees };
  });
  return new DerivativeCheck(expr, texOf(node), { ...at }, Number(node.evaluate({ ...at })), rows);
}

/** `showDerivatives("tanh(w*x + b)", { w: 0.5, x: 1.2, b: -0.1 })`: the derivative table, displayed. */
export function showDerivatives(expr: string, at: Readonly<Record<string, number>>, options: DerivativeTableOptions = {}): void {
  sendDisplay(derivativeTable(expr, at, options));
}

function collectSymbols(node: AstNode, into: Set<string>): void {
  if (node.type === "SymbolNode" && node.name !== undefined) into.add(node.name);
  if (node.type === "ParenthesisNode" && node.content) collectSymbols(node.content, into);
  // A FunctionNode's name is not a variable: only its arguments are walked.
  for (const arg of node.args ?? []) collectSymbols(arg, into);
}

type Value = Tensor | number;

/** The expression's gradient at the point, by kernel-lib's ops and one backward(). */
function tapeGradients(where: string, node: AstNode, at: Readonly<Record<string, number>>, wrt: readonly string[]): Record<string, number> {
  const leaves = new Map<string, Tensor>();
  for (const [k, v] of Object.entries(at)) leaves.set(k, scalar(v, { requiresGrad: wrt.includes(k) }));
  const out = evaluateOnTape(where, node, leaves);
  const result: Record<string, number> = {};
  if (out instanceof Tensor && out.requiresGrad) out.backward();
  for (const v of wrt) result[v] = leaves.get(v)?.grad?.item() ?? 0;
  return result;
}

const MATHJS_CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E, E: Math.E, tau: 2 * Math.PI };

function evaluateOnTape(where: string, node: AstNode, leaves: Map<string, Tensor>): Value {
  const ev = (n: AstNode) => evaluateOnTape(where, n, leaves);
  switch (node.type) {
    case "ConstantNode":
      if (typeof node.value === "number") return node.value;
      throw new TypeError(`${where}: the tape evaluator handles numbers only, not ${JSON.stringify(node.value)}`);
    case "SymbolNode": {
      const name = node.name!;
      const leaf = leaves.get(name);
      if (leaf) return leaf;
      if (name in MATHJS_CONSTANTS) return MATHJS_CONSTANTS[name];
      throw new RangeError(`${where}: no value for "${name}"`);
    }
    case "ParenthesisNode":
      return ev(node.content!);
    case "OperatorNode": {
      const args = (node.args ?? []).map(ev);
      const fn = typeof node.fn === "string" ? node.fn : node.fn?.name;
      return operator(where, fn ?? "?", node.op ?? "?", args);
    }
    case "FunctionNode": {
      const fn = typeof node.fn === "string" ? node.fn : node.fn?.name ?? "?";
      return call(where, fn, (node.args ?? []).map(ev));
    }
    default:
      throw new TypeError(`${where}: the tape evaluator cannot handle a ${node.type} ("${node.toString()}"); pass the tape's values with { tape: {...} }`);
  }
}

function operator(where: string, fn: string, op: string, a: Value[]): Value {
  const [x, y] = a;
  switch (fn) {
    case "add": return typeof x === "number" && typeof y === "number" ? x + y : add(x, y);
    case "subtract": return typeof x === "number" && typeof y === "number" ? x - y : sub(x, y);
    case "multiply": return typeof x === "number" && typeof y === "number" ? x * y : mul(x, y);
    case "divide": return typeof x === "number" && typeof y === "number" ? x / y : div(x, y);
    case "unaryMinus": return typeof x === "number" ? -x : neg(x);
    case "unaryPlus": return x;
    case "pow": return power(x, y);
    default:
      throw new TypeError(`${where}: the tape evaluator does not support the operator "${op}" (it knows + - * / ^)`);
  }
}

/** x^y on the tape: a constant exponent is `pow`; a variable one goes through exp(y log x). */
function power(x: Value, y: Value): Value {
  if (typeof y === "number") return typeof x === "number" ? Math.pow(x, y) : pow(x, y);
  const logX = typeof x === "number" ? Math.log(x) : log(x);
  return exp(mul(y, logX));
}

const FUNCTIONS = "tanh, exp, log, sqrt, sinh, cosh";

function call(where: string, fn: string, args: Value[]): Value {
  const [x] = args;
  if (args.length !== 1 && !(fn === "log" && args.length === 2)) {
    throw new TypeError(`${where}: ${fn} with ${args.length} arguments is not supported by the tape evaluator`);
  }
  const t = typeof x === "number" ? scalar(x) : x;
  switch (fn) {
    case "tanh": return tanh(t);
    case "exp": return exp(t);
    case "log": return args.length === 2 ? div(log(t), typeof args[1] === "number" ? Math.log(args[1]) : log(args[1])) : log(t);
    case "sqrt": return pow(t, 0.5);
    case "sinh": return mul(sub(exp(t), exp(neg(t))), 0.5);
    case "cosh": return mul(add(exp(t), exp(neg(t))), 0.5);
    default:
      throw new TypeError(`${where}: the tape evaluator does not support the function "${fn}" (it knows ${FUNCTIONS}); pass the tape's values with { tape: {...} }`);
  }
}
