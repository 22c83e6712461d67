// Spoken words (datasets/speech: eSpeak NG, synthesised by scripts/generate-speech.mjs) and the
// sentences made from them, "dog bites man" against "man bites dog": two classes with the same
// words, the same speaker, the same loudness, that differ only in the order of the words.
//
// Why words are joined one by one, and how that makes an order-blind model exactly useless. A
// whole phrase synthesised at once would carry its word order in its intonation too (the pitch
// falls at the end of a statement, so the last word sounds unlike the first), and the average of
// its frames would give the order away. Here each word is synthesised alone, so it sounds the same
// wherever it stands, and a sentence is laid out on the frame grid of `bandEnergies`:
//
//     lead silence | word 1 | gap | word 2 | gap | word 3 | trailing silence
//
// with every piece a whole number of hops long (words are padded with zeros to a multiple of the
// hop) and every silence at least one frame long. Then no frame overlaps two words, and the frames
// that touch a word are the same whichever position the word takes. A sentence and its twin (the
// same clips and silences with the word order reversed) therefore have the same frames in a
// different order: the same multiset of frames, so the same frame average, the same histogram of
// anything computed frame by frame. Every test sentence's twin is in the test set with the other
// label, so any model that reads only order-free summaries scores exactly 50% on it.
//
// This is synthetic formant speech, not recordings: every speaker is a voice setting of one
// synthesiser, and silence is digital zero. See datasets/README.md for what to change for recordings.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Tensor, allocate } from "../../tensor";
import type { Rng } from "../../random";
import { describeLines, fmtCount, namedShape, type Described } from "../describe";
import { DataError, checkInt } from "../errors";
import { datasetPath, displayPath } from "../paths";
import { toRng, type SeedLike } from "../seed";
import { readBytes, readWav } from "./wav";

// ---- the clips ---------------------------------------------------------------------------------

/** One spoken word. */
export interface SpeechClip {
  readonly file: string;
  readonly word: string;
  /** eSpeak NG's voice name, e.g. "en-GB-scotland". */
  readonly accent: string;
  /** eSpeak NG's voice variant, e.g. "f2". */
  readonly variant: string;
  /** accent+variant, e.g. "en-GB-scotland+f2": one synthetic speaker. */
  readonly speaker: string;
  /** Words per minute. */
  readonly rate: number;
  readonly samples: Float64Array;
}

export interface SpeechClips extends Described {
  readonly clips: readonly SpeechClip[];
  readonly sampleRate: number;
  /** The words in the manifest's order. */
  readonly words: readonly string[];
  readonly speakers: readonly string[];
  readonly accents: readonly string[];
  readonly variants: readonly string[];
  readonly rates: readonly number[];
  /** The line to show wherever this speech is used. */
  readonly attribution: string;
  /** The clip of one word by one speaker at one rate. */
  clip(speaker: string, word: string, rate: number): SpeechClip;
}

interface ManifestClip {
  file: string;
  word: string;
  accent: string;
  variant: string;
  speaker: string;
  rate: number;
  sampleRate: number;
  samples: number;
  sha256: string;
}

const loaded = new Map<string, SpeechClips>();

/**
 * The spoken words of datasets/speech (or another folder with a manifest.json of the same form),
 * each file checked against the manifest: its sha256, sample rate and length. Loaded once per
 * folder and kept (about 1.3 MB of samples).
 */
export function loadSpeechClips(dir: string = datasetPath("speech")): SpeechClips {
  const cached = loaded.get(dir);
  if (cached) return cached;
  const manifestPath = join(dir, "manifest.json");
  if (!existsSync(manifestPath)) throw new DataError(`loadSpeechClips: ${displayPath(manifestPath)} does not exist (scripts/generate-speech.mjs writes it)`);
  let manifest: { attribution?: string; clips?: ManifestClip[] };
  try {
    manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
  } catch (e) {
    throw new DataError(`loadSpeechClips: ${displayPath(manifestPath)} is not JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(manifest.clips) || manifest.clips.length === 0) throw new DataError(`loadSpeechClips: ${displayPath(manifestPath)} lists no clips`);
  const clips: SpeechClip[] = [];
  let sampleRate = 0;
  for (const m of manifest.clips) {
    const path = join(dir, m.file);
    const bytes = readBytes(path);
    const digest = createHash("sha256").update(bytes).digest("hex");
    if (digest !== m.sha256) {
      throw new DataError(`loadSpeechClips: ${displayPath(path)} has sha256 ${digest.slice(0, 12)}..., the manifest says ${String(m.sha256).slice(0, 12)}...: the file was changed (node scripts/generate-speech.mjs --check tells whether the generator still makes these files)`);
    }
    const wav = readWav(bytes, displayPath(path));
    if (wav.sampleRate !== m.sampleRate || wav.samples.length !== m.samples) {
      throw new DataError(`loadSpeechClips: ${displayPath(path)} is ${wav.samples.length} samples at ${wav.sampleRate} Hz; the manifest says ${m.samples} at ${m.sampleRate} Hz`);
    }
    if (sampleRate === 0) sampleRate = wav.sampleRate;
    if (wav.sampleRate !== sampleRate) throw new DataError(`loadSpeechClips: ${displayPath(path)} is at ${wav.sampleRate} Hz, the clips before it at ${sampleRate} Hz: resample them to one rate`);
    clips.push({ file: m.file, word: m.word, accent: m.accent, variant: m.variant, speaker: m.speaker, rate: m.rate, samples: wav.samples });
  }
  const unique = <T>(xs: T[]) => [...new Set(xs)];
  const words = unique(clips.map((c) => c.word));
  const speakers = unique(clips.map((c) => c.speaker));
  const rates = unique(clips.map((c) => c.rate));
  const byKey = new Map(clips.map((c) => [`${c.speaker}|${c.word}|${c.rate}`, c]));
  for (const s of speakers) for (const w of words) for (const r of rates) {
    if (!byKey.has(`${s}|${w}|${r}`)) throw new DataError(`loadSpeechClips: ${displayPath(manifestPath)} has no clip of "${w}" by ${s} at ${r} words per minute: every speaker needs every word at every rate`);
  }
  const seconds = clips.reduce((s, c) => s + c.samples.length, 0) / sampleRate;
  const attribution = manifest.attribution ?? "";
  const result: SpeechClips = {
    clips,
    sampleRate,
    words,
    speakers,
    accents: unique(clips.map((c) => c.accent)),
    variants: unique(clips.map((c) => c.variant)),
    rates,
    attribution,
    clip(speaker, word, rate) {
      const c = byKey.get(`${speaker}|${word}|${rate}`);
      if (!c) throw new DataError(`SpeechClips.clip: no clip of "${word}" by ${speaker} at ${rate} words per minute (speakers: ${speakers.slice(0, 3).join(", ")}, ...; words: ${words.join(", ")}; rates: ${rates.join(", ")})`);
      return c;
    },
    describe: () =>
      describeLines(`Spoken words ${displayPath(dir)}: ${fmtCount(clips.length)} clips, ${seconds.toFixed(1)} s at ${sampleRate} Hz`, [
        ["words", words.map((w) => `"${w}"`).join(", ")],
        ["speakers", `${speakers.length} = ${result.accents.length} accents × ${result.variants.length} voice variants (${speakers[0]}, ...)`],
        ["rates", `${rates.join(" and ")} words per minute`],
        ["source", "synthetic formant speech, not recordings: eSpeak NG, one word at a time (scripts/generate-speech.mjs)"],
        ["licence", attribution],
      ]),
  };
  loaded.set(dir, result);
  return result;
}

// ---- sentences whose classes differ only in word order ----------------------------------------

/** What a held-out speaker is: an accent+voice pair, a voice variant (in every accent), or an accent (with every voice). */
export type HoldOut = "speaker" | "voice" | "accent";

export interface SpokenOrderOptions {
  seed: SeedLike;
  /** Sentence pairs per speaker (default 4). A pair is one sentence in each order, from the same clips and silences. */
  pairsPerSpeaker?: number;
  /** What is held out for validation and test (default "speaker"): test speakers are never heard in training. */
  holdOut?: HoldOut;
  /** Fractions of the speakers (or voices, or accents) held out for validation and for test (default 0.2 each; at least one each). */
  val?: number;
  test?: number;
  /** The frame length and hop that bandEnergies will use (defaults 256 and 128, bandEnergies' own): words and silences are laid on this grid. */
  frameLength?: number;
  hop?: number;
  /** Silence before the first word and between words: one frame plus up to this many ms more, in whole hops (default 100). */
  maxExtraSilenceMs?: number;
  /** The words in class 0's order (default: the manifest's, "dog", "bites", "man"); class 1 is the reverse. */
  words?: readonly string[];
  /** The clips to use (default loadSpeechClips()). */
  clips?: SpeechClips;
}

/** Where a word is in a sentence: samples start..end (end exclusive; the clip, without its zero padding). */
export interface WordSpan {
  readonly word: string;
  readonly rate: number;
  readonly start: number;
  readonly end: number;
}

export interface SpokenOrderSplit extends Described {
  /** [B, S]: one sentence per row, batch-major (bandEnergies makes it time-major). */
  readonly waves: Tensor;
  /** [B]: 0 for class 0's order ("dog bites man"), 1 for the reverse; balanced. */
  readonly y: Tensor;
  /** Each row's speaker ("en-us+f2"). */
  readonly speakers: readonly string[];
  /** Each row's sentence, as text. */
  readonly sentences: readonly string[];
  /** twin[i]: the row with the same clips and silences in the other order (twin[twin[i]] = i). */
  readonly twin: Int32Array;
  /** Where each row's words are. */
  readonly words: readonly (readonly WordSpan[])[];
}

export interface SpokenOrderData extends Described {
  readonly train: SpokenOrderSplit;
  readonly val: SpokenOrderSplit;
  readonly test: SpokenOrderSplit;
  /** ["dog bites man", "man bites dog"]: the class names, by label. */
  readonly classes: readonly [string, string];
  readonly sampleRate: number;
  /** The framing the sentences are laid out for: pass it to bandEnergies. */
  readonly frames: { readonly frameLength: number; readonly hop: number };
  /** Which speakers are in which split (no speaker is in two). */
  readonly speakers: { readonly train: readonly string[]; readonly val: readonly string[]; readonly test: readonly string[] };
  readonly attribution: string;
}

interface Draw {
  speaker: string;
  clips: SpeechClip[]; // in class 0's word order
  lead: number;
  gaps: number[];
}

/**
 * Sentences "dog bites man" (label 0) and "man bites dog" (label 1) made from single spoken words,
 * with speakers split between train, val and test. `kl.data.bandEnergies(data.train.waves,
 * data.frames)` gives their frames; a sentence and its twin have the same frames in another order.
 */
export function spokenOrder(options: SpokenOrderOptions): SpokenOrderData {
  const where = "spokenOrder";
  const clips = options.clips ?? loadSpeechClips();
  const rng = toRng(options.seed);
  const pairs = checkInt(where, "pairsPerSpeaker", options.pairsPerSpeaker ?? 4, 1);
  const L = checkInt(where, "frameLength", options.frameLength ?? 256, 4);
  const hop = checkInt(where, "hop", options.hop ?? 128, 1);
  const extraMs = options.maxExtraSilenceMs ?? 100;
  if (!(extraMs >= 0)) throw new DataError(`${where}: maxExtraSilenceMs must be >= 0, got ${extraMs}`);
  const holdOut = options.holdOut ?? "speaker";
  if (!["speaker", "voice", "accent"].includes(holdOut)) throw new DataError(`${where}: holdOut must be "speaker", "voice" or "accent", got ${JSON.stringify(holdOut)}`);
  const valFraction = options.val ?? 0.2;
  const testFraction = options.test ?? 0.2;
  for (const [name, f] of [["val", valFraction], ["test", testFraction]] as const) {
    if (!(f > 0 && f < 1)) throw new DataError(`${where}: the ${name} fraction must be in (0, 1), got ${f}`);
  }
  if (valFraction + testFraction >= 1) throw new DataError(`${where}: val + test = ${valFraction + testFraction} leaves nothing to train on (must be < 1)`);
  const words = options.words ?? clips.words;
  if (words.length < 2) throw new DataError(`${where}: need at least two words to order, got ${words.length}`);
  for (const w of words) if (!clips.words.includes(w)) throw new DataError(`${where}: "${w}" is not among the spoken words (${clips.words.join(", ")})`);
  if (words.join(" ") === [...words].reverse().join(" ")) throw new DataError(`${where}: "${words.join(" ")}" reads the same reversed: the two classes would be one`);

  // Held-out groups, then the speakers in them.
  const groupOf = (speaker: string) => {
    const c = clips.clips.find((x) => x.speaker === speaker)!;
    return holdOut === "speaker" ? speaker : holdOut === "voice" ? c.variant : c.accent;
  };
  const groups = [...new Set(clips.speakers.map(groupOf))];
  const nTest = Math.max(1, Math.round(testFraction * groups.length));
  const nVal = Math.max(1, Math.round(valFraction * groups.length));
  if (nTest + nVal >= groups.length) throw new DataError(`${where}: ${groups.length} ${holdOut === "speaker" ? "speakers" : holdOut === "voice" ? "voices" : "accents"} are too few to hold out ${nVal} for val and ${nTest} for test and train on the rest`);
  const order = rng.shuffle(groups.slice());
  const testGroups = new Set(order.slice(0, nTest));
  const valGroups = new Set(order.slice(nTest, nTest + nVal));
  const splitOf = (s: string) => (testGroups.has(groupOf(s)) ? "test" : valGroups.has(groupOf(s)) ? "val" : "train");
  const speakersOf = (split: string) => clips.speakers.filter((s) => splitOf(s) === split);

  // Every piece is a whole number of hops; every silence at least one frame (L samples, rounded up to hops).
  const toHops = (n: number) => Math.ceil(n / hop) * hop;
  const minSilence = toHops(L);
  const extraHops = Math.floor((extraMs / 1000) * clips.sampleRate / hop);
  const silence = (r: Rng) => minSilence + hop * r.int(extraHops + 1);

  // Draw the pairs: for each speaker, each word from one of its rates, and the silences.
  const draws = new Map<string, Draw[]>();
  for (const split of ["train", "val", "test"]) {
    const list: Draw[] = [];
    for (const speaker of speakersOf(split)) {
      for (let p = 0; p < pairs; p++) {
        const chosen = words.map((w) => clips.clip(speaker, w, clips.rates[rng.int(clips.rates.length)]));
        list.push({ speaker, clips: chosen, lead: silence(rng), gaps: words.slice(1).map(() => silence(rng)) });
      }
    }
    draws.set(split, list);
  }
  // One length S for every sentence: the longest draw, then at least a frame of silence after it,
  // with (S - L) a multiple of the hop so that frames tile it exactly.
  const lengthOf = (d: Draw) => d.lead + d.gaps.reduce((s, g) => s + g, 0) + d.clips.reduce((s, c) => s + toHops(c.samples.length), 0);
  let S = Math.max(...[...draws.values()].flat().map(lengthOf)) + minSilence;
  S += (((L - S) % hop) + hop) % hop;
  const classes: [string, string] = [words.join(" "), [...words].reverse().join(" ")];

  const build = (split: string): SpokenOrderSplit => {
    const list = draws.get(split)!;
    const B = 2 * list.length;
    // Rows in random order; twin rows hold the same draw.
    const rowOf = Int32Array.from(rng.shuffle(Array.from({ length: B }, (_, i) => i)));
    const waves = allocate(where, [B, S]);
    const y = new Float64Array(B);
    const twin = new Int32Array(B);
    const speakers: string[] = new Array(B);
    const sentences: string[] = new Array(B);
    const spans: WordSpan[][] = new Array(B);
    list.forEach((d, k) => {
      for (const label of [0, 1]) {
        const row = rowOf[2 * k + label];
        twin[row] = rowOf[2 * k + 1 - label];
        y[row] = label;
        speakers[row] = d.speaker;
        sentences[row] = classes[label];
        const ordered = label === 0 ? d.clips : [...d.clips].reverse();
        const out = waves.subarray(row * S, (row + 1) * S);
        const rowSpans: WordSpan[] = [];
        let at = d.lead;
        ordered.forEach((c, i) => {
          out.set(c.samples, at);
          rowSpans.push({ word: c.word, rate: c.rate, start: at, end: at + c.samples.length });
          at += toHops(c.samples.length) + (i < d.gaps.length ? d.gaps[i] : 0);
        });
        spans[row] = rowSpans;
      }
    });
    const heldOut = split === "train" ? "" : ` (held out: none of them in training)`;
    const splitSpeakers = speakersOf(split);
    return {
      waves: new Tensor(waves, [B, S]),
      y: new Tensor(y, [B]),
      speakers,
      sentences,
      twin,
      words: spans,
      describe: () =>
        describeLines(`Spoken order, ${split}: ${B} sentences, ${list.length} pairs`, [
          ["waves", `${namedShape([B, S], ["B", "S"])} (${((1000 * S) / clips.sampleRate).toFixed(0)} ms at ${clips.sampleRate} Hz)`],
          ["y", `[B=${B}] 0 "${classes[0]}", 1 "${classes[1]}", balanced`],
          ["speakers", `${splitSpeakers.length}${heldOut}: ${splitSpeakers.slice(0, 3).join(", ")}${splitSpeakers.length > 3 ? ", ..." : ""}`],
        ]),
    };
  };
  const train = build("train"), val = build("val"), test = build("test");
  const T = (S - L) / hop + 1;
  return {
    train,
    val,
    test,
    classes,
    sampleRate: clips.sampleRate,
    frames: { frameLength: L, hop },
    speakers: { train: speakersOf("train"), val: speakersOf("val"), test: speakersOf("test") },
    attribution: clips.attribution,
    describe: () =>
      describeLines(`Spoken order: "${classes[0]}" (0) or "${classes[1]}" (1), the same words in another order`, [
        ["train", `${train.y.size} sentences from ${speakersOf("train").length} speakers`],
        ["val", `${val.y.size} sentences from ${speakersOf("val").length} other speakers`],
        ["test", `${test.y.size} sentences from ${speakersOf("test").length} other speakers (held out by ${holdOut})`],
        ["waves", `[B, S=${S}]: ${((1000 * S) / clips.sampleRate).toFixed(0)} ms at ${clips.sampleRate} Hz, words joined with ${((1000 * minSilence) / clips.sampleRate).toFixed(0)}-${((1000 * (minSilence + extraHops * hop)) / clips.sampleRate).toFixed(0)} ms of silence`],
        ["features", `bandEnergies(waves, { frameLength: ${L}, hop: ${hop} }) → [T=${T}, B, bands]; a sentence and its twin have the same frames in another order`],
        ["source", "synthetic speech (eSpeak NG), one word at a time: datasets/speech"],
        ["licence", clips.attribution],
      ]),
  };
}
