// The student's side of grading: one Node process per notebook under grading, started by
// sandbox.mjs with Node's permission model (it may read the course's node_modules, kernel-lib and
// datasets, and nothing else: no solutions, no grading folder, no other submission; no child
// processes, no workers, no writing). It runs TypeScript cells with tslab's own converter and
// executor (the same ones the course kernel uses), in process, and answers the parent over IPC:
//
//   { op: "cell", id, code }             -> { id, ok, error? }       run one cell
//   { op: "observers", id, source }      -> { id, ok, error? }       load the hidden observers
//   { op: "observe", id, gradeId, seeds, input, firstCase }
//                                        -> { id, observations: [{ value } | { error }] }
//
// It never sees a reference value, a label or the teacher's seed: it runs the student's code and
// the observer (teacher code that calls the student's functions on inputs drawn from a seed it is
// given) and reports what came out. The parent compares outside. Student code can change anything
// in this process (globals, kernel-lib's exports, this file's functions); all it can change is
// what this process reports about the student's own functions, and that is compared with values
// it never sees.
"use strict";

const { AsyncLocalStorage } = require("node:async_hooks");
const path = require("node:path");
const util = require("node:util");
const vm = require("node:vm");

const ROOT = process.env.COURSE_ROOT;
const send = process.send.bind(process);

// The permission model leaves signals open: a student's cell could kill the grader
// (process.kill(process.ppid)). Only the process itself may end itself (a fault of that cell).
const refuseKill = () => {
  throw new Error("process.kill is not available while grading");
};
Object.defineProperty(process, "kill", { value: refuseKill, writable: false, configurable: false });
delete process._kill;
const { isArray } = Array;
const { entries } = Object;
const stringify = JSON.stringify;
const inspect = util.inspect;

// Output goes to the parent through stdout/stderr pipes (it caps and attributes it). Display
// messages (tslab.display.*, kl.viz charts) are counted, not kept: grading needs no charts.
const tslabDir = path.dirname(require.resolve("tslab/package.json", { paths: [ROOT] }));
// Nothing changes on disk while grading, so the TypeScript compiler needs no file watchers; and
// they would stat folders the permission model keeps closed (node_modules itself, for instance).
const ts = require(require.resolve("@tslab/typescript-for-tslab", { paths: [tslabDir] }));
ts.sys.watchFile = () => ({ close() {} });
ts.sys.watchDirectory = () => ({ close() {} });
const { createConverter } = require(path.join(tslabDir, "dist", "converter"));
const { createExecutor } = require(path.join(tslabDir, "dist", "executor"));
const jupyter = require(path.join(tslabDir, "dist", "jupyter"));
jupyter.lastWriteDisplayData = () => {};

/** Which request started the code that runs now: errors thrown later by its timers are its own. */
const origin = new AsyncLocalStorage();
/** Errors that escaped a request's run, by request id (reported with the next reply). */
const escaped = [];

function describe(e) {
  if (e instanceof Error) return (process.env.GRADE_DEBUG ? String(e.stack) + " " + String(e.resource) : `${e.name}: ${e.message}`).slice(0, 2000);
  return `threw ${inspect(e, { breakLength: Infinity })}`.slice(0, 2000);
}

process.on("uncaughtException", (e) => onEscaped(e));
process.on("unhandledRejection", (e) => onEscaped(e));
function onEscaped(e) {
  const from = origin.getStore();
  escaped.push({ from: from ?? null, error: describe(e) });
  process.stderr.write(`✘ work started by ${from ?? "an unknown cell"} failed after it finished: ${describe(e)}\n`);
}

const convs = {
  get node() {
    return (this._node ??= createConverter({ isJS: false, isBrowser: false }));
  },
  get browser() {
    return this.node;
  },
  close() {
    this._node?.close();
  },
};

/** What the executor printed as the current cell's error (its exception, or its TypeScript diagnostics). */
let thrown = [];
const executor = createExecutor(ROOT, convs, {
  log: (...args) => console.log(...args),
  error: (...args) => {
    const [first] = args;
    thrown.push(typeof first === "string" && first.startsWith("%s%d:%d - %s") ? `TypeScript: ${util.format(...args)}` : describe(first));
    console.error(...args);
  },
});

const kl = require(require.resolve("kernel-lib", { paths: [ROOT] }));
const TensorClass = kl.Tensor;
const RngClass = kl.Rng;

/**
 * A value as JSON-safe data: tensors as { tensor: shape, data }, numbers that JSON cannot hold as
 * strings ("NaN", "Infinity", "-Infinity"), functions and symbols by name only.
 */
function observation(value, depth = 0) {
  if (depth > 20) return { unreadable: "nested more than 20 levels" };
  if (value === undefined) return { undefined: true };
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number") return Number.isFinite(value) ? (Object.is(value, -0) ? 0 : value) : { number: String(value) };
  if (typeof value === "bigint") return { bigint: String(value) };
  if (typeof value === "function" || typeof value === "symbol") return { [typeof value]: String(value.name ?? value.description ?? "") };
  if (value instanceof TensorClass) return { tensor: [...value.shape], data: Array.from(value.data, (x) => observation(x)) };
  if (ArrayBuffer.isView(value)) return { typed: Array.from(value, (x) => observation(x)) };
  if (isArray(value)) return value.map((v) => observation(v, depth + 1));
  if (value instanceof Map) return { map: [...value].map(([k, v]) => [observation(k, depth + 1), observation(v, depth + 1)]) };
  const out = {};
  for (const [k, v] of entries(value)) out[k] = observation(v, depth + 1);
  return out;
}

/** Loads the observers module (TypeScript already transpiled to CommonJS by the parent). */
let observers = null;
function loadObservers(source) {
  const module = { exports: {} };
  const requireForObservers = (name) => {
    if (name === "kernel-lib") return kl;
    throw new Error(`observers may import only "kernel-lib" (not ${name})`);
  };
  vm.runInThisContext(`(function (module, exports, require) {${source}\n})`, { filename: "hidden-observers.js" })(module, module.exports, requireForObservers);
  observers = module.exports.observers;
  if (!observers || typeof observers !== "object") throw new Error("the observers module exports no `observers` object");
}

async function observe(msg) {
  const fn = observers?.[msg.gradeId];
  if (typeof fn !== "function") return msg.seeds.map(() => ({ error: `no observer for ${msg.gradeId}` }));
  const results = [];
  for (let k = 0; k < msg.seeds.length; k++) {
    const tag = `hidden case ${k + 1} of ${msg.gradeId}`;
    const before = escaped.length;
    try {
      const value = await origin.run(tag, async () => fn(executor.locals, kl, new RngClass(msg.seeds[k]), { case: (msg.firstCase ?? 0) + k, input: msg.input }));
      // Work the student's function left running that fails within a tick fails this case.
      await new Promise((resolve) => setImmediate(resolve));
      const late = escaped.slice(before).find((e) => e.from === tag);
      results.push(late ? { error: `work your function started failed: ${late.error}` } : { value: observation(value) });
    } catch (e) {
      results.push({ error: describe(e) });
    }
  }
  return results;
}

async function runCell(msg) {
  thrown = [];
  const before = escaped.length;
  let ok;
  try {
    ok = await origin.run(msg.label ?? `request ${msg.id}`, () => executor.execute(msg.code));
  } catch (e) {
    thrown.push(describe(e));
    ok = false;
  }
  const own = escaped.slice(before).filter((e) => e.from === (msg.label ?? `request ${msg.id}`));
  if (own.length) ok = false;
  return ok ? { ok: true } : { ok: false, error: [...thrown, ...own.map((e) => `work this cell started failed: ${e.error}`)].join("\n") || "the cell failed" };
}

process.on("message", async (msg) => {
  let reply;
  try {
    if (msg.op === "cell") reply = await runCell(msg);
    else if (msg.op === "observers") {
      loadObservers(msg.source);
      reply = { ok: true };
    } else if (msg.op === "observe") reply = { observations: await observe(msg) };
    else reply = { ok: false, error: `unknown request ${stringify(msg.op)}` };
  } catch (e) {
    reply = { ok: false, error: describe(e) };
  }
  // Flush this request's output before its reply, so the parent attributes it to this request.
  await new Promise((resolve) => process.stdout.write("", () => process.stderr.write("", resolve)));
  send({ id: msg.id, ...reply });
});

send({ ready: true });
