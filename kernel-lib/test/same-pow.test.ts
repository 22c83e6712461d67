// Math.pow gives the numbers the course's stored runs were made with, on every Node: Node 24 and
// later compute it differently in the last bit, and loading the library turns V8's old pow back
// on (src/same-pow.ts). On Node 20 and 22 this holds by itself; on 24 and 26 it fails without it.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as kl from "../src";
import { powIsLegacy } from "../src/same-pow";

test("after loading the library, Math.pow gives V8's legacy results (Adam's beta^t as the stored runs had them)", () => {
  assert.equal(typeof kl.VERSION, "string");
  assert.ok(powIsLegacy(), `Math.pow(0.9, 4) is ${Math.pow(0.9, 4)} on Node ${process.version}`);
  // Arguments where the two pows differ, with the legacy (Node 20) result.
  const cases: [number, number, number][] = [
    [0.99, 6, 0.9414801494009999],
    [0.99, 12, 0.8863848717161291],
    [0.999, 16, 0.98411944181564],
    [0.99, 19, 0.8261686238355865],
    [0.9, 23, 0.08862938119652505],
  ];
  for (const [base, exponent, legacy] of cases) assert.equal(Math.pow(base, exponent), legacy, `${base} ** ${exponent}`);
});
