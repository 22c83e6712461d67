// Module: a model is a class whose fields are its layers; parameters, names, state dicts and
// train/eval are found by walking the fields (PyTorch's names and order).
import { test } from "node:test";
import assert from "node:assert/strict";
import { Rng, Tensor, randn, tensor, zeros } from "../src";
import { Dropout, Embedding, GRU, LSTM, Linear, Module, Parameter, ReLU, Sequential, Tanh } from "../src/nn";

class Block extends Module {
  lin: Linear;
  drop: Dropout;
  constructor(rng: Rng) {
    super();
    this.lin = new Linear(4, 4, { rng });
    this.drop = new Dropout(0.5, { rng });
  }
  forward(x: Tensor): Tensor {
    return this.drop.forward(this.lin.forward(x));
  }
}

class Stack extends Module {
  embed: Embedding;
  blocks: Block[];
  scale: Parameter;
  cache: Tensor | null = null; // a plain tensor: not a parameter
  note = "not a layer";
  constructor(rng: Rng) {
    super();
    this.embed = new Embedding(5, 4, { rng });
    this.blocks = [new Block(rng), new Block(rng)];
    this.scale = new Parameter(tensor([1, 1, 1, 1]));
  }
  forward(ids: number[]): Tensor {
    let x = this.embed.forward(ids);
    for (const b of this.blocks) x = b.forward(x);
    this.cache = x;
    return x.mul(this.scale);
  }
}

test("names and order are PyTorch's: own parameters first, then children in field order, depth first; arrays by position", () => {
  const m = new Stack(new Rng(1));
  assert.deepEqual(m.namedParameters().map(([n]) => n), [
    "scale",
    "embed.weight",
    "blocks.0.lin.weight", "blocks.0.lin.bias",
    "blocks.1.lin.weight", "blocks.1.lin.bias",
  ]);
  assert.deepEqual(Object.keys(m.stateDict()), m.namedParameters().map(([n]) => n));
  assert.equal(m.numParameters(), 4 + 5 * 4 + 2 * (16 + 4));
  assert.deepEqual(m.namedModules().map(([n]) => n), ["", "embed", "blocks.0", "blocks.0.lin", "blocks.0.drop", "blocks.1", "blocks.1.lin", "blocks.1.drop"]);
  // A plain tensor in a field is not a parameter, even when it requires grad.
  m.forward([0, 1]);
  assert.ok(m.cache!.requiresGrad);
  assert.ok(!m.parameters().includes(m.cache as Parameter));
});

test("a parameter shared by two layers is listed once, under its first name (weight tying)", () => {
  class Tied extends Module {
    embed = new Embedding(6, 3, { rng: new Rng(2) });
    head = new Linear(3, 6, { rng: new Rng(3) });
    constructor() {
      super();
      (this.head as unknown as { weight: Parameter }).weight = this.embed.weight;
    }
  }
  const m = new Tied();
  assert.deepEqual(m.namedParameters().map(([n]) => n), ["embed.weight", "head.bias"]);
});

test("a module that points back at its parent is walked once (no endless recursion)", () => {
  class Child extends Module {
    lin = new Linear(2, 2, { rng: new Rng(4) });
    parent: Module | null = null;
  }
  class Parent extends Module {
    child = new Child();
    constructor() {
      super();
      this.child.parent = this;
    }
  }
  const p = new Parent();
  assert.deepEqual(p.namedParameters().map(([n]) => n), ["child.lin.weight", "child.lin.bias"]);
});

test("train() and eval() reach every module inside, through fields and arrays", () => {
  const m = new Stack(new Rng(5));
  const x = [0, 1, 2, 3];
  m.eval();
  for (const [name, sub] of m.namedModules()) assert.equal(sub.training, false, `${name || "the model"} should be in eval mode`);
  // In eval mode dropout is the identity, so two passes agree; in training mode they differ.
  assert.deepEqual(m.forward(x).toArray(), m.forward(x).toArray());
  m.train();
  for (const [name, sub] of m.namedModules()) assert.equal(sub.training, true, `${name || "the model"} should be in training mode`);
  assert.notDeepEqual(m.forward(x).toArray(), m.forward(x).toArray());
});

test("zeroGrad clears every parameter's gradient, sub-modules included", () => {
  const m = new Stack(new Rng(6));
  m.forward([1, 2]).sum().backward();
  assert.ok(m.parameters().every((p) => p.grad !== null && p.grad.data.some((v) => v !== 0)));
  m.zeroGrad();
  assert.ok(m.parameters().every((p) => p.grad!.data.every((v) => v === 0)));
});

test("a state dict moves into a fresh model, by name, and the outputs agree", () => {
  const a = new Stack(new Rng(7)).eval();
  const b = new Stack(new Rng(8)).eval();
  const ids = [4, 0, 3];
  assert.notDeepEqual(a.forward(ids).toArray(), b.forward(ids).toArray());
  b.loadStateDict(a.stateDict());
  assert.deepEqual(b.forward(ids).toArray(), a.forward(ids).toArray());
  assert.throws(() => b.loadStateDict({ ...a.stateDict(), extra: [1] }), /unexpected key extra/);
});

test("parameters get their dotted names for error messages", () => {
  const m = new Stack(new Rng(9));
  m.parameters();
  assert.equal(m.blocks[1].lin.weight.name, "blocks.1.lin.weight");
});

test("toString prints the model as a tree, as PyTorch does", () => {
  class CharModel extends Module {
    embed = new Embedding(28, 16, { rng: new Rng(1) });
    rnn = new LSTM(16, 32, { numLayers: 2, rng: new Rng(1) });
    head = new Linear(32, 28, { rng: new Rng(1) });
  }
  assert.equal(
    new CharModel().toString(),
    "CharModel(\n  (embed): Embedding(28, 16)\n  (rnn): LSTM(16, 32, numLayers=2)\n  (head): Linear(in=32, out=28)\n)",
  );
});

test("Sequential: layers in order, PyTorch's names 0, 1, 2; activations have no parameters", () => {
  const rng = new Rng(10);
  const mlp = new Sequential(new Linear(3, 5, { rng }), new Tanh(), new Linear(5, 2, { rng }), new ReLU());
  assert.equal(mlp.length, 4);
  assert.deepEqual(Object.keys(mlp.stateDict()), ["0.weight", "0.bias", "2.weight", "2.bias"]);
  const x = randn([4, 3], new Rng(11));
  const byHand = mlp[3].forward(mlp[2].forward(mlp[1].forward(mlp[0].forward(x))));
  assert.deepEqual(mlp.forward(x).toArray(), byHand.toArray());
  assert.ok(mlp.forward(x).data.every((v) => v >= 0));
  assert.throws(() => new Sequential(new Linear(1, 1), {} as never), /argument 1 is not a layer/);
});

test("recurrent layers keep PyTorch's per-layer names, and layer(l) is the same tensors", () => {
  const gru = new GRU(3, 4, { numLayers: 2, rng: new Rng(12) });
  assert.deepEqual(Object.keys(gru.stateDict()), [
    "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
    "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
  ]);
  const named = Object.fromEntries(gru.namedParameters());
  assert.equal(gru.layer(1).weight_hh, named["weight_hh_l1"]);
  assert.throws(() => gru.layer(2), /layer 2 does not exist \(numLayers = 2\)/);
  assert.ok(zeros([1]).requiresGrad === false);
});
