// readCSV: the checks around the backend. The file must exist and hold a header and at least one
// data row; a row with the wrong number of fields is reported by its line number.
import { DataError } from "../errors";
import { getTableBackend } from "./backend";
import { DataTable } from "./data-table";
import { findBadLine, readFileChecked, rowStartLines, splitCsvLine } from "./diagnose";
import "./danfo"; // registers the default backend (danfojs-node itself loads on first use)

/**
 * Reads a CSV file with a header row: `const t = await readCSV("datasets/service-logs.csv")`.
 * `required` lists columns that must be present (checked here, so a typo fails before any work).
 */
export async function readCSV(path: string, required: readonly string[] = []): Promise<DataTable> {
  // Decoding with "utf8" turns every byte that is not UTF-8 into U+FFFD in silence (a name in
  // Latin-1 comes out as "Jos�"), and the backend would do the same: refuse, naming the line.
  const { bytes, bad } = readFileChecked("readCSV", path, "a CSV file");
  if (bad !== null) {
    const where = bad.column === null ? "the header line" : `column ${JSON.stringify(bad.column)}`;
    throw new DataError(
      `readCSV: ${path}:${bad.line}: ${where} holds byte 0x${bad.byte.toString(16).padStart(2, "0")}, which is not UTF-8 ` +
        `(after ${JSON.stringify(bad.before)}). Save (or convert) the file as UTF-8: Latin-1 and Windows-1252 text reads like this.`,
    );
  }
  const text = bytes.toString("utf8");
  if (text.trim() === "") throw new DataError(`readCSV: ${path} is empty (${text.length} bytes); expected a header line and data rows`);
  // Old Mac exports end lines in a CR alone: read as one long line, "a header but no data rows".
  if (text.includes("\r") && !text.includes("\n")) {
    throw new DataError(`readCSV: ${path}: its lines end in a carriage return alone (old Mac line endings), so it reads as one line. Save it with Windows (CRLF) or Unix (LF) line endings.`);
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  if (lines.length < 2) throw new DataError(`readCSV: ${path} has a header (${lines[0].slice(0, 80)}) but no data rows`);
  // A file separated by semicolons (European spreadsheet exports) or tabs reads as one column.
  const header = lines[0].replace(/^\uFEFF/, "");
  const other = [";", "\t"].find((sep) => header.includes(sep));
  if (other && !header.includes(",")) {
    throw new DataError(`readCSV: ${path}:1: the header has no comma but ${other === ";" ? "semicolons" : "tabs"} (${JSON.stringify(header.slice(0, 60))}): ` +
      `the file is separated by ${other === ";" ? '";"' : "tabs"}, not commas. Save it as comma-separated (CSV, comma delimited), or replace the separators by commas.`);
  }
  // danfojs renames a repeated column name ("value", "value_1") with only a console warning.
  const names = splitCsvLine(header).map((n) => n.trim());
  const repeated = names.find((n, j) => names.indexOf(n) !== j);
  if (repeated !== undefined) {
    const at = names.flatMap((n, j) => (n === repeated ? [j + 1] : []));
    throw new DataError(`readCSV: ${path}:1: the header names column ${JSON.stringify(repeated)} ${at.length} times (columns ${at.join(" and ")}): give each column a name of its own`);
  }
  const backend = getTableBackend();
  let raw;
  try {
    raw = await backend.readCSV(path);
  } catch (e) {
    // Parsers say what is wrong but rarely where: find the line ourselves.
    const bad = findBadLine(text);
    const blankToTheEnd = bad !== null && text.split(/\r?\n/).slice(bad.line - 1).every((l) => l.trim() === "");
    const where = !bad ? path
      : blankToTheEnd ? `${path}:${bad.line}: an empty line at the end of the file (and only empty lines after it): delete them`
      : bad.text.trim() === "" ? `${path}:${bad.line}: an empty line among the rows: delete it`
      : `${path}:${bad.line}: ${bad.fields} fields where the header has ${bad.expected}: ${JSON.stringify(bad.text.slice(0, 80))}`;
    throw new DataError(`readCSV: ${where} (${backend.name}: ${(e as Error).message})`);
  }
  if (raw.rows.length === 0) throw new DataError(`readCSV: ${path} has a header (${raw.columns.join(",")}) but no data rows`);
  const width = raw.columns.length;
  const table = new DataTable(path, raw, backend.name, rowStartLines(text));
  raw.rows.forEach((row, i) => {
    // A backend that pads or truncates short rows instead of rejecting them is caught here.
    if (row.length !== width) throw new DataError(`readCSV: ${path}:${table.lineOf(i)}: ${row.length} fields where the header has ${width}`);
  });
  const missing = required.filter((c) => !table.columns.includes(c));
  if (missing.length > 0) {
    // Quoted, so that a column named " Sales" (a space after the comma) shows its space.
    throw new DataError(`readCSV: ${path} lacks column${missing.length > 1 ? "s" : ""} ${missing.map((c) => JSON.stringify(c)).join(", ")} (it has ${table.columns.map((c) => JSON.stringify(c)).join(", ")})`);
  }
  return table;
}
