// Hidden tests of notebook 02, "The chain rule and the tape" (see types.ts for how observers are used).
// The scalar tape's `Value` class and `leaf` are the teacher's context cells. The ops' local
// backwards are run with random upstream gradients onto parents that already hold a gradient
// (accumulation); backward() is run on random graphs of other ops built here (sums, weighted sums,
// sines: none of the exercises), so that it is judged on its own, whatever the notebook's mul and
// tanh do, and this file holds no solution.
import type { Rng } from "kernel-lib";
import type { Observers } from "./types";

interface Node {
  data: number;
  grad: number;
  parents: Node[];
  localBackward: () => void;
}

/** A nonzero number of either sign, of size between lo and hi. */
const signed = (rng: Rng, lo: number, hi: number) => (rng.int(2) ? 1 : -1) * rng.uniform(lo, hi);

/**
 * A random graph of `ops` operations on 2-5 leaves, made of Values with local backwards written
 * here; the loss adds the last node and one or two earlier ones, so values reach it along paths of
 * different lengths. Returns the loss, every node (leaves first) and the call count of each.
 */
function randomGraph(s: Record<string, any>, rng: Rng, ops: number) {
  const nodes: Node[] = [];
  const calls: number[] = [];
  const make = (data: number, parents: Node[], op: string, back: (out: Node) => void): Node => {
    const out: Node = new s.Value(data, parents, op);
    const k = calls.push(0) - 1;
    out.localBackward = () => {
      calls[k]++;
      back(out);
    };
    nodes.push(out);
    return out;
  };
  // Ops that are none of the notebook's exercises (this file runs inside the student's process, so
  // it holds no solution): a sum, a random weighted sum and a sine.
  const add = (a: Node, b: Node) => make(a.data + b.data, [a, b], "+", (o) => { a.grad += o.grad; b.grad += o.grad; });
  const weighted = (a: Node, b: Node) => {
    const [ka, kb] = [signed(rng, 0.3, 1.5), signed(rng, 0.3, 1.5)];
    return make(ka * a.data + kb * b.data, [a, b], "w+", (o) => { a.grad += ka * o.grad; b.grad += kb * o.grad; });
  };
  const sin = (a: Node) => make(Math.sin(a.data), [a], "sin", (o) => { a.grad += Math.cos(a.data) * o.grad; });
  const leaves = 2 + rng.int(4);
  for (let i = 0; i < leaves; i++) {
    nodes.push(new s.Value(signed(rng, 0.2, 1.5)));
    calls.push(0); // a leaf's own (empty) localBackward is not counted
  }
  const pick = () => (rng.uniform(0, 1) < 0.6 ? nodes[nodes.length - 1 - rng.int(Math.min(3, nodes.length))] : nodes[rng.int(nodes.length)]);
  for (let i = 0; i < ops; i++) {
    const r = rng.int(3);
    let v = r === 0 ? add(pick(), pick()) : r === 1 ? weighted(pick(), pick()) : sin(pick());
    if (Math.abs(v.data) > 3) v = sin(v);
  }
  let loss = nodes[nodes.length - 1];
  for (let j = 0, extra = 1 + rng.int(2); j < extra; j++) loss = rng.int(2) ? add(loss, nodes[leaves + rng.int(ops)]) : add(nodes[leaves + rng.int(ops)], loss);
  return { loss, nodes, calls };
}

/** f(x) = a·sin(b·x + c) + d·x³ + e·x², random and curved. */
function randomCurve(rng: Rng) {
  const [a, b, c, d, e] = [signed(rng, 0.5, 2), signed(rng, 0.5, 3), rng.uniform(-1, 1), signed(rng, 0.1, 1), signed(rng, 0.1, 1)];
  return (x: number) => a * Math.sin(b * x + c) + d * x * x * x + e * x * x;
}

export const observers: Observers = {
  "ch02-mul-backward": (s, kl, rng) => {
    const seen: number[][] = [];
    for (let n = 0; n < 3; n++) {
      const a: Node = s.leaf(signed(rng, 0.1, 3));
      const b: Node = s.leaf(signed(rng, 0.1, 3));
      const out: Node = s.mul(a, b);
      a.grad = n === 0 ? 0 : signed(rng, 0.5, 5); // what other uses of a and b left there
      b.grad = n === 0 ? 0 : signed(rng, 0.5, 5);
      out.grad = signed(rng, 0.2, 4);
      out.localBackward();
      seen.push([out.data, a.grad, b.grad]);
    }
    // The same Value as both factors: both shares land in its grad.
    const x: Node = s.leaf(signed(rng, 0.1, 3));
    const sq: Node = s.mul(x, x);
    x.grad = signed(rng, 0.5, 5);
    sq.grad = signed(rng, 0.2, 4);
    sq.localBackward();
    seen.push([sq.data, x.grad]);
    return seen;
  },

  "ch02-tanh-backward": (s, kl, rng) => {
    const seen: number[][] = [];
    for (let n = 0; n < 4; n++) {
      // Small, moderate and saturated inputs.
      const x: Node = s.leaf(signed(rng, [0.05, 0.5, 1.5, 3][n], [0.5, 1.5, 3, 6][n]));
      const out: Node = s.tanh(x);
      x.grad = n === 0 ? 0 : signed(rng, 0.5, 5);
      out.grad = signed(rng, 0.2, 4);
      out.localBackward();
      seen.push([out.data, x.grad]);
    }
    return seen;
  },

  "ch02-topo-backward": (s, kl, rng, { case: c }) => {
    // Every node's gradient (the loss's must be 1) and how often each op's localBackward ran.
    return [0, 1].map((n) => {
      const g = randomGraph(s, rng, 4 + rng.int(8 + 12 * c) + 10 * n);
      s.backward(g.loss);
      return { grads: g.nodes.map((v) => v.grad), calls: g.calls };
    });
  },

  "ch02-central-difference": (s, kl, rng) => {
    const out: number[] = [];
    for (let n = 0; n < 4; n++) {
      const f = randomCurve(rng);
      out.push(s.centralDifference(f, rng.uniform(-2, 2), rng.uniform(0.01, 0.3)));
    }
    return out;
  },

  "ch02-shared-weight": (s, kl, rng, { case: c }) => {
    const T = 1 + rng.int(6 + 8 * c);
    const h0 = rng.uniform(-0.9, 0.9);
    const hs = Array.from({ length: T }, () => rng.uniform(-0.95, 0.95));
    const dLdh = Array.from({ length: T }, () => signed(rng, 0.05, 3));
    return s.wContributions(h0, hs.slice(), dLdh.slice());
  },
};
