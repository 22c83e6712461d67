// The grader's side of one sandbox (sandbox-child.cjs): starts it under Node's permission model,
// sends it requests one at a time, and turns everything that can go wrong in a student's process
// into a fault of the request that was running: a time limit, a memory limit (resident memory,
// typed arrays included), an output cap, the process exiting or crashing. A fault ends the
// process; the caller starts a new one and goes on without the request that caused it.
import { fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const CHILD = join(HERE, "sandbox-child.cjs");

export const DEFAULT_LIMITS = {
  /** Wall-clock seconds for one cell or one exercise's hidden cases (solutions take well under 1 s). */
  cellSeconds: 30,
  /** Resident memory of the student's process, MiB. */
  memoryMiB: 2048,
  /** Output kept per request (more is counted and dropped); past hardOutputBytes it is a fault. */
  outputBytes: 64 * 1024,
  hardOutputBytes: 64 * 1024 * 1024,
  /** Seconds to start the process (loading TypeScript and kernel-lib). */
  startSeconds: 60,
};

/** The paths the student's process may read: the runtime it needs (runtime.mjs), nothing a teacher keeps. */
export function readablePaths(runtime) {
  return [CHILD, ...runtime.readable, `${runtime.datasets}/`];
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

export class Sandbox {
  constructor(runtime, limits = {}) {
    this.runtime = runtime;
    this.limits = { ...DEFAULT_LIMITS, ...limits };
    this.child = null;
    this.dead = null; // why the process ended, once it has
    this.pending = null; // { resolve, timer, output }
    this.nextId = 1;
  }

  async start() {
    const heapMiB = Math.max(256, Math.floor(this.limits.memoryMiB * 0.75));
    const args = ["--experimental-permission", ...readablePaths(this.runtime).map((p) => `--allow-fs-read=${p}`), `--max-old-space-size=${heapMiB}`, "--no-warnings", "--stack-size=2048"];
    this.child = fork(CHILD, [], {
      cwd: this.runtime.dir,
      execArgv: args,
      env: { GRADE_DEBUG: process.env.GRADE_DEBUG ?? "", COURSE_ROOT: this.runtime.dir, COURSE_DATASETS: this.runtime.datasets, PATH: process.env.PATH ?? "", NODE_ENV: "grading", TZ: "UTC", LANG: "C.UTF-8" },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      serialization: "json",
    });
    this.output = { text: "", bytes: 0, dropped: 0 };
    const onData = (chunk) => this.collect(chunk);
    this.child.stdout.on("data", onData);
    this.child.stderr.on("data", onData);
    this.child.on("message", (msg) => this.onMessage(msg));
    this.child.on("exit", (code, signal) => this.onExit(code, signal));
    this.child.on("error", () => {});
    this.memoryTimer = setInterval(() => this.checkMemory(), 100);
    this.memoryTimer.unref();
    const ready = await this.wait({ ready: true }, this.limits.startSeconds, "starting the notebook's kernel");
    if (!ready.ok) throw new Error(`the grading sandbox did not start: ${ready.error}\n${this.output.text.slice(-2000)}`);
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

  kill(reason) {
    if (this.dead) return;
    this.dead = reason;
    this.child.kill("SIGKILL");
    this.finish({ ok: false, fault: reason });
  }

  onExit(code, signal) {
    clearInterval(this.memoryTimer);
    if (this.dead) return;
    this.dead = signal ? `the process was killed (${signal}): a crash, or memory ran out` : `the process exited (process.exit(${code}))`;
    if (/heap out of memory|Allocation failed/.test(this.output.text)) this.dead = `ran out of memory (heap limit ${Math.floor(this.limits.memoryMiB * 0.75)} MiB)`;
    this.finish({ ok: false, fault: this.dead });
  }

  onMessage(msg) {
    if (!this.pending) return;
    if (this.pending.expect.ready ? msg?.ready === true : msg?.id === this.pending.expect.id) this.finish({ ok: true, ...msg });
  }

  finish(result) {
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    clearTimeout(p.timer);
    const out = this.output;
    const output = out.text + (out.dropped ? `\n[grader: ${out.dropped} more bytes of output were not kept]\n` : "");
    this.output = { text: "", bytes: 0, dropped: 0 };
    p.resolve({ ...result, output });
  }

  wait(expect, seconds, what) {
    return new Promise((resolve) => {
      this.pending = { expect, resolve };
      this.pending.timer = setTimeout(() => this.kill(`${what} took longer than ${seconds} s (the time limit)`), seconds * 1000);
      if (this.dead) this.finish({ ok: false, fault: this.dead });
    });
  }

  /** Sends one request; resolves to the reply (+ output), or { ok: false, fault } if the process ended. */
  async request(body, what, seconds = this.limits.cellSeconds) {
    if (this.dead) return { ok: false, fault: this.dead, output: "" };
    const id = this.nextId++;
    const done = this.wait({ id }, seconds, what);
    this.child.send({ ...body, id });
    const reply = await done;
    // Output that arrives just after the reply still belongs to this request.
    return reply;
  }

  cell(code, label) {
    return this.request({ op: "cell", code, label }, `running ${label}`);
  }

  loadObservers(source) {
    return this.request({ op: "observers", source }, "loading the hidden tests");
  }

  observe(gradeId, seeds, input = null, firstCase = 0) {
    return this.request({ op: "observe", gradeId, seeds, input, firstCase }, `the hidden cases of ${gradeId}`);
  }

  close() {
    clearInterval(this.memoryTimer);
    if (this.child && !this.dead) {
      this.dead = "closed";
      this.child.kill("SIGKILL");
    }
  }
}
