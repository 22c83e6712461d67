// Synthetic audio whose class is in the order of events: rising chirps (the pitch sweeps up)
// against falling ones (it sweeps down).
//
// Why a falling chirp is made by reversing a rising one: the time-reversal of a real signal has
// exactly the same magnitude spectrum, the same loudness, the same distribution of sample values.
// So every order-free statistic (total spectrum, energy, histogram of samples, time-averaged band
// energies) has the same distribution in both classes, and only a model that follows how the
// spectrum changes over time can tell them apart. Rising chirps are drawn with random start and
// end frequencies, amplitude, phase and noise; falling ones are drawn the same way, then reversed.
import { Tensor, allocate } from "../../tensor";
import { describeLines, namedShape, type Described } from "../describe";
import { DataError, checkInt } from "../errors";
import { balancedLabels, toRng, type SeedLike } from "../seed";

export const CHIRP_CLASSES = ["rising", "falling"] as const;

export interface ChirpOptions {
  /** B: waveforms in the batch. */
  batchSize: number;
  seed: SeedLike;
  /** Samples per waveform (default 4096: 0.512 s at 8 kHz; 256 + 30·128, so frames tile it exactly). */
  samples?: number;
  /** Samples per second (default 8000). */
  sampleRate?: number;
  /** Standard deviation of the added white noise (default 0.05; the chirp's peak is 0.5 to 1). */
  noise?: number;
}

export interface ChirpBatch extends Described {
  /** [B, S]: one waveform per row (batch-major, as audio is stored; framing makes it time-major). */
  readonly waves: Tensor;
  /** [B]: 0 rising, 1 falling; balanced. */
  readonly y: Tensor;
  readonly sampleRate: number;
}

export function generateChirps(options: ChirpOptions): ChirpBatch {
  const B = checkInt("generateChirps", "batchSize", options.batchSize, 1);
  const S = checkInt("generateChirps", "samples", options.samples ?? 4096, 16);
  const rate = options.sampleRate ?? 8000;
  const noise = options.noise ?? 0.05;
  if (!(rate > 0)) throw new DataError(`generateChirps: sampleRate must be > 0, got ${rate}`);
  if (!(noise >= 0)) throw new DataError(`generateChirps: noise must be >= 0, got ${noise}`);
  const rng = toRng(options.seed);
  const labels = balancedLabels(B, 2, rng);
  const nyquist = rate / 2;
  const waves = allocate("generateChirps", [B, S]);
  const duration = S / rate;
  for (let b = 0; b < B; b++) {
    // Low start (5-15% of Nyquist), high end (35-60%): always a clear sweep.
    const f0 = nyquist * rng.uniform(0.05, 0.15);
    const f1 = nyquist * rng.uniform(0.35, 0.6);
    const amp = rng.uniform(0.5, 1);
    const phase = rng.uniform(0, 2 * Math.PI);
    const row = waves.subarray(b * S, (b + 1) * S);
    for (let n = 0; n < S; n++) {
      const t = n / rate;
      // Linear chirp: instantaneous frequency f0 + (f1 - f0)·t/duration.
      const theta = 2 * Math.PI * (f0 * t + ((f1 - f0) * t * t) / (2 * duration)) + phase;
      // A symmetric fade in and out (10% each side), so reversal does not change the envelope.
      const edge = Math.min(n, S - 1 - n) / (0.1 * S);
      const envelope = edge >= 1 ? 1 : 0.5 - 0.5 * Math.cos(Math.PI * edge);
      row[n] = amp * envelope * Math.sin(theta) + noise * rng.normal();
    }
    if (labels[b] === 1) row.reverse();
  }
  return {
    waves: new Tensor(waves, [B, S]),
    y: new Tensor(Float64Array.from(labels), [B]),
    sampleRate: rate,
    describe: () =>
      describeLines(`Chirps: ${B} waveforms of ${S} samples (${(duration * 1000).toFixed(0)} ms at ${rate} Hz)`, [
        ["waves", `${namedShape([B, S], ["B", "S"])}`],
        ["y", `[B=${B}] 0 rising, 1 falling (a falling chirp is a rising one reversed), balanced`],
        ["features", "bandEnergies(waves) → [T, B, bands] per frame, time-major"],
      ]),
  };
}
