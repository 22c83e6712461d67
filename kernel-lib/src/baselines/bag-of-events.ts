// Detectors that see which events a sequence holds, and how many of each (its BAG of events),
// but not their order. They are the honest comparison for a sequence model on logs: what a model
// finds that these cannot must come from the order.
//
//   EventFrequencies   the order-blind twin of a next-event model: p(e), each event's share of the
//                      training events (add-α smoothed), whatever came before it. An event's
//                      surprise is −log p(e); a sequence's score is its most surprising event (or
//                      the sum, or the mean), as kl.metrics.sequenceScores does for a model.
//   BagRates           the best a bag can do when labels are known: the share of anomalies among
//                      the training sequences with exactly this bag (smoothed towards the overall
//                      share). Any order-blind detector gives two sequences with the same bag the
//                      same score; this one at least learns which bags anomalies come in.
//
//   const freq = kl.baselines.EventFrequencies.fit(trainIds, vocab.size);
//   freq.surprise(request.ids)          // −log p(e) per event, in nats
//   freq.score(request.ids)             // the largest of them
//   const rates = kl.baselines.BagRates.fit(trainIds, trainLabels);
//   rates.score(request.ids)            // the anomaly rate of this bag in training
//
// Both are functions of the bag: reorder a sequence's events and its score does not change.

type Ids = ArrayLike<number>;

function checkSequences(who: string, sequences: readonly Ids[], vocabSize?: number): void {
  if (!Array.isArray(sequences) || sequences.length === 0) throw new RangeError(`${who}: no training sequences`);
  sequences.forEach((seq, s) => {
    if (seq === null || typeof seq !== "object" || !Number.isInteger(seq.length)) throw new TypeError(`${who}: sequence ${s} is not an array of event ids`);
    for (let i = 0; i < seq.length; i++) {
      const v = seq[i];
      if (!Number.isInteger(v) || v < 0 || (vocabSize !== undefined && v >= vocabSize)) {
        throw new RangeError(`${who}: sequence ${s}, event ${i} is ${v}, not an event id${vocabSize === undefined ? " (a whole number >= 0)" : ` in 0..${vocabSize - 1}`}`);
      }
    }
  });
}

/**
 * The bag of a sequence as a text key: its distinct ids in increasing order, each with its count
 * ("3x1 7x2": id 3 once, id 7 twice). Two sequences have the same key exactly when one is a
 * reordering of the other.
 */
export function bagOf(ids: Ids): string {
  const counts = new Map<number, number>();
  for (let i = 0; i < ids.length; i++) counts.set(ids[i], (counts.get(ids[i]) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => a[0] - b[0]).map(([id, n]) => `${id}x${n}`).join(" ");
}

export type BagReduce = "max" | "sum" | "mean";

export interface EventFrequenciesOptions {
  /** Add-α smoothing: α is added to every event's count (default 1), so an event never seen in training has a finite surprise. */
  alpha?: number;
}

/** p(e) from the training events, whatever their order: the next-event model with no context. */
export class EventFrequencies {
  private constructor(
    /** counts[e]: how often event e occurs in the training sequences. */
    readonly counts: Float64Array,
    readonly alpha: number,
  ) {
    this.total = counts.reduce((a, b) => a + b, 0);
  }

  /** N: how many events the training sequences hold. */
  readonly total: number;

  static fit(sequences: readonly Ids[], vocabSize: number, options: EventFrequenciesOptions = {}): EventFrequencies {
    if (!Number.isInteger(vocabSize) || vocabSize < 1) throw new RangeError(`EventFrequencies.fit: vocabSize must be a whole number >= 1, got ${vocabSize}`);
    const alpha = options.alpha ?? 1;
    if (!(alpha > 0) || !Number.isFinite(alpha)) throw new RangeError(`EventFrequencies.fit: alpha must be a finite number > 0, got ${alpha} (with 0, an event never seen in training would be infinitely surprising)`);
    checkSequences("EventFrequencies.fit", sequences, vocabSize);
    const counts = new Float64Array(vocabSize);
    for (const seq of sequences) for (let i = 0; i < seq.length; i++) counts[seq[i]]++;
    return new EventFrequencies(counts, alpha);
  }

  get vocabSize(): number {
    return this.counts.length;
  }

  /** p(e) = (n(e) + α) / (N + αV), N the number of training events, V the vocabulary size. */
  probability(event: number): number {
    if (!Number.isInteger(event) || event < 0 || event >= this.vocabSize) throw new RangeError(`EventFrequencies.probability: ${event} is not an event id in 0..${this.vocabSize - 1}`);
    return (this.counts[event] + this.alpha) / (this.total + this.alpha * this.vocabSize);
  }

  /** −log p(e) for each event of the sequence, in nats. */
  surprise(ids: Ids): Float64Array {
    checkSequences("EventFrequencies.surprise", [ids], this.vocabSize);
    return Float64Array.from(ids, (e) => -Math.log(this.probability(e)));
  }

  /** The sequence's score: its largest surprise (default), their sum, or their mean. */
  score(ids: Ids, reduce: BagReduce = "max"): number {
    if (reduce !== "max" && reduce !== "sum" && reduce !== "mean") throw new RangeError(`EventFrequencies.score: reduce must be "max", "sum" or "mean", got ${JSON.stringify(reduce)}`);
    const s = this.surprise(ids);
    if (s.length === 0) throw new RangeError("EventFrequencies.score: the sequence has no events");
    if (reduce === "max") return Math.max(...s);
    const sum = s.reduce((a, b) => a + b, 0);
    return reduce === "sum" ? sum : sum / s.length;
  }
}

export interface BagRatesOptions {
  /**
   * How many training sequences the overall anomaly rate counts as, in each bag (default 1): a bag
   * seen n times with a anomalies scores (a + prior · r) / (n + prior), r the overall rate; a bag
   * never seen scores r.
   */
  prior?: number;
}

/** The share of anomalies among the training sequences with the same bag: a supervised, order-blind detector. */
export class BagRates {
  private constructor(
    /** For each bag key seen in training: [sequences, anomalies]. */
    readonly bags: ReadonlyMap<string, readonly [number, number]>,
    /** The share of anomalies among all training sequences. */
    readonly overallRate: number,
    readonly prior: number,
  ) {}

  static fit(sequences: readonly Ids[], labels: ArrayLike<number | boolean>, options: BagRatesOptions = {}): BagRates {
    checkSequences("BagRates.fit", sequences);
    if (labels.length !== sequences.length) throw new RangeError(`BagRates.fit: ${sequences.length} sequences and ${labels.length} labels; need one label per sequence`);
    const prior = options.prior ?? 1;
    if (!(prior >= 0) || !Number.isFinite(prior)) throw new RangeError(`BagRates.fit: prior must be a finite number >= 0, got ${prior}`);
    const bags = new Map<string, [number, number]>();
    let anomalies = 0;
    sequences.forEach((seq, i) => {
      const key = bagOf(seq);
      const entry = bags.get(key) ?? [0, 0];
      entry[0]++;
      if (labels[i]) {
        entry[1]++;
        anomalies++;
      }
      bags.set(key, entry);
    });
    return new BagRates(bags, anomalies / sequences.length, prior);
  }

  /** (anomalies with this bag + prior · r) / (sequences with this bag + prior); r for a bag never seen. */
  score(ids: Ids): number {
    checkSequences("BagRates.score", [ids]);
    const entry = this.bags.get(bagOf(ids));
    if (entry === undefined) return this.overallRate;
    const [n, a] = entry;
    return (a + this.prior * this.overallRate) / (n + this.prior);
  }
}
