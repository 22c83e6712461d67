#!/usr/bin/env node
// Writes datasets/speech/: single spoken words, synthesised with eSpeak NG, for chapter 13's
// "dog bites man" / "man bites dog" project (kernel-lib's `kl.data.spokenOrder` joins them into
// sentences). A maintainer's script: the course never runs it, and the synthesiser is not a
// dependency of the course or of kernel-lib (it is GPL-3.0; only its output ships here).
//
// It needs eSpeak NG compiled to JavaScript, the npm package @echogarden/espeak-ng-emscripten
// (GPL-3.0, Echogarden project), installed OUTSIDE the repository:
//
//   npm install --no-save --prefix /tmp/espeak @echogarden/espeak-ng-emscripten@0.3.5
//   node scripts/generate-speech.mjs            # writes datasets/speech/*.wav and manifest.json
//   node scripts/generate-speech.mjs --check    # regenerates in memory, compares with the files
//
// (--espeak DIR points at another install prefix; ESPEAK_PREFIX does the same.)
//
// What it does, per accent × voice variant × speaking rate × word, in one fixed order in one
// process (eSpeak's output depends on what the process synthesised before, and its breathy
// voices seed a noise generator from the clock, which is frozen at 0 while the module starts):
//   1. synthesise the word alone (22,050 Hz, 16-bit), so that no word carries a sentence's
//      intonation: a word sounds the same wherever a sentence puts it;
//   2. resample to 8,000 Hz with a windowed-sinc low-pass (Blackman window, cut-off 3.6 kHz);
//   3. trim the silence before and after the word (|x| below 1% of the clip's peak), keeping 10 ms;
//   4. write 16-bit mono PCM WAV, and its sha256 into manifest.json.
// Two runs write byte-identical files (--check verifies it; the unit test data-speech checks the
// committed files against the manifest's sha256s).
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "./lib/project.mjs";

const PACKAGE = "@echogarden/espeak-ng-emscripten";
const PACKAGE_VERSION = "0.3.5";

/** Everything that decides the output. Changing any of it changes the files (and the manifest). */
const SETTINGS = {
  words: ["dog", "bites", "man"],
  // eSpeak NG's eight English voices (accents). "en" is British English; "en-gb" is not a voice
  // name in this build (set_voice returns 2 and keeps the old voice), so it is not used.
  accents: ["en", "en-us", "en-us-nyc", "en-029", "en-GB-scotland", "en-GB-x-gbclan", "en-GB-x-gbcwmd", "en-GB-x-rp"],
  // Voice variants: four male and four female formant settings.
  variants: ["m1", "m2", "m3", "m4", "f1", "f2", "f3", "f4"],
  // Words per minute (eSpeak's default is 175).
  rates: [150, 200],
  sourceRate: 22050,
  sampleRate: 8000,
  resampler: { window: "blackman", cutoffHz: 3600, halfWidthZeroCrossings: 16 },
  trim: { thresholdOfPeak: 0.01, keepMs: 10 },
};

const args = process.argv.slice(2);
const check = args.includes("--check");
const prefixArg = args.indexOf("--espeak");
const prefix = prefixArg >= 0 ? args[prefixArg + 1] : process.env.ESPEAK_PREFIX ?? "/tmp/espeak";
const packageDir = join(prefix, "node_modules", ...PACKAGE.split("/"));
const entry = join(packageDir, "espeak-ng.js");
const outDir = join(ROOT, "datasets", "speech");

if (!existsSync(entry)) {
  console.error(`generate-speech: ${entry} is missing. Install the synthesiser outside the repository (it is GPL-3.0 and never a course dependency):
  npm install --no-save --prefix ${prefix} ${PACKAGE}@${PACKAGE_VERSION}
then run this script again (or pass --espeak <that prefix>).`);
  process.exit(1);
}
const installed = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")).version;
if (installed !== PACKAGE_VERSION) {
  console.error(`generate-speech: ${PACKAGE} ${installed} is installed, but the manifest is made with ${PACKAGE_VERSION}: npm install --no-save --prefix ${prefix} ${PACKAGE}@${PACKAGE_VERSION}`);
  process.exit(1);
}
const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");

// ---- the synthesiser --------------------------------------------------------------------------
const realNow = Date.now;
Date.now = () => 0; // eSpeak seeds its breath-noise generator from the clock when it starts
const espeak = await (await import(pathToFileURL(entry).href)).default();
const worker = new espeak.eSpeakNGWorker();
Date.now = realNow;
if (worker.get_samplerate() !== SETTINGS.sourceRate) throw new Error(`eSpeak NG runs at ${worker.get_samplerate()} Hz, expected ${SETTINGS.sourceRate}`);

/** One word, as eSpeak says it on its own: Float64Array in [-1, 1). */
function synthesise(word) {
  const chunks = [];
  worker.synthesize(word, (samples) => {
    chunks.push(Int16Array.from(samples));
    return false; // false: keep going
  });
  const out = new Float64Array(chunks.reduce((s, c) => s + c.length, 0));
  let at = 0;
  for (const c of chunks) for (const v of c) out[at++] = v / 32768;
  return out;
}

// ---- resampling 22,050 → 8,000 Hz ------------------------------------------------------------
// y[n] = Σ_k x[k] h(n·r − k), with r = 22050/8000 input samples per output sample and h a
// low-pass sinc (cut-off fc cycles per input sample) under a Blackman window.
function resample(x, fromRate, toRate) {
  const { cutoffHz, halfWidthZeroCrossings } = SETTINGS.resampler;
  const fc = cutoffHz / fromRate;
  const half = Math.ceil(halfWidthZeroCrossings / (2 * fc)); // input samples each side
  const step = fromRate / toRate;
  const n = Math.floor((x.length - 1) / step) + 1;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const centre = i * step;
    const lo = Math.max(0, Math.ceil(centre - half));
    const hi = Math.min(x.length - 1, Math.floor(centre + half));
    let acc = 0;
    for (let k = lo; k <= hi; k++) {
      const d = centre - k;
      const sinc = d === 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * d) / (Math.PI * d);
      const u = (d + half) / (2 * half); // 0..1 across the window
      const w = 0.42 - 0.5 * Math.cos(2 * Math.PI * u) + 0.08 * Math.cos(4 * Math.PI * u);
      acc += x[k] * sinc * w;
    }
    y[i] = acc;
  }
  return y;
}

/** The word without the silence around it (|x| ≥ 1% of the peak), plus 10 ms either side. */
function trim(x, rate) {
  let peak = 0;
  for (const v of x) peak = Math.max(peak, Math.abs(v));
  const threshold = SETTINGS.trim.thresholdOfPeak * peak;
  let first = 0;
  while (first < x.length && Math.abs(x[first]) < threshold) first++;
  let last = x.length - 1;
  while (last > first && Math.abs(x[last]) < threshold) last--;
  const keep = Math.round((SETTINGS.trim.keepMs / 1000) * rate);
  return x.subarray(Math.max(0, first - keep), Math.min(x.length, last + 1 + keep));
}

/** 16-bit mono PCM WAV (RIFF, 44-byte header). */
function wav(samples, rate) {
  const data = Buffer.alloc(samples.length * 2);
  for (let i = 0; i < samples.length; i++) {
    data.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(samples[i] * 32768))), 2 * i);
  }
  const header = Buffer.alloc(44);
  header.write("RIFF", 0, "ascii");
  header.writeUInt32LE(36 + data.length, 4);
  header.write("WAVE", 8, "ascii");
  header.write("fmt ", 12, "ascii");
  header.writeUInt32LE(16, 16); // fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28); // bytes per second
  header.writeUInt16LE(2, 32); // bytes per frame
  header.writeUInt16LE(16, 34); // bits per sample
  header.write("data", 36, "ascii");
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

// ---- all clips, in one fixed order ------------------------------------------------------------
const files = new Map(); // name → bytes
const clips = [];
const started = realNow();
for (const accent of SETTINGS.accents) {
  for (const variant of SETTINGS.variants) {
    const voice = `${accent}+${variant}`;
    const status = worker.set_voice(voice);
    if (status !== 0) throw new Error(`eSpeak NG: set_voice("${voice}") returned ${status} (the voice is missing: the previous one would speak)`);
    for (const rate of SETTINGS.rates) {
      worker.set_rate(rate);
      for (const word of SETTINGS.words) {
        const clip = trim(resample(synthesise(word), SETTINGS.sourceRate, SETTINGS.sampleRate), SETTINGS.sampleRate);
        const bytes = wav(clip, SETTINGS.sampleRate);
        const file = `${accent}_${variant}_${rate}wpm_${word}.wav`;
        files.set(file, bytes);
        clips.push({ file, word, accent, variant, speaker: voice, rate, sampleRate: SETTINGS.sampleRate, samples: clip.length, sha256: sha256(bytes) });
      }
    }
  }
}
const manifest = {
  about: "Single English words synthesised with eSpeak NG (formant synthesis, not recordings), one clip per accent × voice variant × speaking rate × word. Written by scripts/generate-speech.mjs; read by kl.data.loadSpeechClips and kl.data.spokenOrder.",
  attribution: "Speech synthesised with eSpeak NG (GPL-3.0), Emscripten port by the Echogarden project",
  generator: {
    script: "scripts/generate-speech.mjs",
    synthesiser: `${PACKAGE}@${PACKAGE_VERSION}`,
    synthesiserLicence: "GPL-3.0",
    synthesiserFiles: Object.fromEntries(["espeak-ng.js", "espeak-ng.data"].map((f) => [f, sha256(readFileSync(join(packageDir, f)))])),
  },
  settings: SETTINGS,
  clips,
};
// One clip per line: the manifest stays readable and its diffs small.
const manifestText = JSON.stringify({ ...manifest, clips: [] }, null, 1).replace(/"clips": \[\]/, `"clips": [\n${clips.map((c) => `  ${JSON.stringify(c)}`).join(",\n")}\n ]`) + "\n";
const totalBytes = [...files.values()].reduce((s, b) => s + b.length, 0);
const seconds = clips.reduce((s, c) => s + c.samples, 0) / SETTINGS.sampleRate;

if (check) {
  const stale = [];
  for (const [name, bytes] of files) {
    const path = join(outDir, name);
    if (!existsSync(path) || !readFileSync(path).equals(bytes)) stale.push(name);
  }
  const manifestPath = join(outDir, "manifest.json");
  if (!existsSync(manifestPath) || readFileSync(manifestPath, "utf8") !== manifestText) stale.push("manifest.json");
  const extra = existsSync(outDir) ? readdirSync(outDir).filter((f) => f !== "manifest.json" && !files.has(f)) : [];
  if (stale.length || extra.length) {
    console.error(`generate-speech: datasets/speech differs from what the generator makes now: ${stale.length} files differ (${stale.slice(0, 5).join(", ")}${stale.length > 5 ? ", ..." : ""})${extra.length ? `, ${extra.length} not made by it (${extra.slice(0, 3).join(", ")})` : ""}`);
    process.exit(1);
  }
  console.log(`generate-speech: datasets/speech is up to date (${files.size} clips, ${(totalBytes / 1024).toFixed(0)} KiB, ${seconds.toFixed(1)} s of speech; regenerated in ${((realNow() - started) / 1000).toFixed(1)} s)`);
} else {
  mkdirSync(outDir, { recursive: true });
  for (const f of readdirSync(outDir)) if (f.endsWith(".wav") && !files.has(f)) rmSync(join(outDir, f));
  for (const [name, bytes] of files) {
    writeFileSync(join(outDir, `${name}.tmp`), bytes);
    renameSync(join(outDir, `${name}.tmp`), join(outDir, name));
  }
  writeFileSync(join(outDir, "manifest.json"), manifestText);
  console.log(`generate-speech: wrote ${files.size} clips (${(totalBytes / 1024).toFixed(0)} KiB, ${seconds.toFixed(1)} s of speech) and manifest.json to datasets/speech in ${((realNow() - started) / 1000).toFixed(1)} s`);
}
