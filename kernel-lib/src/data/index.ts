// Data sets and loaders. Real data comes from npm packages (@stdlib) or datasets/; synthetic data
// from seeded generators. Nothing is downloaded, and nothing heavy loads until it is asked for.
export { DataError } from "./errors";
export type { Described } from "./describe";
export type { SeedLike } from "./seed";
export { datasetsDir, datasetPath } from "./paths";
export { stableHash } from "./hash";
export { PROVENANCE } from "./sources";
export type { Provenance } from "./sources";

// Tables (CSV through a swappable backend: danfojs-node by default)
export { readCSV } from "./table/read";
export { DataTable } from "./table/data-table";
export { getTableBackend, setTableBackend } from "./table/backend";
export type { TableBackend, RawTable } from "./table/backend";
export { danfoBackend } from "./table/danfo";

// Time series: splits by time, scaling fitted on train, windows, minibatches
export { asSeries } from "./series/series";
export type { Series } from "./series/series";
export { timeSplit } from "./series/split";
export type { TimeRange, TimeSplit, SplitFractions } from "./series/split";
export { Scaler } from "./series/scaler";
export type { ScalerKind } from "./series/scaler";
export { slidingWindows, labelledWindows } from "./series/windows";
export type { WindowOptions, Windows } from "./series/windows";
export { forecastDataset } from "./series/forecast";
export type { ForecastOptions, ForecastData } from "./series/forecast";
export { minibatches, takeWindows } from "./series/batches";
export type { Minibatch } from "./series/batches";

// Text: vocabularies, truncated-BPTT batches, padding, the real corpora
export { Vocabulary } from "./text/vocabulary";
export type { VocabularyOptions } from "./text/vocabulary";
export { tokenize } from "./text/tokenize";
export type { TokenLevel } from "./text/tokenize";
export { bpttBatches, BpttBatches } from "./text/bptt";
export type { BpttChunk } from "./text/bptt";
export { padSequences } from "./text/pad";
export type { PaddedBatch } from "./text/pad";
export { loadMobyDick, loadNames } from "./text/corpora";
export { readText } from "./text/read-text";
export type { TextCorpus, TextPart, MobyDickOptions, NamesData, NameBatch, NamesWhich } from "./text/corpora";

// Real tabular data from packages
export { loadBirths } from "./tabular/births";
export type { BirthsData, BirthsSource } from "./tabular/births";
export { readDailySeries } from "./tabular/daily";
export type { DailySeries } from "./tabular/daily";
export { loadSensorNetwork } from "./tabular/sensor";
export type { SensorData, MoteSeries } from "./tabular/sensor";

// Service logs: the generator behind datasets/service-logs.csv, and its loader
export { generateServiceLogs, ANOMALY_KINDS, LOG_COLUMNS } from "./logs/generate";
export type { ServiceLogs, ServiceLogOptions, LogRow, LogLevel, AnomalyKind } from "./logs/generate";
export { loadServiceLogs } from "./logs/load";
export type { LogData, LogRequest, LogBatch } from "./logs/load";

// Audio: chirps whose class is their direction, and band energies per frame
export { generateChirps, CHIRP_CLASSES } from "./audio/chirps";
export type { ChirpOptions, ChirpBatch } from "./audio/chirps";
export { bandEnergies } from "./audio/frames";
export type { FrameOptions } from "./audio/frames";
// Spoken words (eSpeak NG, datasets/speech) joined into sentences that differ only in word order
export { readWav, encodeWav } from "./audio/wav";
export { loadSpeechClips, spokenOrder } from "./audio/speech";
export type { WavAudio } from "./audio/wav";
export type { SpeechClip, SpeechClips, HoldOut, SpokenOrderOptions, SpokenOrderSplit, SpokenOrderData, WordSpan } from "./audio/speech";

// Long-range tasks (each takes T, batchSize and a seed)
export { addingProblem, ADDING_BASELINE_MSE } from "./tasks/adding";
export type { TaskOptions, AddingBatch } from "./tasks/adding";
export { temporalOrder, TEMPORAL_ORDER_SYMBOLS, TEMPORAL_ORDER_CLASSES } from "./tasks/temporal-order";
export type { TemporalOrderBatch } from "./tasks/temporal-order";
export { copyTask, copyBaselineLoss } from "./tasks/copy";
export type { CopyOptions, CopyBatch } from "./tasks/copy";
export { embeddedReber, isReber, isEmbeddedReber, embeddedReberNext, REBER_SYMBOLS, REBER_PAD } from "./tasks/reber";
export type { ReberBatch } from "./tasks/reber";
export { twoSequenceLatch } from "./tasks/latch";
export type { LatchOptions, LatchBatch } from "./tasks/latch";
