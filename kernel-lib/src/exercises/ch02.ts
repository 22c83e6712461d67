// Checks for the exercises of notebook 02, "The chain rule and the tape".
//
// The notebook builds a scalar autograd tape: a `Value` holds a number (`data`), the gradient of
// the loss with respect to it (`grad`), the values it was computed from (`parents`), and a
// closure `localBackward` that passes `grad` on to the parents (the chain rule for one op).
// The checks call the learner's ops and backward on probe values chosen so that each mistake
// shows up in one named term: the local derivative, the upstream factor, accumulation, the
// seed, the visiting order. They compare with the formulas below, never print them.
import { checkExercise } from "../testing/exercise";

/** What the checks need of the notebook's `Value` class. */
export interface ScalarNode {
  data: number;
  grad: number;
  readonly parents: readonly ScalarNode[];
  localBackward: () => void;
}

/** The notebook's ops, as the backward check builds its probe graphs with them. */
export interface ScalarOps<V extends ScalarNode> {
  leaf: (x: number) => V;
  add: (a: V, b: V) => V;
  mul: (a: V, b: V) => V;
  tanh: (a: V) => V;
}

/** Runs one node's local backward with a given upstream gradient, starting its parents' grads at `start`. */
function runLocal<V extends ScalarNode>(out: V, parents: V[], upstream: number, start: number[]): number[] {
  parents.forEach((p, i) => (p.grad = start[i]));
  out.grad = upstream;
  out.localBackward();
  return parents.map((p) => p.grad);
}

/**
 * Exercise ch02-mul-backward: `mul(a, b)`'s local backward must add b·out.grad to a.grad and
 * a·out.grad to b.grad.
 */
export function checkMulBackward<V extends ScalarNode>(mul: (a: V, b: V) => V, leaf: (x: number) => V): void {
  checkExercise("ch02-mul-backward", (c) => {
    const a = leaf(3);
    const b = leaf(-2);
    const out = mul(a, b);
    c.close("the forward value a·b", out.data, -6, { hint: "the forward part of mul is given: do not change it" });
    // Upstream 1 leaves only the local derivatives.
    let [ga, gb] = runLocal(out, [a, b], 1, [0, 0]);
    c.close("a.grad, the local derivative ∂(a·b)/∂a (probe: out.grad = 1)", ga, b.data, {
      hint: "differentiate a·b with respect to a, holding b fixed: which factor is left?",
    });
    c.close("b.grad, the local derivative ∂(a·b)/∂b (probe: out.grad = 1)", gb, a.data, {
      hint: "differentiate a·b with respect to b, holding a fixed",
    });
    // Upstream 2.5: the chain rule's factor.
    [ga, gb] = runLocal(out, [a, b], 2.5, [0, 0]);
    c.close("the upstream factor out.grad in a.grad (probe: out.grad = 2.5)", ga, 2.5 * b.data, {
      hint: "the chain rule multiplies the local derivative by ∂L/∂out, which is out.grad",
    });
    c.close("the upstream factor out.grad in b.grad (probe: out.grad = 2.5)", gb, 2.5 * a.data, {
      hint: "the chain rule multiplies the local derivative by ∂L/∂out, which is out.grad",
    });
    // Accumulation: a parent that already holds gradient from another use keeps it.
    [ga, gb] = runLocal(out, [a, b], 1, [10, -4]);
    c.close("accumulation into a.grad (probe: a.grad was 10 before)", ga, 10 + b.data, {
      hint: "a value can be used by several ops: add your share to .grad (+=), do not overwrite it",
    });
    c.close("accumulation into b.grad (probe: b.grad was -4 before)", gb, -4 + a.data, {
      hint: "a value can be used by several ops: add your share to .grad (+=), do not overwrite it",
    });
    // The same value on both sides: x·x, d/dx = 2x.
    const x = leaf(1.5);
    const sq = mul(x, x);
    x.grad = 0;
    sq.grad = 1;
    sq.localBackward();
    c.close("x.grad for x·x, the same value as both factors", x.grad, 3, {
      hint: "when a and b are the same Value, both contributions must land in its .grad",
    });
  });
}

/**
 * Exercise ch02-tanh-backward: `tanh(a)`'s local backward must add (1 − tanh²(a))·out.grad to
 * a.grad.
 */
export function checkTanhBackward<V extends ScalarNode>(tanh: (a: V) => V, leaf: (x: number) => V): void {
  checkExercise("ch02-tanh-backward", (c) => {
    const a = leaf(0.8);
    const out = tanh(a);
    const y = Math.tanh(0.8);
    c.close("the forward value tanh(a)", out.data, y, { hint: "the forward part of tanh is given: do not change it" });
    let [ga] = runLocal(out, [a], 1, [0]);
    c.close("a.grad, the local derivative ∂tanh(a)/∂a (probe: a = 0.8, out.grad = 1)", ga, 1 - y * y, {
      hint: "d/du tanh(u) = 1 − tanh²(u): square the OUTPUT of tanh, not its input",
    });
    [ga] = runLocal(out, [a], -1.5, [0]);
    c.close("the upstream factor out.grad in a.grad (probe: out.grad = -1.5)", ga, -1.5 * (1 - y * y), {
      hint: "the chain rule multiplies the local derivative by ∂L/∂out, which is out.grad",
    });
    [ga] = runLocal(out, [a], 1, [7]);
    c.close("accumulation into a.grad (probe: a.grad was 7 before)", ga, 7 + (1 - y * y), {
      hint: "add your share to .grad (+=), do not overwrite it",
    });
    // Far into saturation the derivative must vanish, not blow up or stay at 1.
    const big = leaf(-4);
    const sat = tanh(big);
    const ys = Math.tanh(-4);
    [ga] = runLocal(sat, [big], 1, [0]);
    c.close("a.grad in saturation (probe: a = -4)", ga, 1 - ys * ys, {
      hint: "tanh is flat far from 0, so its derivative there is close to 0",
    });
  });
}

/** A probe graph built with the learner's ops: the loss, the leaves, and every node in it. */
interface Probe<V extends ScalarNode> {
  name: string;
  loss: V;
  leaves: [string, V, number][];
  nodes: V[];
}

/**
 * Exercise ch02-topo-backward: `backward(loss)` must seed loss.grad = 1 and call every node's
 * localBackward exactly once, each after the localBackward of every node that uses it.
 */
export function checkBackward<V extends ScalarNode>(backward: (loss: V) => void, ops: ScalarOps<V>): void {
  const { leaf, add, mul, tanh } = ops;
  const probes: Probe<V>[] = [];
  {
    // L = x itself: only the seed.
    const x = leaf(0.7);
    probes.push({ name: "the seed ∂L/∂L = 1 (probe: L is a single leaf)", loss: x, leaves: [["x", x, 1]], nodes: [x] });
  }
  {
    // A chain: L = tanh(w·x + b) at w = 0.5, x = 1.2, b = -0.1.
    const w = leaf(0.5), x = leaf(1.2), b = leaf(-0.1);
    const u = mul(w, x);
    const z = add(u, b);
    const L = tanh(z);
    const d = 1 - Math.tanh(0.5 * 1.2 - 0.1) ** 2;
    probes.push({ name: "a chain, L = tanh(w·x + b)", loss: L, leaves: [["w", w, d * 1.2], ["x", x, d * 0.5], ["b", b, d]], nodes: [w, x, b, u, z, L] });
  }
  // A diamond with paths of different lengths: a = 2·x, then a used directly and through tanh.
  // a's gradient is complete only after both of its users have passed theirs back. Both operand
  // orders, so that a depth-first walk that happens to reach the long path first is not enough.
  for (const directFirst of [true, false]) {
    const x = leaf(0.4), two = leaf(2), three = leaf(3);
    const a = mul(two, x);
    const t = tanh(a);
    const p = mul(t, three);
    const L = directFirst ? add(a, p) : add(p, a);
    const dLda = 3 * (1 - Math.tanh(0.8) ** 2) + 1;
    probes.push({
      name: `a value used twice, on paths of different lengths (L = ${directFirst ? "a + 3·tanh(a)" : "3·tanh(a) + a"} with a = 2x)`,
      loss: L, leaves: [["x", x, 2 * dLda]], nodes: [x, two, three, a, t, p, L],
    });
  }
  checkExercise("ch02-topo-backward", (c) => {
    for (const probe of probes) {
      // Count and order the local backward calls.
      const calls = new Map<ScalarNode, number>();
      const order: ScalarNode[] = [];
      for (const n of probe.nodes) {
        n.grad = 0;
        const local = n.localBackward;
        n.localBackward = () => {
          calls.set(n, (calls.get(n) ?? 0) + 1);
          order.push(n);
          local();
        };
      }
      backward(probe.loss);
      c.close(`loss.grad after backward, in ${probe.name}`, probe.loss.grad, 1, {
        hint: "backward starts from ∂L/∂L = 1: set loss.grad = 1 before anything else",
      });
      // Leaves have nothing to pass on: calling their (empty) localBackward is allowed, not required.
      const once = probe.nodes.every((n) => (n.parents.length > 0 ? calls.get(n) === 1 : (calls.get(n) ?? 0) <= 1));
      c.that(`every node's localBackward runs exactly once, in ${probe.name}`, once,
        "collect each node once (remember the ones you have visited), then call each localBackward once");
      const after = probe.nodes.every((n) => n.parents.every((p) => !calls.has(p) || order.indexOf(p) > order.indexOf(n)));
      c.that(`each node's localBackward runs after those of all the nodes that use it, in ${probe.name}`, after,
        "build a topological order (every node after its parents), then walk it in REVERSE");
      for (const [name, x, want] of probe.leaves) {
        c.close(`${name}.grad in ${probe.name}`, x.grad, want, { tol: 1e-9 });
      }
    }
  });
}

/**
 * Exercise ch02-central-difference: (f(x + h) − f(x − h)) / (2h).
 */
export function checkCentralDifference(centralDifference: (f: (x: number) => number, x: number, h: number) => number): void {
  checkExercise("ch02-central-difference", (c) => {
    // A line: any difference quotient is exact, so only the scale (the 2h) can be wrong.
    c.close("the slope of f(x) = 3x + 1 (probe: a straight line, h = 0.1)", centralDifference((x) => 3 * x + 1, 2, 0.1), 3, {
      tol: 1e-9, hint: "the two points x − h and x + h are 2h apart: divide their difference by that distance",
    });
    // A parabola: the symmetric quotient is exact, a one-sided one is off by h.
    c.close("the slope of f(x) = x² at x = 1 (probe: h = 0.1, where a symmetric difference is exact)", centralDifference((x) => x * x, 1, 0.1), 2, {
      tol: 1e-9, hint: "use the two points on either side, x − h and x + h, not x and x + h",
    });
    // The points it evaluates: exactly x − h and x + h.
    const seen: number[] = [];
    centralDifference((x) => (seen.push(x), Math.sin(x)), 0.5, 0.25);
    const sorted = seen.slice().sort((p, q) => p - q);
    c.that("f is evaluated at x − h and at x + h", sorted.length === 2 && Math.abs(sorted[0] - 0.25) < 1e-12 && Math.abs(sorted[1] - 0.75) < 1e-12,
      "call f twice: once at x − h, once at x + h");
    // A curved function with a small step: the error must be O(h²).
    c.close("the slope of sin at x = 0.5 (probe: h = 1e-4)", centralDifference(Math.sin, 0.5, 1e-4), Math.cos(0.5), { tol: 1e-8 });
  });
}

/** The reference for ch02-shared-weight: the contribution of each step's use of w. */
function contributions(h0: number, hs: readonly number[], dLdh: readonly number[]): number[] {
  return hs.map((h, t) => dLdh[t] * (1 - h * h) * (t === 0 ? h0 : hs[t - 1]));
}

/**
 * Exercise ch02-shared-weight: for h_t = tanh(w·h_{t−1} + x_t), the share of ∂L/∂w from step t is
 * ∂L/∂h_t · (1 − h_t²) · h_{t−1}.
 */
export function checkSharedWeight(wContributions: (h0: number, hs: number[], dLdh: number[]) => number[]): void {
  checkExercise("ch02-shared-weight", (c) => {
    const call = (h0: number, hs: number[], dLdh: number[]) => wContributions(h0, hs.slice(), dLdh.slice());
    const got = call(0.6, [0.3, -0.5, 0.8], [0.2, -0.7, 1.6]);
    c.that("the result has one contribution per time step", Array.isArray(got) && got.length === 3,
      "return an array with one number per step t = 1..T");
    // h_t = 0 and ∂L/∂h_t = 1 everywhere: tanh' = 1, so only h_{t−1} is left, and it is h0 at t = 1.
    c.close("the factor h_{t−1} at the first step, which is h0 (probe: every h_t = 0, ∂L/∂h_t = 1)", call(0.6, [0, 0, 0], [1, 1, 1]),
      contributions(0.6, [0, 0, 0], [1, 1, 1]), { hint: "w multiplies the PREVIOUS state; before the first step that is the initial state h0" });
    // A constant state (h0 = h_t = 0.5): h_t and h_{t−1} are equal, so only the tanh factor can be off.
    c.close("the tanh factor 1 − h_t² (probe: a constant state 0.5, ∂L/∂h_t = 1)", call(0.5, [0.5, 0.5, 0.5], [1, 1, 1]),
      contributions(0.5, [0.5, 0.5, 0.5], [1, 1, 1]), { hint: "the gradient passes through tanh on its way from h_t to w: multiply by tanh'(u_t) = 1 − h_t²" });
    c.close("the upstream factor ∂L/∂h_t (probe: a constant state 0.5)", call(0.5, [0.5, 0.5, 0.5], [1, 2, -3]),
      contributions(0.5, [0.5, 0.5, 0.5], [1, 2, -3]), { hint: "the chain rule starts from ∂L/∂h_t, the gradient that reached step t" });
    c.close("the factor h_{t−1} at later steps, the state before step t", got, contributions(0.6, [0.3, -0.5, 0.8], [0.2, -0.7, 1.6]), {
      hint: "at step t, w multiplies h_{t−1} (hs[t − 1], or h0 at the first step), not h_t",
    });
    c.close("their sum, the w.grad the tape computes", got.reduce((s, v) => s + v, 0),
      contributions(0.6, [0.3, -0.5, 0.8], [0.2, -0.7, 1.6]).reduce((s, v) => s + v, 0));
  });
}
