// Checks for the exercises of notebook 02, "The chain rule and the tape".
//
// The notebook builds a scalar autograd tape: a `Value` holds a number (`data`), the gradient of
// the loss with respect to it (`grad`), the values it was computed from (`parents`), and a
// closure `localBackward` that passes `grad` on to the parents (the chain rule for one op).
// The checks call the learner's ops and backward on probe values chosen so that each mistake
// shows up in one named term: the local derivative, the upstream factor, accumulation, the
// seed, the visiting order. The right answers to the probes are stored, not computed here (see
// answers.ts): the teacher's reference solutions compute them from the probes below
// (ch02Probes), which both share.
import { checkExercise } from "../testing/exercise";
import { nearNumber, sameNumbers } from "./probes";
import { answerNumber, answerValue } from "./answers";
import { answers } from "./answers/ch02";

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

/** A probe graph of ch02-topo-backward, built with some ops: the loss, the leaves, and every node in it. */
export interface GraphProbe<V extends ScalarNode> {
  /** Names the probe's stored answers: `topo-backward/<key>/<leaf name>`. */
  key: string;
  name: string;
  loss: V;
  leaves: [string, V][];
  nodes: V[];
}

/** The probes of these checks (inputs are not secret). */
export const ch02Probes = {
  mulBackward: { a: 3, b: -2, upstream: 2.5, start: [10, -4], square: 1.5 },
  tanhBackward: { a: 0.8, upstream: -1.5, start: 7, saturated: -4 },
  /** The graphs of ch02-topo-backward, built with the given ops (the learner's, or the reference's). */
  graphs<V extends ScalarNode>(ops: ScalarOps<V>): GraphProbe<V>[] {
    const { leaf, add, mul, tanh } = ops;
    const probes: GraphProbe<V>[] = [];
    {
      // L = x itself: only the seed.
      const x = leaf(0.7);
      probes.push({ key: "seed", name: "the seed ∂L/∂L = 1 (probe: L is a single leaf)", loss: x, leaves: [["x", x]], nodes: [x] });
    }
    {
      // A chain: L = tanh(w·x + b) at w = 0.5, x = 1.2, b = -0.1.
      const w = leaf(0.5), x = leaf(1.2), b = leaf(-0.1);
      const u = mul(w, x);
      const z = add(u, b);
      const L = tanh(z);
      probes.push({ key: "chain", name: "a chain, L = tanh(w·x + b)", loss: L, leaves: [["w", w], ["x", x], ["b", b]], nodes: [w, x, b, u, z, L] });
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
      probes.push({
        key: directFirst ? "diamond-direct-first" : "diamond-direct-last",
        name: `a value used twice, on paths of different lengths (L = ${directFirst ? "a + 3·tanh(a)" : "3·tanh(a) + a"} with a = 2x)`,
        loss: L, leaves: [["x", x]], nodes: [x, two, three, a, t, p, L],
      });
    }
    return probes;
  },
  centralDifference: {
    // A line: any difference quotient is exact, so only the scale (the 2h) can be wrong.
    line: { f: (x: number) => 3 * x + 1, x: 2, h: 0.1 },
    // A parabola: the symmetric quotient is exact, a one-sided one is off by h.
    parabola: { f: (x: number) => x * x, x: 1, h: 0.1 },
    // A curved function with a small step: the error must be O(h²).
    sin: { f: Math.sin, x: 0.5, h: 1e-4 },
  },
  /** ch02-shared-weight's probes: [h0, hs, dL/dh]. */
  sharedWeight: {
    firstStep: [0.6, [0, 0, 0], [1, 1, 1]] as [number, number[], number[]],
    tanhFactor: [0.5, [0.5, 0.5, 0.5], [1, 1, 1]] as [number, number[], number[]],
    upstream: [0.5, [0.5, 0.5, 0.5], [1, 2, -3]] as [number, number[], number[]],
    laterSteps: [0.6, [0.3, -0.5, 0.8], [0.2, -0.7, 1.6]] as [number, number[], number[]],
  },
};

const stored = (key: string): number => answerNumber(answers, key);

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
  const probe = ch02Probes.mulBackward;
  checkExercise("ch02-mul-backward", (c) => {
    const a = leaf(probe.a);
    const b = leaf(probe.b);
    const out = mul(a, b);
    c.close("the forward value a·b", out.data, stored("mul-backward/forward"), { hint: "the forward part of mul is given: do not change it" });
    // Upstream 1 leaves only the local derivatives.
    let [ga, gb] = runLocal(out, [a, b], 1, [0, 0]);
    c.close("a.grad, the local derivative ∂(a·b)/∂a (probe: out.grad = 1)", ga, stored("mul-backward/local/a"), {
      hint: "differentiate a·b with respect to a, holding b fixed: which factor is left?",
    });
    c.close("b.grad, the local derivative ∂(a·b)/∂b (probe: out.grad = 1)", gb, stored("mul-backward/local/b"), {
      hint: "differentiate a·b with respect to b, holding a fixed",
    });
    // Upstream 2.5: the chain rule's factor.
    [ga, gb] = runLocal(out, [a, b], probe.upstream, [0, 0]);
    c.close("the upstream factor out.grad in a.grad (probe: out.grad = 2.5)", ga, stored("mul-backward/upstream/a"), {
      hint: "the chain rule multiplies the local derivative by ∂L/∂out, which is out.grad",
    });
    c.close("the upstream factor out.grad in b.grad (probe: out.grad = 2.5)", gb, stored("mul-backward/upstream/b"), {
      hint: "the chain rule multiplies the local derivative by ∂L/∂out, which is out.grad",
    });
    // Accumulation: a parent that already holds gradient from another use keeps it.
    [ga, gb] = runLocal(out, [a, b], 1, probe.start);
    c.close("accumulation into a.grad (probe: a.grad was 10 before)", ga, stored("mul-backward/accumulated/a"), {
      hint: "a value can be used by several ops: add your share to .grad (+=), do not overwrite it",
    });
    c.close("accumulation into b.grad (probe: b.grad was -4 before)", gb, stored("mul-backward/accumulated/b"), {
      hint: "a value can be used by several ops: add your share to .grad (+=), do not overwrite it",
    });
    // The same value on both sides: x·x.
    const x = leaf(probe.square);
    const sq = mul(x, x);
    x.grad = 0;
    sq.grad = 1;
    sq.localBackward();
    c.close("x.grad for x·x, the same value as both factors", x.grad, stored("mul-backward/square"), {
      hint: "when a and b are the same Value, both contributions must land in its .grad",
    });
  });
}

/**
 * Exercise ch02-tanh-backward: `tanh(a)`'s local backward must add (1 − tanh²(a))·out.grad to
 * a.grad.
 */
export function checkTanhBackward<V extends ScalarNode>(tanh: (a: V) => V, leaf: (x: number) => V): void {
  const probe = ch02Probes.tanhBackward;
  checkExercise("ch02-tanh-backward", (c) => {
    // The notebook's tanh(x): its input is x, and the messages say so.
    const a = leaf(probe.a);
    const out = tanh(a);
    c.close("the forward value tanh(x)", out.data, stored("tanh-backward/forward"), { hint: "the forward part of tanh is given: do not change it" });
    let [ga] = runLocal(out, [a], 1, [0]);
    c.that("the local derivative is 1 − tanh²(x) (yours is (1 − tanh(x))², the square of the difference)", !nearNumber(ga, (1 - Math.tanh(probe.a)) ** 2, 1e-12),
      "square tanh(x) first (out.data * out.data), then subtract that from 1");
    c.close("x.grad, the local derivative ∂tanh(x)/∂x (probe: x = 0.8, out.grad = 1)", ga, stored("tanh-backward/local"), {
      hint: "d/du tanh(u) = 1 − tanh²(u): square the OUTPUT of tanh, not its input",
    });
    [ga] = runLocal(out, [a], probe.upstream, [0]);
    c.close("the upstream factor out.grad in x.grad (probe: out.grad = -1.5)", ga, stored("tanh-backward/upstream"), {
      hint: "the chain rule multiplies the local derivative by ∂L/∂out, which is out.grad",
    });
    [ga] = runLocal(out, [a], 1, [probe.start]);
    c.close("accumulation into x.grad (probe: x.grad was 7 before)", ga, stored("tanh-backward/accumulated"), {
      hint: "add your share to .grad (+=), do not overwrite it",
    });
    // Far into saturation the derivative must vanish, not blow up or stay at 1.
    const big = leaf(probe.saturated);
    const sat = tanh(big);
    [ga] = runLocal(sat, [big], 1, [0]);
    c.close("x.grad in saturation (probe: x = -4)", ga, stored("tanh-backward/saturated"), {
      hint: "tanh is flat far from 0, so its derivative there is close to 0",
    });
  });
}

/**
 * Exercise ch02-topo-backward: `backward(loss)` must seed loss.grad = 1 and call every node's
 * localBackward exactly once, each after the localBackward of every node that uses it.
 */
export function checkBackward<V extends ScalarNode>(backward: (loss: V) => void, ops: ScalarOps<V>): void {
  const probes = ch02Probes.graphs(ops);
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
      for (const [name, x] of probe.leaves) {
        c.close(`${name}.grad in ${probe.name}`, x.grad, stored(`topo-backward/${probe.key}/${name}`), { tol: 1e-9 });
      }
    }
  });
}

/**
 * Exercise ch02-central-difference: (f(x + h) − f(x − h)) / (2h).
 */
export function checkCentralDifference(centralDifference: (f: (x: number) => number, x: number, h: number) => number): void {
  const { line, parabola, sin } = ch02Probes.centralDifference;
  checkExercise("ch02-central-difference", (c) => {
    const lineSlope = centralDifference(line.f, line.x, line.h);
    c.that("the difference is f(x + h) − f(x − h), the later point first (yours has the opposite sign: f(x − h) − f(x + h))",
      !nearNumber(lineSlope, -stored("central-difference/line"), 1e-9), "a slope is the rise from the left point to the right one: which of the two comes first?");
    c.close("the slope of f(x) = 3x + 1 (probe: a straight line, h = 0.1)", lineSlope, stored("central-difference/line"), {
      tol: 1e-9, hint: "the two points x − h and x + h are 2h apart: divide their difference by that distance",
    });
    c.close("the slope of f(x) = x² at x = 1 (probe: h = 0.1, where a symmetric difference is exact)", centralDifference(parabola.f, parabola.x, parabola.h),
      stored("central-difference/parabola"), { tol: 1e-9, hint: "use the two points on either side, x − h and x + h, not x and x + h" });
    // The points it evaluates: exactly x − h and x + h.
    const seen: number[] = [];
    centralDifference((x) => (seen.push(x), Math.sin(x)), 0.5, 0.25);
    const sorted = seen.slice().sort((p, q) => p - q);
    c.that("f is evaluated at x − h and at x + h", sorted.length === 2 && Math.abs(sorted[0] - 0.25) < 1e-12 && Math.abs(sorted[1] - 0.75) < 1e-12,
      "call f twice: once at x − h, once at x + h");
    c.close("the slope of sin at x = 0.5 (probe: h = 1e-4)", centralDifference(sin.f, sin.x, sin.h), stored("central-difference/sin"), { tol: 1e-8 });
  });
}

/**
 * Exercise ch02-shared-weight: for h_t = tanh(w·h_{t−1} + x_t), the share of ∂L/∂w from step t is
 * ∂L/∂h_t · (1 − h_t²) · h_{t−1}.
 */
export function checkSharedWeight(wContributions: (h0: number, hs: number[], dLdh: number[]) => number[]): void {
  const probes = ch02Probes.sharedWeight;
  const want = (key: string) => answerValue<number[]>(answers, `shared-weight/${key}`);
  checkExercise("ch02-shared-weight", (c) => {
    const call = ([h0, hs, dLdh]: [number, number[], number[]]) => wContributions(h0, hs.slice(), dLdh.slice());
    const got = call(probes.laterSteps);
    c.that("the result has one contribution per time step", Array.isArray(got) && got.length === 3,
      "return an array with one number per step t = 1..T");
    const [h0, hs, dLdh] = probes.laterSteps;
    const [hsGiven, dLdhGiven] = [hs.slice(), dLdh.slice()];
    wContributions(h0, hsGiven, dLdhGiven);
    c.that("wContributions leaves hs and dLdh unchanged", sameNumbers(hsGiven, hs) && sameNumbers(dLdhGiven, dLdh),
      "read hs and dLdh without changing them: unshift, push or writing into them changes the caller's arrays (and the next call's)");
    // h_t = 0 and ∂L/∂h_t = 1 everywhere: tanh' = 1, so only h_{t−1} is left, and it is h0 at t = 1.
    c.close("the factor h_{t−1} at the first step, which is h0 (probe: every h_t = 0, ∂L/∂h_t = 1)", call(probes.firstStep),
      want("first-step"), { hint: "w multiplies the PREVIOUS state; before the first step that is the initial state h0" });
    // A constant state (h0 = h_t = 0.5): h_t and h_{t−1} are equal, so only the tanh factor can be off.
    c.close("the tanh factor 1 − h_t² (probe: a constant state 0.5, ∂L/∂h_t = 1)", call(probes.tanhFactor),
      want("tanh-factor"), { hint: "the gradient passes through tanh on its way from h_t to w: multiply by tanh'(u_t) = 1 − h_t²" });
    c.close("the upstream factor ∂L/∂h_t (probe: a constant state 0.5)", call(probes.upstream),
      want("upstream"), { hint: "the chain rule starts from ∂L/∂h_t, the gradient that reached step t" });
    c.close("the factor h_{t−1} at later steps, the state before step t", got, want("later-steps"), {
      hint: "at step t, w multiplies h_{t−1} (hs[t − 1], or h0 at the first step), not h_t",
    });
    c.close("their sum, the w.grad the tape computes", got.reduce((s, v) => s + v, 0), stored("shared-weight/sum"));
  });
}
