// Through the real tslab kernel: charts arrive as one full bundle, and Kernel > Interrupt stops a
// trainingLoop cleanly (final state shown, parameters kept, nothing left training in the
// background), unlike a hand-written async loop, which tslab leaves running.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const root = join(__dirname, "..", "..");

// Kernel > Interrupt is SIGINT on Linux and macOS, an interrupt_request message on Windows (the
// kernelspec says which: scripts/setup.mjs); both ways are run here.
for (const interruptMode of ["signal", "message"]) test(`in the tslab kernel: full bundles, and an interrupt (${interruptMode}) stops trainingLoop between steps`, { timeout: 180_000 }, async (t) => {
  const project = await import(pathToFileURL(join(root, "scripts", "lib", "project.mjs")).href);
  const python: string = project.chooseEnvironment().python;
  if (!existsSync(python) || spawnSync(python, ["-c", "import jupyter_client"]).status !== 0) {
    t.skip(`no course Python environment at ${python} (run npm run setup)`);
    return;
  }
  // Notebooks import the compiled library: build it if the sources are newer.
  const setup = await import(pathToFileURL(join(root, "scripts", "setup.mjs")).href);
  setup.ensureLibraryBuilt();
  const r = spawnSync(python, [join(__dirname, "viz-kernel-driver.py"), join(root, "notebooks"), interruptMode], {
    cwd: root, encoding: "utf8", env: project.jupyterEnv(python), timeout: 170_000,
  });
  assert.equal(r.status, 0, r.stderr);
  const result = JSON.parse(r.stdout.trim().split("\n").pop()!);

  assert.equal(result.info.mode, "bundle", result.info.reason);
  assert.deepEqual(result.chart_mimes, [["application/vnd.plotly.v1+json", "text/html", "text/plain"]]);

  const loop = result.loop;
  assert.equal(loop.status, "error", "the interrupted cell fails (tslab reports it at once)");
  assert.match(loop.first_display, /^interrupt me: step 0\/3,000/);
  assert.match(loop.stderr, /Interrupted asynchronously\n✘ interrupted \(Kernel ▸ Interrupt\) while this cell awaited: the cell stops here[^\n]*a loop written by hand goes on in the background until the kernel restarts\.\n?$/);
  assert.match(loop.last_update, /^interrupt me: stopped: [\d,]+\/3,000 steps \(interrupted\)/);
  assert.equal(loop.after.why, "interrupted");
  assert.ok(loop.after.w > 50 && loop.after.w < 3000, `trained ${loop.after.w} steps before the interrupt`);
  assert.equal(loop.after.done, loop.after.w, "every step that ran counted; none half done");
  assert.equal(loop.later.w, loop.after.w, "no training goes on in the background");
  assert.equal(loop.resumed_status, "ok");
  assert.equal(loop.resumed_first, `interrupt me: step ${loop.after.done.toLocaleString("en-US")}/3,000`);
  assert.match(loop.resumed_last, /^interrupt me: done: 3,000\/3,000 steps/);
  assert.deepEqual(loop.final, { w: 3000, done: 3000 });

  if (interruptMode === "message") {
    // tslab left an interrupt_request unanswered and the cell went on (scripts/kernel/interrupt-request.js).
    const awaiting = result.awaiting_by_message;
    assert.deepEqual(awaiting.control_reply, { msg_type: "interrupt_reply", content: { status: "ok" } });
    assert.equal(awaiting.status, "error", "the cell awaiting a 30 s timer stopped at the interrupt");
    assert.match(awaiting.stderr, /✘ interrupted \(Kernel ▸ Interrupt\) while this cell awaited: the cell stops here/);
    assert.equal(awaiting.stdout, "", "the rest of the cell did not run");
    assert.deepEqual(awaiting.after, ["ok", "still here 42\n"], "the kernel runs on");
  }

  // What the documentation says about tslab itself: a plain async loop survives the interrupt.
  const plain = result.plain_async_loop;
  assert.equal(plain.status, "error");
  assert.ok(plain.n_later > plain.n_then, `tslab left the hand-written loop running (${plain.n_then} -> ${plain.n_later})`);
});

test("the gallery notebook runs through the kernel: every chart as plotly JSON, the live view in its final state, small", { timeout: 180_000 }, async (t) => {
  const project = await import(pathToFileURL(join(root, "scripts", "lib", "project.mjs")).href);
  const python: string = project.chooseEnvironment().python;
  if (!existsSync(python) || spawnSync(python, ["-c", "import nbclient"]).status !== 0) {
    t.skip(`no course Python environment at ${python} (run npm run setup)`);
    return;
  }
  const setup = await import(pathToFileURL(join(root, "scripts", "setup.mjs")).href);
  setup.ensureLibraryBuilt();
  const out = mkdtempSync(join(tmpdir(), "viz-gallery-"));
  t.after(() => rmSync(out, { recursive: true, force: true }));
  const r = spawnSync(python, [join(root, "scripts", "run_notebooks.py"), "--out", out, "solutions/99-gallery.ipynb"], {
    cwd: root, encoding: "utf8", env: project.jupyterEnv(python), timeout: 170_000,
  });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const file = join(out, "solutions", "99-gallery.ipynb");
  const size = statSync(file).size;
  assert.ok(size < 3e6, `the executed gallery is ${size} bytes`);
  type Output = { output_type: string; name?: string; data?: Record<string, unknown> };
  const nb = JSON.parse(readFileSync(file, "utf8")) as { cells: { cell_type: string; outputs?: Output[] }[] };
  const outputs = nb.cells.flatMap((c) => c.outputs ?? []);
  const text = (v: unknown) => (Array.isArray(v) ? v.join("") : String(v ?? ""));
  const plotly = outputs.filter((o) => o.data?.["application/vnd.plotly.v1+json"]);
  assert.equal(plotly.length, 9, "two line charts, heatmap, spectrogram, bar, scatter, subplots, the live view, a raw figure");
  for (const o of plotly) assert.ok((o.data!["application/vnd.plotly.v1+json"] as { layout?: object }).layout, "every figure has a layout");
  const carriers = outputs.filter((o) => text(o.data?.["text/html"]).includes("kernel-lib: inlined plotly.js"));
  assert.equal(carriers.length, 1, "plotly.js travels once");
  const live = outputs.find((o) => text(o.data?.["text/plain"]).startsWith("Fitting tanh(w x + b): "));
  assert.match(text(live?.data?.["text/plain"]), /^Fitting tanh\(w x \+ b\): done: 200\/200 steps · loss /);
  assert.deepEqual(outputs.filter((o) => o.output_type === "stream" && o.name === "stderr"), []);
  for (const o of outputs) {
    if (o !== carriers[0]) assert.ok(JSON.stringify(o).length < 100_000, `an output of ${JSON.stringify(o).length} bytes`);
  }
});
