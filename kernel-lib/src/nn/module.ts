// The base class of every layer and model: a class whose fields are its layers and parameters.
//
//   class CharModel extends kl.nn.Module {
//     embed = new kl.nn.Embedding(28, 16);
//     rnn = new kl.nn.LSTM(16, 64, { numLayers: 2 });
//     head = new kl.nn.Linear(64, 28);
//     forward(tokens: kl.Tensor) { return this.head.forward(this.rnn.forward(this.embed.forward(tokens)).output); }
//   }
//
// Nothing is registered: parameters(), namedParameters(), stateDict(), train()/eval(), zeroGrad()
// and numParameters() find the parameters by walking the model's fields. A field counts when it
// holds a Parameter, a Module, or an array of them (`blocks = [new Block(), new Block()]`);
// anything else (numbers, options, a random generator, plain tensors) is left alone.
//
// Names and order are PyTorch's, so that state dicts move between the two: a module's own
// parameters first, in the order its fields were created, then each child's, depth first, named
// `child.param` (`head.weight`, `rnn.weight_ih_l0`, `blocks.0.weight`). A parameter reached
// twice (weights shared by two layers) is listed once, under the first name, as in PyTorch.
// "Created": a class that declares its fields (`head: kl.nn.Linear;` above the constructor) has
// them, in the order of the declarations, before the constructor assigns any (JavaScript's class
// fields), so the declarations' order is the order; PyTorch's is the order of assignment. The
// names do not depend on it, and a state dict loads by name either way.
import { loadNamed, stateDictOf } from "../io/state-dict";
import type { LoadOptions, LoadResult, StateDict } from "../io/state-dict";
import { scoped } from "../autograd/scope";
import { Parameter } from "./parameter";

export abstract class Module {
  /** Training mode (dropout active) or evaluation mode; see train() and eval(). */
  training = true;

  constructor() {
    // Each instance's forward runs in its own scope (autograd/scope.ts), so that anomaly mode and
    // the tape's errors can say which layer an op ran in ("in LSTM 'rnn'"). Not enumerable: the
    // walk over a model's fields never sees it.
    const forward = (this as { forward?: unknown }).forward;
    if (typeof forward === "function") {
      const value = scoped(this, forward as (...args: unknown[]) => unknown);
      Object.defineProperty(this, "forward", { value, writable: true, configurable: true });
    }
  }

  /** [name, parameter] pairs, PyTorch's names and order (see the top of this file). */
  namedParameters(): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    const seen = new Set<Parameter>();
    walk(this, {
      parameter(name, p) {
        if (seen.has(p)) return;
        seen.add(p);
        p.name ??= name; // error messages (optimizers, anomaly mode) can then say which parameter
        out.push([name, p]);
      },
    });
    return out;
  }

  /** All parameters, in the order of namedParameters(). */
  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** This module ("") and every module inside it, depth first, each once: ["rnn", LSTM], ["blocks.0", Block], ... */
  namedModules(): [string, Module][] {
    const out: [string, Module][] = [];
    walk(this, { module: (name, m) => void out.push([name, m]) });
    return out;
  }

  /** The modules held by this one's own fields (an array field's entries as "blocks.0", ...). */
  namedChildren(): [string, Module][] {
    const out: [string, Module][] = [];
    const collect = (prefix: string, value: unknown): void => {
      if (value instanceof Module) out.push([prefix, value]);
      else if (Array.isArray(value)) value.forEach((v, i) => collect(`${prefix}.${i}`, v));
    };
    for (const [key, value] of Object.entries(this)) collect(key, value);
    return out;
  }

  /** Clears the gradient of every parameter. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.zeroGrad();
  }

  /** Sets training mode on this module and every module inside it (dropout is active only in training). */
  train(on = true): this {
    for (const [, m] of this.namedModules()) m.training = on;
    return this;
  }

  /** Evaluation mode: the same as train(false). */
  eval(): this {
    return this.train(false);
  }

  /** The parameters as a plain JSON-able object {name: nested arrays}, with PyTorch's names. */
  stateDict(): StateDict {
    return stateDictOf(this.namedParameters());
  }

  /**
   * Copies values from a state dict into this module's parameters (in place). With strict (the
   * default), missing or unexpected keys are errors; a wrong shape is always an error, naming the
   * key and both shapes.
   */
  loadStateDict(state: StateDict, options: LoadOptions = {}): LoadResult {
    return loadNamed(this.namedParameters(), state, options);
  }

  /** The total number of trainable numbers. */
  numParameters(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
  }

  /** What toString() shows in the parentheses after the class name, e.g. `in=4, out=2`. */
  protected describeOptions(): string {
    return "";
  }

  /** The model as a tree, as PyTorch prints it: `CharModel(\n  (embed): Embedding(28, 16)\n  ...)`. */
  toString(): string {
    const children = this.namedChildren();
    const head = `${this.constructor.name}(${this.describeOptions()}`;
    if (children.length === 0) return `${head})`;
    const lines = children.map(([name, child]) => `  (${name}): ${child.toString().replace(/\n/g, "\n  ")}`);
    return `${head}\n${lines.join("\n")}\n)`;
  }
}

interface Visitor {
  module?(name: string, m: Module): void;
  parameter?(name: string, p: Parameter): void;
}

/**
 * The walk behind namedParameters and namedModules, in PyTorch's order: a module's own
 * parameters first, then its children (fields holding modules, or arrays of modules and
 * parameters, whose entries are named by position), each child the same way, depth first.
 * A module reached twice (shared, or pointing back at its parent) is walked once.
 */
function walk(root: Module, visitor: Visitor): void {
  const seen = new Set<Module>();
  const join = (prefix: string, key: string) => (prefix === "" ? key : `${prefix}.${key}`);
  const visit = (prefix: string, value: Module | readonly unknown[]): void => {
    if (value instanceof Module) {
      if (seen.has(value)) return;
      seen.add(value);
      visitor.module?.(prefix, value);
    }
    const entries: [string, unknown][] = value instanceof Module ? Object.entries(value) : value.map((v, i) => [String(i), v]);
    for (const [key, v] of entries) if (v instanceof Parameter) visitor.parameter?.(join(prefix, key), v);
    for (const [key, v] of entries) if (v instanceof Module || holdsLayers(v)) visit(join(prefix, key), v as Module | unknown[]);
  };
  visit("", root);
}

/** An array with a module, a parameter or a nested array in it (not an array of numbers or strings). */
function holdsLayers(v: unknown): boolean {
  return Array.isArray(v) && v.some((x) => x instanceof Module || x instanceof Parameter || Array.isArray(x));
}
