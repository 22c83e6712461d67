// Loads a service log (datasets/service-logs.csv by default) through the table backend, checks
// every line, and regroups the interleaved lines into one event sequence per request: the unit a
// sequence model classifies as normal or anomalous.
import { Tensor } from "../../tensor";
import { describeLines, fmtCount, type Described } from "../describe";
import { DataError } from "../errors";
import { datasetPath, displayPath } from "../paths";
import { readCSV } from "../table/read";
import type { DataTable } from "../table/data-table";
import { padSequences } from "../text/pad";
import { Vocabulary } from "../text/vocabulary";
import { LOG_COLUMNS } from "./generate";

const LEVELS = new Set(["DEBUG", "INFO", "WARN", "ERROR"]);

export interface LogRequest {
  readonly requestId: string;
  /** Its events in log order, each "service:event" (e.g. "db:tx.commit"). */
  readonly events: readonly string[];
  /** The same as vocabulary ids. */
  readonly ids: Int32Array;
  /** Each event's latency in ms. */
  readonly latencies: Float64Array;
  readonly label: 0 | 1;
  readonly anomaly: string;
}

export interface LogBatch {
  /** [T, B] event ids, LEFT-padded with id 0 ("<pad>"): every request ends at the last step. */
  x: Tensor;
  /** [T, B] 1 at real events, 0 at padding. */
  mask: Tensor;
  /** [T, B] log(1 + latency in ms), 0 at padding. */
  latency: Tensor;
  /** [B] 1 anomalous, 0 normal. */
  y: Tensor;
}

export interface LogData extends Described {
  readonly table: DataTable;
  readonly requests: readonly LogRequest[];
  /** "<pad>" (id 0), then every "service:event" seen, sorted. */
  readonly vocab: Vocabulary;
  /** Requests (by index; default all) as a left-padded batch. */
  batch(indices?: readonly number[]): LogBatch;
}

/** `const logs = await loadServiceLogs()`; `logs.batch()` gives x [T, B], y [B]. */
export async function loadServiceLogs(path: string = datasetPath("service-logs.csv")): Promise<LogData> {
  const table = await readCSV(path, LOG_COLUMNS);
  const stamps = table.text("timestamp"), levels = table.text("level"), services = table.text("service");
  const reqIds = table.text("request_id"), events = table.text("event"), kinds = table.text("anomaly");
  const latency = table.numeric("latency_ms"), label = table.integer("label");
  const byRequest = new Map<string, number[]>();
  let previous = -Infinity;
  for (let i = 0; i < table.numRows; i++) {
    const where = `${table.source}:${table.lineOf(i)}`;
    const time = Date.parse(stamps[i]);
    if (!/^\d{4}-\d\d-\d\dT/.test(stamps[i]) || Number.isNaN(time)) throw new DataError(`${where}: timestamp ${JSON.stringify(stamps[i])} is not an ISO date-time`);
    if (time < previous) throw new DataError(`${where}: timestamp ${stamps[i]} is earlier than the line before; a log must be in time order`);
    previous = time;
    if (!LEVELS.has(levels[i])) throw new DataError(`${where}: level ${JSON.stringify(levels[i])} is not one of ${[...LEVELS].join(", ")}`);
    if (services[i] === "" || events[i] === "" || reqIds[i] === "") throw new DataError(`${where}: service, event and request_id must not be empty`);
    if (latency[i] < 0) throw new DataError(`${where}: latency_ms is ${latency[i]}; it cannot be negative`);
    if (label[i] !== 0 && label[i] !== 1) throw new DataError(`${where}: label is ${label[i]}; expected 0 or 1`);
    const rows = byRequest.get(reqIds[i]) ?? [];
    if (rows.length > 0 && label[rows[0]] !== label[i]) {
      throw new DataError(`${where}: request ${reqIds[i]} has label ${label[i]} here but ${label[rows[0]]} on line ${table.lineOf(rows[0])}`);
    }
    rows.push(i);
    byRequest.set(reqIds[i], rows);
  }
  const tokenOf = (i: number) => `${services[i]}:${events[i]}`;
  const vocab = Vocabulary.fromTokens(["<pad>", ...[...new Set(Array.from({ length: table.numRows }, (_, i) => tokenOf(i)))].sort()], { level: "word" });
  const requests: LogRequest[] = [...byRequest.entries()].map(([requestId, rows]) => ({
    requestId,
    events: rows.map(tokenOf),
    ids: Int32Array.from(rows, (i) => vocab.id(tokenOf(i))),
    latencies: Float64Array.from(rows, (i) => latency[i]),
    label: label[rows[0]] as 0 | 1,
    anomaly: kinds[rows[0]],
  }));
  const batch = (indices?: readonly number[]): LogBatch => {
    const picked = (indices ?? requests.map((_, i) => i)).map((i) => {
      if (!Number.isInteger(i) || i < 0 || i >= requests.length) throw new DataError(`LogData.batch: request index ${i} is not in 0..${requests.length - 1}`);
      return requests[i];
    });
    const padded = padSequences(picked.map((r) => r.ids), { padId: 0, side: "left" });
    const lat = padSequences(picked.map((r) => r.latencies.map((v) => Math.log1p(v))), { padId: 0, side: "left" });
    return { x: padded.ids, mask: padded.mask, latency: lat.ids, y: new Tensor(Float64Array.from(picked, (r) => r.label), [picked.length]) };
  };
  const anomalous = requests.filter((r) => r.label === 1).length;
  const lengths = requests.map((r) => r.events.length);
  return {
    table,
    requests,
    vocab,
    batch,
    describe: () =>
      describeLines(`Service logs ${displayPath(table.source)}: ${fmtCount(table.numRows)} lines, ${fmtCount(requests.length)} requests`, [
        ["anomalous", `${anomalous} requests (${((100 * anomalous) / requests.length).toFixed(1)}%), by order of events only`],
        ["events", `${vocab.size - 1} kinds ("service:event"), ${Math.min(...lengths)}..${Math.max(...lengths)} per request`],
        ["batch()", `x, mask, latency [T=${Math.max(...lengths)}, B] left-padded; y [B] 1 = anomalous`],
        // Only the course's own file is the generator's; a learner's logs in the same columns are theirs.
        ["source", path === datasetPath("service-logs.csv") ? "generated by generateServiceLogs({ seed: 0 }) (scripts/generate-datasets.mjs); course licence" : `your file, ${displayPath(table.source)}`],
      ]),
  };
}
