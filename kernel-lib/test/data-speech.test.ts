// datasets/speech and the sentences made from it: every file is what the manifest says (sha256,
// sample rate, length), the WAV reader reads what the writer writes and refuses what it cannot
// read, a sentence and its twin have exactly the same frames in another order (so an order-blind
// model is at chance by construction), and the split puts no speaker (voice, accent) in two splits.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Tensor } from "../src";
import { bandEnergies, datasetPath, encodeWav, loadSpeechClips, readWav, spokenOrder, type SpokenOrderData } from "../src/data";

const dir = datasetPath("speech");
const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));

test("every file in datasets/speech matches the manifest's sha256, sample rate and length", () => {
  assert.equal(manifest.clips.length, 384); // 8 accents × 8 voices × 2 rates × 3 words
  let bytes = 0;
  for (const clip of manifest.clips) {
    const file = readFileSync(join(dir, clip.file));
    bytes += file.length;
    assert.equal(createHash("sha256").update(file).digest("hex"), clip.sha256, clip.file);
    const wav = readWav(file, clip.file);
    assert.equal(wav.sampleRate, clip.sampleRate, clip.file);
    assert.equal(wav.samples.length, clip.samples, clip.file);
  }
  assert.ok(bytes < 3 * 1024 * 1024, `the clips take ${bytes} bytes; the set is meant to stay under 3 MiB`);
  const clips = loadSpeechClips();
  assert.deepEqual(clips.words, ["dog", "bites", "man"]);
  assert.equal(clips.speakers.length, 64);
  assert.equal(clips.sampleRate, 8000);
  assert.match(clips.attribution, /eSpeak NG \(GPL-3\.0\), Emscripten port by the Echogarden project/);
  assert.match(clips.describe(), /384 clips/);
});

test("the loader refuses a clip that differs from the manifest, naming it", () => {
  const copy = mkdtempSync(join(tmpdir(), "speech-"));
  try {
    cpSync(dir, copy, { recursive: true });
    const victim = manifest.clips[5].file;
    const bytes = readFileSync(join(copy, victim));
    bytes[100] ^= 1; // one bit of one sample
    writeFileSync(join(copy, victim), bytes);
    assert.throws(() => loadSpeechClips(copy), new RegExp(`${victim.replace(/[+.]/g, "\\$&")} has sha256 .* the manifest says`));
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});

test("readWav reads what encodeWav writes, to the 16-bit step, and refuses other formats by name", () => {
  const samples = [0, 0.5, -0.5, 1.5, -2, 1 / 32768, 0.25];
  const wav = readWav(encodeWav(samples, 8000));
  assert.equal(wav.sampleRate, 8000);
  // Clipped to the int16 range; every other value is a multiple of 1/32768, so it comes back exactly.
  assert.deepEqual(Array.from(wav.samples), [0, 0.5, -0.5, 32767 / 32768, -1, 1 / 32768, 0.25]);
  const bytes = encodeWav([0.1, 0.2], 16000);
  assert.equal(bytes.length, 48);
  const stereo = bytes.slice();
  new DataView(stereo.buffer).setUint16(22, 2, true);
  assert.throws(() => readWav(stereo, "two.wav"), /two\.wav: 2 channels; only mono/);
  const eightBit = bytes.slice();
  new DataView(eightBit.buffer).setUint16(34, 8, true);
  assert.throws(() => readWav(eightBit, "eight.wav"), /eight\.wav: format 1 with 8 bits per sample/);
  assert.throws(() => readWav(bytes.slice(0, 46), "cut.wav"), /cut\.wav: the "data" chunk says 4 bytes, but the file ends 2 bytes after its header/);
  assert.throws(() => readWav(new TextEncoder().encode("not a wav file at all"), "text.wav"), /text\.wav: not a WAV file/);
});

/** Frames of one row of bandEnergies' [T, B, F] output, as strings sorted: the multiset of frames. */
function frameMultiset(f: Tensor, b: number): string[] {
  const [T, B, F] = f.shape;
  return Array.from({ length: T }, (_, t) => Array.from(f.data.subarray((t * B + b) * F, (t * B + b + 1) * F)).join(",")).sort();
}

const small: SpokenOrderData = spokenOrder({ seed: 3, pairsPerSpeaker: 1, frameLength: 256, hop: 128 });

test("a sentence and its twin: the other label, the reversed words, exactly the same frames in another order", () => {
  const { test: split, frames } = small;
  const f = bandEnergies(split.waves, frames);
  const [T, B, F] = f.shape;
  assert.equal(B, 2 * small.speakers.test.length);
  let differentOrder = 0;
  for (let b = 0; b < B; b++) {
    const t = split.twin[b];
    assert.notEqual(t, b);
    assert.equal(split.twin[t], b);
    assert.equal(split.y.data[b] + split.y.data[t], 1);
    assert.equal(split.speakers[b], split.speakers[t]);
    assert.equal(split.sentences[b], split.y.data[b] === 0 ? "dog bites man" : "man bites dog");
    assert.deepEqual(split.words[b].map((w) => w.word), split.sentences[b].split(" "));
    assert.deepEqual(split.words[b].map((w) => `${w.word}@${w.rate}`), split.words[t].map((w) => `${w.word}@${w.rate}`).reverse());
    // Words on the hop grid, at least one frame of silence around each.
    const spans = split.words[b];
    assert.ok(spans[0].start >= frames.frameLength && spans[0].start % frames.hop === 0);
    for (let i = 1; i < spans.length; i++) {
      assert.equal(spans[i].start % frames.hop, 0);
      assert.ok(spans[i].start - spans[i - 1].end >= frames.frameLength);
    }
    assert.ok(split.waves.shape[1] - spans[spans.length - 1].end >= frames.frameLength);
    // The same multiset of frames, hence the same frame means.
    assert.deepEqual(frameMultiset(f, b), frameMultiset(f, t));
    for (let j = 0; j < F; j++) {
      let a = 0, c = 0;
      for (let s = 0; s < T; s++) { a += f.data[(s * B + b) * F + j]; c += f.data[(s * B + t) * F + j]; }
      assert.ok(Math.abs(a - c) / T < 1e-12);
    }
    // ... in another order: the frames themselves differ somewhere.
    let differs = false;
    for (let i = 0; i < T * F && !differs; i++) differs = f.data[Math.floor(i / F) * B * F + b * F + (i % F)] !== f.data[Math.floor(i / F) * B * F + t * F + (i % F)];
    if (differs) differentOrder++;
  }
  assert.equal(differentOrder, B);
});

test("an order-blind classifier scores exactly 50%: nearest class mean of the frame means", () => {
  const data = spokenOrder({ seed: 1, pairsPerSpeaker: 2, frameLength: 256, hop: 256 });
  const meanFrames = (x: Tensor) => {
    const [T, B, F] = x.shape;
    return Array.from({ length: B }, (_, b) => Array.from({ length: F }, (_, j) => { let s = 0; for (let t = 0; t < T; t++) s += x.data[(t * B + b) * F + j]; return s / T; }));
  };
  const train = meanFrames(bandEnergies(data.train.waves, data.frames));
  const test = meanFrames(bandEnergies(data.test.waves, data.frames));
  const centroid = (c: number) => train[0].map((_, j) => { const rows = train.filter((_, b) => data.train.y.data[b] === c); return rows.reduce((s, r) => s + r[j], 0) / rows.length; });
  const cs = [centroid(0), centroid(1)];
  const dist = (r: number[], c: number[]) => r.reduce((s, v, j) => s + (v - c[j]) ** 2, 0);
  const guess = test.map((r) => (dist(r, cs[1]) < dist(r, cs[0]) ? 1 : 0));
  const right = guess.filter((g, b) => g === data.test.y.data[b]).length;
  assert.equal(right, test.length / 2);
  // On the training sentences too: the two centroids are the same point (to rounding).
  assert.ok(Math.max(...cs[0].map((v, j) => Math.abs(v - cs[1][j]))) < 1e-9);
});

test("no speaker, voice or accent is in two splits; the split is seeded", () => {
  const clips = loadSpeechClips();
  for (const holdOut of ["speaker", "voice", "accent"] as const) {
    const d = spokenOrder({ seed: 7, pairsPerSpeaker: 1, holdOut });
    const { train, val, test } = d.speakers;
    assert.equal(train.length + val.length + test.length, 64, holdOut);
    for (const [a, b] of [[train, val], [train, test], [val, test]]) assert.ok(a.every((s) => !b.includes(s)), holdOut);
    // The rows carry only their split's speakers.
    for (const [split, list] of [[d.train, train], [d.val, val], [d.test, test]] as const) assert.ok(split.speakers.every((s) => list.includes(s)));
    if (holdOut !== "speaker") {
      const key = (s: string) => { const c = clips.clips.find((x) => x.speaker === s)!; return holdOut === "voice" ? c.variant : c.accent; };
      const keys = (list: readonly string[]) => new Set(list.map(key));
      for (const k of keys(test)) assert.ok(!keys(train).has(k) && !keys(val).has(k), `${holdOut} ${k}`);
      assert.equal(test.length, 16); // round(0.2 × 8) = 2 voices (or accents) × 8
    } else {
      assert.deepEqual([val.length, test.length], [13, 13]); // round(0.2 × 64)
    }
  }
  const again = spokenOrder({ seed: 3, pairsPerSpeaker: 1, frameLength: 256, hop: 128 });
  assert.deepEqual(again.test.waves.data, small.test.waves.data);
  assert.deepEqual(again.speakers, small.speakers);
  assert.notDeepEqual(spokenOrder({ seed: 4, pairsPerSpeaker: 1 }).speakers.test, small.speakers.test);
  for (const split of [small.train, small.val, small.test]) assert.equal(split.y.data.reduce((s, v) => s + v, 0), split.y.size / 2);
});

test("bad options are errors that say what is wrong", () => {
  assert.throws(() => spokenOrder({ seed: 0, holdOut: "room" as never }), /holdOut must be "speaker", "voice" or "accent", got "room"/);
  assert.throws(() => spokenOrder({ seed: 0, val: 0.5, test: 0.5 }), /val \+ test = 1 leaves nothing to train on/);
  assert.throws(() => spokenOrder({ seed: 0, words: ["dog", "cat"] }), /"cat" is not among the spoken words \(dog, bites, man\)/);
  assert.throws(() => spokenOrder({ seed: 0, words: ["dog", "bites", "dog"] }), /reads the same reversed/);
  assert.throws(() => spokenOrder({ seed: 0, holdOut: "accent", val: 0.45, test: 0.45 }), /8 accents are too few to hold out 4 for val and 4 for test/);
  assert.throws(() => spokenOrder({ seed: 0, pairsPerSpeaker: 0 }), /pairsPerSpeaker must be an integer >= 1, got 0/);
});
