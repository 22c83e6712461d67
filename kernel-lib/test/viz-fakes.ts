// Fake tslab modules for the viz tests: a kernel whose display function records what it is sent.
import { DisplayAdapter, setDisplayAdapter, type AdapterDeps, type DisplayDataContent, type TslabKernel, type TslabPublic } from "../src/viz/jupyter";

export interface Sent {
  content: DisplayDataContent;
  update: boolean;
}

export interface FakeKernel {
  sent: Sent[];
  publicRaw: { mime: string; value: unknown; displayId: string | null }[];
  stdout: string[];
  warnings: string[];
  deps: AdapterDeps;
  clock: { t: number };
}

/**
 * A world for the adapter: `version` is tslab's, `internal` says what tslab/dist/jupyter.js
 * holds ("function": a 2-argument writer; "missing": no such export; "null": never set).
 */
export function fakeWorld(opts: { tslab?: boolean; version?: string; internal?: "function" | "missing" | "null"; kernelGlobal?: boolean } = {}): FakeKernel {
  const world: FakeKernel = { sent: [], publicRaw: [], stdout: [], warnings: [], clock: { t: 0 }, deps: undefined as unknown as AdapterDeps };
  const internal = opts.internal ?? "function";
  const kernel: TslabKernel = {};
  if (internal === "function") kernel.lastWriteDisplayData = (content: DisplayDataContent, update: boolean) => void world.sent.push({ content, update });
  if (internal === "null") kernel.lastWriteDisplayData = null;
  let displays = 0;
  const tslab: TslabPublic = {
    versions: opts.version === undefined ? {} : { tslab: opts.version },
    display: { raw: (mime, value) => void world.publicRaw.push({ mime, value, displayId: null }) },
    newDisplay: () => {
      const id = `public-${++displays}`;
      return { raw: (mime, value) => void world.publicRaw.push({ mime, value, displayId: id }) };
    },
  };
  world.deps = {
    loadTslab: () => (opts.tslab === false ? null : tslab),
    loadKernel: () => (opts.tslab === false ? null : kernel),
    kernelGlobalPresent: () => opts.kernelGlobal ?? internal === "function",
    writeStdout: (text) => void world.stdout.push(text),
    warn: (text) => void world.warnings.push(text),
    now: () => world.clock.t,
  };
  return world;
}

/** Runs `fn` with the process's display adapter replaced by one over `world`. */
export function withWorld<T>(world: FakeKernel, fn: () => T): T {
  const previous = setDisplayAdapter(new DisplayAdapter(world.deps));
  try {
    return fn();
  } finally {
    setDisplayAdapter(previous);
  }
}

export async function withWorldAsync<T>(world: FakeKernel, fn: () => Promise<T>): Promise<T> {
  const previous = setDisplayAdapter(new DisplayAdapter(world.deps));
  try {
    return await fn();
  } finally {
    setDisplayAdapter(previous);
  }
}
