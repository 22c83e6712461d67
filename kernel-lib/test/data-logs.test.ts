// Service logs: the generator is seeded, the shipped file is what it generates, the loader
// regroups requests, and the anomalies are in the order of events only (same bag of events as
// normal requests), so detecting them needs a model that reads in order.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ANOMALY_KINDS, DataError, datasetPath, generateServiceLogs, loadServiceLogs, type LogRequest } from "../src/data";

const bag = (r: LogRequest) => [...r.events].sort().join(" ");

test("the generator is deterministic by seed", () => {
  const a = generateServiceLogs({ seed: 5, requests: 200 });
  const b = generateServiceLogs({ seed: 5, requests: 200 });
  const c = generateServiceLogs({ seed: 6, requests: 200 });
  assert.equal(a.toCSV(), b.toCSV());
  assert.notEqual(a.toCSV(), c.toCSV());
  assert.throws(() => generateServiceLogs({ seed: 0, anomalyRate: 2 }), /anomalyRate must be in \[0, 1\]/);
});

test("datasets/service-logs.csv is exactly what generateServiceLogs({ seed: 0 }) makes", () => {
  const shipped = readFileSync(datasetPath("service-logs.csv"), "utf8");
  assert.equal(shipped, generateServiceLogs({ seed: 0, requests: 1000 }).toCSV(), "run node scripts/generate-datasets.mjs");
});

test("the loader regroups interleaved lines into requests, labelled, with a left-padded batch", async () => {
  const logs = await loadServiceLogs();
  assert.equal(logs.requests.length, 1000);
  const anomalous = logs.requests.filter((r) => r.label === 1);
  assert.ok(anomalous.length > 40 && anomalous.length < 120, `${anomalous.length} anomalous`);
  assert.deepEqual(new Set(anomalous.map((r) => r.anomaly)), new Set(ANOMALY_KINDS));
  assert.equal(logs.vocab.tokens[0], "<pad>");
  const batch = logs.batch([0, 1, 2]);
  const T = Math.max(...[0, 1, 2].map((i) => logs.requests[i].events.length));
  assert.deepEqual(batch.x.shape, [T, 3]);
  assert.deepEqual(batch.latency.shape, [T, 3]);
  assert.deepEqual(batch.y.shape, [3]);
  for (let b = 0; b < 3; b++) {
    const r = logs.requests[b];
    // Left padding: the request's last event is at the last step.
    assert.equal(batch.x.get(T - 1, b), r.ids[r.ids.length - 1]);
    assert.equal(batch.mask.get(T - r.ids.length, b), 1);
    if (r.ids.length < T) assert.equal(batch.mask.get(T - r.ids.length - 1, b), 0);
  }
  assert.match(logs.describe(), /1,000 requests/);
});

test("anomalies need order: each anomalous request has the bag of events of normal requests", async () => {
  const { requests } = await loadServiceLogs();
  const normalBags = new Set(requests.filter((r) => r.label === 0).map(bag));
  for (const r of requests.filter((q) => q.label === 1)) assert.ok(normalBags.has(bag(r)), `${r.requestId} (${r.anomaly}): ${bag(r)}`);
  // ...while the order tells them apart: each kind breaks an order that normal requests keep.
  const before = (r: LogRequest, a: string, b: string) => r.events.indexOf(a) >= 0 && r.events.indexOf(b) >= 0 && r.events.indexOf(a) < r.events.indexOf(b);
  const broken: Record<string, (r: LogRequest) => boolean> = {
    "charge-before-commit": (r) => before(r, "payments:charge.ok", "db:tx.commit"),
    "read-before-auth": (r) => before(r, "cache:cache.miss", "auth:token.verified"),
    "respond-before-commit": (r) => before(r, "gateway:response.sent", "db:tx.commit"),
  };
  for (const r of requests) {
    for (const [kind, test] of Object.entries(broken)) assert.equal(test(r), r.anomaly === kind, `${r.requestId}: ${kind}`);
  }
});

test("levels and latencies do not give the anomalies away: they are drawn per event, not per label", () => {
  const logs = generateServiceLogs({ seed: 1, requests: 4000, anomalyRate: 0.5 });
  const stats = new Map<string, number[][]>(); // event → [normal latencies, anomalous latencies]
  for (const r of logs.rows) {
    const key = `${r.service}:${r.event}:${r.level}`;
    const s = stats.get(key) ?? [[], []];
    s[r.label].push(Math.log(r.latencyMs + 1e-3));
    stats.set(key, s);
  }
  for (const [key, [normal, anomalous]] of stats) {
    if (normal.length < 200 || anomalous.length < 200) continue;
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    // Log-latency has standard deviation 0.5; the two means agree to a few standard errors.
    assert.ok(Math.abs(mean(normal) - mean(anomalous)) < 0.08, key);
  }
});

test("a malformed log is an error naming the file and line", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "logs-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const header = "timestamp,level,service,request_id,event,latency_ms,message,label,anomaly\n";
  const good = "2024-03-04T09:00:00.100Z,INFO,gateway,aa,request.received,0.5,GET /,0,none\n";
  const cases: [string, RegExp][] = [
    ["2024-03-04T09:00:00.050Z,INFO,gateway,aa,response.sent,0.5,200 OK,0,none\n", /bad\.csv:3: timestamp 2024-03-04T09:00:00\.050Z is earlier than the line before/],
    ["2024-03-04T09:00:00.200Z,LOUD,gateway,aa,response.sent,0.5,200 OK,0,none\n", /bad\.csv:3: level "LOUD" is not one of/],
    ["yesterday,INFO,gateway,aa,response.sent,0.5,200 OK,0,none\n", /bad\.csv:3: timestamp "yesterday" is not an ISO date-time/],
    ["2024-03-04T09:00:00.200Z,INFO,gateway,aa,response.sent,fast,200 OK,0,none\n", /bad\.csv:3: column "latency_ms" is "fast", not a number/],
    ["2024-03-04T09:00:00.200Z,INFO,gateway,aa,response.sent,0.5,200 OK,1,none\n", /bad\.csv:3: request aa has label 1 here but 0 on line 2/],
  ];
  for (const [line, error] of cases) {
    const path = join(dir, "bad.csv");
    writeFileSync(path, header + good + line);
    await assert.rejects(loadServiceLogs(path), (e: Error) => e instanceof DataError && error.test(e.message), line);
  }
  writeFileSync(join(dir, "cols.csv"), "timestamp,level\n2024-03-04T09:00:00.100Z,INFO\n");
  await assert.rejects(loadServiceLogs(join(dir, "cols.csv")), /lacks columns "service", "request_id"/);
});
