// Two copies of a resumable grid script (long-range-grid.mjs, attention-lab.mjs) share the runs:
// each claims a run by creating a file named after it in a claims folder, holding its pid.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Claims the run `key` for this process; false if another live process has it (a dead one's claim is taken over). */
export function claimRun(dir, key) {
  const file = join(dir, key.replace(/[^a-z0-9-]+/gi, "_"));
  try {
    writeFileSync(file, String(process.pid), { flag: "wx" });
    return true;
  } catch {
    const pid = Number(readFileSync(file, "utf8"));
    try { process.kill(pid, 0); return pid === process.pid; } catch { /* that process is gone: take the run over */ }
    writeFileSync(file, String(process.pid));
    return true;
  }
}
