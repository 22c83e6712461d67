// Math.pow (and **) as Node 20 and 22 compute it, on Node 24 and later too.
//
// Node 24's V8 computes Math.pow with the C library's pow, where Node 20 and 22 use V8's own
// ("legacy") one. The two differ in the last bit for some arguments (0.9 ** 4 is
// 0.6561000000000001 in the old, 0.6561 in the new), so Adam's bias correction, the positional
// encoding and with them every training run moved by an ulp, which chaotic runs amplify: the
// course's stored runs (the long-range grid, the attention lab, the names runs) no longer re-ran
// to the same numbers. V8 keeps the old pow behind a flag, --no-use-std-math-pow; loading the
// library sets it when it finds the new pow. The flag is the process's, so a learner's own **
// computes as it does on Node 20 as well: the same numbers on every Node the course supports.
import { setFlagsFromString } from "node:v8";

/** Whether Math.pow gives V8's legacy result on an argument where the two pows differ. */
export function powIsLegacy(): boolean {
  const base = 0.9;
  const exponent = 4;
  return Math.pow(base, exponent) === 0.6561000000000001;
}

if (!powIsLegacy()) setFlagsFromString("--no-use-std-math-pow");
