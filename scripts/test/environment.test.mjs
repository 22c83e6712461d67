// environment.yml (conda, Binder) and requirements.txt (the .venv that `npm start` makes) must
// describe the same Python environment: the same packages with the same version ranges.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../lib/project.mjs";

/** "name>=1,<2" -> ["name", ">=1,<2"], names normalised as pip and conda compare them. */
function parseSpec(line) {
  const m = line.trim().match(/^([A-Za-z0-9_.-]+)\s*(.*)$/);
  assert.ok(m, `cannot read the requirement ${JSON.stringify(line)}`);
  return [m[1].toLowerCase().replace(/[-_.]+/g, "-"), m[2].replace(/\s+/g, "")];
}

export function requirements(text) {
  return new Map(text.split("\n").map((l) => l.replace(/#.*/, "").trim()).filter(Boolean).map(parseSpec));
}

export function condaDependencies(text) {
  const deps = new Map();
  let inDeps = false;
  for (const raw of text.split("\n")) {
    const line = raw.replace(/#.*/, "");
    if (/^dependencies:/.test(line)) { inDeps = true; continue; }
    if (/^\S/.test(line)) inDeps = false;
    const m = inDeps && line.match(/^\s{2}-\s+(.+)$/);
    if (m) {
      const [name, spec] = parseSpec(m[1]);
      deps.set(name, spec);
    }
  }
  return deps;
}

const pip = requirements(readFileSync(join(ROOT, "requirements.txt"), "utf8"));
const conda = condaDependencies(readFileSync(join(ROOT, "environment.yml"), "utf8"));

test("every pip requirement is in environment.yml with the same version range", () => {
  for (const [name, spec] of pip) {
    assert.ok(conda.has(name), `environment.yml lacks ${name} (requirements.txt has ${name}${spec})`);
    assert.equal(conda.get(name), spec, `${name}: environment.yml says ${JSON.stringify(conda.get(name))}, requirements.txt says ${JSON.stringify(spec)}`);
  }
});

test("environment.yml adds only the toolchain (python, nodejs, pip) to the pip requirements", () => {
  const extra = [...conda.keys()].filter((n) => !pip.has(n)).sort();
  assert.deepEqual(extra, ["nodejs", "pip", "python"]);
  assert.match(conda.get("nodejs"), /^=20/, "the course is tested on Node 20");
  assert.match(conda.get("python"), /^>=3\.1\d/, "the course needs Python 3.10+");
});

test("the parser itself notices a disagreement", () => {
  const bad = condaDependencies("dependencies:\n  - jupyterlab>=3,<4\n");
  assert.notEqual(bad.get("jupyterlab"), pip.get("jupyterlab"));
});
