// The CSV a @stdlib data-set package ships, found through the package's own datapackage.json
// (the Frictionless Data descriptor that lists its files), not a guessed path.
import { readFileSync } from "node:fs";
import { DataError } from "../errors";
import { packageFile } from "../paths";
import { readCSV } from "../table/read";
import type { DataTable } from "../table/data-table";

export async function readPackagedCSV(pkg: string, required: readonly string[]): Promise<DataTable> {
  const descriptor = JSON.parse(readFileSync(packageFile(pkg, "datapackage.json"), "utf8")) as { resources?: { format?: string; path?: string }[] };
  const csv = (descriptor.resources ?? []).find((r) => r.format === "csv" && typeof r.path === "string");
  if (!csv) throw new DataError(`${pkg}: its datapackage.json lists no CSV resource`);
  return readCSV(packageFile(pkg, csv.path!), required);
}
