// The base class of every layer: named parameters, sub-modules, state dicts.
//
// A module registers its parameters (and sub-modules) by name in its constructor. Names follow
// PyTorch, so that state dicts move between the two: a parameter `weight` of a sub-module
// registered as `head` is called `head.weight`.
//
// Order: `parameters()` and `namedParameters()` list a module's own parameters in the order they
// were registered, then each sub-module's, in registration order, depth first; this is PyTorch's
// order too. Optimizers and clipGradNorm receive them in this order.
import { Tensor } from "../tensor";
import { loadNamed, stateDictOf } from "../io/state-dict";
import type { LoadOptions, LoadResult, StateDict } from "../io/state-dict";

export abstract class Module {
  /** Training mode (dropout active) or evaluation mode; see train() and eval(). */
  training = true;
  private readonly ownParams: [string, Tensor][] = [];
  private readonly children: [string, Module][] = [];

  /** Registers `t` as a trainable parameter called `name` and returns it (requiresGrad is turned on). */
  protected registerParameter(name: string, t: Tensor): Tensor {
    this.checkNewName(name);
    t.requiresGrad = true;
    t.name = name;
    this.ownParams.push([name, t]);
    return t;
  }

  /** Registers a sub-module; its parameters appear as `name.param`. */
  protected registerModule<M extends Module>(name: string, m: M): M {
    this.checkNewName(name);
    this.children.push([name, m]);
    return m;
  }

  /** [name, parameter] pairs, in the documented order (own parameters, then sub-modules'). */
  namedParameters(): [string, Tensor][] {
    const out: [string, Tensor][] = this.ownParams.map(([n, t]) => [n, t]);
    for (const [childName, child] of this.children) {
      for (const [n, t] of child.namedParameters()) out.push([`${childName}.${n}`, t]);
    }
    return out;
  }

  /** All parameters, in the same order as namedParameters(). */
  parameters(): Tensor[] {
    return this.namedParameters().map(([, t]) => t);
  }

  /** The named sub-modules registered directly on this module. */
  namedChildren(): [string, Module][] {
    return this.children.map(([n, m]) => [n, m]);
  }

  /** Clears the gradient of every parameter. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.zeroGrad();
  }

  /** Sets training mode on this module and every sub-module (dropout is active only in training). */
  train(on = true): this {
    this.training = on;
    for (const [, child] of this.children) child.train(on);
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

  private checkNewName(name: string): void {
    if (name === "" || name.includes(".")) {
      throw new Error(`${this.constructor.name}: invalid name "${name}" (names must be non-empty and contain no ".")`);
    }
    if (this.ownParams.some(([n]) => n === name) || this.children.some(([n]) => n === name)) {
      throw new Error(`${this.constructor.name}: the name "${name}" is already registered`);
    }
  }
}
