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
// parameters first, in the order its fields were set, then each child's, depth first, named
// `child.param` (`head.weight`, `rnn.weight_ih_l0`, `blocks.0.weight`). A parameter reached
// twice (weights shared by two layers) is listed once, under the first name, as in PyTorch.
import { loadNamed, stateDictOf } from "../io/state-dict";
import type { LoadOptions, LoadResult, StateDict } from "../io/state-dict";
import { Parameter } from "./parameter";

export abstract class Module {
  /** Training mode (dropout active) or evaluation mode; see train() and eval(). */
  training = true;

  /** [name, parameter] pairs, PyTorch's names and order (see the top of this file). */
  namedParameters(): [string, Parameter][] {
    const out: [string, Parameter][] = [];
    const seen = new Set<Parameter>();
    for (const [prefix, m] of this.namedModules()) {
      for (const [name, p] of ownFields(m).params) {
        if (seen.has(p)) continue;
        seen.add(p);
        const full = prefix === "" ? name : `${prefix}.${name}`;
        p.name ??= full; // error messages (optimizers, anomaly mode) can then say which parameter
        out.push([full, p]);
      }
    }
    return out;
  }

  /** All parameters, in the order of namedParameters(). */
  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** This module ("") and every module inside it, depth first, each once: ["rnn", LSTM], ... */
  namedModules(): [string, Module][] {
    const out: [string, Module][] = [];
    const seen = new Set<Module>();
    const visit = (prefix: string, m: Module): void => {
      if (seen.has(m)) return;
      seen.add(m);
      out.push([prefix, m]);
      for (const [name, child] of ownFields(m).children) visit(prefix === "" ? name : `${prefix}.${name}`, child);
    };
    visit("", this);
    return out;
  }

  /** The modules held directly by this one's fields, with their names. */
  namedChildren(): [string, Module][] {
    return ownFields(this).children;
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

/**
 * The parameters and child modules held by m's own fields, in field order. Arrays count as
 * containers whose entries are named by position (`blocks.0`); nested arrays nest the names.
 */
function ownFields(m: Module): { params: [string, Parameter][]; children: [string, Module][] } {
  const params: [string, Parameter][] = [];
  const children: [string, Module][] = [];
  for (const [key, value] of Object.entries(m)) {
    if (value instanceof Parameter) params.push([key, value]);
    else if (value instanceof Module) children.push([key, value]);
    else if (Array.isArray(value) && holdsModulesOrParameters(value)) children.push([key, new ModuleList(value)]);
  }
  return { params, children };
}

function holdsModulesOrParameters(values: readonly unknown[]): boolean {
  return values.some((v) => v instanceof Parameter || v instanceof Module || (Array.isArray(v) && holdsModulesOrParameters(v)));
}

/**
 * An array field seen as a module whose fields are its entries ("0", "1", ...): PyTorch's
 * ModuleList and ParameterList. Made on the fly by the walk; a learner never meets it.
 */
class ModuleList extends Module {
  constructor(values: readonly unknown[]) {
    super();
    values.forEach((v, i) => {
      (this as unknown as Record<string, unknown>)[i] = v;
    });
    // The array's own "training" flag means nothing: train() sets its entries, which are the real modules.
  }
}
