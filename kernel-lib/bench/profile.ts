// Where one training step of the bench's workload spends its time, by part of the library:
// the matrix products, the fused cell ops, the other ops, the tape, allocation and garbage
// collection, the optimizer. A sampling CPU profile (V8's, through node:inspector) of kernel-lib
// training the reference step, each sample's time given to the file its function is in.
//
//   node --expose-gc --import tsx kernel-lib/bench/profile.ts [--cells lstm] [--hidden 128] [--steps 20]
//
// A sample is charged to the innermost JavaScript (or WebAssembly) function running, so "fused
// cell ops" is the time in ops/lstm.ts and friends themselves, not in the matmul they call.
// Sampling every 100 µs over a few seconds puts each share within about a percent.
import { Session } from "node:inspector";
import { useOneThread } from "./implementations";
import { kernelLibTrainer } from "./kernel-lib";
import { CELLS, makeBatch, makeWeights, referenceShape, tokensPerStep, type CellKind } from "./workload";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The parts of a step, first match wins: [name, test on the function's file (or name)]. */
const PARTS: [string, (url: string, fn: string) => boolean][] = [
  ["garbage collection", (_, fn) => fn === "(garbage collector)"],
  ["matmul: calls from JS into WebAssembly", (_, fn) => /^(js-to-wasm|wasm-to-js)/.test(fn)],
  ["matmul: WebAssembly SIMD compute", (url) => url.startsWith("wasm://")],
  ["matmul: copies into and out of WebAssembly memory", (url, fn) => /kernels\/wasm-simd\.ts/.test(url) && /^(stage|stageTransposed|unstage)$/.test(fn)],
  ["matmul: JS (dispatch, the one-hot sparse path)", (url) => /kernels\/(matmul|wasm)/.test(url)],
  ["other kernels (elementwise, reductions)", (url) => /kernels\//.test(url)],
  ["fused cell ops (lstm, gru, rnn)", (url) => /ops\/(lstm|gru|cells|fused)\.ts/.test(url)],
  ["other ops (softmax, loss, reshape, ...)", (url) => /src\/ops\//.test(url)],
  ["tape (record, backward, gradient buffers)", (url) => /src\/autograd\//.test(url)],
  ["tensors (allocation, views)", (url) => /src\/tensor\.ts/.test(url)],
  ["optimizer and clipping", (url) => /src\/optim\//.test(url)],
  ["modules (nn)", (url) => /src\/nn\//.test(url)],
  ["the bench's loop", (url) => /bench\//.test(url)],
  ["idle, program, node internals", () => true],
];

function parse(argv: string[]) {
  const o = { cells: CELLS.slice() as CellKind[], hiddens: [64, 128, 256], steps: 20 };
  for (let i = 0; i < argv.length; i += 2) {
    const v = argv[i + 1];
    if (v === undefined) throw new Error(`${argv[i]} needs a value`);
    if (argv[i] === "--cells") o.cells = v.split(",") as CellKind[];
    else if (argv[i] === "--hidden") o.hiddens = v.split(",").map(Number);
    else if (argv[i] === "--steps") o.steps = Number(v);
    else throw new Error(`unknown option ${argv[i]} (options: --cells, --hidden, --steps)`);
  }
  return o;
}

function post<T>(session: Session, method: string, params: object = {}): Promise<T> {
  return new Promise((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r as T))));
}

async function profileOne(session: Session, cell: CellKind, hidden: number, steps: number) {
  useOneThread(); // the profile is of one thread's step
  const shape = referenceShape(hidden);
  const trainer = kernelLibTrainer(cell, shape, makeBatch(shape), makeWeights(cell, shape));
  for (let i = 0; i < 3; i++) trainer.step(); // warm up: JIT, optimizer state
  await post(session, "Profiler.start");
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) trainer.step();
  const seconds = (performance.now() - t0) / 1000;
  const { profile } = await post<{ profile: Profile }>(session, "Profiler.stop");
  const byNode = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const micros = new Map<string, number>(PARTS.map(([name]) => [name, 0]));
  profile.samples.forEach((id, k) => {
    const frame = byNode.get(id)!;
    const part = PARTS.find(([, test]) => test(frame.url, frame.functionName))![0];
    micros.set(part, micros.get(part)! + (profile.timeDeltas[k] ?? 0));
  });
  const total = [...micros.values()].reduce((a, b) => a + b, 0);
  console.log(`\n${cell}, hidden ${hidden}: ${steps} steps, ${((seconds / steps) * 1000).toFixed(1)} ms per step (${(tokensPerStep(shape) / (seconds / steps) / 1000).toFixed(1)}k tokens/s, under the profiler)`);
  console.log("| part | ms per step | share |");
  console.log("|---|---:|---:|");
  for (const [name, us] of [...micros].sort((a, b) => b[1] - a[1])) {
    if (us === 0) continue;
    console.log(`| ${name} | ${(us / 1000 / steps).toFixed(2)} | ${((100 * us) / total).toFixed(1)}% |`);
  }
}

async function main() {
  const { cells, hiddens, steps } = parse(process.argv.slice(2));
  const session = new Session();
  session.connect();
  await post(session, "Profiler.enable");
  await post(session, "Profiler.setSamplingInterval", { interval: 100 });
  for (const cell of cells) for (const hidden of hiddens) await profileOne(session, cell, hidden, steps);
  session.disconnect();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
