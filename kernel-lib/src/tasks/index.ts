// kl.tasks: the long-range memory tasks as experiments (a loss, a score, a success criterion) and
// one training run of a cell on one of them.
export { LONG_RANGE_TASKS, TASK_NAMES, longRangeTask } from "./long-range";
export type { LongRangeTask, TaskBatch, TaskName, TaskScore } from "./long-range";
export { trainOnTask, scoreOnTask } from "./train-on-task";
export type { TaskRun, TrainOnTaskOptions } from "./train-on-task";
