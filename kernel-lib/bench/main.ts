// npm run bench: times the reference workload (a character language model training step, see
// workload.ts) with kernel-lib and its peers, and prints tokens per second and ratios.
//
//   node --expose-gc --import tsx kernel-lib/bench/main.ts [options]
//     --hidden 64,128,256   hidden sizes (default all three)
//     --cells rnn,lstm,gru  cells (default all three)
//     --impls a,b,...       implementations (default all): kernel-lib, kernel-lib-2t, kernel-lib-f32, kernel-lib-readable,
//                           kernel-lib-by-hand, tfjs-cpu, tfjs-wasm, hand-f64, hand-f32, torch-f64, torch-f32,
//                           torch-f64-2t (-2t: two threads; -f32: the opt-in float32 matmul)
//     --pytorch PYTHON      a Python with torch: PyTorch float64 and float32 (one thread) join the run
//                           (or BENCH_PYTORCH=PYTHON); without it they are left out, and the report says so
//     --smoke               one step of each (hidden 64 unless --hidden) and a 20-step heap check:
//                           proves everything runs and agrees; the speeds it prints mean nothing
//
// Each implementation lives in its own worker thread (see worker.ts; PyTorch in a Python process,
// peers/pytorch.ts, answering the same requests); main sends them requests
// one at a time, so no two ever compute at once (this machine has 2 cores and timings must not
// compete), and interleaves their timed repeats (see measure.ts). The memory check runs on the
// main thread at the end, when no worker is left.
// This is a benchmark, not a test: it prints numbers and fails only when something breaks or the
// implementations disagree on the first step's loss.

import * as path from "node:path";
import { Worker } from "node:worker_threads";
import { UsageError, runCommand } from "./command-line";
import { heapCheck } from "./heap";
import { IMPLEMENTATIONS, LEGEND, SMOKE, budgetOf, describeBudget, isPytorch, type ImplName, type WorkerImplName } from "./implementations";
import { HOW_TO_GET_PYTORCH, PytorchPeer } from "./peers/pytorch";
import { median, type Budget } from "./measure";
import { denseMultiplyAdds, measureSimdPeak } from "./ceiling";
import { key, printAgreement, printCeiling, printGoals, printHeap, printTable, printFloat32, printTwoThreads, type Results } from "./report";
import type { WorkerInit, WorkerReply, WorkerRequest } from "./worker";
import { CELLS, referenceShape, tokensPerStep, type CellKind } from "./workload";

interface Options {
  hiddens: number[];
  cells: CellKind[];
  impls: ImplName[];
  smoke: boolean;
  /** A Python with torch, or undefined: PyTorch is then not measured. */
  pytorch: string | undefined;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { hiddens: [64, 128, 256], cells: CELLS.slice(), impls: IMPLEMENTATIONS.slice(), smoke: false, pytorch: process.env.BENCH_PYTORCH || undefined };
  let hiddenGiven = false;
  let implsGiven = false;
  const list = (i: number) => {
    if (argv[i + 1] === undefined) throw new UsageError(`${argv[i]} needs a value`);
    return argv[i + 1].split(",").filter((s) => s !== "");
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--smoke") {
      options.smoke = true;
    } else if (arg === "--hidden") {
      options.hiddens = list(i++).map((s) => {
        const n = Number(s);
        if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--hidden: not a positive integer: ${s}`);
        return n;
      });
      hiddenGiven = true;
    } else if (arg === "--cells") {
      options.cells = list(i++).map((s) => {
        if (!(CELLS as string[]).includes(s)) throw new UsageError(`--cells: unknown cell ${s} (known: ${CELLS.join(", ")})`);
        return s as CellKind;
      });
    } else if (arg === "--impls") {
      options.impls = list(i++).map((s) => {
        if (!(IMPLEMENTATIONS as readonly string[]).includes(s)) throw new UsageError(`--impls: unknown ${s} (known: ${IMPLEMENTATIONS.join(", ")})`);
        return s as ImplName;
      });
      implsGiven = true;
    } else if (arg === "--pytorch") {
      options.pytorch = list(i++).join(",");
    } else {
      throw new UsageError(`unknown option ${arg} (options: --hidden, --cells, --impls, --pytorch, --smoke)`);
    }
  }
  if (options.pytorch === undefined) {
    const asked = options.impls.filter(isPytorch);
    if (implsGiven && asked.length) throw new UsageError(`--impls ${asked.join(",")}: PyTorch runs only when the bench is given a Python with torch; ${HOW_TO_GET_PYTORCH}`);
    options.impls = options.impls.filter((impl) => !isPytorch(impl));
  }
  if (options.smoke && !hiddenGiven) options.hiddens = [64];
  return options;
}

/** What main talks to: an implementation in a worker thread, or PyTorch in a Python process. */
interface Peer {
  readonly impl: ImplName;
  readonly budget: Budget;
  ready(): Promise<WorkerReply>;
  request(req: WorkerRequest): Promise<WorkerReply>;
  stop(): Promise<number>;
}

/** One implementation's worker thread, answering one request at a time. */
class Client implements Peer {
  private readonly worker: Worker;
  private waiting: ((reply: WorkerReply) => void) | undefined;
  private readonly started: Promise<WorkerReply>;

  constructor(readonly impl: WorkerImplName, readonly budget: Budget) {
    // The worker is plain JS that registers tsx's require hook and loads worker.ts: workers do
    // not inherit `--import tsx` on node 20.
    const source = `require(${JSON.stringify(require.resolve("tsx/cjs"))}); require(${JSON.stringify(path.join(__dirname, "worker.ts"))});`;
    this.worker = new Worker(source, { eval: true, workerData: { impl, budget } satisfies WorkerInit });
    this.started = this.next();
    this.worker.on("message", (reply: WorkerReply) => this.waiting?.(reply));
    this.worker.on("error", (e) => this.waiting?.({ kind: "error", message: e.stack ?? e.message }));
    this.worker.on("exit", (code) => this.waiting?.({ kind: "error", message: `worker exited with code ${code}` }));
  }

  private next(): Promise<WorkerReply> {
    return new Promise((resolve) => (this.waiting = resolve));
  }

  /** Resolves once the implementation is loaded (TF.js backends initialized, ...). */
  ready(): Promise<WorkerReply> {
    return this.started;
  }

  request(req: WorkerRequest): Promise<WorkerReply> {
    const reply = this.next();
    this.worker.postMessage(req);
    return reply;
  }

  stop(): Promise<number> {
    this.worker.removeAllListeners("exit");
    return this.worker.terminate();
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const { cells, hiddens, impls, smoke, pytorch } = options;
  const started = performance.now();
  const results: Results = new Map();
  let failed = false;
  const configs = cells.flatMap((cell) => hiddens.map((hidden) => ({ cell, hidden })));

  console.log(`bench: ${smoke ? "SMOKE (1 step each; speeds are meaningless) " : ""}cells ${cells.join(",")}, hidden ${hiddens.join(",")}; ` +
    `vocab 64, batch 32, 64 time steps (2048 tokens per training step)`);

  // A failing implementation is reported and dropped; the others go on.
  let live: Peer[] = [];
  const check = (client: Peer, reply: WorkerReply): boolean => {
    if (reply.kind !== "error") return true;
    console.error(`${client.impl}: FAILED\n${reply.message}`);
    failed = true;
    live = live.filter((c) => c !== client);
    void client.stop();
    return false;
  };
  for (const impl of impls) {
    const budget = smoke ? SMOKE : budgetOf(impl);
    const client: Peer = isPytorch(impl) ? new PytorchPeer(impl, budget, pytorch!, impl === "torch-f32" ? "float32" : "float64", impl.endsWith("-2t") ? 2 : 1) : new Client(impl, budget);
    live.push(client);
    if (check(client, await client.ready()) && client instanceof PytorchPeer) console.log(`${impl}: PyTorch ${client.version} (${pytorch})`);
  }
  if (pytorch === undefined) console.log(`PyTorch: not measured (${HOW_TO_GET_PYTORCH})`);

  for (const { cell, hidden } of configs) {
    for (const client of live.slice()) check(client, await client.request({ kind: "setup", cell, hidden }));
    // Interleaved repeats: round r times every implementation once (see measure.ts).
    const repeats = new Map<Peer, Extract<WorkerReply, { kind: "repeat" }>[]>();
    const rounds = Math.max(0, ...live.map((c) => c.budget.repeats));
    for (let r = 0; r < rounds; r++) {
      for (const client of live.slice()) {
        if (r >= client.budget.repeats) continue;
        const reply = await client.request({ kind: "repeat" });
        if (!check(client, reply) || reply.kind !== "repeat") continue;
        repeats.set(client, [...(repeats.get(client) ?? []), reply]);
      }
    }
    const line: string[] = [];
    for (const client of live.slice()) {
      const reps = repeats.get(client);
      if (reps === undefined) continue;
      const m = { secondsPerStep: median(reps.map((x) => x.secondsPerStep)), timedSteps: reps.reduce((n, x) => n + x.steps, 0), first: reps[0].first };
      results.set(key(client.impl, cell, hidden), m);
      line.push(`${client.impl} ${(tokensPerStep(referenceShape(hidden)) / m.secondsPerStep).toFixed(0)}`);
      check(client, await client.request({ kind: "teardown" }));
    }
    console.error(`  ${cell}/${hidden} tokens/s: ${line.join(", ")}`);
  }
  await Promise.all(live.map((c) => c.stop()));

  console.log("");
  console.log("tokens/s (higher is better); ours = kernel-lib; tape overhead = kernel-lib's time over the same step by hand with its kernels");
  printTable(results, cells, hiddens);
  printTwoThreads(results, cells, hiddens);
  printFloat32(results, cells, hiddens);
  for (const line of LEGEND) console.log(`  ${line}`);
  console.log("");
  if (!smoke) printGoals(results, cells, hiddens, pytorch !== undefined);
  if (!printAgreement(results, impls, cells, hiddens)) failed = true;
  if (!smoke) {
    console.log(`timing: ${describeBudget(budgetOf("kernel-lib"))}, repeats interleaved across implementations`);
    if (impls.includes("tfjs-cpu")) {
      const steps = configs.map(({ cell, hidden }) => `${cell}/${hidden} ${results.get(key("tfjs-cpu", cell, hidden))?.timedSteps ?? "-"}`);
      console.log(`timing: TF.js cpu is slow, so ${describeBudget(budgetOf("tfjs-cpu"))}; timed steps: ${steps.join(", ")}`);
    }
  }
  if (impls.includes("kernel-lib")) {
    for (const cell of cells) printHeap(heapCheck(cell, smoke ? 20 : 1000));
  }
  if (impls.includes("kernel-lib-2t")) {
    for (const cell of cells) printHeap(heapCheck(cell, smoke ? 20 : 1000, true));
  }
  if (impls.includes("kernel-lib")) {
    // After the heap checks, whose starting memory it would change (its count trains a step at
    // every size); with every worker and PyTorch stopped: nothing else on the cores.
    const peak = await measureSimdPeak();
    const counts = new Map(configs.map(({ cell, hidden }) => [`${cell} ${hidden}`, denseMultiplyAdds(cell, hidden)]));
    printCeiling(results, cells, hiddens, { peak, denseMultiplyAdds: counts });
  }
  console.log(`total ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (failed) process.exitCode = 1;
}

runCommand("bench", main);
