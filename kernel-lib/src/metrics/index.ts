// Numbers computed from a model's outputs or from data, outside the training loop.
export { correlation } from "./correlation";
export { gradientByStep } from "./gradient-by-step";
export type { GradientByStep, GradientByStepOptions } from "./gradient-by-step";
export { fittedRate } from "./fitted-rate";
export { gradientByPosition, type GradientByPosition, type GradientByPositionOptions } from "./gradient-by-position";
export { mae, mape } from "./forecast-errors";
export { tokenSurprise, sequenceScores, errorScale, standardizedError, thresholdAtBestF1, rocAuc, type SequenceReduce, type ChosenThreshold } from "./anomaly-scores";
export { bitsPerCharacter, natsToBits } from "./bits-per-character";
export { precisionRecall, prCurve, type PrecisionRecall, type PrCurve } from "./precision-recall";
