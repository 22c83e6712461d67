import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { GRU, LSTM, LSTMCell, Linear, Module } from "../src/nn";
import { Rng, Tensor, randn } from "../src";
import { loadJSON, saveJSON } from "../src/io";

// The shared PyTorch cases live beside the repository: <repo>/../shared/fixtures/pytorch.
const FIXTURES = join(__dirname, "..", "..", "..", "shared", "fixtures", "pytorch");

/** A small model with a sub-module, as in the notebooks: recurrent layer + read-out head. */
class TinyLM extends Module {
  readonly rnn: LSTM;
  readonly head: Linear;
  constructor(rng: Rng) {
    super();
    this.rnn = new LSTM(3, 4, { numLayers: 2, rng });
    this.head = new Linear(4, 3, { rng });
  }
  forward(x: Tensor): Tensor {
    return this.head.forward(this.rnn.forward(x).output);
  }
}

test("names: own parameters first, then sub-modules as prefix.name, in the order the fields were set", () => {
  const m = new TinyLM(new Rng(1));
  assert.deepEqual(Object.keys(m.stateDict()), [
    "rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0",
    "rnn.weight_ih_l1", "rnn.weight_hh_l1", "rnn.bias_ih_l1", "rnn.bias_hh_l1",
    "head.weight", "head.bias",
  ]);
  assert.deepEqual(m.parameters(), m.namedParameters().map(([, p]) => p));
  // Layer 0: 16·3 + 16·4 + 16 + 16 = 144; layer 1: 16·4 + 16·4 + 32 = 160; head: 3·4 + 3 = 15.
  assert.equal(m.numParameters(), 144 + 160 + 15);
});

test("round trip: save, load into a fresh model with other weights, same outputs", () => {
  const a = new TinyLM(new Rng(2));
  const b = new TinyLM(new Rng(3));
  const x = randn([5, 2, 3], new Rng(4));
  assert.notDeepEqual(a.forward(x).toArray(), b.forward(x).toArray());
  const json = saveJSON(a);
  const params = b.parameters();
  loadJSON(b, json);
  assert.deepEqual(b.forward(x).toArray(), a.forward(x).toArray());
  // Loading writes into the existing tensors, so an optimizer holding them sees the new values.
  assert.ok(b.parameters().every((p, i) => p === params[i]));
  // The state dict is a copy: training after saving does not change it.
  const sd = a.stateDict();
  a.head.bias!.data[0] += 1;
  assert.notEqual((sd["head.bias"] as number[])[0], a.head.bias!.data[0]);
});

test("a fixture's PyTorch parameters load by name into a cell and (with _l0) into a layer", () => {
  const fixture = JSON.parse(readFileSync(join(FIXTURES, "lstm_I3_H4_T5_B2.json"), "utf8"));
  const cell = new LSTMCell(3, 4);
  cell.loadStateDict(fixture.params);
  assert.deepEqual(cell.weight_hh.toArray(), fixture.params.weight_hh);
  const layer = new LSTM(3, 4);
  const renamed = Object.fromEntries(Object.entries(fixture.params).map(([k, v]) => [`${k}_l0`, v])) as Record<string, number[]>;
  layer.loadStateDict(renamed);
  assert.deepEqual(layer.stateDict(), renamed);
});

test("errors name the key and both shapes: mis-shaped, missing, unexpected", () => {
  const gru = new GRU(3, 4);
  const good = gru.stateDict();
  const wrongShape = { ...good, weight_hh_l0: [[1, 2, 3], [4, 5, 6], [7, 8, 9], [1, 2, 3]] };
  assert.throws(() => gru.loadStateDict(wrongShape), { message: "loadStateDict: weight_hh_l0 has shape [4,3], expected [12,4]" });
  const { bias_hh_l0: _dropped, ...missing } = good;
  assert.throws(() => gru.loadStateDict(missing), /loadStateDict: missing key bias_hh_l0 \(expected shape \[12\]\)/);
  assert.throws(() => gru.loadStateDict({ ...good, weight_ih_l1: [[1]] }), /loadStateDict: unexpected key weight_ih_l1/);
  assert.throws(() => gru.loadStateDict({ ...good, bias_ih_l0: [1, 2, [3]] as unknown as number[] }), /bias_ih_l0\[2\] is \[3\]; expected a number/);
  assert.throws(() => gru.loadStateDict({ ...good, bias_ih_l0: new Array(12).fill(null) }), /bias_ih_l0\[0\] is null; expected a number.*that value is lost/);
  // A failed load writes nothing.
  assert.deepEqual(gru.stateDict(), good);
});

test("strict: false tolerates missing and extra keys (and reports them) but not wrong shapes", () => {
  const lin = new Linear(2, 2);
  const result = lin.loadStateDict({ weight: [[1, 2], [3, 4]], extra: [1] }, { strict: false });
  assert.deepEqual(result, { missingKeys: ["bias"], unexpectedKeys: ["extra"] });
  assert.deepEqual(lin.weight.toArray(), [[1, 2], [3, 4]]);
  assert.throws(() => lin.loadStateDict({ weight: [[1, 2]] }, { strict: false }), /weight has shape \[1,2\], expected \[2,2\]/);
});

test("loadJSON rejects text that is not JSON", () => {
  assert.throws(() => loadJSON(new Linear(2, 2), "{not json"), /loadJSON: not valid JSON/);
});
