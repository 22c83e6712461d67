// A sound in the notebook: the waveform as a WAV file inside the output, played by the browser's
// own <audio> element. Nothing is fetched and nothing is written to disk, so the notebook saved
// with its outputs (or exported to HTML) still plays it.
//
//   kl.viz.show(kl.viz.audio(clip.samples, { sampleRate: 8000, title: '"dog" by en-GB-scotland' }))
import { Tensor } from "../tensor";
import { encodeWav } from "../data/audio/wav";
import { escapeHtml } from "./format";
import type { Displayable, MimeBundle } from "./mime";

export interface AudioOptions {
  /** Samples per second. */
  sampleRate: number;
  /** A caption beside the player. */
  title?: string;
}

function samplesOf(samples: ArrayLike<number> | Tensor): ArrayLike<number> {
  if (samples instanceof Tensor) {
    if (samples.rank !== 1) throw new RangeError(`kl.viz.audio: a waveform Tensor must be [samples] (one sound), got [${samples.shape.join(", ")}]; pick one row first`);
    return samples.data;
  }
  if (samples === null || typeof samples !== "object" || !Number.isInteger((samples as ArrayLike<number>).length)) {
    throw new TypeError(`kl.viz.audio: samples must be an array of numbers or a Tensor, got ${samples === null ? "null" : typeof samples}`);
  }
  return samples;
}

/** A player for a waveform of numbers in [-1, 1) (louder samples are clipped, and the caption says how many). */
export function audio(samples: ArrayLike<number> | Tensor, options: AudioOptions): Displayable {
  const x = samplesOf(samples);
  const rate = options?.sampleRate;
  if (typeof rate !== "number" || !Number.isInteger(rate) || rate < 1) throw new RangeError(`kl.viz.audio: sampleRate must be a whole number of samples per second, got ${String(rate)}`);
  if (x.length === 0) throw new RangeError("kl.viz.audio: no samples to play");
  let clipped = 0;
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) throw new RangeError(`kl.viz.audio: sample ${i} is ${x[i]}, not a finite number`);
    if (x[i] < -1 || x[i] >= 1) clipped++;
  }
  const title = options.title ?? "audio";
  const seconds = `${(x.length / rate).toFixed(2)} s at ${rate} Hz`;
  const note = clipped ? `, ${clipped} sample${clipped === 1 ? "" : "s"} outside [-1, 1) clipped` : "";
  const wav = Buffer.from(encodeWav(x, rate)).toString("base64");
  return {
    label: `audio "${title}"`,
    toBundle: (): MimeBundle => ({
      "text/plain": `[audio] ${title}: ${seconds}${note}`,
      "text/html":
        `<div style="display:flex;align-items:center;gap:1em"><audio controls preload="metadata" src="data:audio/wav;base64,${wav}"></audio>` +
        `<span>${escapeHtml(title)} <small>(${seconds}${note})</small></span></div>`,
    }),
  };
}
