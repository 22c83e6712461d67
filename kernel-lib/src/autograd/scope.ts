// Which layer is running, and what to call a tensor, for error messages: a NaN first seen inside
// an LSTM's fused ops is reported "in LSTM 'rnn'", the layer the learner called, not as an op the
// learner never wrote. Module (nn/module.ts) wraps each instance's forward once, in its
// constructor, so that it enters and leaves a scope here: one push and one pop per forward call.
// Names are looked up only when an error is reported.

/** What this file needs of a Module (autograd does not import nn). */
interface ScopeModule {
  readonly constructor: { readonly name: string };
  namedModules?(): [string, unknown][];
  namedParameters?(): [string, unknown][];
}

/** Where an op ran: the outermost module whose forward was running, and the innermost. */
export interface Scope {
  readonly root: ScopeModule;
  readonly inner: ScopeModule;
}

const stack: ScopeModule[] = [];

/** forward, running inside module m's scope (nn/module.ts calls this once per instance). */
export function scoped<F extends (...args: any[]) => any>(m: ScopeModule, forward: F): F {
  return function (this: unknown, ...args: unknown[]) {
    stack.push(m);
    try {
      return forward.apply(this, args);
    } finally {
      stack.pop();
    }
  } as F;
}

/** The module whose forward is running now (null outside any). */
export function currentScope(): Scope | null {
  const n = stack.length;
  return n === 0 ? null : { root: stack[0], inner: stack[n - 1] };
}

/**
 * `in LSTM 'rnn'` (the innermost module, by the field name its model holds it under, when the
 * model is known), `in CharModel`, or "" outside any module.
 */
export function describeScope(scope: Scope | null): string {
  if (scope === null) return "";
  const kind = scope.inner.constructor.name;
  if (scope.inner === scope.root) return `in ${kind}`;
  const found = scope.root.namedModules?.().find(([, m]) => m === scope.inner);
  return found ? `in ${kind} '${found[0]}'` : `in ${kind}`;
}

/**
 * What to call tensor t in a message: its name (a parameter's dotted name, `rnn.weight_hh_l0`,
 * set when its model listed its parameters), looked up in the running model if it has none yet;
 * null when it is not a parameter of a known model.
 */
export function tensorName(t: { name?: string }, scope: Scope | null): string | null {
  if (t.name !== undefined) return t.name;
  const found = scope?.root.namedParameters?.().find(([, p]) => p === t);
  return found ? found[0] : null;
}

/** How a message names t: `rnn.weight_hh_l0 (shape [16,4])`, `the output of tanh (shape [3,4])`, `an input of shape [5,3,4]`. */
export function describeTensor(
  t: { name?: string; shape: readonly number[]; requiresGrad: boolean; _node: { op: string } | null },
  scope: Scope | null,
): string {
  const shape = `[${t.shape.join(",")}]`;
  const name = tensorName(t, scope);
  if (name !== null) return `${name} (shape ${shape})`;
  if (t._node !== null) return `the output of ${t._node.op} (shape ${shape})`;
  return t.requiresGrad ? `a tensor of shape ${shape} that requires grad` : `an input of shape ${shape}`;
}
