// The library in the grader's sandbox, which runs under Node's permission model without
// --allow-worker (scripts/grade/sandbox.mjs): no thread may be started there, so the default
// kernels keep to one thread and a product large enough to be split elsewhere still runs. (One CI
// run graded capstone 1's solution at 99 of 400 training steps: its validation product was the
// first large enough to start a helper thread, and starting it threw.) Runs the built library
// (kernel-lib/dist), as the sandbox does.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "../lib/project.mjs";
import { permissionFlag } from "../grade/sandbox.mjs";

const DIST = join(ROOT, "kernel-lib", "dist");

/** Runs `script` in a node under the permission model, allowed to read the library only. */
function underPermissions(script) {
  return spawnSync(process.execPath, [permissionFlag(), `--allow-fs-read=${DIST}/*`, "--no-warnings", "-e", script], { encoding: "utf8", timeout: 60_000 });
}

test("under the permission model the default kernels keep to one thread, and a product of 2^24 multiply-adds runs", () => {
  const run = underPermissions(`
    const kernels = require(${JSON.stringify(join(DIST, "kernels"))});
    const n = 256, a = new Float64Array(n * n).fill(1), c = new Float64Array(n * n);
    kernels.getKernels().matmul(a, a, c, n, n, n);
    console.log(JSON.stringify({ name: kernels.getKernels().name, threads: kernels.createWasmThreadsKernels(), first: c[0], last: c[n * n - 1] }));`);
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), { name: "wasm-simd", threads: null, first: 256, last: 256 });
});

test("a two-thread runner that cannot start its helper says so, naming the product and how to go on", () => {
  const run = underPermissions(`
    const { TwoThreadRunner } = require(${JSON.stringify(join(DIST, "kernels", "wasm-threads"))});
    const { WasmMatmul, compiledModule } = require(${JSON.stringify(join(DIST, "kernels", "wasm-simd"))});
    const { MATMUL_SHARED_WASM_BASE64 } = require(${JSON.stringify(join(DIST, "kernels", "wasm", "matmul-wasm.generated"))});
    const mm = new WasmMatmul(new TwoThreadRunner(compiledModule(MATMUL_SHARED_WASM_BASE64), 1000, true), 0);
    const a = new Float64Array(64 * 64).fill(1);
    try { mm.matmul(a, a, new Float64Array(64 * 64), 64, 64, 64); console.log("no error"); } catch (e) { console.log(e.message); }`);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /helper thread cannot compute \[64,64\]·\[64,64\]: it could not be started: Access to this API has been restricted(\. Use --allow-worker to manage permissions)?\. Use setKernels\(plainKernels\) or createWasmSimdKernels\(\)/);
});

test("the permission model's flag is the one this Node accepts (Node 24 and later refuse --experimental-permission)", () => {
  assert.equal(permissionFlag(new Set(["--permission", "--experimental-permission"])), "--permission");
  assert.equal(permissionFlag(new Set(["--experimental-permission"])), "--experimental-permission");
  const r = spawnSync(process.execPath, [permissionFlag(), "--allow-fs-read=*", "-e", "process.stdout.write(String(process.permission.has('fs.write')))"], { encoding: "utf8", timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, "false", "the model is on: writing is not allowed");
});
