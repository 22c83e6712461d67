// The two-thread WASM matmul (kernels/wasm-threads.ts): bit for bit the single-thread kernel's
// products whichever way it splits them, loud when its helper thread is gone, and never the
// reason a process stays alive.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { createWasmSimdKernels, createWasmThreadsKernels } from "../src/kernels";
import { MATMUL_SHARED_WASM_BASE64 } from "../src/kernels/wasm/matmul-wasm.generated";
import { WasmMatmul, compiledModule } from "../src/kernels/wasm-simd";
import { ARGS, DONE, KERNEL, POSTED, STOP, TwoThreadRunner, startHelper } from "../src/kernels/wasm-threads";
import { Rng } from "../src/random";

const rng = new Rng(7);
const random = (n: number) => Float64Array.from({ length: n }, () => rng.uniform(-1, 1));

test("every product equals the single-thread kernel's bit for bit: rows or columns split, transposes, accumulate, odd sizes", async () => {
  const one = createWasmSimdKernels()!;
  // takeBack off: the helper computes every half it is given (else this thread may do some itself).
  const two = createWasmThreadsKernels({ minParallelWork: 0, takeBack: false })!;
  try {
    // [m, k, n]: m >= n splits by rows, m < n by columns; odd sizes leave padding in both halves.
    // [32, 1024, 256] and [33, 770, 257]: B packed into panels (the helper starts at a panel).
    const shapes = [[32, 64, 256], [256, 32, 64], [32, 256, 64], [33, 17, 65], [100, 100, 100], [9, 300, 7], [8, 2, 16], [5, 40, 200], [64, 3, 9],
      [32, 1024, 256], [33, 770, 257]];
    for (const [m, k, n] of shapes) {
      for (const [transA, transB] of [[false, false], [true, false], [false, true]]) {
        for (const accumulate of [false, true]) {
          const a = random(m * k), b = random(k * n), start = random(m * n);
          const want = Float64Array.from(start), got = Float64Array.from(start);
          one.matmul(a, b, want, m, k, n, { transA, transB, accumulate });
          two.matmul(a, b, got, m, k, n, { transA, transB, accumulate });
          const differs = want.findIndex((v, i) => !Object.is(v, got[i]));
          // On a failure, say enough to tell a race from a wrong offset: how many elements differ,
          // the first one's value against the right one and its start value.
          const count = want.filter((v, i) => !Object.is(v, got[i])).length;
          assert.equal(differs, -1, `[${m},${k}]·[${k},${n}] transA ${transA} transB ${transB} accumulate ${accumulate}: element ${differs} ` +
            `(${count} of ${want.length} differ; got ${got[differs]}, want ${want[differs]}, start ${start[differs]})`);
        }
      }
    }
    assert.deepEqual(two.splitProducts().takenBack, 0);
  } finally {
    await two.close();
  }
});

test("a half the helper has not started is taken back by the calling thread, with the same result", async () => {
  // The first split product comes while the helper thread is still starting (tens of ms), so this
  // thread, done with its own half in microseconds, takes the helper's half back.
  const one = createWasmSimdKernels()!;
  const two = createWasmThreadsKernels({ minParallelWork: 0 })!;
  try {
    const [m, k, n] = [32, 64, 256];
    const a = random(m * k), b = random(k * n), want = new Float64Array(m * n), got = new Float64Array(m * n);
    one.matmul(a, b, want, m, k, n);
    two.matmul(a, b, got, m, k, n);
    assert.deepEqual(two.splitProducts(), { split: 1, takenBack: 1 });
    assert.deepEqual(got, want);
  } finally {
    await two.close();
  }
});

test("small products stay on the calling thread (no helper thread is started for them), and the kernel set says what it is", async () => {
  const two = createWasmThreadsKernels({ minParallelWork: 64 * 64 * 64 })!;
  try {
    assert.equal(two.name, "wasm-simd-2threads");
    const a = random(64 * 64), c = new Float64Array(64 * 64);
    two.matmul(a, a, c, 4, 4, 4);
    two.matmul(a, a, c, 63, 64, 64);
    assert.ok(c.some((v) => v !== 0));
    assert.equal(two.helperStarted(), false);
    assert.deepEqual(two.splitProducts(), { split: 0, takenBack: 0 });
    two.matmul(a, a, c, 64, 64, 64);
    assert.equal(two.helperStarted(), true);
    assert.equal(two.splitProducts().split, 1);
  } finally {
    await two.close();
  }
});

test("once the helper thread is gone, a product that needs it throws, naming the product and why; one that does not still runs", async () => {
  const two = createWasmThreadsKernels({ minParallelWork: 1000 })!;
  await two.close();
  const a = random(64 * 64), c = new Float64Array(64 * 64);
  assert.throws(() => two.matmul(a, a, c, 64, 64, 64), /helper thread cannot compute \[64,64\]·\[64,64\]: it was closed \(close\(\)\)\. Use setKernels\(plainKernels\)/);
  const small = new Float64Array(16);
  two.matmul(random(16), random(16), small, 4, 4, 4); // 64 multiply-adds: below minParallelWork, done here
});

test("a process that used the two-thread kernels exits by itself (the idle helper does not hold it)", () => {
  const script = `
    const { createWasmThreadsKernels } = require(${JSON.stringify(join(__dirname, "..", "src", "kernels"))});
    const two = createWasmThreadsKernels({ minParallelWork: 0 });
    const a = new Float64Array(64 * 64).fill(1), c = new Float64Array(64 * 64);
    two.matmul(a, a, c, 64, 64, 64);
    console.log(c[0]);`;
  const run = spawnSync(process.execPath, ["--import", "tsx", "-e", script], { encoding: "utf8", timeout: 20000 });
  assert.equal(run.signal, null, `the process had to be killed after 20 s: ${run.stderr}`);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout.trim(), "64");
});

test("a late wake-up does not run the last job again (the poster can be descheduled between its store and its notify)", async () => {
  // Drive one helper by hand: job 1 adds A·B (4x4, all ones) into C; then, with the helper asleep,
  // a bare notify, which is what the helper sees when job 1's own notify comes late (the posting
  // thread preempted after storing POSTED, while the helper found the job by spinning, ran it and
  // went to sleep). Running job 1 again would add A·B into C a second time, under the next
  // product's operands. One CI run failed that way before the helper checked for a new job.
  const memory = new (globalThis as any).WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  const mem = new Float64Array(memory.buffer);
  mem.fill(1, 0, 32); // A at byte 0, B at byte 128
  const control = new SharedArrayBuffer(16 * 4);
  const ctl = new Int32Array(control);
  const helper = startHelper(compiledModule(MATMUL_SHARED_WASM_BASE64)!, memory, control);
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  try {
    ctl[KERNEL] = 0;
    [0, 128, 256, 4, 4, 4, 32, 8, 32, 8, 4].forEach((v, i) => (ctl[ARGS + i] = v)); // B row-major; C at byte 256
    Atomics.store(ctl, POSTED, 1);
    Atomics.notify(ctl, POSTED);
    for (let waited = 0; Atomics.load(ctl, DONE) !== 1; waited += 10) {
      assert.ok(waited < 20000, "the helper did not run job 1 within 20 s");
      await sleep(10);
    }
    assert.deepEqual([...mem.subarray(32, 48)], new Array(16).fill(4));
    // Wait until the helper sleeps (notify says how many it woke), then wake it with no new job.
    let woken = 0;
    for (let tries = 0; woken === 0; tries++) {
      assert.ok(tries < 200, "the helper never went to sleep");
      await sleep(10);
      woken = Atomics.notify(ctl, POSTED);
    }
    await sleep(100);
    assert.equal(Atomics.load(ctl, DONE), 1);
    assert.deepEqual([...mem.subarray(32, 48)], new Array(16).fill(4), "the helper ran job 1 again on a wake-up with no new job");
  } finally {
    Atomics.store(ctl, POSTED, STOP);
    Atomics.notify(ctl, POSTED);
    await new Promise((resolve) => helper.once("exit", resolve));
  }
});

test("when this thread's half throws, the helper's half is still settled, so the next product is right (not a timeout)", async () => {
  const runner = new TwoThreadRunner(compiledModule(MATMUL_SHARED_WASM_BASE64)!, 5000, true);
  const mm = new WasmMatmul(runner, 0);
  // Make this thread's first kernel call throw, as a trap would.
  const own = (runner as any).own;
  let throwOnce = true;
  (runner as any).own = {
    mm_nn: (...args: number[]) => {
      if (throwOnce) { throwOnce = false; throw new Error("injected kernel failure"); }
      return own.mm_nn(...args);
    },
    mm_nt: (...args: number[]) => own.mm_nt(...args),
    pack_b: (...args: number[]) => own.pack_b(...args),
  };
  try {
    const [m, k, n] = [32, 64, 256];
    const a = random(m * k), b = random(k * n), got = new Float64Array(m * n), want = new Float64Array(m * n);
    assert.throws(() => mm.matmul(a, b, got, m, k, n), /injected kernel failure/);
    createWasmSimdKernels()!.matmul(a, b, want, m, k, n);
    mm.matmul(a, b, got, m, k, n);
    assert.deepEqual(got, want);
  } finally {
    await runner.close();
  }
});
