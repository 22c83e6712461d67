// kl.baselines: the honest comparisons a project reports its model beside (a forecast that ignores
// the model, a detector that ignores order, a language model that ignores context). A result
// counts only where it beats these.
export {};
export { ZScore, type StepRange } from "./z-score";
export { EventFrequencies, BagRates, bagOf, type BagReduce, type EventFrequenciesOptions, type BagRatesOptions } from "./bag-of-events";
export { seasonalNaive, type SeasonalNaiveOptions } from "./seasonal-naive";
export { CharNgram, ngramModel, unigramModel, bigramModel, type CharNgramOptions } from "./ngram";
export { frameMeans, segmentMeans } from "./frame-mean";
