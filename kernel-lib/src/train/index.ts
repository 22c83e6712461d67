// kl.train: training loops a practitioner reuses across projects.
export { fitWithEarlyStopping, type EarlyStoppingOptions, type EarlyStoppingResult, type EpochRecord } from "./early-stopping";
