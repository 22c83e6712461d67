// The teacher's reference solutions to notebook 02's exercises, and the right answers they give
// on the public checks' probes (kernel-lib/src/exercises/ch02.ts, `ch02Probes`).
// `npm run exercises:answers` stores those answers in kernel-lib/src/exercises/answers/ch02.ts,
// which is all the checks read. This file is not part of a student's copy of the course.
import type { ScalarNode, ScalarOps } from "../../kernel-lib/src/exercises/ch02";
import { ch02Probes } from "../../kernel-lib/src/exercises/ch02";

/** The notebook's scalar tape, solved: each op with its local backward (ch02-mul-backward, ch02-tanh-backward). */
export class Value implements ScalarNode {
  grad = 0;
  localBackward: () => void = () => {};
  constructor(public data: number, readonly parents: Value[] = []) {}
}

export const leaf = (x: number): Value => new Value(x);

export function add(a: Value, b: Value): Value {
  const out = new Value(a.data + b.data, [a, b]);
  out.localBackward = () => {
    a.grad += out.grad;
    b.grad += out.grad;
  };
  return out;
}

export function mul(a: Value, b: Value): Value {
  const out = new Value(a.data * b.data, [a, b]);
  out.localBackward = () => {
    a.grad += b.data * out.grad;
    b.grad += a.data * out.grad;
  };
  return out;
}

export function tanh(a: Value): Value {
  const out = new Value(Math.tanh(a.data), [a]);
  out.localBackward = () => {
    a.grad += (1 - out.data * out.data) * out.grad;
  };
  return out;
}

/** ch02-topo-backward: seed, then every node's local backward once, in reverse topological order. */
export function backward(loss: Value): void {
  const topo: Value[] = [];
  const seen = new Set<Value>();
  const visit = (v: Value) => {
    if (seen.has(v)) return;
    seen.add(v);
    for (const p of v.parents) visit(p);
    topo.push(v);
  };
  visit(loss);
  loss.grad = 1;
  for (let i = topo.length - 1; i >= 0; i--) topo[i].localBackward();
}

/** ch02-central-difference. */
export const centralDifference = (f: (x: number) => number, x: number, h: number): number => (f(x + h) - f(x - h)) / (2 * h);

/** ch02-shared-weight: step t's share of ∂L/∂w, ∂L/∂h_t · (1 − h_t²) · h_{t−1}. */
export function wContributions(h0: number, hs: readonly number[], dLdh: readonly number[]): number[] {
  return hs.map((h, t) => dLdh[t] * (1 - h * h) * (t === 0 ? h0 : hs[t - 1]));
}

/** Runs one node's local backward with a given upstream gradient, from parents' grads `start`. */
function runLocal(out: Value, parents: Value[], upstream: number, start: number[]): number[] {
  parents.forEach((p, i) => (p.grad = start[i]));
  out.grad = upstream;
  out.localBackward();
  return parents.map((p) => p.grad);
}

export function answers(): Record<string, unknown> {
  const out: Record<string, unknown> = {};

  const m = ch02Probes.mulBackward;
  {
    const a = leaf(m.a);
    const b = leaf(m.b);
    const prod = mul(a, b);
    out["mul-backward/forward"] = prod.data;
    [out["mul-backward/local/a"], out["mul-backward/local/b"]] = runLocal(prod, [a, b], 1, [0, 0]);
    [out["mul-backward/upstream/a"], out["mul-backward/upstream/b"]] = runLocal(prod, [a, b], m.upstream, [0, 0]);
    [out["mul-backward/accumulated/a"], out["mul-backward/accumulated/b"]] = runLocal(prod, [a, b], 1, m.start);
    const x = leaf(m.square);
    const sq = mul(x, x);
    sq.grad = 1;
    sq.localBackward();
    out["mul-backward/square"] = x.grad;
  }

  const t = ch02Probes.tanhBackward;
  {
    const a = leaf(t.a);
    const y = tanh(a);
    out["tanh-backward/forward"] = y.data;
    [out["tanh-backward/local"]] = runLocal(y, [a], 1, [0]);
    [out["tanh-backward/upstream"]] = runLocal(y, [a], t.upstream, [0]);
    [out["tanh-backward/accumulated"]] = runLocal(y, [a], 1, [t.start]);
    const big = leaf(t.saturated);
    [out["tanh-backward/saturated"]] = runLocal(tanh(big), [big], 1, [0]);
  }

  const ops: ScalarOps<Value> = { leaf, add, mul, tanh };
  for (const probe of ch02Probes.graphs(ops)) {
    backward(probe.loss);
    for (const [name, x] of probe.leaves) out[`topo-backward/${probe.key}/${name}`] = x.grad;
  }

  // The check compares the learner's central difference with the exact slope of each probe.
  const { line, parabola, sin } = ch02Probes.centralDifference;
  const slopes = { line: () => 3, parabola: (x: number) => 2 * x, sin: Math.cos };
  out["central-difference/line"] = slopes.line();
  out["central-difference/parabola"] = slopes.parabola(parabola.x);
  out["central-difference/sin"] = slopes.sin(sin.x);
  // The reference central difference agrees with those slopes to the checks' tolerances.
  for (const [name, probe, tol] of [["line", line, 1e-9], ["parabola", parabola, 1e-9], ["sin", sin, 1e-8]] as const) {
    const want = out[`central-difference/${name}`] as number;
    if (Math.abs(centralDifference(probe.f, probe.x, probe.h) - want) > tol * Math.max(1, Math.abs(want))) {
      throw new Error(`ch02 reference: the central difference misses the slope of probe ${name}`);
    }
  }

  const s = ch02Probes.sharedWeight;
  out["shared-weight/first-step"] = wContributions(...s.firstStep);
  out["shared-weight/tanh-factor"] = wContributions(...s.tanhFactor);
  out["shared-weight/upstream"] = wContributions(...s.upstream);
  const later = wContributions(...s.laterSteps);
  out["shared-weight/later-steps"] = later;
  out["shared-weight/sum"] = later.reduce((sum, v) => sum + v, 0);
  return out;
}
