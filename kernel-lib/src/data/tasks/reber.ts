// The embedded Reber grammar (Reber 1967; embedded form from Cleeremans et al. 1989, used by
// Hochreiter & Schmidhuber 1997). A Reber string is a walk through a small automaton:
//
//   start -B-> 1;  1 -T-> 2, 1 -P-> 3;  2 -S-> 2, 2 -X-> 4;  3 -T-> 3, 3 -V-> 5;
//   4 -X-> 3, 4 -S-> end;  5 -P-> 4, 5 -V-> end;  end -E->
//
// e.g. BTSSXXTVVE, BPVVE. The embedded string wraps one in B T ... T E or B P ... P E. The task
// is to predict, at each step, the set of symbols that may come next. Inside the inner string the
// choices are local; but the second-to-last symbol (T or P) repeats the second symbol, which was
// seen a whole inner string earlier: a long-range dependency a plain RNN struggles with.
import { Tensor, allocate } from "../../tensor";
import { describeLines, namedShape, type Described } from "../describe";
import { DataError, checkInt } from "../errors";
import { toRng } from "../seed";
import type { Rng } from "../../random";
import type { TaskOptions } from "./adding";

export const REBER_SYMBOLS = ["B", "T", "S", "X", "P", "V", "E"] as const;
const ID: Record<string, number> = Object.fromEntries(REBER_SYMBOLS.map((s, i) => [s, i]));
/** The padding id after a string ends (one past the symbols). */
export const REBER_PAD = REBER_SYMBOLS.length;

/** The automaton: state → [symbol, next state] choices, each taken with equal probability. */
const EDGES: Record<number, readonly (readonly [string, number])[]> = {
  1: [["T", 2], ["P", 3]],
  2: [["S", 2], ["X", 4]],
  3: [["T", 3], ["V", 5]],
  4: [["X", 3], ["S", 6]],
  5: [["P", 4], ["V", 6]],
};
const END = 6;

function innerReber(rng: Rng): string {
  let s = "B";
  for (let state = 1; state !== END; ) {
    const [sym, next] = EDGES[state][rng.int(2)];
    s += sym;
    state = next;
  }
  return s + "E";
}

/** Does the automaton accept s as a (plain) Reber string? */
export function isReber(s: string): boolean {
  if (s.length < 2 || s[0] !== "B" || s[s.length - 1] !== "E") return false;
  let state = 1;
  for (const ch of s.slice(1, -1)) {
    const edge = (EDGES[state] ?? []).find(([sym]) => sym === ch);
    if (!edge) return false;
    state = edge[1];
  }
  return state === END;
}

/** Does s belong to the embedded Reber grammar (B T reber T E or B P reber P E)? */
export function isEmbeddedReber(s: string): boolean {
  if (s.length < 4 || s[0] !== "B" || s[s.length - 1] !== "E") return false;
  const branch = s[1];
  if ((branch !== "T" && branch !== "P") || s[s.length - 2] !== branch) return false;
  return isReber(s.slice(2, -2));
}

/**
 * The symbols that may follow each prefix of an embedded Reber string: legal[i] is the set after
 * s[0..i]. This is the prediction target (the grammar allows several next symbols, so the best a
 * model can do is spread its probability over them).
 */
export function embeddedReberNext(s: string): string[][] {
  if (!isEmbeddedReber(s)) throw new DataError(`embeddedReberNext: ${JSON.stringify(s)} is not an embedded Reber string`);
  const out: string[][] = [["T", "P"], ["B"]]; // after "B": T or P; after "BT"/"BP": the inner B
  let state = 1;
  const inner = s.slice(2, -2);
  for (let i = 1; i < inner.length - 1; i++) {
    out.push(EDGES[state].map(([sym]) => sym)); // after inner[0..i-1]
    state = EDGES[state].find(([sym]) => sym === inner[i])![1];
  }
  out.push(["E"]); // after the inner string's last symbol (state "end"), its E
  out.push([s[1]]); // then the branch symbol again: the long-range step
  out.push(["E"]);
  out.push([]); // nothing follows the final E
  return out;
}

export interface ReberBatch extends Described {
  readonly strings: readonly string[];
  /** [T, B] symbol ids (0..6 = B T S X P V E), REBER_PAD (7) after a string ends. */
  readonly ids: Tensor;
  /** [T, B, 7] one-hot (all zeros at padding). */
  readonly x: Tensor;
  /** [T, B, 7] multi-hot: the symbols that may follow step t (the target). */
  readonly legalNext: Tensor;
  /** [T, B] the symbol that does follow (REBER_PAD where none). */
  readonly nextIds: Tensor;
  /** [T, B]: 1 where a prediction is due (every step but a string's last), else 0. */
  readonly mask: Tensor;
}

/**
 * `embeddedReber({ T: 30, batchSize: 32, seed: 0 })`: strings of at most T symbols (longer
 * walks are drawn again), padded to T.
 */
export function embeddedReber(options: TaskOptions): ReberBatch {
  const T = checkInt("embeddedReber", "T", options.T, 9); // BTBTXSETE, the shortest, has 9
  const B = checkInt("embeddedReber", "batchSize", options.batchSize, 1);
  const rng = toRng(options.seed);
  const strings: string[] = [];
  while (strings.length < B) {
    const branch = rng.int(2) === 0 ? "T" : "P";
    const s = `B${branch}${innerReber(rng)}${branch}E`;
    if (s.length <= T) strings.push(s);
  }
  const V = REBER_SYMBOLS.length;
  const ids = allocate("embeddedReber", [T, B]).fill(REBER_PAD);
  const nextIds = allocate("embeddedReber", [T, B]).fill(REBER_PAD);
  const x = allocate("embeddedReber", [T, B, V]);
  const legal = allocate("embeddedReber", [T, B, V]);
  const mask = allocate("embeddedReber", [T, B]);
  strings.forEach((s, b) => {
    const next = embeddedReberNext(s);
    for (let t = 0; t < s.length; t++) {
      const i = t * B + b;
      ids[i] = ID[s[t]];
      x[i * V + ID[s[t]]] = 1;
      for (const sym of next[t]) legal[i * V + ID[sym]] = 1;
      if (t + 1 < s.length) {
        nextIds[i] = ID[s[t + 1]];
        mask[i] = 1;
      }
    }
  });
  const lengths = strings.map((s) => s.length);
  return {
    strings,
    ids: new Tensor(ids, [T, B]),
    x: new Tensor(x, [T, B, V]),
    legalNext: new Tensor(legal, [T, B, V]),
    nextIds: new Tensor(nextIds, [T, B]),
    mask: new Tensor(mask, [T, B]),
    describe: () =>
      describeLines(`Embedded Reber grammar: ${B} strings of ${Math.min(...lengths)}..${Math.max(...lengths)} symbols, padded to T=${T}`, [
        ["x", `${namedShape([T, B, V], ["T", "B", "V"])} one-hot over ${REBER_SYMBOLS.join("")} (ids [T, B], pad ${REBER_PAD})`],
        ["legalNext", `${namedShape([T, B, V], ["T", "B", "V"])}: which symbols may come next`],
        ["nextIds, mask", "[T, B]: the symbol that does come next; 1 where it counts"],
        ["example", strings[0]],
      ]),
  };
}
