// Did a change cost speed? Times the kernel-lib training step of two checkouts of this repository
// in ONE process, alternating them step by step, so that whatever else the machine is doing
// weighs on both alike (separate `npm run bench` runs of the same code differ by 10-20% on a
// shared 2-core machine; this reads within a few % of 1 when both trees hold the same code).
//
//   git worktree add /tmp/before <commit>      (its node_modules: ln -s $PWD/node_modules /tmp/before/)
//   node --expose-gc --import tsx kernel-lib/bench/compare-trees.ts --before /tmp/before [--after .]
//        [--cells rnn,lstm,gru] [--hidden 64,128,256] [--rounds 12]
//
// Each configuration is measured twice, once with each tree's model built first (construction
// order moves single readings by several %), and the two ratios are combined as a geometric mean.
import { resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { option } from "./command-line";
import { median } from "./measure";
import type { TrainerFactory } from "./workload";
import { makeBatch, makeWeights, referenceShape, type CellKind } from "./workload";

const beforeRoot = option("before", "");
if (beforeRoot === "") {
  console.error("compare-trees: give --before DIR (a checkout of the commit to compare with; see the top of this file)");
  process.exit(2);
}
const afterRoot = option("after", resolve(__dirname, "..", ".."));
const load = (root: string): TrainerFactory => {
  // One thread in both trees (each has its own kernel registry): newer trees split large products.
  const kernels = require(resolve(root, "kernel-lib", "src", "kernels"));
  kernels.setKernels(kernels.createWasmSimdKernels());
  return require(resolve(root, "kernel-lib", "bench", "kernel-lib.ts")).kernelLibTrainer;
};
const before = load(beforeRoot);
const after = load(afterRoot);
const cells = option("cells", "rnn,lstm,gru").split(",") as CellKind[];
const hiddens = option("hidden", "64,128,256").split(",").map(Number);
const rounds = Number(option("rounds", "12"));

/** Median ms per step of each tree, their trainers built in the given order, steps alternated. */
function measure(cell: CellKind, hidden: number, afterFirst: boolean): [number, number] {
  const s = referenceShape(hidden);
  const batch = makeBatch(s, 1);
  const w = makeWeights(cell, s, 2);
  const first = (afterFirst ? after : before)(cell, s, batch, w);
  const second = (afterFirst ? before : after)(cell, s, batch, w);
  const [a, b] = afterFirst ? [second, first] : [first, second];
  const stepsPer = hidden >= 256 ? 1 : hidden >= 128 ? 2 : 4;
  for (let i = 0; i < 3; i++) { a.step(); b.step(); }
  const ta: number[] = [];
  const tb: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const order: [number[], typeof a][] = r % 2 ? [[ta, a], [tb, b]] : [[tb, b], [ta, a]];
    for (const [times, trainer] of order) {
      (globalThis as { gc?: () => void }).gc?.();
      const t0 = performance.now();
      for (let k = 0; k < stepsPer; k++) trainer.step();
      times.push((performance.now() - t0) / stepsPer);
    }
  }
  return [median(ta), median(tb)];
}

console.log(`compare-trees: before ${beforeRoot}, after ${afterRoot}; ${rounds} alternating rounds per configuration and order`);
for (const cell of cells) {
  for (const hidden of hiddens) {
    const [a1, b1] = measure(cell, hidden, false);
    const [a2, b2] = measure(cell, hidden, true);
    const ratio = Math.sqrt((b1 / a1) * (b2 / a2));
    console.log(
      `${cell}/${hidden}: before ${((a1 + a2) / 2).toFixed(1)} ms/step, after ${((b1 + b2) / 2).toFixed(1)} ms/step; ` +
        `after/before time ${(b1 / a1).toFixed(3)} (before built first), ${(b2 / a2).toFixed(3)} (after built first), geometric mean ${ratio.toFixed(3)}`,
    );
  }
}
