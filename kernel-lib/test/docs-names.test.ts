// Every `kl.…` a Markdown page of the course (or a notebook's prose) names must exist in the library: a learner copies
// these lines, and `kl.loadBirths()` (the datasets README's, when the loaders had moved to
// kl.data) fails with "is not a function" and no hint of where the loader went.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import * as kl from "../src";

const ROOT = resolve(__dirname, "..", "..");
const PAGES = ["README.md", "ARCHITECTURE.md", "datasets/README.md", "kernel-lib/README.md", "kernel-lib/bench/README.md", ...readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];

/** The chains of property names after `kl.` in a page's inline and fenced code: "data.loadBirths". */
function namesIn(text: string): Set<string> {
  const code = [...text.matchAll(/```[\s\S]*?```|`[^`\n]+`/g)].map((m) => m[0]).join("\n");
  return new Set([...code.matchAll(/(?<![\w.])kl\.((?:[A-Za-z_$][\w$]*)(?:\.[A-Za-z_$][\w$]*)*)/g)].map((m) => m[1]));
}

/** A page's text: a Markdown file, or a notebook's markdown cells. */
function textOf(page: string): string {
  const raw = readFileSync(join(ROOT, page), "utf8");
  if (!page.endsWith(".ipynb")) return raw;
  const cells = (JSON.parse(raw) as { cells: { cell_type: string; source: string | string[] }[] }).cells;
  return cells.filter((c) => c.cell_type === "markdown").map((c) => (Array.isArray(c.source) ? c.source.join("") : c.source)).join("\n");
}

const NOTEBOOKS = readdirSync(join(ROOT, "solutions")).filter((f) => f.endsWith(".ipynb")).map((f) => `solutions/${f}`);

test("every kl.… named in the course's Markdown pages and notebooks' prose exists in kernel-lib", () => {
  const missing: string[] = [];
  let checked = 0;
  for (const page of [...PAGES, ...NOTEBOOKS]) {
    for (const chain of namesIn(textOf(page))) {
      let at: unknown = kl;
      for (const name of chain.split(".")) {
        // A chain may go on into a returned object's methods (kl.data.loadNames().split): only the
        // part that is the library's own namespaces and exports is checked.
        if (at === null || (typeof at !== "object" && typeof at !== "function")) break;
        const next = (at as Record<string, unknown>)[name];
        if (next === undefined) {
          missing.push(`${page}: kl.${chain}`);
          break;
        }
        at = next;
      }
      checked++;
    }
  }
  assert.ok(checked > 150, `the pages name many kl.… (${checked})`);
  assert.deepEqual(missing, [], "names the pages give that the library does not have");
});
