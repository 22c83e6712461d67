// A script that ends right after a burst of output into a pipe keeps all of it (unit.mjs and
// npm test lost the tail of their reports, totals included, to process.exit: lib/exit-after-output.mjs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "../lib/project.mjs";

test("exitAfterOutput: 2 MB into a slow pipe all arrive, the last line included, and the exit code is the one given", async () => {
  const child = spawn(process.execPath, [join(ROOT, "scripts", "test", "fixtures", "exit-after-output", "burst.mjs")], { stdio: ["ignore", "pipe", "pipe"] });
  const closed = new Promise((resolve) => child.on("close", resolve));
  // Read nothing for a moment, so that the pipes fill and the writes queue inside the child.
  child.stdout.pause();
  child.stderr.pause();
  await new Promise((resolve) => setTimeout(resolve, 300));
  let out = "";
  let err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  child.stdout.resume();
  child.stderr.resume();
  const code = await closed;
  assert.equal(code, 3);
  assert.equal(out.length, 2000 * 1000 + "the last line\n".length);
  assert.ok(out.endsWith("the last line\n"));
  assert.equal(err.length, 200 * 1000 + "the last error line\n".length);
});
