import { test } from "node:test";
import assert from "node:assert/strict";
import { VERSION } from "../src";

test("the public API exports a version string", () => {
  assert.match(VERSION, /^\d+\.\d+\.\d+$/);
});
