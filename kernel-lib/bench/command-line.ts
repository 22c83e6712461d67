// What the bench's scripts share on the command line: reading `--name value`, the lists they take
// (cells, hidden sizes), and saying a mistake in one line with exit code 2 instead of a stack.
import { CELLS, type CellKind } from "./workload";

/** A mistake in the command line: said in one line, without a stack. */
export class UsageError extends Error {}

/** The value after `--name`, or `fallback` when the option is not given. */
export function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

/** `--cells a,b`: known cells only. */
export function cellsOption(fallback: string): CellKind[] {
  const cells = option("cells", fallback).split(",");
  const unknown = cells.filter((c) => !(CELLS as string[]).includes(c));
  if (unknown.length) throw new UsageError(`--cells: unknown ${unknown.join(", ")} (known: ${CELLS.join(", ")})`);
  return cells as CellKind[];
}

/** `--name n,m,...`: positive integers only. */
export function positiveIntegersOption(name: string, fallback: string): number[] {
  const values = option(name, fallback).split(",").map(Number);
  if (!values.every((v) => Number.isInteger(v) && v > 0)) throw new UsageError(`--${name}: not a list of positive integers: ${option(name, "")}`);
  return values;
}

/** `--name n`: a positive integer only. */
export function positiveIntegerOption(name: string, fallback: string): number {
  const value = Number(option(name, fallback));
  if (!(Number.isInteger(value) && value > 0)) throw new UsageError(`--${name}: not a positive integer: ${option(name, "")}`);
  return value;
}

/**
 * Runs a script's main: a UsageError is printed as `script: message` with exit code 2, anything
 * else with its stack and exit code 1. It exits at once on failure: a worker or child left running
 * must not keep a failed run alive.
 */
export function runCommand(script: string, main: () => void | Promise<void>): void {
  const fail = (e: unknown) => {
    console.error(e instanceof UsageError ? `${script}: ${e.message}` : e);
    process.exit(e instanceof UsageError ? 2 : 1);
  };
  try {
    const done = main();
    if (done instanceof Promise) done.catch(fail);
  } catch (e) {
    fail(e);
  }
}
