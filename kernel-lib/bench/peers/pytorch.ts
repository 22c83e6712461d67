// PyTorch as a peer: the same workload in a Python process (pytorch.py), answering the same
// requests as the bench's worker threads ("set up and warm up", "time one repeat", "tear
// down"), so main.ts interleaves its repeats with everyone else's. The batch and the initial
// weights are the bench's own (workload.ts), sent over the pipe, so PyTorch's first step must
// agree with kernel-lib's. Set-up never installs PyTorch: the bench is given a Python that has
// it (--pytorch PYTHON, or BENCH_PYTORCH), and says how to get one when it is not.

import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import * as path from "node:path";
import type { ImplName } from "../implementations";
import type { Budget } from "../measure";
import type { WorkerReply, WorkerRequest } from "../worker";
import { makeBatch, makeWeights, referenceShape } from "../workload";

export type TorchDtype = "float64" | "float32";

export const HOW_TO_GET_PYTORCH =
  "give the bench a Python with PyTorch: npm run bench -- --pytorch /path/to/python (or BENCH_PYTORCH=/path/to/python); " +
  "for example python3 -m venv /tmp/torch && /tmp/torch/bin/pip install torch==2.13.0 (the course's set-up never installs it)";

/** One PyTorch configuration (a dtype and a thread count) in a Python process of its own. */
export class PytorchPeer {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffered = "";
  private waiting: ((reply: WorkerReply & { torch?: string }) => void) | undefined;
  private readonly started: Promise<WorkerReply>;
  private stderr = "";
  version = "";

  constructor(
    readonly impl: ImplName,
    readonly budget: Budget,
    python: string,
    private readonly dtype: TorchDtype,
    threads: number,
  ) {
    this.child = spawn(python, [path.join(__dirname, "pytorch.py"), String(threads)], { stdio: ["pipe", "pipe", "pipe"] });
    this.started = this.next();
    this.child.stdout.setEncoding("utf8");
    this.child.stdout.on("data", (chunk: string) => this.onData(chunk));
    this.child.stderr.on("data", (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString("utf8")).slice(-4000)));
    this.child.on("error", (e) => this.waiting?.({ kind: "error", message: `cannot start ${python}: ${e.message}; ${HOW_TO_GET_PYTORCH}` }));
    this.child.on("exit", (code, signal) =>
      this.waiting?.({ kind: "error", message: `the PyTorch process (${python}) ended (${signal ?? `exit code ${code}`})${this.stderr ? `:\n${this.stderr}` : ""}` }),
    );
  }

  private onData(chunk: string): void {
    this.buffered += chunk;
    for (let nl = this.buffered.indexOf("\n"); nl >= 0; nl = this.buffered.indexOf("\n")) {
      const line = this.buffered.slice(0, nl);
      this.buffered = this.buffered.slice(nl + 1);
      if (line.trim() !== "") this.onLine(line);
    }
  }

  private onLine(line: string): void {
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(line);
    } catch {
      this.waiting?.({ kind: "error", message: `the PyTorch process wrote something that is not the bench's JSON: ${line.slice(0, 200)}` });
      return;
    }
    if (typeof msg.error === "string") this.waiting?.({ kind: "error", message: msg.error });
    else if (msg.ready === true) {
      this.version = `${String(msg.torch)}, ${String(msg.threads)} thread(s)`;
      this.waiting?.({ kind: "ok" });
    } else if (typeof msg.secondsPerStep === "number") this.waiting?.({ kind: "repeat", ...(msg as object) } as WorkerReply);
    else this.waiting?.({ kind: "ok" });
  }

  private next(): Promise<WorkerReply> {
    return new Promise((resolve) => (this.waiting = resolve));
  }

  ready(): Promise<WorkerReply> {
    return this.started;
  }

  request(req: WorkerRequest): Promise<WorkerReply> {
    const reply = this.next();
    let body: object;
    if (req.kind === "setup") {
      const shape = referenceShape(req.hidden);
      const batch = makeBatch(shape);
      const w = makeWeights(req.cell, shape);
      const list = (a: ArrayLike<number>) => Array.from(a);
      body = {
        op: "setup",
        cell: req.cell,
        dtype: this.dtype,
        shape,
        inputs: list(batch.inputs),
        targets: list(batch.targets),
        weights: Object.fromEntries(Object.entries(w).map(([k, v]) => [k, list(v)])),
        warmupSteps: this.budget.warmupSteps,
      };
    } else if (req.kind === "repeat") body = { op: "repeat", minSeconds: this.budget.minSeconds, minSteps: this.budget.minSteps };
    else body = { op: "teardown" };
    this.child.stdin.write(`${JSON.stringify(body)}\n`);
    return reply;
  }

  async stop(): Promise<number> {
    this.child.removeAllListeners("exit");
    this.child.stdin.end();
    this.child.kill();
    return 0;
  }
}
