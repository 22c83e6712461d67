// Sequences of different lengths (names, request traces) in one batch: padded to the longest.
//
// Which side? For a classifier that reads the final hidden state, pad on the LEFT: every sequence
// then ends at the last step, and h_T has read all of it (right padding would make the network
// read pad tokens after the real end, and h_T would drift). For next-token prediction, pad on the
// RIGHT and use the mask to leave the padded steps out of the loss.
import { Tensor, allocate } from "../../tensor";
import { DataError } from "../errors";

export interface PaddedBatch {
  /** [T, B] token ids, time-major; padded steps hold padId. */
  ids: Tensor;
  /** [T, B]: 1 at real steps, 0 at padding. */
  mask: Tensor;
  /** lengths[b]: real steps in sequence b. */
  lengths: Int32Array;
}

export function padSequences(seqs: readonly ArrayLike<number>[], options: { padId: number; side?: "left" | "right"; length?: number }): PaddedBatch {
  const { padId, side = "right" } = options;
  if (seqs.length === 0) throw new DataError("padSequences: no sequences to pad");
  if (side !== "left" && side !== "right") throw new DataError(`padSequences: side must be "left" or "right", got ${JSON.stringify(side)}`);
  const longest = Math.max(...seqs.map((s) => s.length));
  const T = options.length ?? longest;
  if (T < longest) throw new DataError(`padSequences: length ${T} is shorter than the longest sequence (${longest} steps)`);
  const B = seqs.length;
  const ids = allocate("padSequences", [T, B]).fill(padId);
  const mask = allocate("padSequences", [T, B]);
  const lengths = Int32Array.from(seqs, (s) => s.length);
  seqs.forEach((s, b) => {
    const shift = side === "left" ? T - s.length : 0;
    for (let t = 0; t < s.length; t++) {
      ids[(t + shift) * B + b] = s[t];
      mask[(t + shift) * B + b] = 1;
    }
  });
  return { ids: new Tensor(ids, [T, B]), mask: new Tensor(mask, [T, B]), lengths };
}
