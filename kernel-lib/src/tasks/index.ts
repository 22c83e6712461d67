// kl.tasks: the long-range memory tasks as experiments (a loss, a score, a success criterion),
// one training run of a cell on one of them, and grids of runs with their success rates.
export { LONG_RANGE_TASKS, TASK_NAMES, longRangeTask } from "./long-range";
export type { LongRangeTask, TaskBatch, TaskName, TaskScore } from "./long-range";
export { trainOnTask, scoreOnTask } from "./train-on-task";
export type { TaskRun, TrainOnTaskOptions } from "./train-on-task";
export { successGrid, successRates, gridRun, gridRuns, gridSettings, loadGrid } from "./success-grid";
export type { GridRow, GridSettings, GridSpec, RateRow, StoredGrid } from "./success-grid";
export * from "./attention-lab";
