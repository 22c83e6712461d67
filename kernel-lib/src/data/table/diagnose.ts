// When a CSV parser rejects a file it rarely says where ("Too few fields: expected 2 fields but
// parsed 1"). This finds the first line whose number of fields differs from the header's, so the
// error can name it. It runs only after a failure, on the raw text.

/** Splits one CSV line into fields, honouring double quotes ("a,b" is one field). */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      fields.push(field);
      field = "";
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

export interface BadLine {
  line: number;
  fields: number;
  expected: number;
  text: string;
}

/** The first line (1-based, header = line 1) whose field count differs from the header's, or null. */
export function findBadLine(text: string): BadLine | null {
  const lines = text.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === "") lines.pop(); // the final newline
  if (lines.length === 0) return null;
  const expected = splitCsvLine(lines[0]).length;
  for (let i = 1; i < lines.length; i++) {
    const n = lines[i] === "" ? 0 : splitCsvLine(lines[i]).length;
    if (n !== expected) return { line: i + 1, fields: n, expected, text: lines[i] };
  }
  return null;
}
