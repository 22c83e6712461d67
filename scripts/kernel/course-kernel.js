#!/usr/bin/env node
// The course's TypeScript kernel: tslab 1.0.22, started from its own modules in node_modules (the
// way tslab's `startKernel` starts them), plus one thing tslab does not do: an error that escapes
// a cell's run is an error, never a line lost on stderr.
//
// Registered by scripts/setup.mjs (section 4) as the `tslab` kernelspec ("TypeScript"), so every
// notebook, JupyterLab and the notebook runner (scripts/run_notebooks.py) use it:
//     node scripts/kernel/course-kernel.js --config-path {connection_file}
//
// Why: tslab installs process-wide `uncaughtException` / `unhandledRejection` handlers that only
// print, and its output goes to whichever cell runs at that moment. So a cell that forgets an
// `await` on a training loop "passes", and the loop's error at step 50 prints under some later
// cell, or nowhere. Here:
//   - each execute request runs inside an AsyncLocalStorage context that knows its cell (the
//     execution count and the output channel of the request). Timers, promises and callbacks a
//     cell starts carry that context, so the process handlers know which cell started the work
//     that failed;
//   - the error is shown in full under that cell, where JupyterLab 4 still shows output sent for a
//     finished cell (checked in the browser test's JupyterLab: a cell's output area keeps
//     listening until the cell runs again);
//   - and it fails an execution, so that neither a learner nor the runner can miss it: the cell
//     running at that moment if there is one (it ends with status "error"), otherwise the next
//     execute request, which then does not run its code. Its output is one line naming the cell
//     that started the work:
//       ✘ cell [7] started work that failed after the cell finished: RangeError: mse: pred [3] ...
//     (a cell whose own un-awaited work fails while it still runs says "... failed while the cell
//     ran: ..."). scripts/run_notebooks.py reads that line to name the originating cell;
//   - work a cell must await holds the cell: kernel-lib's training loop registers itself with
//     `globalThis.__courseKernel__.holdCell(describe, stop)` while it runs. A cell that ends while
//     it still holds work (`loop.run(...)` without `await`) has that work stopped and fails:
//       ✘ cell [36] finished while its training loop "Char LSTM" (at step 0 of 400) was still running: ...
//     Otherwise the loop would train on in the background while the next cells read a half-trained
//     model (a learner saw a claim fail there, with nothing pointing at the missing await);
//   - `globalThis.__courseKernel__.settle(maxMs)` waits until no timer, immediate or I/O request
//     started by the notebook is pending (or maxMs passes, then throws): the runner awaits it in
//     one extra request after the last cell, so an error after the last cell fails the run too.
//
// More things tslab leaves out, which Jupyter clients rely on (nbclient, nbgrader's autograde
// and Validate):
//   - an error reply says what failed: `ename`, `evalue` and `traceback`, as the messaging protocol
//     asks (tslab replies `{ status: "error", execution_count }` alone and prints the error on
//     stderr). The cell's own exception, its TypeScript diagnostics, or the escaped error that
//     failed it; the traceback is the error as the cell showed it (kernel-lib's feedback: the ✘
//     line and its hint, no stack);
//   - `stop_on_error: false` is honoured. After an error tslab aborts every request that reaches
//     it within 200 ms, whatever the request asked; a client that runs on past errors (nbclient
//     with allow_errors, as nbgrader grades) would get its next cells back as "aborted" with no
//     output, and nbgrader gives an aborted check cell full points. After a request that says
//     stop_on_error: false the queue is cleared at once, so the next request runs; with true (the
//     protocol's default, what JupyterLab's Run All sends) tslab's behaviour stands;
//   - an `execute_input` message as each execution starts, so a client records execution counts.
//   - an `interrupt_request` (Kernel ▸ Interrupt where the kernelspec asks for messages: Windows)
//     is handled as SIGINT is, and answered (interrupt-request.js).
//
// And errors a learner can act on: an exception names the cell and the cell's own line it came
// from (tslab's frames counted lines of its converted code; cell-sources.js), after the error's own
// line and kernel-lib's frames; a TypeScript diagnostic shows the cell's line it names, and
// "Cannot find name 'model'" says that no cell run so far defines it.
//
// Under nbgrader (autograde and validate set NBGRADER_EXECUTION in the kernel's environment) the
// kernel grades fairly, for nbgrader's rule that a grade cell with an `error` output or any stderr
// text scores 0 (grading/nbgrader/README.md):
//   - a cell's work belongs to that cell: after its code, the execution waits until the timers and
//     I/O it started are done (at most GRACE_MS), and an error they throw fails that cell. A check
//     cell is failed by its own run, the learner's function included (a timer that function starts),
//     never by work an earlier cell started;
//   - an error that escapes later than that, from an earlier cell's work, is shown (as text, with
//     its stack) in the cell running when it surfaces, or in the next one, and fails neither: that
//     cell runs and keeps its points. So one exercise's bug never costs another exercise's points;
//   - errors are `error` messages (ename, evalue, traceback: what nbclient stores as an error
//     output), printed once; nothing goes to stderr, so a learner's console.warn or console.error
//     in a correct function shows as text and does not zero its check.
"use strict";

const { AsyncLocalStorage } = require("node:async_hooks");
const fs = require("node:fs");
const path = require("node:path");
const util = require("node:util");

// tslab's own modules, from this checkout's node_modules (nothing of tslab is copied here).
const tslabDir = path.dirname(require.resolve("tslab/package.json", { paths: [path.join(__dirname, "..", "..")] }));
const { createConverter } = require(path.join(tslabDir, "dist", "converter"));
const { createExecutor } = require(path.join(tslabDir, "dist", "executor"));
const { JupyterHandlerImpl, ZmqServer } = require(path.join(tslabDir, "dist", "jupyter"));
const { nameCellScripts, cellLine, isWrapperCall } = require("./cell-sources");
const { interruptRequest, interruptReply } = require("./interrupt-request");

/** Set by nbgrader's autograde and validate ("autograde", "validate"): grading mode, above. */
const GRADING = Boolean(process.env.NBGRADER_EXECUTION);
/** Under nbgrader, how long an execution waits for the work it started, at most. */
const GRACE_MS = 2000;

/** Which cell started the code that is running now (undefined outside any cell). */
const cellContext = new AsyncLocalStorage();

/** One execute request: its execution count and where its output goes. */
class Cell {
  constructor(writeStream, publish = () => {}) {
    this.count = null; // the execution count, known once the request leaves tslab's queue
    this.writeStream = writeStream;
    this.publish = publish; // (msg_type, content): an iopub message for this request
    this.errors = []; // { summary, error } for each escaped error this execution was failed with
    this.thrown = []; // what the cell's own run printed as an error: an exception, or diagnostics
    this.stopOnError = true; // the request's stop_on_error (the protocol's default is true)
    this.holds = new Set(); // work the cell must await before it ends: { describe(), stop() }
    this.source = null; // the cell's code, once it runs (to name the line an error came from)
  }
  get label() {
    return this.count === null ? "a cell" : `cell [${this.count}]`;
  }
  /** A promise a cell shows as its value carries its cell (AsyncLocalStorage): print the label, not the kernel's fields. */
  [util.inspect.custom]() {
    return `<${this.label}>`;
  }
}

/** Writes to a cell's output even when zeromq's socket is briefly busy (it refuses, then accepts). */
function write(cell, text, attempt = 0) {
  try {
    cell.writeStream("stderr", text.endsWith("\n") ? text : `${text}\n`);
  } catch (e) {
    if (attempt < 50) setImmediate(() => write(cell, text, attempt + 1));
  }
}

/** The error in one line: "RangeError: mse: ..." (kernel-lib's feedback errors print their message alone). */
function oneLine(reason, kind) {
  if (reason instanceof Error) {
    const text = String(reason).trim();
    const first = text.split("\n")[0];
    return first.length > 500 ? `${first.slice(0, 500)}...` : first;
  }
  return `${kind === "rejection" ? "a promise was rejected with" : "threw"} ${util.inspect(reason, { breakLength: Infinity }).slice(0, 500)}`;
}

/** The error in full, as tslab prints a cell's own error (the stack, or the message alone for feedback). */
function inFull(reason) {
  return reason instanceof Error ? util.inspect(reason) : util.inspect(reason, { breakLength: Infinity });
}

/** A line of a cell as errors show it: "line 4: const y = kl.matmul(a, b);" (a long line cut at 100 characters). */
function lineShown(number, text) {
  return `line ${number}: ${text.length > 100 ? `${text.slice(0, 100)}...` : text}`;
}

/**
 * A cell's exception as a learner reads it. Node prints an error thrown inside library code with
 * the library's throwing line first (file:line, the source line, a caret), so the message that
 * names the op and both shapes came fourth; and the cell's frames counted lines of tslab's
 * converted, wrapped code (cell-sources.js). Here: the error's own line first, the library's
 * frames, the cell's as the cell and its own line ("at this cell, line 4: const y = kl.matmul(a, b);",
 * "at square (cell [3], line 1: ...)"), and none of tslab's or the kernel's. An error with its own
 * way to print (kernel-lib's feedback: the ✘ line alone) prints that way.
 */
function forLearner(error, running = cellContext.getStore()) {
  if (!(error instanceof Error) || typeof error.stack !== "string" || typeof error[util.inspect.custom] === "function") return inFull(error);
  // An exercise's stub, called (by its check cell, or a later cell) before the learner wrote it:
  // what to do, not a stack through kernel-lib's check code. The first line stays the error's
  // (the notebook runner knows a learner copy's stop by it).
  const stub = /^not implemented yet(?:: (.+))?$/.exec(error.message);
  if (stub) {
    return `${error.name}: ${error.message}\n✘ ${stub[1] ? `exercise ${stub[1]} is` : "an exercise is"} not written yet: its solution cell still says // YOUR CODE HERE. ` +
      "Write your solution there and run that cell, then run this one again.";
  }
  // tslab's answer to Kernel ▸ Interrupt while a cell awaits: one error made when the kernel
  // started (its stack is tslab's), which says nothing of what stopped and what did not.
  if (error.message === "Interrupted asynchronously" && !/^\s+at .*evalmachine|^\s+at .*cell \[/m.test(error.stack)) {
    return `${error.name}: ${error.message}\n✘ interrupted (Kernel ▸ Interrupt) while this cell awaited: the cell stops here, and what ran before keeps its values. ` +
      "A kl.viz.trainingLoop stops after its current step, keeping what it learned (run its cell again to carry on); a loop written by hand goes on in the background until the kernel restarts.";
  }
  const parsed = error.stack.split("\n").map((line) => /^\s+at (?:(.*?) \()?(.*?)\)?$/.exec(line)).filter(Boolean);
  const frames = [];
  for (const [line, fn, where] of parsed) {
    const inCell = /^(?:async )?(cell \[\d+\]|evalmachine\.<anonymous>):(\d+):\d+$/.exec(where);
    let frame;
    if (inCell) {
      const [, filename, convertedLine] = inCell;
      // tslab's call of its wrapper around the cell ends every cell's stack: not the learner's code.
      if (!fn && isWrapperCall(filename, Number(convertedLine))) continue;
      // (A script not named after its cell: tslab's own, or a cell run outside any request.)
      const at = cellLine(filename, Number(convertedLine)) ?? { cell: fn ? "a function of this or an earlier cell" : "this cell", line: null };
      const cell = at.cell === running?.label ? "this cell" : at.cell;
      const place = at.line ? `${cell}, ${lineShown(at.line, at.text)}` : cell;
      frame = fn ? `    at ${fn.replace(/^(?:async )?Proxy\./, "")} (${place})` : `    at ${place}`;
    } else if (/^node:|[\\/]node_modules[\\/]tslab[\\/]|course-kernel\.js|cell-sources\.js/.test(where)) continue;
    else frame = line.replace(/^\s+/, "    ");
    if (frames[frames.length - 1] !== frame) frames.push(frame);
  }
  return [`${error.name}: ${error.message}`, ...frames].join("\n");
}

// --- Errors that escape a cell's run -------------------------------------------------------------

/** Escaped errors not yet reported by failing an execution: { origin, reason, kind }. */
const pending = [];
/** Escaped errors beyond what is kept (a timer throwing every 100 ms must not flood anything). */
const KEEP = 5;
let dropped = 0;
/** The cell whose code is running now (between the start and the end of its execute). */
let current = null;

function onEscapedError(reason, kind) {
  const origin = cellContext.getStore() ?? current ?? null;
  if (origin && origin === current) {
    // The cell's own un-awaited work failed while the cell was still running: that cell fails.
    const summary = `✘ ${origin.label} started work that failed while the cell ran: ${oneLine(reason, kind)}`;
    // (Under nbgrader the cell's error output says it.)
    if (origin.errors.length < KEEP && !GRADING) write(origin, `${summary}\n${forLearner(reason, origin)}`);
    origin.errors.push({ summary, error: reason });
    return;
  }
  if (origin) {
    origin.shown = (origin.shown ?? 0) + 1;
    const hint = kind === "rejection" ? " (a missing await?)" : "";
    if (origin.shown <= KEEP) write(origin, `✘ this cell started work that failed after the cell finished${hint}:\n${forLearner(reason, origin)}`);
    else if (origin.shown === KEEP + 1) write(origin, "✘ more errors from this cell's work followed; they are not shown.");
  }
  if (pending.length < KEEP) pending.push({ origin, reason, kind });
  else dropped++;
  if (current) deliver(current, { ran: true });
}

/**
 * Fails `cell` with every pending error: one line each (the first few), naming the cell that
 * started the work. Under nbgrader it only shows them, in full, and fails nothing.
 */
function deliver(cell, { ran }) {
  const errors = pending.splice(0);
  let more = dropped;
  dropped = 0;
  if (GRADING) {
    for (const { origin, reason, kind } of errors) {
      const from = origin ? origin.label : "work started outside any known cell";
      write(cell, `✘ ${origin ? `${from} started work that` : from} failed after the cell finished: ${oneLine(reason, kind)}\n${forLearner(reason, cell)}\n` +
        `(Shown here, in ${cell.label}, the cell running when it surfaced. Under nbgrader it fails no cell: it came from ${from}.)`);
    }
    if (more) write(cell, `(${more} more errors from the same work followed; they are not shown)`);
    return;
  }
  for (const { origin, reason, kind } of errors) {
    const what = oneLine(reason, kind);
    const summary = origin
      ? `✘ ${origin.label} started work that failed after the cell finished: ${what}`
      : `✘ work started outside any known cell failed: ${what}`;
    const where = origin ? `The error is shown in full under ${origin.label}.` : forLearner(reason, cell);
    const next = ran ? "" : " This cell did not run: run it again once that is fixed.";
    cell.errors.push({ summary, error: reason });
    if (cell.errors.length <= KEEP) write(cell, `${summary}\n${where}${next}`);
    else more++;
  }
  if (more) {
    cell.hidden = (cell.hidden ?? 0) + more;
    if (cell.hidden === more) write(cell, "(more errors from the same work followed; they are not shown)");
  }
}

process.on("uncaughtException", (err) => onEscapedError(err, "exception"));
process.on("unhandledRejection", (reason) => onEscapedError(reason, "rejection"));

// --- Work a cell must await ----------------------------------------------------------------------

/** Registers work the current cell must await (see the top of this file); returns its release. */
function holdCell(describe, stop) {
  const cell = cellContext.getStore();
  if (!cell) return () => {};
  const hold = { describe, stop };
  cell.holds.add(hold);
  return () => cell.holds.delete(hold);
}

/**
 * At the end of a cell's run: stops the work it still holds. If the cell otherwise succeeded, that
 * is a missing await, and the cell fails saying so (a cell that failed anyway, an interrupt or an
 * exception, keeps its own error). Returns whether the cell may count as ok.
 */
function releaseHolds(cell, ok) {
  const held = [...cell.holds];
  cell.holds.clear();
  for (const hold of held) {
    const what = hold.describe();
    hold.stop();
    if (!ok) continue;
    const summary = `✘ ${cell.label} finished while its ${what} was still running: a missing await? ` +
      "It is stopped there (the model keeps what it learned so far); write `await loop.run(...)` and run the cell again to carry on.";
    if (!GRADING) write(cell, summary);
    cell.thrown.push({ ename: "MissingAwait", evalue: summary, traceback: [summary] });
  }
  return ok && held.length === 0;
}

// --- Waiting for a notebook's work to finish ----------------------------------------------------

/**
 * What the notebook's work still has pending: timers, immediates and I/O requests (Node's names:
 * "Timeout", "Immediate", "FSReqCallback", "TCPConnectWrap", ...). Handles that live as long as
 * the kernel (file watchers of the TypeScript compiler, sockets, stdio) are not work; an unref'd
 * timer is not listed by Node either.
 */
function pendingWork() {
  return process.getActiveResourcesInfo().filter((type) => type === "Timeout" || type === "Immediate" || /Req|ConnectWrap|WriteWrap|ShutdownWrap/.test(type));
}

/** "2 timers, 1 setImmediate": what pendingWork() lists, in words. */
function inWords(types) {
  const counts = new Map();
  for (const t of types) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts]
    .map(([t, n]) => (t === "Timeout" ? `${n} timer${n > 1 ? "s" : ""}` : t === "Immediate" ? `${n} setImmediate` : `${n} I/O request${n > 1 ? "s" : ""} (${t})`))
    .join(", ");
}

/** An error that prints as its message alone (no stack), like kernel-lib's feedback. */
function feedback(message) {
  const error = new Error(message);
  Object.defineProperty(error, util.inspect.custom, { value: () => message });
  return error;
}

/** Resolves once nothing the notebook started is pending for two checks in a row, or after `maxMs`. */
async function quietOrAfter(maxMs) {
  await new Promise((resolve) => setImmediate(resolve)); // a rejection nobody awaited is reported by now
  const until = Date.now() + maxMs;
  let quiet = pendingWork().length ? 0 : 1;
  while (quiet < 2 && Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    quiet = pendingWork().length ? 0 : quiet + 1;
  }
}

/**
 * Resolves once nothing the notebook started is pending (no timer, immediate or I/O request) for
 * two checks in a row; throws if that has not happened within `maxMs`. An error that work throws
 * meanwhile fails the request that awaits this, like any other.
 */
async function settle(maxMs = 30_000) {
  const until = Date.now() + maxMs;
  let quiet = 0;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    const busy = pendingWork();
    quiet = busy.length ? 0 : quiet + 1;
    if (quiet >= 2) return;
    if (Date.now() > until) {
      throw feedback(
        `✘ work the notebook started was still running ${Math.round(maxMs / 1000)} s after its last cell finished (${inWords(busy)} pending): ` +
          "an un-awaited loop, or a timer never cleared? Await the loop, or clear the timer.",
      );
    }
  }
}

// --- tslab's pieces, started the way tslab's startKernel starts them -----------------------------

/** tslab's converters for Node and for the browser, made on first use. */
class ConverterSet {
  get node() {
    return (this._node ??= createConverter({ isJS: false, isBrowser: false }));
  }
  get browser() {
    return (this._browser ??= createConverter({ isJS: false, isBrowser: true }));
  }
  close() {
    this._node?.close();
    this._browser?.close();
  }
}

class CourseHandler extends JupyterHandlerImpl {
  /** Every execute request runs inside its cell's context (tslab's queue keeps it: promise reactions do). */
  async handleExecute(req, writeStream, writeDisplayData, publish) {
    // Under nbgrader, what the cell writes to stderr (console.warn, console.error) is shown as stdout.
    const stream = GRADING ? (name, text) => writeStream(name === "stderr" ? "stdout" : name, text) : writeStream;
    const cell = new Cell(stream, publish);
    cell.stopOnError = req.stop_on_error !== false;
    const content = replyContent(await cellContext.run(cell, () => super.handleExecute(req, stream, writeDisplayData)), cell);
    if (GRADING && content.status === "error") {
      cell.publish("error", { ename: content.ename, evalue: content.evalue, traceback: content.traceback });
    }
    return content;
  }
}

/**
 * tslab's server, with two more things: sending any iopub message for the request, and a start
 * that binds every socket before it reads from any.
 */
class CourseServer extends ZmqServer {
  // Kernel ▸ Interrupt as an interrupt_request on the control channel (the kernelspec's
  // interrupt_mode "message", the only way Jupyter can interrupt a kernel on Windows): handled as
  // SIGINT is, by its listeners (the executor's, and a kl.viz.trainingLoop's, which stops between
  // two steps), and answered. tslab knows no such request.
  async handleShellMessage(sock, ...frames) {
    const request = interruptRequest(frames, this.connInfo.key);
    if (!request) return super.handleShellMessage(sock, ...frames);
    process.emit("SIGINT", "SIGINT");
    await sock.send(interruptReply(request, this.connInfo.key));
  }

  // tslab's init() starts reading shell, control and heartbeat before it binds the five sockets, all
  // at once. A client that connects early (nbclient asks for kernel_info at once) can then be
  // answered while iopub is still binding, and zeromq refuses a send on a socket that is binding:
  // "Socket is blocked by a bind or unbind operation", thrown outside any cell, so the first cell
  // failed. It happened only on a loaded machine (two test lanes at once). Here every bind is done
  // before the first read.
  async init() {
    this.connInfo = JSON.parse(fs.readFileSync(this.configPath, "utf-8"));
    const { transport, ip } = this.connInfo;
    const zmq = require(require.resolve("zeromq", { paths: [tslabDir] })); // tslab's own zeromq
    // A publisher drops what is beyond its high-water mark (zeromq's default: 1,000 messages), in
    // silence: a cell printing a few thousand lines at once lost some. Up to 100,000 wait instead.
    this.iopub = new zmq.Publisher({ sendHighWaterMark: 100_000 });
    this.shell = new zmq.Router();
    this.control = new zmq.Router();
    this.stdin = new zmq.Router();
    this.hb = new zmq.Reply();
    const ports = { iopub: "iopub_port", shell: "shell_port", control: "control_port", stdin: "stdin_port", hb: "hb_port" };
    await Promise.all(Object.entries(ports).map(([sock, port]) => this[sock].bind(`${transport}://${ip}:${this.connInfo[port]}`)));
    const [shell, control] = [this.shell, this.control];
    [this.iopub, this.shell, this.control] = [this.iopub, shell, control].map(sendingInTurn);
    serve(shell, (msgs) => this.handleShellMessage(this.shell, ...msgs));
    serve(control, (msgs) => this.handleShellMessage(this.control, ...msgs));
    serve(this.hb, (msgs) => this.hb.send(msgs)); // the heartbeat echoes (jupyter console uses it)
  }

  async handleExecute(sock, msg) {
    const send = (type, content) => {
      const m = msg.createReply();
      m.header.msg_type = type;
      m.content = content;
      m.signAndSend(this.connInfo.key, this.iopub);
    };
    const writeStream = (name, text) => send("stream", { name, text });
    const writeDisplayData = (data, update) => send(update ? "update_display_data" : "display_data", data);
    const content = await this.handler.handleExecute(msg.content, writeStream, writeDisplayData, send);
    const reply = msg.createReply();
    reply.header.msg_type = "execute_reply";
    reply.content = content;
    reply.signAndSend(this.connInfo.key, sock);
  }
}

/**
 * zeromq 6 refuses a send while the socket's previous send is still in progress ("Socket is busy
 * writing", EBUSY, a rejected promise), and tslab never awaits its sends. So a burst of output (a
 * loop printing thousands of lines, a loaded machine) lost messages: lines of output, and even the
 * "idle" status that ends a cell, which then never finished for the client; the rejection failed
 * the next cell as "work started outside any known cell". What the kernel sends on a socket goes
 * through this: each send waits for the one before it. (zeromq's sockets cannot be changed, so
 * this stands in for one where tslab sends and closes.) A send that still fails is said on the
 * kernel's own stderr (its log).
 */
function sendingInTurn(socket) {
  let last = Promise.resolve();
  const send = (message) => {
    last = last.then(() => socket.send(message)).catch((e) => process.stderr.write(`course kernel: a message could not be sent: ${e.message}\n`));
    return last;
  };
  return { send, close: () => socket.close() };
}

/**
 * Hands each message a socket receives to `handle`, until the socket is closed. Not awaited, as in
 * tslab: a long execution must not hold back the requests behind it (tslab's queue orders them).
 */
async function serve(socket, handle) {
  for await (const msgs of socket) handle(msgs);
}

/**
 * The execute_reply's content: tslab's, and for an error the protocol's ename, evalue and
 * traceback, from what failed the cell (its own error first, else the escaped error it reported).
 */
function replyContent(content, cell) {
  if (content.status !== "error") return content;
  const escaped = cell.errors.slice(0, KEEP).flatMap(({ summary, error }) => [summary, ...forLearner(error, cell).split("\n")]);
  const own = cell.thrown[0];
  if (own) return { ...content, ...own, traceback: [...own.traceback, ...escaped] };
  if (escaped.length) return { ...content, ename: "EscapedError", evalue: cell.errors[0].summary, traceback: escaped };
  return { ...content, ename: "Error", evalue: "the cell failed (see its output)", traceback: [] };
}

/**
 * What tslab's executor prints as a cell's error, kept for the reply: an exception (printed as
 * console.error(e)) or a TypeScript diagnostic (console.error("%s%d:%d - %s", file, line, col,
 * message)), one call per diagnostic. Returns whether it was kept (false outside any cell).
 */
function recordThrown(args) {
  const cell = cellContext.getStore();
  if (!cell) return false;
  const [first] = args;
  if (typeof first === "string" && first.startsWith("%s%d:%d - %s")) { // (with or without a hint line)
    const line = util.format(...args);
    const prior = cell.thrown.find((t) => t.ename === "TSError");
    if (prior) {
      prior.evalue += `\n${line}`;
      prior.traceback.push(...line.split("\n"));
    } else cell.thrown.push({ ename: "TSError", evalue: line, traceback: line.split("\n") });
    return true;
  }
  const error = first;
  const ename = error instanceof Error ? error.name : "Error";
  const evalue = error instanceof Error ? error.message : util.inspect(error, { breakLength: Infinity });
  cell.thrown.push({ ename, evalue, traceback: forLearner(error).split("\n") });
  return true;
}

/**
 * A promise that is a cell's value, as Node prints one without async hooks: the hooks this kernel
 * runs on (AsyncLocalStorage) add three symbols to every promise, which util.inspect shows
 * (`[Symbol(async_id_symbol)]: 2761, ...`) around the one thing a learner needs: a pending promise
 * was not awaited.
 */
function promiseShown(promise) {
  const text = util.inspect(promise, { breakLength: Infinity })
    .replace(/, \[Symbol\(async_id_symbol\)\]: \d+, \[Symbol\(trigger_async_id_symbol\)\]: \d+(?:, \[Symbol\(kResourceStore\)\]: <[^>]*>)? \}$/, " }");
  return /^Promise \{ <pending> \}$/.test(text) ? `${text}  (the cell's value is a promise still running: await it to get its result)` : text;
}

/**
 * A TypeScript diagnostic as a learner reads it: tslab prints "3:13 - Cannot find name 'model2'."
 * (line and column of the cell); in a cell of several lines the line itself follows, since
 * JupyterLab shows no line numbers by default. And "Cannot find name 'model'." in a notebook most
 * often means a cell that defines it has not run in this kernel session (skipped, run out of
 * order, lost in a restart) or failed (tslab keeps no name from a cell that threw): a line says so.
 * A typo gets TypeScript's own "Did you mean 'model'?" instead.
 */
function diagnosticForLearner(args) {
  const [format, file, line, col, message] = args;
  if (format !== "%s%d:%d - %s" || typeof message !== "string") return args;
  const extra = [];
  const source = cellContext.getStore()?.source;
  const lines = typeof source === "string" ? source.split("\n") : [];
  const text = file === "" && lines.length > 1 ? lines[line - 1]?.trim() : undefined;
  if (text) extra.push(`    ${lineShown(line, text)}`);
  const name = /^Cannot find name '([^']+)'\.$/.exec(message)?.[1];
  if (name) {
    extra.push(`  ✘ no cell run so far in this session defines '${name}': run the cell that defines it first ` +
      "(Run ▸ Run All Above Selected Cell), or fix it if it failed. A restarted kernel has forgotten every cell.");
  }
  return extra.length ? [`%s%d:%d - %s${"\n%s".repeat(extra.length)}`, file, line, col, message, ...extra] : args;
}

function startCourseKernel(configPath) {
  nameCellScripts(() => cellContext.getStore());
  const convs = new ConverterSet();
  convs.node; // warm the TypeScript converter, as tslab does
  const executor = createExecutor(process.cwd(), convs, {
    log: (value) => console.log(value instanceof Promise ? promiseShown(value) : value), // (a cell's value: its last expression)
    error: (...args) => {
      args = diagnosticForLearner(args);
      // Under nbgrader the error is the `error` message the handler sends (printed once, not on stderr).
      if (recordThrown(args) && GRADING) return;
      if (args.length === 1 && args[0] instanceof Error) console.error(forLearner(args[0]));
      else console.error(...args);
    },
  });
  let handler = null;
  // tslab's handler calls executor.execute(code) once the request leaves its queue, after
  // counting the execution: that is where a cell starts and ends.
  const courseExecutor = {
    ...executor,
    async execute(code) {
      const cell = cellContext.getStore() ?? new Cell(() => {});
      cell.count = handler.execCount;
      cell.source = code;
      cell.publish("execute_input", { code, execution_count: cell.count });
      if (pending.length) {
        deliver(cell, { ran: GRADING });
        if (!GRADING) return false; // (under nbgrader the cell runs: the errors were only shown)
      }
      current = cell;
      let ok;
      try {
        ok = await executor.execute(code);
        if (GRADING) await quietOrAfter(GRACE_MS); // the work the cell started is the cell's
        ok = releaseHolds(cell, ok);
      } finally {
        current = null;
      }
      return ok && cell.errors.length === 0;
    },
  };
  handler = new CourseHandler(courseExecutor, false);
  // After an error tslab's queue stays rejected, cancelling (aborting) every request added to it,
  // until execQueue.reset(200) clears it 200 ms later. tslab calls that reset from the failing
  // request's handler, so that request's context says whether it asked to stop on error: if not,
  // the queue is cleared at once (requests already waiting behind the failed one stay cancelled:
  // a client that does not stop on errors sends the next request after this reply).
  const reset = handler.execQueue.reset.bind(handler.execQueue);
  handler.execQueue.reset = (ms) => reset(cellContext.getStore()?.stopOnError === false ? undefined : ms);
  const server = new CourseServer(handler, configPath);
  process.on("SIGINT", () => executor.interrupt()); // (also what an interrupt_request runs)
  Object.defineProperty(globalThis, "__courseKernel__", {
    value: Object.freeze({ settle, holdCell }),
    enumerable: false,
  });
  server.init().catch((e) => {
    console.error(`course kernel: could not start: ${e.stack ?? e}`);
    process.exit(1);
  });
}

function main(argv) {
  const i = argv.indexOf("--config-path");
  const configPath = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith("--config-path="))?.slice("--config-path=".length);
  if (!configPath) {
    console.error("usage: course-kernel.js --config-path CONNECTION_FILE (Jupyter starts it from the tslab kernelspec)");
    process.exit(2);
  }
  startCourseKernel(configPath);
}

if (require.main === module) main(process.argv.slice(2));

module.exports = { startCourseKernel, settle };
