// One thread against two for the training step, in one process: the same trainer's steps
// alternated between createWasmSimdKernels() and createWasmThreadsKernels() (the default), round
// after round, and the median of each. With --busy, a child process keeps one core busy the whole
// time, as another program (or a second notebook) would: the case where a second thread can cost
// more than it brings. It answers "does the default's second core help here, quiet and busy"
// (README.md, "Two threads"); the full bench's second table answers it against PyTorch.
//
//   node --import tsx kernel-lib/bench/two-threads.ts [--cells lstm,gru] [--hidden 256] [--rounds 9] [--busy] [--smoke]
//
// --smoke: one round of one step (for the test that it runs; the numbers mean nothing).
import { spawn } from "node:child_process";
import { createWasmSimdKernels, createWasmThreadsKernels, setKernels, type Kernels } from "../src/kernels";
import { cellsOption, positiveIntegerOption, positiveIntegersOption, runCommand } from "./command-line";
import { kernelLibTrainer } from "./kernel-lib";
import { median } from "./measure";
import { makeBatch, makeWeights, referenceShape } from "./workload";

const SMOKE = process.argv.includes("--smoke");
const BUSY = process.argv.includes("--busy");

async function main(): Promise<void> {
  const cells = cellsOption("lstm,gru");
  const hiddens = positiveIntegersOption("hidden", "256");
  const rounds = SMOKE ? 1 : positiveIntegerOption("rounds", "9");
  const one = createWasmSimdKernels();
  const two = createWasmThreadsKernels();
  if (one === null || two === null) throw new Error("two-threads: this engine has no WebAssembly SIMD or no SharedArrayBuffer");
  const busy = BUSY ? spawn(process.execPath, ["-e", "for (;;);"], { stdio: "ignore" }) : null;
  try {
    console.log(`one thread against two, ${BUSY ? "with another process keeping one core busy" : "quiet (nothing else started)"}; median of ${rounds} alternated rounds`);
    console.log("| cell | hidden | one thread, ms/step | two threads, ms/step | two/one (speed) | per round | halves taken back |");
    console.log("|------|-------:|--------------------:|---------------------:|----------------:|-----------|------------------:|");
    for (const cell of cells) {
      for (const hidden of hiddens) {
        const shape = referenceShape(hidden);
        const trainer = kernelLibTrainer(cell, shape, makeBatch(shape), makeWeights(cell, shape));
        const steps = SMOKE ? 1 : hidden >= 256 ? 3 : hidden >= 128 ? 8 : 20;
        const time = (kernels: Kernels) => {
          setKernels(kernels);
          const t0 = performance.now();
          for (let i = 0; i < steps; i++) trainer.step();
          return (performance.now() - t0) / steps;
        };
        if (!SMOKE) { time(one); time(two); } // warm-up: JIT, the helper thread
        const before = two.splitProducts();
        const t1: number[] = [], t2: number[] = [];
        for (let r = 0; r < rounds; r++) {
          t1.push(time(one));
          t2.push(time(two));
        }
        const after = two.splitProducts();
        const split = after.split - before.split, back = after.takenBack - before.takenBack;
        const perRound = t1.map((t, i) => (t / t2[i]).toFixed(2)).join(" ");
        const taken = split === 0 ? "none split" : `${back} of ${split}`;
        console.log(`| ${cell} | ${hidden} | ${median(t1).toFixed(1)} | ${median(t2).toFixed(1)} | ${(median(t1) / median(t2)).toFixed(2)}x | ${perRound} | ${taken} |`);
      }
    }
  } finally {
    busy?.kill();
    await two.close();
  }
}

runCommand("two-threads", main);
