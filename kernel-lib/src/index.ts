// The public API notebooks import as "kernel-lib". Notebooks import nothing else from the library.
export const VERSION = "0.1.0";

// Tensors and factories
export { Tensor, tensor, fromFlat, zeros, ones, full, scalar, randn, uniform, parameter, sizeOf } from "./tensor";
export type { Shape, NestedArray, TensorOptions } from "./tensor";

// Random numbers
export { Rng, seed, defaultRng } from "./random";

// Autodiff tape: grad mode, anomaly mode, and record/accumulateGrad/gradSlot for writing new ops
export { backward, noGrad, isGradEnabled, tapeSize, resetTape, detectAnomaly, withAnomalyDetection, isAnomalyDetectionEnabled } from "./tape";
export { record, accumulateGrad, gradSlot, needsGrad } from "./tape";

// Kernels (swap in a faster implementation with setKernels)
export { getKernels, setKernels, plainKernels, createWasmSimdKernels } from "./kernels";
export type { Kernels, MatmulOptions, BinaryOp, UnaryOp, WasmSimdOptions } from "./kernels";

// Ops (also installed as Tensor methods)
export * from "./ops";

// Checking
export { gradcheck } from "./check/gradcheck";
export type { GradcheckOptions, GradcheckResult } from "./check/gradcheck";
export { checkExercise, ExerciseChecker, ExerciseError } from "./check/exercise";
export type { Checkable, CloseOptions } from "./check/exercise";
// The check functions of the course notebooks' exercises: kl.exercises.ch01, kl.exercises.ch02, ...
export * as exercises from "./exercises";

// Layers (nn/): modules with named parameters, cells, sequence layers; initialisers as `init`
export * from "./nn";
export * as init from "./nn/init";

// Optimizers and gradient clipping
export * from "./optim";

// State dicts (PyTorch names, nested arrays) to and from JSON strings
export { saveJSON, loadJSON } from "./io/state-dict";
export type { StateDict, Nested, LoadOptions, LoadResult } from "./io/state-dict";

// Data (data/): the course's data sets and loaders: text (vocabularies, truncated-BPTT batches),
// time series (splits by time, scaling fitted on train, windows), CSV tables through danfojs,
// seeded generators (long-range tasks, audio, service logs); every loader has describe()
export * from "./data";

// Fidelity against PyTorch's reference cases
export { checkFixtureFile, checkFixtureDir, loadFixtureCase, relativeError, formatReport, formatSummary, FIDELITY_TOLERANCE, FixtureError } from "./check/fixtures";
export type { CaseReport, FixtureCase, CellCase, TrainCase, WorstError } from "./check/fixtures";

// Display (viz/): plotly charts, tables, LaTeX, live training views; `show(x)` sends one bundle
export * from "./viz";
