// How a display leaves the kernel. tslab's public API (`display.raw(type, s)`) sends one MIME
// type per output, but a chart needs three in one bundle (plotly JSON, an HTML fallback, a text
// summary). tslab's kernel module keeps the function it sends display messages with, per
// execution, in `lastWriteDisplayData(content, update)` (tslab/dist/jupyter.js; its own
// DisplayImpl.raw calls it with `{data, metadata, transient: {display_id}}`). That is an
// internal, so it is used only when everything about it checks out:
//
//   "bundle"       inside a tslab kernel whose version we checked (KNOWN_GOOD_TSLAB) and whose
//                  internal has the expected shape: the whole bundle, one message.
//   "single-mime"  inside a tslab kernel otherwise (another version, internal missing or
//                  changed): the public display API with the most useful single MIME type
//                  (the plotly JSON for a chart), and one warning saying why.
//   "stdout"       plain Node (tests, the bench, a script) or no tslab: the text/plain summary
//                  is printed, so a script still shows what it would have drawn.
//
// tslab is a dependency of the course (the root package), not of kernel-lib: it is loaded with
// require, lazily (it pulls in a TypeScript compiler: ~200 ms), and only the first time
// something is shown.
import type { MimeBundle } from "./mime";
import { PLOTLY_MIME } from "./mime";

/** tslab versions whose internal display function this adapter was checked against. */
export const KNOWN_GOOD_TSLAB: readonly string[] = ["1.0.22"];

/** Jupyter's display_data content, as tslab's internal expects it. */
export interface DisplayDataContent {
  data: MimeBundle;
  metadata: Record<string, unknown>;
  transient: { display_id?: string };
}

/** The part of tslab's public module used here. */
export interface TslabPublic {
  versions?: { tslab?: string };
  display?: { raw(contentType: string, content: unknown): void };
  newDisplay?(): { raw(contentType: string, content: unknown): void };
}

/** The part of tslab's kernel module (tslab/dist/jupyter.js) used here. */
export interface TslabKernel {
  lastWriteDisplayData?: ((content: DisplayDataContent, update: boolean) => void) | null;
}

export type DisplayMode = "bundle" | "single-mime" | "stdout";

/** Where displays go. `displayId` ties updates to a display; `final` marks a live view's last state. */
export interface DisplaySink {
  readonly mode: DisplayMode;
  /** Why this mode was chosen (for `displayInfo()` and bug reports). */
  readonly reason: string;
  send(bundle: MimeBundle, options?: { displayId?: string; update?: boolean; final?: boolean }): void;
}

/** What the adapter needs from the world; tests pass fakes. */
export interface AdapterDeps {
  loadTslab(): TslabPublic | null;
  loadKernel(): TslabKernel | null;
  /** True when a tslab kernel runs this process, whichever copy of tslab it loaded. */
  kernelGlobalPresent(): boolean;
  writeStdout(text: string): void;
  warn(text: string): void;
  now(): number;
}

/** How many event-loop turns a display refused by a busy socket is retried for. */
export const MAX_DEFERRALS = 5;

function isSocketBusy(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown };
  return err !== null && typeof err === "object" && (err.code === "EBUSY" || (typeof err.message === "string" && err.message.includes("busy writing")));
}

/** Single-MIME fallback: which one type to send, best first. */
export const SINGLE_MIME_PREFERENCE = [PLOTLY_MIME, "text/html", "text/markdown", "text/latex", "text/plain"];

/** In plain Node, a live view prints its state at most this often (and always its final state). */
export const STDOUT_UPDATE_EVERY_MS = 5000;

function tryRequire<T>(name: string): T | null {
  try {
    return require(name) as T;
  } catch {
    return null;
  }
}

export const realDeps: AdapterDeps = {
  loadTslab: () => tryRequire<TslabPublic>("tslab"),
  loadKernel: () => tryRequire<TslabKernel>("tslab/dist/jupyter"),
  kernelGlobalPresent: () => (globalThis as { __tslab__?: unknown }).__tslab__ !== undefined,
  writeStdout: (text) => void process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
  warn: (text) => console.warn(text),
  now: () => Date.now(),
};

/** Chooses how to display, from what tslab offers; see the table at the top of this file. */
export class DisplayAdapter {
  private tslab: TslabPublic | null | undefined;
  private kernel: TslabKernel | null | undefined;
  private warned = new Set<string>();
  private publicDisplays = new Map<string, { raw(contentType: string, content: unknown): void }>();
  private lastPrinted = new Map<string, number>();

  constructor(private readonly deps: AdapterDeps = realDeps) {}

  /** The sink for the display about to be sent (the kernel's writer changes every execution). */
  sink(): DisplaySink {
    if (this.tslab === undefined) this.tslab = this.deps.loadTslab();
    if (this.tslab === null) return this.stdoutSink("tslab is not installed: plain Node prints text summaries");
    if (this.kernel === undefined) this.kernel = this.deps.loadKernel();
    const write = this.kernel?.lastWriteDisplayData;
    const inKernel = typeof write === "function" || this.deps.kernelGlobalPresent();
    if (!inKernel) return this.stdoutSink("not inside a tslab kernel: plain Node prints text summaries");

    if (write === null) {
      // The property exists but this copy of tslab was never given a writer: the kernel runs
      // another copy (two installs of tslab). Its public display would fail the same way.
      return this.stdoutSink("inside a tslab kernel, but the tslab that kernel-lib loaded is not the one running it (two copies of tslab?): printing text summaries");
    }
    const version = this.tslab.versions?.tslab;
    if (typeof write === "function" && write.length === 2 && version !== undefined && KNOWN_GOOD_TSLAB.includes(version)) {
      return {
        mode: "bundle",
        reason: `tslab ${version}: full bundles through its kernel's lastWriteDisplayData`,
        send: (bundle, options = {}) =>
          this.writeOrDefer(write, { data: bundle, metadata: {}, transient: options.displayId ? { display_id: options.displayId } : {} }, options.update === true),
      };
    }
    const why =
      version === undefined ? "tslab's version is unknown"
      : !KNOWN_GOOD_TSLAB.includes(version) ? `tslab ${version} is not a version this code was checked with (${KNOWN_GOOD_TSLAB.join(", ")})`
      : typeof write !== "function" ? "tslab's internal lastWriteDisplayData is missing (was tslab/dist/jupyter.js changed?)"
      : `tslab's internal lastWriteDisplayData takes ${write.length} arguments, not 2`;
    if (!this.tslab.display || typeof this.tslab.display.raw !== "function") {
      return this.stdoutSink(`${why}, and tslab has no display.raw: printing text summaries`);
    }
    const reason = `${why}: each display is sent as one MIME type with tslab's public display.raw (the plotly JSON for charts)`;
    this.warnOnce(`kernel-lib: ${reason}.`);
    return { mode: "single-mime", reason, send: (bundle, options = {}) => this.sendSingle(bundle, options.displayId, options.final === true) };
  }

  /**
   * tslab sends without waiting, on a zeromq socket (zeromq 6) that defers one send in every
   * ~512 to the next event-loop turn and refuses any other send until then ("Socket is busy
   * writing"). Throwing then would make tslab report an error on the same busy socket, which
   * wedges the kernel; so a refused display is sent again on the next turns instead (same
   * writer, so it still belongs to its cell).
   */
  private writeOrDefer(write: (content: DisplayDataContent, update: boolean) => void, content: DisplayDataContent, update: boolean, attempt = 0): void {
    try {
      write(content, update);
    } catch (e) {
      if (!isSocketBusy(e) || attempt >= MAX_DEFERRALS) throw e;
      this.deferred++;
      setImmediate(() => {
        try {
          this.writeOrDefer(write, content, update, attempt + 1);
        } catch {
          this.dropped++;
        }
      });
    }
  }

  /** Displays sent a turn late because the socket was busy, and displays given up on. */
  deferred = 0;
  dropped = 0;

  private sendSingle(bundle: MimeBundle, displayId: string | undefined, final: boolean): void {
    const mime = SINGLE_MIME_PREFERENCE.find((m) => bundle[m] !== undefined) ?? "text/plain";
    const tslab = this.tslab!;
    let target = tslab.display!;
    if (displayId !== undefined && typeof tslab.newDisplay === "function") {
      // tslab's own Display object sends display_data first, update_display_data after.
      let d = this.publicDisplays.get(displayId);
      if (!d) this.publicDisplays.set(displayId, (d = tslab.newDisplay()));
      target = d;
      if (final) this.publicDisplays.delete(displayId);
    }
    // display.raw is typed for strings, but puts the value into the message as it is: a JSON
    // MIME type must travel as an object, or the plotly renderer receives a string.
    target.raw(mime, bundle[mime]);
  }

  private stdoutSink(reason: string): DisplaySink {
    return {
      mode: "stdout",
      reason,
      send: (bundle, options = {}) => {
        // A live view updates several times a second: in a log, print it now and then, and its end.
        if (options.update && !options.final && options.displayId !== undefined) {
          const last = this.lastPrinted.get(options.displayId) ?? -Infinity;
          if (this.deps.now() - last < STDOUT_UPDATE_EVERY_MS) return;
        }
        if (options.displayId !== undefined) {
          if (options.final) this.lastPrinted.delete(options.displayId);
          else this.lastPrinted.set(options.displayId, this.deps.now());
        }
        this.deps.writeStdout(bundle["text/plain"]);
      },
    };
  }

  private warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.deps.warn(message);
  }
}

let current = new DisplayAdapter();

/** The process's adapter (one per kernel session). */
export function displayAdapter(): DisplayAdapter {
  return current;
}

/** For tests: replace the adapter (e.g. with fake tslab modules); returns the previous one. */
export function setDisplayAdapter(adapter: DisplayAdapter): DisplayAdapter {
  const previous = current;
  current = adapter;
  return previous;
}
