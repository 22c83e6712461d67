// One implementation, in a worker thread of its own, driven by main.ts one request at a time:
// "set up this configuration and warm up", "time one repeat", "tear down".
//
// Why a thread per implementation: V8 optimizes a function for the array types it has seen.
// Run the Float32Array and Float64Array versions of the same loops in one isolate and both get
// slower (measured: ~20% for whichever runs second), and TF.js's heap and JIT state would sit
// next to kernel-lib's. Each worker is a fresh isolate, so each is timed as if it ran alone.
// Only one worker computes at any time: main.ts waits for each answer before the next request.

import { parentPort, workerData } from "node:worker_threads";
import { loadImplementation, type WorkerImplName } from "./implementations";
import { Timer, type Budget, type Repeat } from "./measure";
import { makeBatch, makeWeights, referenceShape, type CellKind, type StepResult, type Trainer, type TrainerFactory } from "./workload";

export interface WorkerInit {
  impl: WorkerImplName;
  budget: Budget;
}

export type WorkerRequest = { kind: "setup"; cell: CellKind; hidden: number } | { kind: "repeat" } | { kind: "teardown" };

export type WorkerReply =
  | { kind: "ok" }
  | ({ kind: "repeat"; first: StepResult } & Repeat)
  | { kind: "error"; message: string };

const { impl, budget } = workerData as WorkerInit;
const port = parentPort!;
let factory: TrainerFactory | undefined;
let current: { trainer: Trainer; timer: Timer } | undefined;

function handle(req: WorkerRequest): WorkerReply {
  switch (req.kind) {
    case "setup": {
      const shape = referenceShape(req.hidden);
      const trainer = factory!(req.cell, shape, makeBatch(shape), makeWeights(req.cell, shape));
      const timer = new Timer(trainer, budget);
      current = { trainer, timer };
      timer.warmUp();
      return { kind: "ok" };
    }
    case "repeat": {
      const { timer } = current!;
      const repeat = timer.repeat();
      return { kind: "repeat", ...repeat, first: timer.first! };
    }
    case "teardown":
      current?.trainer.dispose();
      current = undefined;
      return { kind: "ok" };
  }
}

port.on("message", (req: WorkerRequest) => {
  try {
    port.postMessage(handle(req));
  } catch (e) {
    port.postMessage({ kind: "error", message: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies WorkerReply);
  }
});

loadImplementation(impl).then(
  (f) => {
    factory = f;
    port.postMessage({ kind: "ok" } satisfies WorkerReply);
  },
  (e: unknown) => port.postMessage({ kind: "error", message: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies WorkerReply),
);
