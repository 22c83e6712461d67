// Vocabularies, encode/decode, unknown tokens, padding, and truncated-BPTT batches: the layout
// that makes a hidden state carried from chunk k-1 the right initial state for chunk k.
import { test } from "node:test";
import assert from "node:assert/strict";
import { DataError, Vocabulary, bpttBatches, loadNames, padSequences, stableHash, tokenize } from "../src/data";
import { Embedding, LSTM } from "../src/nn";
import { Rng, Tensor, fromFlat, noGrad } from "../src";

const TEXT = "the whale, the sea; the whale's wake.\nCall me Ishmael — once.";

test("a character vocabulary: code-point order, exact round trip, ids in 0..size-1", () => {
  const v = Vocabulary.fromText(TEXT);
  assert.equal(v.size, new Set(Array.from(TEXT)).size);
  assert.deepEqual(v.tokens.slice(0, 3), ["\n", " ", "'"]);
  const ids = v.encode(TEXT);
  assert.equal(ids.length, Array.from(TEXT).length);
  assert.equal(v.decode(ids), TEXT);
  assert.equal(v.decode(fromFlat(ids, [ids.length])), TEXT);
  assert.ok(ids.every((i) => i >= 0 && i < v.size));
  assert.match(v.describe(), /Vocabulary of \d+ chars/);
  // Code points, not UTF-16 units: an astral character is one token.
  assert.deepEqual(tokenize("a𝄞b", "char"), ["a", "𝄞", "b"]);
});

test("an unseen character at encode time is an error naming it, its code point and its position", () => {
  const v = Vocabulary.fromText("abc abc");
  assert.throws(
    () => v.encode("abc žab"),
    (e: Error) => e instanceof DataError && e.message.includes('"ž" (U+017E) at char 4 is not in the vocabulary (4 chars)') && e.message.includes("unknown"),
  );
  assert.throws(() => v.id("q"), /"q" \(U\+0071\) is not in the vocabulary/);
  assert.throws(() => v.decode([0, 9]), /id 9 at position 1 is not in 0\.\.3/);
});

test("with an unknown token, unseen and rare tokens map to it", () => {
  const v = Vocabulary.fromText("aaab", { unknown: "?" });
  assert.deepEqual(v.tokens, ["?", "a", "b"]);
  assert.deepEqual(Array.from(v.encode("abz")), [1, 2, 0]);
  assert.equal(v.decode(v.encode("abz")), "ab?");
  const rare = Vocabulary.fromText("aaab", { unknown: "?", minCount: 2 });
  assert.deepEqual(rare.tokens, ["?", "a"]);
  assert.throws(() => Vocabulary.fromText("ab", { minCount: 2 }), /need an `unknown` token/);
});

test("a word vocabulary: words and punctuation, by frequency, with maxSize", () => {
  assert.deepEqual(tokenize("the whale's wake, once.", "word"), ["the", "whale's", "wake", ",", "once", "."]);
  const v = Vocabulary.fromText(TEXT, { level: "word", unknown: "<unk>", maxSize: 4 });
  // "the" 3 times, "." twice, then ties (once each) in code-point order: "," before "whale".
  assert.deepEqual(v.tokens, ["<unk>", "the", ".", ","]);
  assert.equal(v.decode(v.encode("the whale sang, .")), "the <unk> <unk> , .");
  assert.match(v.describe(), /Vocabulary of 4 words/);
});

test("padSequences: right padding for next-token targets, left padding for classifiers", () => {
  const right = padSequences([[1, 2, 3], [4]], { padId: 0 });
  assert.deepEqual(right.ids.shape, [3, 2]);
  assert.deepEqual(right.ids.toArray(), [[1, 4], [2, 0], [3, 0]]);
  assert.deepEqual(right.mask.toArray(), [[1, 1], [1, 0], [1, 0]]);
  const left = padSequences([[1, 2, 3], [4]], { padId: 0, side: "left" });
  assert.deepEqual(left.ids.toArray(), [[1, 0], [2, 0], [3, 4]]); // every sequence ends at the last step
  assert.deepEqual(Array.from(left.lengths), [3, 1]);
  assert.throws(() => padSequences([[1, 2, 3]], { padId: 0, length: 2 }), /length 2 is shorter than the longest sequence \(3 steps\)/);
});

test("bpttBatches: B contiguous streams; chunk k of each column continues chunk k-1", () => {
  const N = 1003, B = 4, T = 10;
  const ids = Int32Array.from({ length: N }, (_, i) => i); // id = position, so continuity is visible
  const batches = bpttBatches(ids, { batchSize: B, seqLen: T });
  const L = Math.floor((N - 1) / B); // 250
  assert.equal(batches.streamLength, L);
  assert.equal(batches.numChunks, Math.ceil(L / T));
  const chunks = [...batches];
  assert.deepEqual(chunks[0].x.shape, [T, B]);
  for (const c of chunks) {
    for (let t = 0; t < c.x.shape[0]; t++) {
      for (let b = 0; b < B; b++) {
        assert.equal(c.x.get(t, b), b * L + c.offset + t); // stream b, position offset + t
        assert.equal(c.y.get(t, b), c.x.get(t, b) + 1); // the target is the next id
      }
    }
  }
  for (let k = 1; k < chunks.length; k++) {
    for (let b = 0; b < B; b++) {
      // The first input of chunk k is the last target of chunk k-1: no gap, no overlap.
      assert.equal(chunks[k].x.get(0, b), chunks[k - 1].y.get(chunks[k - 1].y.shape[0] - 1, b));
    }
  }
  assert.deepEqual(Array.from(batches.stream(2).subarray(0, 3)), [2 * L, 2 * L + 1, 2 * L + 2]);
  assert.throws(() => bpttBatches([1, 2, 3], { batchSize: 4, seqLen: 2 }), /3 ids are too few for 4 streams/);
  assert.throws(() => bpttBatches([1, -2, 3], { batchSize: 1, seqLen: 2 }), /ids\[1\] = -2 is not a token id/);
});

test("carrying the detached state across chunks gives exactly the states of reading each stream whole", () => {
  const rng = new Rng(3);
  const V = 7, B = 3, T = 6;
  const ids = Int32Array.from({ length: 200 }, () => rng.int(V));
  const batches = bpttBatches(ids, { batchSize: B, seqLen: T });
  const embed = new Embedding(V, 4, { rng });
  const lstm = new LSTM(4, 5, { rng });
  noGrad(() => {
    // Whole streams at once: x [L, B].
    const L = batches.streamLength;
    const whole = new Float64Array(L * B);
    for (let b = 0; b < B; b++) batches.stream(b).forEach((id, t) => (whole[t * B + b] = id));
    const full = lstm.forward(embed.forward(new Tensor(whole, [L, B])));
    // Chunk by chunk, each starting from the previous chunk's final state, detached.
    let state: { h?: Tensor; c?: Tensor } = {};
    for (const chunk of batches) {
      const out = lstm.forward(embed.forward(chunk.x), state);
      state = { h: out.hN.detach(), c: out.cN.detach() };
      for (let t = 0; t < chunk.x.shape[0]; t++) {
        const a = out.hs[t].data, e = full.hs[chunk.offset + t].data;
        for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - e[i]) < 1e-12, `chunk ${chunk.k} step ${t}`);
      }
    }
    assert.deepEqual(Array.from(state.h!.data).map((v) => v.toFixed(12)), Array.from(full.hN.data).map((v) => v.toFixed(12)));
  });
});

test("stableHash is FNV-1a (32 bits): the published values, the same on every run, and about one name in ten is 0 mod 10", () => {
  // FNV-1a's reference values: "" is the offset basis; "a" and "foobar" from the FNV test suite.
  assert.equal(stableHash(""), 0x811c9dc5);
  assert.equal(stableHash("a"), 0xe40c292c);
  assert.equal(stableHash("foobar"), 0xbf9cf968);
  const names = loadNames().names;
  const held = names.filter((n) => stableHash(n) % 10 === 0).length / names.length;
  assert.ok(held > 0.09 && held < 0.11, `held out: ${held}`);
});
