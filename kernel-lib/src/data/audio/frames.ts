// From waveforms to a sequence of feature vectors: cut each wave into overlapping frames, and for
// each frame measure the energy in a few frequency bands (a coarse spectrogram). A recurrent
// network then reads one vector per frame.
//
// Frame t covers samples t·hop .. t·hop + frameLength - 1, multiplied by a symmetric Hann window
// (which tapers the frame's edges, so cutting does not add spurious high frequencies). Its
// spectrum comes from a plain discrete Fourier transform, |X_k|² for k = 0..frameLength/2, and
// band j sums the bins in its equal slice of 0..Nyquist. Features are log(energy + 1e-8): energies
// span orders of magnitude, logs make them comparable.
//
// Symmetry: when (samples - frameLength) is a multiple of hop, the frames of a reversed wave are
// the reversed frames of the wave, and a reversed frame (symmetric window) has the same |X_k|.
// So the features of a reversed wave are exactly the features of the wave in reverse order.
import { Tensor } from "../../tensor";
import { shapeStr } from "../../errors";
import { DataError, checkInt } from "../errors";

export interface FrameOptions {
  /** Samples per frame (default 256). */
  frameLength?: number;
  /** Samples between frame starts (default 128: half-overlapping frames). */
  hop?: number;
  /** Frequency bands per frame (default 16). */
  bands?: number;
}

/** waves [B, S] → log band energies [T, B, bands], T = floor((S - frameLength) / hop) + 1. */
export function bandEnergies(waves: Tensor, options: FrameOptions = {}): Tensor {
  if (waves.rank !== 2) throw new DataError(`bandEnergies: waves must be [B, S] (one waveform per row), got ${shapeStr(waves.shape)}`);
  const [B, S] = waves.shape;
  const L = checkInt("bandEnergies", "frameLength", options.frameLength ?? 256, 4);
  const hop = checkInt("bandEnergies", "hop", options.hop ?? 128, 1);
  const bins = Math.floor(L / 2) + 1;
  const bands = checkInt("bandEnergies", "bands", options.bands ?? 16, 1);
  if (bands > bins) throw new DataError(`bandEnergies: ${bands} bands but a frame of ${L} samples has only ${bins} frequency bins`);
  if (S < L) throw new DataError(`bandEnergies: a frame of ${L} samples is longer than the waveforms (${S} samples)`);
  const T = Math.floor((S - L) / hop) + 1;
  const window = Float64Array.from({ length: L }, (_, n) => 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / (L - 1)));
  // cos/sin tables for the DFT: X_k = Σ_n x_n e^{-2πi kn/L}.
  const cos = new Float64Array(bins * L);
  const sin = new Float64Array(bins * L);
  for (let k = 0; k < bins; k++) {
    for (let n = 0; n < L; n++) {
      const a = (2 * Math.PI * ((k * n) % L)) / L;
      cos[k * L + n] = Math.cos(a);
      sin[k * L + n] = Math.sin(a);
    }
  }
  const bandOf = Int32Array.from({ length: bins }, (_, k) => Math.min(bands - 1, Math.floor((k * bands) / bins)));
  const out = new Float64Array(T * B * bands);
  const frame = new Float64Array(L);
  const energy = new Float64Array(bands);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const start = b * S + t * hop;
      for (let n = 0; n < L; n++) frame[n] = waves.data[start + n] * window[n];
      energy.fill(0);
      for (let k = 0; k < bins; k++) {
        let re = 0, im = 0;
        for (let n = 0; n < L; n++) {
          re += frame[n] * cos[k * L + n];
          im -= frame[n] * sin[k * L + n];
        }
        energy[bandOf[k]] += re * re + im * im;
      }
      for (let j = 0; j < bands; j++) out[(t * B + b) * bands + j] = Math.log(energy[j] + 1e-8);
    }
  }
  return new Tensor(out, [T, B, bands]);
}
