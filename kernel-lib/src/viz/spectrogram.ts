// A spectrogram: the band energies of one waveform drawn as a heatmap, time across, frequency
// up (the highest band on top, as spectrograms are read). Notebooks 01 and 98 both draw chirps so.
import { ChartInputError, chartName } from "./checks";
import type { Chart } from "./figure";
import { heatmap } from "./heatmap";
import type { Tensor } from "../tensor";

export interface SpectrogramOptions {
  title: string;
  /** Band energies [T, B, bands] as `kl.data.bandEnergies` returns them (time-major). */
  features: Tensor;
  /** Which waveform of the batch (default 0). */
  example?: number;
  /** Width of each band in Hz, for the row labels (default: bands are labelled by number). */
  bandHz?: number;
  /** Column axis title (default "frame"). */
  xTitle?: string;
  /** The colour bar's title (default "log energy"). */
  colorTitle?: string;
}

/** `spectrogram({ title: "rising chirp", features: kl.data.bandEnergies(waves), example: 0, bandHz: 250 })` */
export function spectrogram(options: SpectrogramOptions): Chart {
  const { features, example = 0, bandHz } = options;
  const where = chartName("spectrogram", options.title);
  if (features === undefined || features === null || features.rank !== 3) {
    throw new ChartInputError(`${where}: features must be band energies [T, B, bands], got ${features?.shape ? `shape [${features.shape.join(",")}]` : String(features)}`);
  }
  const [T, B, bands] = features.shape;
  if (!Number.isInteger(example) || example < 0 || example >= B) {
    throw new ChartInputError(`${where}: example ${example} is out of range for a batch of ${B} waveforms`);
  }
  const top = Array.from({ length: bands }, (_, r) => bands - 1 - r); // rows from the highest band down
  const z = top.map((j) => Array.from({ length: T }, (_, t) => features.data[(t * B + example) * bands + j]));
  return heatmap({
    title: options.title,
    z,
    xTitle: options.xTitle ?? "frame",
    yTitle: bandHz === undefined ? "band" : "band (from Hz)",
    yLabels: top.map((j) => (bandHz === undefined ? String(j) : String(j * bandHz))),
    colorTitle: options.colorTitle ?? "log energy",
    colorscale: "Viridis",
  });
}
