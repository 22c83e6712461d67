// A stable hash of a string, for splits decided by each item alone: whether a name is held out
// then depends on the name, not on what else the list holds or in which order, so a copy of the
// data without its held-out items splits the rest exactly as the whole does. (Capstone 1 splits
// its names this way; the grader gives students' processes the names without the held-out ones.)

/**
 * FNV-1a, 32 bits, over the string's UTF-16 code units: the same number on every machine and
 * every run, spread well enough to split on (`stableHash(name) % 10 === 0`: about one in ten).
 * Not a secure hash.
 */
export function stableHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
