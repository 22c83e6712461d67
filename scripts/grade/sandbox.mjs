// The grader's side of one sandbox (sandbox-child.cjs): starts it under Node's permission model,
// sends it requests one at a time, and turns everything that can go wrong in a student's process
// into a fault of the request that was running: a time limit, a memory limit (resident memory,
// typed arrays included), an output cap, the process exiting or crashing. A fault ends the
// process; the caller starts a new one and goes on without the request that caused it.
//
// The channel to the process is its fd 3 (one JSON object per line each way), read here with
// caps: student code can write anything to that fd, so a line that is not JSON, a reply too
// large or a reply of the wrong shape is that process's fault, never the grader's crash (Node's
// own IPC channel throws in the parent on a line that is not JSON). Fd 4 carries one-line notes
// of which request's work runs now (a timer a cell left behind, say), so a fault is blamed on
// the request that started the work, not on the request that happened to be waiting. Each request
// carries a fresh nonce its reply must echo: a line a student's function wrote earlier (forging
// replies to request ids it guessed) cannot answer a request sent after it, whatever the timing.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join, sep } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const CHILD = join(HERE, "sandbox-child.cjs");

export const DEFAULT_LIMITS = {
  /** Wall-clock seconds for one cell or one exercise's hidden cases (solutions take well under 1 s). */
  cellSeconds: 30,
  /**
   * Seconds for one exercise's hidden cases, when a notebook whose training cells need a long
   * cellSeconds wants its cases held shorter (capstone 1: a sampler that never stops cost 180 s).
   * Unset: cellSeconds.
   */
  caseSeconds: undefined,
  /** Resident memory of the student's process, MiB. */
  memoryMiB: 2048,
  /** Output kept per request (more is counted and dropped); past hardOutputBytes it is a fault. */
  outputBytes: 64 * 1024,
  hardOutputBytes: 64 * 1024 * 1024,
  /** Bytes the process may send on its channel per request (a reply holds at most 1e6 values). */
  replyBytes: 64 * 1024 * 1024,
  /** Seconds to start the process (loading TypeScript and kernel-lib). */
  startSeconds: 60,
};

/**
 * The flag that turns Node's permission model on: `--permission` since Node 22.13 and 23.5, where
 * Node 24 and later refuse the old `--experimental-permission` ("bad option"); Node 20 knows only
 * the old one.
 */
export function permissionFlag(flags = process.allowedNodeEnvironmentFlags) {
  return flags.has("--permission") ? "--permission" : "--experimental-permission";
}

/** The paths the student's process may read: the runtime it needs (runtime.mjs), nothing a teacher keeps. */
export function readablePaths(runtime) {
  return [CHILD, ...runtime.readable, `${runtime.datasets}${sep}`];
}

/** Resident memory of a process in bytes (Linux /proc; elsewhere null: the heap limit still holds). */
function residentBytes(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** Splits a stream into lines, at most `max` bytes buffered; calls onLine(text) or onTooLong(). */
function lineReader(stream, max, onLine, onTooLong) {
  let parts = [];
  let size = 0;
  stream.on("data", (chunk) => {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
      parts.push(chunk.subarray(start, nl));
      const line = Buffer.concat(parts).toString("utf8");
      parts = [];
      size = 0;
      start = nl + 1;
      onLine(line);
    }
    if (start < chunk.length) {
      parts.push(chunk.subarray(start));
      size += chunk.length - start;
      if (size > max) {
        parts = [];
        size = 0;
        onTooLong();
      }
    }
  });
  stream.on("error", () => {});
}

export class Sandbox {
  constructor(runtime, limits = {}) {
    this.runtime = runtime;
    this.limits = { ...DEFAULT_LIMITS, ...limits };
    this.child = null;
    this.dead = null; // why the process ended, once it has
    this.pending = null; // { expect, resolve, timer }
    this.nextId = 1;
    this.meta = new Map(); // request id -> what the caller said it was (returned as a fault's culprit)
    this.running = null; // the request whose work the process last said it runs (null: its own)
    this.late = []; // [{ meta, error }]: errors of work a request left running, after its reply
  }

  async start() {
    const heapMiB = Math.max(256, Math.floor(this.limits.memoryMiB * 0.75));
    const args = [
      permissionFlag(),
      ...readablePaths(this.runtime).map((p) => `--allow-fs-read=${p}`),
      `--max-old-space-size=${heapMiB}`,
      "--no-warnings",
      "--stack-size=2048",
      // Math.random gives the same numbers at every grading (a function that uses it is graded the same twice).
      "--random-seed=13",
    ];
    this.child = spawn(process.execPath, [...args, CHILD], {
      cwd: this.runtime.dir,
      env: { GRADE_DEBUG: process.env.GRADE_DEBUG ?? "", COURSE_ROOT: this.runtime.dir, COURSE_DATASETS: this.runtime.datasets, PATH: process.env.PATH ?? "", NODE_ENV: "grading", TZ: "UTC", LANG: "C.UTF-8" },
      stdio: ["ignore", "pipe", "pipe", "pipe", "pipe"],
    });
    this.output = { text: "", bytes: 0, dropped: 0 };
    this.replied = 0; // channel bytes since the last reply
    const onData = (chunk) => this.collect(chunk);
    this.child.stdout.on("data", onData);
    this.child.stderr.on("data", onData);
    const channel = this.child.stdio[3];
    channel.on("data", (chunk) => {
      this.replied += chunk.length;
      if (this.replied > this.limits.replyBytes) this.kill(`sent the grader more than ${Math.round(this.limits.replyBytes / 2 ** 20)} MiB at once (a result too large to compare)`);
    });
    lineReader(channel, this.limits.replyBytes, (line) => this.onLine(line), () => this.kill(`sent the grader a reply of more than ${Math.round(this.limits.replyBytes / 2 ** 20)} MiB`));
    lineReader(this.child.stdio[4], 4096, (line) => this.onRunning(line), () => {});
    // "close", not "exit": it comes after the pipes are drained, so a note on fd 4 written just
    // before process.exit() is read before the exit is blamed on someone.
    this.child.on("close", (code, signal) => this.onExit(code, signal));
    this.child.on("error", () => {});
    channel.on("error", () => {});
    this.memoryTimer = setInterval(() => this.checkMemory(), 100);
    this.memoryTimer.unref();
    const ready = await this.wait({ ready: true }, this.limits.startSeconds, "starting the notebook's kernel");
    if (!ready.ok) throw new Error(`the grading sandbox did not start: ${ready.fault ?? ready.error}\n${ready.output?.slice(-2000) ?? ""}`);
  }

  onLine(line) {
    let msg;
    try {
      msg = JSON.parse(line);
    } catch {
      return this.kill("wrote something other than the grader's messages on its channel to the grader");
    }
    if (msg === null || typeof msg !== "object" || Array.isArray(msg)) return this.kill("sent the grader a message that is not an object");
    if (msg.late !== undefined) {
      if (this.late.length < 100) this.late.push({ meta: this.meta.get(msg.late) ?? null, error: String(msg.error).slice(0, 2000) });
      return;
    }
    this.onMessage(msg);
  }

  onRunning(line) {
    const id = Number(/^\d+$/.test(line.trim()) ? line.trim() : NaN);
    this.running = this.meta.has(id) ? id : null;
  }

  collect(chunk) {
    const out = this.output;
    out.bytes += chunk.length;
    const room = this.limits.outputBytes - Buffer.byteLength(out.text);
    if (room > 0) out.text += chunk.toString("utf8").slice(0, room);
    else out.dropped += chunk.length;
    if (out.bytes > this.limits.hardOutputBytes) this.kill(`printed more than ${Math.round(this.limits.hardOutputBytes / 2 ** 20)} MiB of output`);
  }

  checkMemory() {
    if (!this.child || this.dead) return;
    const rss = residentBytes(this.child.pid);
    if (rss !== null && rss > this.limits.memoryMiB * 2 ** 20) this.kill(`used more than ${this.limits.memoryMiB} MiB of memory`);
  }

  /**
   * Who a fault is blamed on: the request whose work the process said it was running, when that
   * is an earlier request than the one waiting (a timer or promise it left behind), else null.
   */
  culprit() {
    const waiting = this.pending?.expect.id;
    if (waiting === undefined && this.running === null) return this.meta.get(this.nextId - 1) ?? null; // between requests: the last one
    return this.running !== null && this.running !== waiting ? this.meta.get(this.running) : null;
  }

  kill(reason) {
    if (this.dead) return;
    this.dead = reason;
    this.deadCulprit = this.culprit();
    this.child.kill("SIGKILL");
    this.finish({ ok: false, fault: reason, culprit: this.deadCulprit });
  }

  onExit(code, signal) {
    clearInterval(this.memoryTimer);
    if (this.dead) return;
    this.dead = signal ? `crashed the process (${signal}: a crash, or memory ran out)` : `ended the process (process.exit(${code}))`;
    if (/heap out of memory|Allocation failed/.test(this.output.text)) this.dead = `ran out of memory (heap limit ${Math.floor(this.limits.memoryMiB * 0.75)} MiB)`;
    this.deadCulprit = this.culprit();
    this.finish({ ok: false, fault: this.dead, culprit: this.deadCulprit });
  }

  onMessage(msg) {
    if (!this.pending) return;
    const { expect } = this.pending;
    if (expect.ready ? msg.ready === true : msg.id === expect.id && msg.nonce === expect.nonce) {
      // Only the reply's own fields: a fault is the grader's to declare.
      const { fault, culprit, output, nonce, ...reply } = msg;
      this.finish({ ...reply, ok: reply.ok !== false });
    }
  }

  finish(result) {
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    this.replied = 0;
    clearTimeout(p.timer);
    const out = this.output;
    const output = out.text + (out.dropped ? `\n[grader: ${out.dropped} more bytes of output were not kept]\n` : "");
    this.output = { text: "", bytes: 0, dropped: 0 };
    if (!result.culprit) delete result.culprit;
    p.resolve({ ...result, output });
  }

  /** The limit a request is held to unless it has one of its own: the notebook's cellSeconds. */
  get cellCap() {
    return { seconds: this.limits.cellSeconds, name: "the time limit" };
  }

  wait(expect, seconds, what, cap = this.cellCap) {
    return new Promise((resolve) => {
      this.pending = { expect, resolve };
      const limit = seconds < cap.seconds && !expect.ready ? "what was left of the notebook's time limit" : cap.name;
      this.pending.timer = setTimeout(() => this.kill(`took longer than ${seconds} s (${limit})`), seconds * 1000);
      if (this.dead) this.finish({ ok: false, fault: this.dead });
    });
  }

  /**
   * Sends one request; resolves to the reply (+ output), or { ok: false, fault, culprit? } if the
   * process ended (culprit: the `meta` of an earlier request whose left-over work was running).
   */
  async request(body, what, seconds = this.limits.cellSeconds, meta = null, cap = this.cellCap) {
    // Died between requests (work a request left running): the fault is that request's.
    if (this.dead) return { ok: false, fault: this.dead, output: "", ...(this.deadCulprit ? { culprit: this.deadCulprit } : {}) };
    const id = this.nextId++;
    const nonce = randomBytes(12).toString("hex");
    this.meta.set(id, meta ?? { what });
    const done = this.wait({ id, nonce }, Math.min(seconds, cap.seconds), what, cap);
    this.child.stdio[3].write(`${JSON.stringify({ ...body, id, nonce })}\n`);
    return done;
  }

  /** Errors thrown by work that earlier requests left running, since the last call. */
  takeLate() {
    const late = this.late;
    this.late = [];
    return late;
  }

  cell(code, label, seconds, meta) {
    return this.request({ op: "cell", code, label }, `running ${label}`, seconds, meta);
  }

  loadObservers(source, seconds) {
    return this.request({ op: "observers", source }, "loading the hidden tests", seconds);
  }

  observe(gradeId, seeds, input = null, firstCase = 0, seconds, meta) {
    const own = this.limits.caseSeconds;
    const cap = own !== undefined && own < this.limits.cellSeconds ? { seconds: own, name: "the time limit for one exercise's hidden cases" } : undefined;
    return this.request({ op: "observe", gradeId, seeds, input, firstCase }, `the hidden cases of ${gradeId}`, seconds, meta, cap);
  }

  /** After the last request: lets I/O the student's code started finish while the grader waits (see the child's drain()). */
  drain(seconds) {
    return this.request({ op: "drain" }, "waiting for work your cells left running", seconds);
  }

  close() {
    clearInterval(this.memoryTimer);
    if (this.child && !this.dead) {
      this.dead = "closed";
      this.child.kill("SIGKILL");
    }
  }
}
