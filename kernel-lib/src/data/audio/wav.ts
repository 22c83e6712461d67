// WAV files: 16-bit PCM mono, the format of the course's spoken words (datasets/speech) and of
// what kl.viz.audio plays. A reader for the chunks a synthesiser or a recorder writes, and a writer
// that gives back exactly what the reader reads.
import { existsSync, readFileSync } from "node:fs";
import { DataError, checkInt } from "../errors";
import { displayPath } from "../paths";

export interface WavAudio {
  readonly sampleRate: number;
  /** The samples as numbers in [-1, 1) (16-bit value / 32768). */
  readonly samples: Float64Array;
}

/**
 * Reads a 16-bit PCM mono WAV file (a path, or its bytes): the RIFF header, the "fmt " chunk and
 * the "data" chunk; other chunks (LIST, ...) are skipped. Anything else is a DataError naming what.
 */
export function readWav(source: string | Uint8Array, name?: string): WavAudio {
  const bytes = typeof source === "string" ? readBytes(source) : source;
  const where = name ?? (typeof source === "string" ? displayPath(source) : "WAV data");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.length < 12 || tag(0) !== "RIFF" || tag(8) !== "WAVE") throw new DataError(`${where}: not a WAV file (no RIFF/WAVE header)`);
  let format: { channels: number; rate: number; bits: number; code: number } | null = null;
  let at = 12;
  while (at + 8 <= bytes.length) {
    const id = tag(at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (body + size > bytes.length) throw new DataError(`${where}: the "${id}" chunk says ${size} bytes, but the file ends ${bytes.length - body} bytes after its header (a truncated file?)`);
    if (id === "fmt ") {
      if (size < 16) throw new DataError(`${where}: the "fmt " chunk is ${size} bytes, fewer than the 16 a PCM format needs`);
      format = { code: view.getUint16(body, true), channels: view.getUint16(body + 2, true), rate: view.getUint32(body + 4, true), bits: view.getUint16(body + 14, true) };
    } else if (id === "data") {
      if (!format) throw new DataError(`${where}: the "data" chunk comes before any "fmt " chunk`);
      if (format.code !== 1 || format.bits !== 16) throw new DataError(`${where}: format ${format.code} with ${format.bits} bits per sample; only 16-bit PCM (format 1) is read`);
      if (format.channels !== 1) throw new DataError(`${where}: ${format.channels} channels; only mono is read (mix the channels down first)`);
      if (!(format.rate > 0)) throw new DataError(`${where}: sample rate ${format.rate}`);
      if (size % 2 !== 0) throw new DataError(`${where}: the "data" chunk holds ${size} bytes, not a whole number of 16-bit samples`);
      const samples = new Float64Array(size / 2);
      for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(body + 2 * i, true) / 32768;
      return { sampleRate: format.rate, samples };
    }
    at = body + size + (size % 2); // chunks are padded to an even length
  }
  throw new DataError(`${where}: no "data" chunk`);
}

/** 16-bit PCM mono WAV bytes of `samples` (numbers in [-1, 1); louder ones are clipped): what readWav reads. */
export function encodeWav(samples: ArrayLike<number>, sampleRate: number): Uint8Array {
  checkInt("encodeWav", "sampleRate", sampleRate, 1);
  const bytes = new Uint8Array(44 + 2 * samples.length);
  const view = new DataView(bytes.buffer);
  const put = (at: number, s: string) => { for (let i = 0; i < 4; i++) bytes[at + i] = s.charCodeAt(i); };
  put(0, "RIFF");
  view.setUint32(4, 36 + 2 * samples.length, true);
  put(8, "WAVE");
  put(12, "fmt ");
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, 2 * sampleRate, true);
  view.setUint16(32, 2, true);
  view.setUint16(34, 16, true);
  put(36, "data");
  view.setUint32(40, 2 * samples.length, true);
  for (let i = 0; i < samples.length; i++) view.setInt16(44 + 2 * i, Math.max(-32768, Math.min(32767, Math.round(samples[i] * 32768))), true);
  return bytes;
}

/** A file's bytes, or a DataError naming the missing file. */
export function readBytes(path: string): Uint8Array {
  if (!existsSync(path)) throw new DataError(`${displayPath(path)} does not exist`);
  return readFileSync(path);
}
