// The student's side of grading: one Node process per notebook under grading, started by
// sandbox.mjs with Node's permission model (it may read the course's node_modules, kernel-lib and
// datasets, and nothing else: no solutions, no grading folder, no other submission; no child
// processes, no workers, no writing). It runs TypeScript cells with tslab's own converter and
// executor (the same ones the course kernel uses), in process, and answers the parent on fd 3,
// one JSON object per line each way:
//
// (every request also carries a nonce, and its reply echoes it: see sandbox.mjs)
//   { op: "cell", id, code }             -> { id, ok, error? }       run one cell
//   { op: "observers", id, source }      -> { id, ok, error? }       load the hidden observers
//   { op: "observe", id, gradeId, seeds, input, firstCase }
//                                        -> { id, observations: [{ value } | { error }] }
//   { op: "drain", id }                  -> { id, ok }               let reads still under way finish
//   (unasked)                            -> { late: id, error }      work request id left running failed
//
// and on fd 4, the id of the request whose work is about to run, whenever it changes (0: none),
// so the parent blames work that outlives its request (a file read's callback that loops or
// exits, say) on the cell that started it. Timers get a short while to fire inside the request
// that set them, then are cleared (settle(), below).
//
// It never sees a reference value, a label or the teacher's seed: it runs the student's code and
// the observer (teacher code that calls the student's functions on inputs drawn from a seed it is
// given) and reports what came out. The parent compares outside. Student code can change anything
// in this process (globals, kernel-lib's exports, this file's functions, what it writes on fd 3);
// all it can change is what this process reports about the student's own functions, and that is
// compared with values it never sees. What this file guards is the rest of the machine: other
// processes (signals, priorities), files (trace logs), the network; and it keeps its own work on
// values captured before any student code ran, so a redefined global costs only what uses it.
"use strict";

const { AsyncLocalStorage, createHook } = require("node:async_hooks");
const fs = require("node:fs");
const net = require("node:net");
const path = require("node:path");
const util = require("node:util");
const vm = require("node:vm");

const ROOT = process.env.COURSE_ROOT;
const { isArray, from: arrayFrom } = Array;
const { entries, is: objectIs } = Object;
const { isFinite } = Number;
const activeResources = process.getActiveResourcesInfo;
const { isView } = ArrayBuffer;
const { stringify, parse } = JSON;
const PromiseCtor = Promise;
const MapCtor = Map;
const setImmediateFn = setImmediate;
const setTimeoutFn = setTimeout;
const clearTimeoutFn = clearTimeout;
const clearImmediateFn = clearImmediate;
const now = Date.now;
const writeSync = fs.writeSync;
const inspect = util.inspect;
const stdoutWrite = process.stdout.write.bind(process.stdout);
const stderrWrite = process.stderr.write.bind(process.stderr);

// The channel to the grader (fd 3; see sandbox.mjs). Replies go out whole, one line each.
const channel = new net.Socket({ fd: 3, readable: true, writable: true });
const channelWrite = channel.write.bind(channel);
function send(msg) {
  let line;
  try {
    line = stringify(msg);
  } catch (e) {
    line = stringify({ id: msg.id, ok: false, error: `the reply could not be sent: ${describe(e)}` });
  }
  channelWrite(`${line}\n`);
}

/** Throws `what is not available while grading`. */
const refuse = (what) =>
  function refused() {
    throw new Error(`${what} is not available while grading`);
  };
// The permission model leaves signals open: a student's cell could kill the grader
// (process.kill(process.ppid)). Only the process itself may end itself (a fault of that cell).
Object.defineProperty(process, "kill", { value: refuse("process.kill"), writable: false, configurable: false });
delete process._kill;
// It leaves priorities open too: os.setPriority(process.ppid, 19) would slow the grader and every
// other student's notebook (their time limits would then cost them exercises).
Object.defineProperty(require("node:os"), "setPriority", { value: refuse("os.setPriority"), writable: false, configurable: false });
// And trace_events writes its log into the working folder, which the permission model does not see.
Object.defineProperty(require("node:trace_events"), "createTracing", { value: refuse("trace_events"), writable: false, configurable: false });
// Node 20's permission model does not cover the network. Its JavaScript entry points are closed
// here (internal bindings are out of reach: process.binding is refused by the permission model).
// That is not a kernel boundary: grade on a machine without network access as well.
{
  const closed = refuse("the network");
  for (const [object, names] of [
    [net.Socket.prototype, ["connect"]],
    [net.Server.prototype, ["listen"]],
    [require("node:dgram").Socket.prototype, ["bind", "send", "connect"]],
    [require("node:dns"), ["lookup", "lookupService", "resolve", "resolve4", "resolve6", "resolveAny", "reverse"]],
    [require("node:dns").Resolver.prototype, ["resolve", "resolve4", "resolve6", "resolveAny", "reverse"]],
    [require("node:dns").promises, ["lookup", "lookupService", "resolve", "resolve4", "resolve6", "resolveAny", "reverse"]],
    [globalThis, ["fetch"]],
  ])
    for (const name of names) Object.defineProperty(object, name, { value: closed, writable: false, configurable: false });
}

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

/** Which request ({ id, tag }) started the code that runs now: errors thrown later by its timers are its own. */
const origin = new AsyncLocalStorage();
/** The timers (setTimeout, setInterval, setImmediate) student code set, with the request that set them. */
const timers = new Set();
// Before each callback (a timer, a promise's continuation, I/O), fd 4 learns whose work it is
// when that changes: if the callback never returns, or exits, or eats memory, the parent knows.
{
  let shown = 0;
  createHook({
    init(asyncId, type, triggerAsyncId, resource) {
      if (type !== "Timeout" && type !== "Immediate") return;
      const from = origin.getStore();
      if (from) timers.add({ resource, from, immediate: type === "Immediate" });
    },
    before() {
      const id = origin.getStore()?.id ?? 0;
      if (id === shown) return;
      shown = id;
      try {
        writeSync(4, `${id}\n`);
      } catch {}
    },
  }).enable();
}

/** Errors that escaped a request's run: the last 100, numbered. */
const replied = new Set(); // ids of the requests answered
const escaped = [];
let escapedCount = 0;
let lateSent = 0;

function describe(e) {
  try {
    if (e instanceof Error) return (process.env.GRADE_DEBUG ? String(e.stack) + " " + String(e.resource) : `${e.name}: ${e.message}`).slice(0, 2000);
    return `threw ${inspect(e, { breakLength: Infinity })}`.slice(0, 2000);
  } catch {
    return "threw something that could not be described";
  }
}

process.on("uncaughtException", (e) => onEscaped(e));
process.on("unhandledRejection", (e) => onEscaped(e));
function onEscaped(e) {
  const from = origin.getStore() ?? null;
  const error = describe(e);
  escaped.push({ n: ++escapedCount, from, error });
  if (escaped.length > 100) escaped.shift();
  // After its request replied: reported to the parent with that request (not printed into
  // whatever runs now). Before, the request's reply reports it.
  if (from && replied.has(from.id) && lateSent < 50) {
    lateSent++;
    send({ late: from.id, error });
  }
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

/**
 * What the executor reports as the current cell's error (its exception, or its TypeScript
 * diagnostics), kept for the reply, which the student's feedback shows once. Not printed as well:
 * the printed copy came twice in the feedback, and an exception's stack named the grader's files.
 */
let thrown = [];
const executor = createExecutor(ROOT, convs, {
  log: (...args) => console.log(...args),
  error: (...args) => {
    const [first] = args;
    thrown.push(typeof first === "string" && first.startsWith("%s%d:%d - %s") ? `TypeScript: ${util.format(...args)}` : describe(first));
  },
});

const kl = require(require.resolve("kernel-lib", { paths: [ROOT] }));
const TensorClass = kl.Tensor;
const RngClass = kl.Rng;

/** At most this many values in one hidden case's result (the teachers' are far smaller). */
const MAX_VALUES = 1_000_000;

/**
 * A value as JSON-safe data: tensors as { tensor: shape, data }, numbers that JSON cannot hold as
 * strings ("NaN", "Infinity", "-Infinity"), functions and symbols by name only.
 */
function observation(value) {
  let count = 0;
  const count1 = (n) => {
    count += n;
    if (count > MAX_VALUES) throw new Error(`the result holds more than ${MAX_VALUES} values (far more than the exercise asks for)`);
  };
  const number = (x) => (typeof x !== "number" ? see(x, 21) : isFinite(x) ? (objectIs(x, -0) ? 0 : x) : { number: String(x) });
  const see = (value, depth) => {
    count1(1);
    if (depth > 20) return { unreadable: "nested more than 20 levels" };
    if (value === undefined) return { undefined: true };
    if (value === null || typeof value === "boolean" || typeof value === "string") return value;
    if (typeof value === "number") return number(value);
    if (typeof value === "bigint") return { bigint: String(value) };
    if (typeof value === "function" || typeof value === "symbol") return { [typeof value]: String(value.name ?? value.description ?? "") };
    if (value instanceof TensorClass) {
      const { shape, data } = value;
      count1(data.length);
      return { tensor: arrayFrom(shape), data: arrayFrom(data, number) };
    }
    if (isView(value)) {
      count1(value.length ?? 0);
      return { typed: arrayFrom(value, number) };
    }
    if (isArray(value)) {
      count1(value.length);
      return arrayFrom(value, (v) => see(v, depth + 1));
    }
    if (value instanceof MapCtor) return { map: arrayFrom(value, ([k, v]) => [see(k, depth + 1), see(v, depth + 1)]) };
    const out = {};
    for (const [k, v] of entries(value)) out[k] = see(v, depth + 1);
    return out;
  };
  return see(value, 0);
}

/** Loads the observers module (TypeScript already transpiled to CommonJS by the parent). */
let observers = null;
const runInThisContext = vm.runInThisContext;
function loadObservers(source) {
  const module = { exports: {} };
  const requireForObservers = (name) => {
    if (name === "kernel-lib") return kl;
    throw new Error(`observers may import only "kernel-lib" (not ${name})`);
  };
  runInThisContext(`(function (module, exports, require) {${source}\n})`, { filename: "hidden-observers.js" })(module, module.exports, requireForObservers);
  observers = module.exports.observers;
  if (!observers || typeof observers !== "object") throw new Error("the observers module exports no `observers` object");
}

const tick = () => new PromiseCtor((resolve) => setImmediateFn(resolve));
const sleep = (ms) => new PromiseCtor((resolve) => setTimeoutFn(resolve, ms));

/**
 * Timers a request set (a cell, or the student's function on one hidden case) that are due
 * within SETTLE_MS of its end fire inside that request (so what they do, a throw, an exit, a
 * loop, is that request's), however busy the machine: "due" is read from the timer itself, not
 * from the clock when it is checked. Then the others (later timers, intervals) are cleared. So
 * work a cell leaves behind never fires during another request, or on a fast machine only.
 */
const SETTLE_MS = 250;
async function settle(from) {
  const probe = setTimeoutFn(() => {}, 0); // its start is the event loop's time now
  const limit = probe._idleStart + SETTLE_MS;
  clearTimeoutFn(probe);
  const mine = () => [...timers].filter((t) => t.from === from && !t.resource._destroyed);
  const due = (t) => t.immediate || (!t.resource._repeat && t.resource._idleStart + t.resource._idleTimeout <= limit);
  while (mine().some(due)) await sleep(5);
  for (const t of [...timers]) {
    if (t.from !== from) continue;
    if (!t.resource._destroyed) (t.immediate ? clearImmediateFn : clearTimeoutFn)(t.resource);
    timers.delete(t);
  }
}

/**
 * After the last request: waits (up to DRAIN_MS) for the I/O requests still under way (a file
 * read a cell started, say) to come back, so that what their callbacks do (a loop, a throw, an
 * exit) happens while the grader waits, and is blamed on the cell that started them, on an idle
 * machine and a busy one alike. Without it, such a callback ran or not depending on whether the
 * read came back before the grader closed the process.
 */
const DRAIN_MS = 3000;
async function drain() {
  const end = Date.now() + DRAIN_MS;
  const underWay = () => activeResources().some((r) => /Req/.test(r));
  while (underWay() && Date.now() < end) await sleep(5);
  await tick();
}

async function observe(msg) {
  const fn = observers?.[msg.gradeId];
  const results = [];
  for (let k = 0; k < msg.seeds.length; k++) {
    if (typeof fn !== "function") {
      results[k] = { error: `no observer for ${msg.gradeId}` };
      continue;
    }
    const from = { id: msg.id, tag: `hidden case ${k + 1} of ${msg.gradeId}` };
    const before = escapedCount;
    try {
      const value = await origin.run(from, async () => fn(executor.locals, kl, new RngClass(msg.seeds[k]), { case: (msg.firstCase ?? 0) + k, input: msg.input }));
      // Work the student's function left running that fails while it settles fails this case.
      await settle(from);
      await tick();
      const late = escaped.find((e) => e.n > before && e.from === from);
      results[k] = late ? { error: `work your function started failed: ${late.error}` } : { value: observation(value) };
    } catch (e) {
      results[k] = { error: describe(e) };
    }
  }
  return results;
}

async function runCell(msg) {
  thrown = [];
  const before = escapedCount;
  const from = { id: msg.id, tag: msg.label ?? `request ${msg.id}` };
  let ok;
  try {
    ok = await origin.run(from, () => executor.execute(msg.code));
  } catch (e) {
    thrown.push(describe(e));
    ok = false;
  }
  // Its timers settle, and a rejection nobody handled is reported (after a tick), within the cell.
  await settle(from);
  await tick();
  const own = escaped.filter((e) => e.n > before && e.from === from);
  if (own.length) ok = false;
  return ok ? { ok: true } : { ok: false, error: [...thrown, ...own.map((e) => `work this cell started failed: ${e.error}`)].join("\n") || "the cell failed" };
}

async function handle(msg) {
  let reply;
  try {
    if (msg.op === "cell") reply = await runCell(msg);
    else if (msg.op === "observers") {
      loadObservers(msg.source);
      reply = { ok: true };
    } else if (msg.op === "observe") reply = { observations: await observe(msg) };
    else if (msg.op === "drain") {
      await drain();
      reply = { ok: true };
    }
    else reply = { ok: false, error: `unknown request ${stringify(msg.op)}` };
  } catch (e) {
    reply = { ok: false, error: describe(e) };
  }
  // Flush this request's output before its reply, so the parent attributes it to this request.
  await new PromiseCtor((resolve) => stdoutWrite("", () => stderrWrite("", resolve)));
  replied.add(msg.id);
  send({ ...reply, id: msg.id, nonce: msg.nonce });
}

// Requests, one JSON object per line.
{
  let buffered = "";
  channel.setEncoding("utf8");
  channel.on("data", (text) => {
    buffered += text;
    let nl;
    while ((nl = buffered.indexOf("\n")) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      handle(parse(line));
    }
  });
  channel.on("error", () => process.exit(70));
}

// TypeScript's first compile takes seconds (it reads the standard declarations and kernel-lib's);
// it happens here, under the start-up time limit, so a first cell's time limit measures the cell,
// not the compiler, on a busy machine too. (Type-checked only: nothing runs.)
convs.node.convert("", 'import * as kl from "kernel-lib";\nconst gradingWarmUp: kl.Tensor | null = null;\n');
send({ ready: true });
