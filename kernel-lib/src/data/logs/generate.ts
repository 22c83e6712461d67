// A seeded generator of service logs: a small web shop (gateway, auth, cache, orders database,
// inventory, payments) handling requests, one log line per step, requests interleaved in time as
// concurrent requests are. Some requests are anomalous, and labelled so.
//
// The anomalies are in the ORDER of events only. Each is a normal request's events, with the
// same services, levels and latencies, in an order the system must never produce:
//   charge-before-commit   payments charged the card before the order's transaction committed
//                          (a crash between the two leaves a charge without an order)
//   read-before-auth       the database was read before the token was verified
//   respond-before-commit  the client got "201 Created" before the order was committed
// So counting events (a bag of events) cannot find them: every anomalous request has exactly the
// bag of some normal request. A model must read the sequence in order.
import { Rng } from "../../random";
import { describeLines, fmtCount, type Described } from "../describe";
import { DataError, checkInt } from "../errors";
import { toRng, type SeedLike } from "../seed";

export type LogLevel = "DEBUG" | "INFO" | "WARN" | "ERROR";
export type AnomalyKind = "none" | "charge-before-commit" | "read-before-auth" | "respond-before-commit";
export const ANOMALY_KINDS: readonly AnomalyKind[] = ["charge-before-commit", "read-before-auth", "respond-before-commit"];

/** One line of the log. */
export interface LogRow {
  timestamp: string;
  level: LogLevel;
  service: string;
  requestId: string;
  event: string;
  latencyMs: number;
  message: string;
  /** 1 if the request this line belongs to is anomalous. */
  label: 0 | 1;
  anomaly: AnomalyKind;
}

export const LOG_COLUMNS = ["timestamp", "level", "service", "request_id", "event", "latency_ms", "message", "label", "anomaly"] as const;

/** One step of a request, before it gets a time. */
interface Step {
  service: string;
  event: string;
  level: LogLevel;
  /** Median duration in ms (log-normal around it). */
  median: number;
  message: string;
}

const step = (service: string, event: string, level: LogLevel, median: number, message: string): Step => ({ service, event, level, median, message });

/** The steps of one normal request, drawn at random: a read, a checkout, or a health check. */
function normalRequest(rng: Rng): { kind: string; steps: Step[] } {
  const user = `u${1000 + rng.int(9000)}`;
  const order = 100000 + rng.int(900000);
  const ip = `10.0.${rng.int(8)}.${1 + rng.int(250)}`;
  const u = rng.next();
  if (u < 0.15) {
    return { kind: "health", steps: [step("gateway", "request.received", "INFO", 0.3, `GET /health from ${ip}`), step("gateway", "response.sent", "INFO", 0.3, "200 OK")] };
  }
  const steps: Step[] = [];
  const dbRead = (): Step[] => {
    // Occasionally a query times out and is retried: normal, logged at WARN.
    const out: Step[] = [];
    if (rng.next() < 0.08) out.push(step("db", "query.timeout", "WARN", 250, `SELECT order ${order} timed out after 250 ms`), step("db", "query.retry", "INFO", 1, "retry 1 of 3"));
    out.push(step("db", "query.ok", "INFO", 12, `SELECT order ${order}: 1 row`));
    return out;
  };
  if (u < 0.65) {
    // GET /orders/{id}: authenticate, then the cache, then (on a miss) the database.
    steps.push(step("gateway", "request.received", "INFO", 0.3, `GET /orders/${order} from ${ip}`));
    if (rng.next() < 0.04) {
      steps.push(step("auth", "token.rejected", "WARN", 3, `expired token for ${user}`), step("gateway", "response.sent", "INFO", 0.3, "401 Unauthorized"));
      return { kind: "read", steps };
    }
    steps.push(step("auth", "token.verified", "INFO", 3, `user ${user}`));
    if (rng.next() < 0.6) steps.push(step("cache", "cache.hit", "DEBUG", 0.5, `order:${order}`));
    else steps.push(step("cache", "cache.miss", "DEBUG", 0.5, `order:${order}`), ...dbRead(), step("cache", "cache.set", "DEBUG", 0.6, `order:${order} ttl=300s`));
    steps.push(step("gateway", "response.sent", "INFO", 0.3, "200 OK"));
    return { kind: "read", steps };
  }
  // POST /orders: reserve stock, write the order in a transaction, then charge the card.
  const cents = 500 + rng.int(20000);
  steps.push(
    step("gateway", "request.received", "INFO", 0.3, `POST /orders from ${ip}`),
    step("auth", "token.verified", "INFO", 3, `user ${user}`),
    step("inventory", "stock.reserved", "INFO", 8, `order ${order}: ${1 + rng.int(4)} items`),
    step("db", "tx.begin", "DEBUG", 0.5, `order ${order}`),
    step("db", "order.inserted", "INFO", 6, `order ${order} total ${(cents / 100).toFixed(2)} EUR`),
    step("db", "tx.commit", "INFO", 4, `order ${order}`),
  );
  if (rng.next() < 0.07) {
    steps.push(step("payments", "charge.declined", "WARN", 140, `order ${order}: card declined`), step("inventory", "stock.released", "INFO", 6, `order ${order}`), step("gateway", "response.sent", "INFO", 0.3, "402 Payment Required"));
  } else {
    steps.push(step("payments", "charge.ok", "INFO", 140, `order ${order}: charged ${(cents / 100).toFixed(2)} EUR`), step("gateway", "response.sent", "INFO", 0.3, "201 Created"));
  }
  return { kind: "checkout", steps };
}

const at = (steps: Step[], event: string) => steps.findIndex((s) => s.event === event);

/** Moves the step at `from` to position `to` (the other steps keep their order). */
function move(steps: Step[], from: number, to: number): Step[] {
  const out = steps.slice();
  const [s] = out.splice(from, 1);
  out.splice(to, 0, s);
  return out;
}

/** Reorders a normal request into the given anomaly, or returns null if the request has no such form. */
function makeAnomalous(steps: Step[], kind: AnomalyKind): Step[] | null {
  const commit = at(steps, "tx.commit");
  if (kind === "charge-before-commit") {
    const charge = at(steps, "charge.ok");
    return commit >= 0 && charge > commit ? move(steps, charge, commit) : null;
  }
  if (kind === "respond-before-commit") {
    const respond = at(steps, "response.sent");
    return commit >= 0 && at(steps, "charge.ok") >= 0 ? move(steps, respond, commit) : null;
  }
  if (kind === "read-before-auth") {
    // The cache lookup and the database read happen before the token check.
    const verified = at(steps, "token.verified");
    const miss = at(steps, "cache.miss");
    if (verified < 0 || miss < 0) return null;
    return move(steps, verified, at(steps, "cache.set"));
  }
  return null;
}

export interface ServiceLogOptions {
  /** Requests to generate (default 1000). */
  requests?: number;
  seed: SeedLike;
  /** Fraction of requests that are anomalous (default 0.08). */
  anomalyRate?: number;
  /** Time of the first request (default 2024-03-04T09:00:00.000Z). */
  start?: string;
  /** Mean gap between request arrivals in ms (default 80: about 12 requests a second). */
  meanGapMs?: number;
}

export interface ServiceLogs extends Described {
  /** Every line, in time order. */
  readonly rows: readonly LogRow[];
  readonly requests: number;
  readonly anomalous: number;
  /** The log as CSV text, with the header LOG_COLUMNS. */
  toCSV(): string;
}

/** `generateServiceLogs({ seed: 0 })`: the log shipped as datasets/service-logs.csv. */
export function generateServiceLogs(options: ServiceLogOptions): ServiceLogs {
  const n = checkInt("generateServiceLogs", "requests", options.requests ?? 1000, 1);
  const rate = options.anomalyRate ?? 0.08;
  if (!(rate >= 0 && rate <= 1)) throw new DataError(`generateServiceLogs: anomalyRate must be in [0, 1], got ${rate}`);
  const start = Date.parse(options.start ?? "2024-03-04T09:00:00.000Z");
  if (Number.isNaN(start)) throw new DataError(`generateServiceLogs: start ${JSON.stringify(options.start)} is not a date`);
  const gap = options.meanGapMs ?? 80;
  const rng = toRng(options.seed);
  const lines: { time: number; seq: number; row: LogRow }[] = [];
  let arrival = start;
  let anomalous = 0;
  for (let r = 0; r < n; r++) {
    arrival += -gap * Math.log(1 - rng.next()); // Poisson arrivals: exponential gaps
    const requestId = rng.uint32().toString(16).padStart(8, "0");
    let kind: AnomalyKind = "none";
    let { steps } = normalRequest(rng);
    if (rng.next() < rate) {
      // Draw normal requests until one has the chosen anomaly's form, then reorder it.
      const wanted = ANOMALY_KINDS[rng.int(ANOMALY_KINDS.length)];
      for (let tries = 0; tries < 1000; tries++) {
        const reordered = makeAnomalous(steps, wanted);
        if (reordered) {
          steps = reordered;
          kind = wanted;
          break;
        }
        steps = normalRequest(rng).steps;
      }
      if (kind !== "none") anomalous++;
    }
    let time = arrival;
    for (const s of steps) {
      // Log-normal durations: mostly near the median, with the long right tail real latencies have.
      // latency_ms is the step's own duration, drawn the same way wherever the step sits in the
      // request, so it carries no hint of the order (an anomaly shows only in the order).
      const ms = s.median * Math.exp(0.5 * rng.normal());
      time += ms;
      lines.push({
        time,
        seq: lines.length,
        row: { timestamp: "", level: s.level, service: s.service, requestId, event: s.event, latencyMs: Math.round(ms * 100) / 100, message: s.message, label: kind === "none" ? 0 : 1, anomaly: kind },
      });
    }
  }
  // Interleave the requests as a real log is: by time (ties keep generation order).
  lines.sort((a, b) => a.time - b.time || a.seq - b.seq);
  const rows = lines.map((l) => ({ ...l.row, timestamp: new Date(Math.floor(l.time)).toISOString() }));
  return {
    rows,
    requests: n,
    anomalous,
    toCSV: () => toCSV(rows),
    describe: () =>
      describeLines(`Service logs: ${fmtCount(rows.length)} lines from ${fmtCount(n)} requests`, [
        ["anomalous", `${anomalous} requests (${ANOMALY_KINDS.join(", ")}): order-only`],
        ["time", `${rows[0].timestamp} to ${rows[rows.length - 1].timestamp}`],
        ["columns", LOG_COLUMNS.join(", ")],
      ]),
  };
}

function csvField(v: string | number): string {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function toCSV(rows: readonly LogRow[]): string {
  const lines = [LOG_COLUMNS.join(",")];
  for (const r of rows) {
    lines.push([r.timestamp, r.level, r.service, r.requestId, r.event, r.latencyMs.toFixed(2), r.message, r.label, r.anomaly].map(csvField).join(","));
  }
  return lines.join("\n") + "\n";
}
