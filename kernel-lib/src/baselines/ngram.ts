// Character n-gram models: language models that count instead of learning, and so the ones a
// character RNN must beat before its bits per character mean anything.
//
//   unigram (n = 1): p(c)             = (n(c) + α) / (N + αV)          every character with its frequency
//   bigram  (n = 2): p(c | a)         = (n(a c) + α) / (n(a ·) + αV)   the next character given the last one
//   n-gram:          p(c | a₁…aₙ₋₁)   = (n(a₁…aₙ₋₁ c) + α) / (n(a₁…aₙ₋₁ ·) + αV)
//
// n(·) are counts in the TRAINING ids (n(a c): how often c follows a; n(a ·): how often a is
// followed by anything; N: how many ids), V is the vocabulary size, and α > 0 is add-α smoothing
// (α = 1 is Laplace's add-one): every character keeps a probability above 0, so a combination
// never seen in training costs many bits on held-out text instead of infinitely many. A context
// never seen in training (zero counts) gives the uniform distribution, 1/V.
//
// Measured on other ids, a model's cost is the mean of −log₂ p(ids[t] | the ids before t) over
// t = 1 … n−1: the first id is context only, exactly as for a recurrent model reading the same
// text (it predicts ids[1] after reading ids[0]), so the two numbers are averages over the same
// targets. An n-gram reads the last n−1 ids before t; the first few targets, which have fewer
// before them, are predicted from the shorter context they have (the model keeps the counts of
// every shorter order too).
//
//   const bi = kl.baselines.bigramModel(vocab.encode(trainText), vocab.size);
//   bi.bitsPerCharacter(vocab.encode(validationText))   // e.g. 3.5 bits per character
import type { Rng } from "../random";

export interface CharNgramOptions {
  /** Add-α smoothing: α added to every count (default 1, add-one). Must be > 0. */
  alpha?: number;
}

function checkIds(who: string, what: string, ids: ArrayLike<number>, vocabSize: number): void {
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i];
    if (!Number.isInteger(v) || v < 0 || v >= vocabSize) {
      throw new RangeError(`${who}: ${what}[${i}] = ${v} is not a token id in 0..${vocabSize - 1} (vocabulary of ${vocabSize})`);
    }
  }
}

/** How many times each numbered item occurred (0 for one never seen). */
interface Counts {
  get(key: number): number;
}

/** Up to this many possible k-grams (V^k) are counted in a table with a slot for each (32 MiB). */
const DENSE_LIMIT = 2 ** 22;

/** A table with one slot per possible item. */
class DenseCounts implements Counts {
  constructor(private readonly table: Float64Array) {}

  get(key: number): number {
    return this.table[key];
  }
}

/** Counts of numbered items, looked up by binary search: keys ascending, counts[i] for keys[i]. */
class SortedCounts implements Counts {
  private constructor(private readonly keys: Float64Array, private readonly counts: Float64Array) {}

  /** The counts of floor(sorted[i] / divisor) over a sorted array (divisor 1: of the items themselves). */
  static ofSorted(sorted: Float64Array, divisor: number): SortedCounts {
    const keys: number[] = [];
    const counts: number[] = [];
    for (let i = 0; i < sorted.length; i++) {
      const key = divisor === 1 ? sorted[i] : Math.floor(sorted[i] / divisor);
      if (keys.length > 0 && keys[keys.length - 1] === key) counts[counts.length - 1] += 1;
      else {
        keys.push(key);
        counts.push(1);
      }
    }
    return new SortedCounts(Float64Array.from(keys), Float64Array.from(counts));
  }

  get(key: number): number {
    let lo = 0;
    let hi = this.keys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const k = this.keys[mid];
      if (k === key) return this.counts[mid];
      if (k < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return 0;
  }
}

/** A character n-gram model (order 1: unigram, 2: bigram, ...) with add-α smoothing, fitted on training ids. */
export class CharNgram {
  readonly alpha: number;
  /** grams[k - 1]: the k-grams' counts, keyed context·V + next (the context's k − 1 ids read as a number in base V). */
  private readonly grams: Counts[] = [];
  /** contexts[k - 1]: how often each context of k − 1 ids was followed by anything, keyed by the context's number. */
  private readonly contexts: Counts[] = [];

  constructor(readonly order: number, readonly vocabSize: number, trainIds: ArrayLike<number>, options: CharNgramOptions = {}) {
    const who = order === 1 ? "unigramModel" : order === 2 ? "bigramModel" : "ngramModel";
    if (!Number.isInteger(order) || order < 1) throw new RangeError(`${who}: order must be a whole number >= 1, got ${order}`);
    if (!Number.isInteger(vocabSize) || vocabSize < 1) throw new RangeError(`${who}: vocabSize must be a whole number >= 1, got ${vocabSize}`);
    if (vocabSize ** order > Number.MAX_SAFE_INTEGER) {
      throw new RangeError(`${who}: order ${order} with ${vocabSize} tokens has ${vocabSize}^${order} possible n-grams, more than this model can number exactly (2^53); use a lower order`);
    }
    const alpha = options.alpha ?? 1;
    if (!(alpha > 0) || !Number.isFinite(alpha)) {
      throw new RangeError(`${who}: alpha must be a finite number > 0, got ${alpha} (with 0, a character never seen in that context has probability 0 and a text containing it infinitely many bits)`);
    }
    if (trainIds.length < order) throw new RangeError(`${who}: ${trainIds.length} training ids are too few for order ${order} (one n-gram needs ${order})`);
    checkIds(who, "trainIds", trainIds, vocabSize);
    this.alpha = alpha;
    const V = vocabSize;
    for (let k = 1; k <= order; k++) {
      // Every k-gram as one number (its ids in base V). Beyond DENSE_LIMIT they are sorted: equal
      // k-grams are then neighbours (counted in one pass), and so are k-grams with the same context
      // (key / V rounded down), whose counts add up to the context's. Sorting a typed array is much
      // faster than a Map with a million keys.
      const keys = new Float64Array(trainIds.length - k + 1);
      for (let i = k - 1; i < trainIds.length; i++) {
        let key = 0;
        for (let j = i - k + 1; j <= i; j++) key = key * V + trainIds[j];
        keys[i - k + 1] = key;
      }
      if (V ** k <= DENSE_LIMIT) {
        // Few enough possible k-grams (V^k) for a table with a slot for each: counted in one pass.
        const grams = new Float64Array(V ** k);
        const contexts = new Float64Array(V ** (k - 1));
        for (let i = 0; i < keys.length; i++) {
          grams[keys[i]] += 1;
          contexts[Math.floor(keys[i] / V)] += 1;
        }
        this.grams.push(new DenseCounts(grams));
        this.contexts.push(new DenseCounts(contexts));
      } else {
        keys.sort();
        this.grams.push(SortedCounts.ofSorted(keys, 1));
        this.contexts.push(SortedCounts.ofSorted(keys, V));
      }
    }
  }

  /** The same counts with another smoothing α (nothing is counted again): for choosing α on validation text. */
  withAlpha(alpha: number): CharNgram {
    if (!(alpha > 0) || !Number.isFinite(alpha)) throw new RangeError(`CharNgram.withAlpha: alpha must be a finite number > 0, got ${alpha}`);
    const copy = Object.create(CharNgram.prototype) as CharNgram;
    return Object.assign(copy, this, { alpha });
  }

  /** The last (up to) order − 1 ids of `context`, as [how many, their number in base V]. */
  private contextKey(who: string, context: ArrayLike<number>): [number, number] {
    checkIds(who, "context", context, this.vocabSize);
    const used = Math.min(this.order - 1, context.length);
    let ctx = 0;
    for (let j = context.length - used; j < context.length; j++) ctx = ctx * this.vocabSize + context[j];
    return [used, ctx];
  }

  /** n(context next): how often `next` followed the context (its last order − 1 ids) in the training ids. */
  count(next: number, context: ArrayLike<number> = []): number {
    checkIds("CharNgram.count", "next", [next], this.vocabSize);
    const [used, ctx] = this.contextKey("CharNgram.count", context);
    return this.grams[used].get(ctx * this.vocabSize + next);
  }

  /** n(context ·): how often the context (its last order − 1 ids) was followed by anything. */
  contextCount(context: ArrayLike<number> = []): number {
    const [used, ctx] = this.contextKey("CharNgram.contextCount", context);
    return this.contexts[used].get(ctx);
  }

  /** p(next | context), from the context's last order − 1 ids (a unigram ignores it). */
  prob(next: number, context: ArrayLike<number> = []): number {
    return (this.count(next, context) + this.alpha) / (this.contextCount(context) + this.alpha * this.vocabSize);
  }

  /** The whole next-character distribution after `context`: V probabilities summing to 1. */
  distribution(context: ArrayLike<number> = []): Float64Array {
    const V = this.vocabSize;
    const [used, ctx] = this.contextKey("CharNgram.distribution", context);
    const grams = this.grams[used];
    const denominator = this.contexts[used].get(ctx) + this.alpha * V;
    const out = new Float64Array(V);
    for (let c = 0; c < V; c++) out[c] = (grams.get(ctx * V + c) + this.alpha) / denominator;
    return out;
  }

  /**
   * The total cost in bits of ids[1 … n−1], each given the ids before it:
   * Σ −log₂ p(ids[t] | ids[t−order+1 … t−1]), and how many characters that is (n − 1).
   */
  bits(ids: ArrayLike<number>): { bits: number; count: number } {
    if (ids.length < 2) throw new RangeError(`CharNgram.bits: ${ids.length} ids give no target (ids[0] is context only; need at least 2)`);
    checkIds("CharNgram.bits", "ids", ids, this.vocabSize);
    const V = this.vocabSize;
    let total = 0;
    for (let t = 1; t < ids.length; t++) {
      const used = Math.min(this.order - 1, t);
      let ctx = 0;
      for (let j = t - used; j < t; j++) ctx = ctx * V + ids[j];
      const n = this.grams[used].get(ctx * V + ids[t]);
      const d = this.contexts[used].get(ctx);
      total -= Math.log2((n + this.alpha) / (d + this.alpha * V));
    }
    return { bits: total, count: ids.length - 1 };
  }

  /** Mean bits per character of ids[1 … n−1] (ids[0] is context only, as for a recurrent model). */
  bitsPerCharacter(ids: ArrayLike<number>): number {
    const { bits, count } = this.bits(ids);
    return bits / count;
  }

  /**
   * `length` ids drawn one at a time after `context` (not included), each from p(· | the ids
   * before it) reshaped by a temperature τ: p^(1/τ), renormalised (τ = 1: the model's own
   * distribution).
   */
  sample(length: number, rng: Rng, options: { context?: ArrayLike<number>; temperature?: number } = {}): Int32Array {
    if (!Number.isInteger(length) || length < 0) throw new RangeError(`CharNgram.sample: length must be a whole number >= 0, got ${length}`);
    const tau = options.temperature ?? 1;
    if (!(tau > 0) || !Number.isFinite(tau)) throw new RangeError(`CharNgram.sample: temperature must be a finite number > 0, got ${tau}`);
    const history = Array.from(options.context ?? []);
    checkIds("CharNgram.sample", "context", history, this.vocabSize);
    const out = new Int32Array(length);
    for (let t = 0; t < length; t++) {
      const p = this.distribution(history.slice(Math.max(0, history.length - (this.order - 1))));
      if (tau !== 1) for (let c = 0; c < p.length; c++) p[c] = Math.pow(p[c], 1 / tau);
      out[t] = rng.categorical(p);
      history.push(out[t]);
    }
    return out;
  }
}

/** A character n-gram model of any order: the next character given the order − 1 before it. */
export function ngramModel(trainIds: ArrayLike<number>, vocabSize: number, options: CharNgramOptions & { order: number }): CharNgram {
  return new CharNgram(options.order, vocabSize, trainIds, options);
}

/** Each character with its (add-α smoothed) frequency in the training ids: no context at all. */
export function unigramModel(trainIds: ArrayLike<number>, vocabSize: number, options: CharNgramOptions = {}): CharNgram {
  return new CharNgram(1, vocabSize, trainIds, options);
}

/** The next character given the last one, from the training ids' pair counts (add-α smoothed). */
export function bigramModel(trainIds: ArrayLike<number>, vocabSize: number, options: CharNgramOptions = {}): CharNgram {
  return new CharNgram(2, vocabSize, trainIds, options);
}
