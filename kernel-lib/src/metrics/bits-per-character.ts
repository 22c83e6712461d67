// Bits per character: how a character language model is scored. The model gives a probability
// p(c_t | c_<t) to each next character of a held-out text; its cost is the mean of −log₂ of those
// probabilities. The training loss (cross-entropy) is the same mean in nats, with ln instead of
// log₂, so one is the other divided by ln 2:
//
//     bits = nats / ln 2 ≈ 1.4427 · nats,     perplexity = 2^bits = e^nats.
//
// A model that knows nothing (uniform over V characters) costs log₂ V bits; English text has been
// estimated at about 1 to 1.5 bits per character by human guessers (Shannon 1951), and small
// character models reach 2 bits and below on a novel. Bits compare across vocabularies and across
// models that count in nats or in bits, which is why papers report them.
import type { Tensor } from "../tensor";

/** bits = nats / ln 2: a cross-entropy in nats (the training loss) as bits. */
export function natsToBits(nats: number): number {
  return nats / Math.LN2;
}

/**
 * The mean of −log₂ softmax(logits)[target] over rows: logits [N, V] (or [T, B, V], read as T·B
 * rows) and one target id per row. Computed in place from the numbers (a stable log-softmax; no
 * tape), so it costs one pass and works the same inside or outside noGrad.
 */
export function bitsPerCharacter(logits: Tensor, targets: ArrayLike<number> | Tensor): number {
  const shape = logits.shape;
  if (shape.length < 2) throw new RangeError(`bitsPerCharacter: logits must be [N, V] or [T, B, V] (one row of scores per predicted character), got shape [${shape.join(", ")}]`);
  const V = shape[shape.length - 1];
  const N = logits.size / V;
  const t = "data" in targets && targets.data instanceof Float64Array ? targets.data : (targets as ArrayLike<number>);
  if (t.length !== N) throw new RangeError(`bitsPerCharacter: logits [${shape.join(", ")}] hold ${N} rows but there are ${t.length} targets; need one target per row`);
  if (N === 0) throw new RangeError("bitsPerCharacter: no characters to score");
  const x = logits.data;
  let total = 0;
  for (let r = 0; r < N; r++) {
    const target = t[r];
    if (!Number.isInteger(target) || target < 0 || target >= V) throw new RangeError(`bitsPerCharacter: targets[${r}] = ${target} is not a character id in 0..${V - 1}`);
    let max = -Infinity;
    for (let c = 0; c < V; c++) if (x[r * V + c] > max) max = x[r * V + c];
    let sum = 0;
    for (let c = 0; c < V; c++) sum += Math.exp(x[r * V + c] - max);
    // −ln p = log Σ e^{x_c − max} − (x_target − max); in bits, divided by ln 2.
    total += (Math.log(sum) - (x[r * V + target] - max)) / Math.LN2;
  }
  if (!Number.isFinite(total)) throw new RangeError("bitsPerCharacter: the logits hold NaN or ±Infinity (a diverged model?)");
  return total / N;
}
