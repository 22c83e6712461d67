// The example in kernel-lib/README.md must run and print what its prose says: the README is
// where a learner first meets the tape, so it is tested like code.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const README = resolve(__dirname, "..", "README.md");
const INDEX = resolve(__dirname, "..", "src", "index.ts");

const blocks = () => [...readFileSync(README, "utf8").matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);

/** Runs a README block that imports kernel-lib (from the source) and returns what it printed. */
async function run(example: string): Promise<unknown[][]> {
  const dir = mkdtempSync(join(tmpdir(), "readme-"));
  const file = join(dir, "example.ts");
  writeFileSync(file, example.replace('from "kernel-lib"', `from ${JSON.stringify(INDEX)}`));
  const printed: unknown[][] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => void printed.push(args);
  try {
    await import(pathToFileURL(file).href);
  } finally {
    console.log = original;
    rmSync(dir, { recursive: true, force: true });
  }
  return printed;
}

test("every excerpt of the library's source in the README is in that file, word for word", () => {
  const excerpts = blocks().filter((b) => /^\/\/ src\/\S+\.ts\n/.test(b));
  assert.ok(excerpts.length >= 2, "the README quotes the tanh op and the LSTM step");
  for (const b of excerpts) {
    const [first, ...rest] = b.split("\n");
    const file = resolve(__dirname, "..", first.slice(3));
    assert.ok(readFileSync(file, "utf8").includes(rest.join("\n")), `the README's excerpt of ${first.slice(3)} differs from the file`);
  }
});

test("the README's model example runs: names in PyTorch's order, eval reaches every layer", async () => {
  const example = blocks().find((b) => b.includes("class CharModel extends kl.nn.Module"));
  assert.ok(example, "README.md has the model example");
  const printed = await run(example + "\nconsole.log(JSON.stringify(model.namedParameters().map(([n]) => n)), model.namedModules().every(([, m]) => !m.training), Object.keys(JSON.parse(json)).length);");
  const [names, allEval, keys] = printed[printed.length - 1] as [string, boolean, number];
  const list = JSON.parse(names) as string[];
  assert.deepEqual([list[0], list[1], list[list.length - 1]], ["embed.weight", "rnn.weight_ih_l0", "head.bias"]);
  assert.equal(list.length, 1 + 8 + 2);
  assert.equal(allEval, true);
  assert.equal(keys, list.length);
});

test("the README's tape example runs and prints dL/dh_t as the chain rule predicts", async () => {
  const example = blocks().find((b) => b.includes('from "kernel-lib"') && b.includes("retainGrad"));
  assert.ok(example, "README.md has no tape example importing kernel-lib");
  const printed = await run(example);
  assert.equal(printed.length, 3, `expected three lines, got ${JSON.stringify(printed)}`);
  const [dh, dw, size] = printed.map((p) => p[0]);

  // The same recurrence by hand: h_t = tanh(w h_{t-1} + x_t), L = h_3².
  const w = 0.5;
  const hs: number[] = [];
  let h = 0;
  for (const x of [0.1, -0.3, 0.8]) hs.push((h = Math.tanh(w * h + x)));
  const g3 = 2 * hs[2];
  const g2 = g3 * w * (1 - hs[2] ** 2);
  const g1 = g2 * w * (1 - hs[1] ** 2);
  assert.deepEqual(dh, [g1, g2, g3].map((v) => v.toFixed(4)));
  // dL/dw = sum over t of dL/dh_t * (1 - h_t²) * h_{t-1}
  const gw = g3 * (1 - hs[2] ** 2) * hs[1] + g2 * (1 - hs[1] ** 2) * hs[0] + g1 * (1 - hs[0] ** 2) * 0;
  assert.equal(dw, gw.toFixed(4));
  assert.equal(size, 0);
});
