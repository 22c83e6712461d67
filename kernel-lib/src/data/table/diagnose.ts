// When a CSV parser rejects a file it rarely says where ("Too few fields: expected 2 fields but
// parsed 1"). This finds the first line whose number of fields differs from the header's, so the
// error can name it. It runs only after a failure, on the raw text. And a file that is not UTF-8,
// which Node decodes in silence (each bad byte becoming U+FFFD), is found before it is decoded.
import { existsSync, readFileSync, statSync } from "node:fs";
import { DataError } from "../errors";

/**
 * A file's bytes, for `op` (readCSV, readText), with the first sequence that is not UTF-8 (null if
 * none): refused, naming the file, when it is missing, a folder, or UTF-16 (its byte-order mark).
 */
export function readFileChecked(op: string, path: string, what: string): { bytes: Buffer; bad: InvalidUtf8 | null } {
  if (!existsSync(path)) throw new DataError(`${op}: ${path} does not exist`);
  if (statSync(path).isDirectory()) throw new DataError(`${op}: ${path} is a folder, not ${what}`);
  const bytes = readFileSync(path);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new DataError(`${op}: ${path}:1: the file is UTF-16 (it starts with the byte-order mark 0x${bytes[0].toString(16)} 0x${bytes[1].toString(16)}), not UTF-8. Save (or convert) it as UTF-8.`);
  }
  return { bytes, bad: findInvalidUtf8(bytes) };
}

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

/**
 * The line (1-based, the header is line 1) on which each data row of a CSV text starts: a quoted
 * field may hold line breaks, so row i is not always on line i + 2. Null when no field does (the
 * text has no quote that spans a line break), which is the common case and costs one scan.
 */
export function rowStartLines(text: string): number[] | null {
  if (!text.includes('"')) return null;
  const starts: number[] = []; // the line each record (the header first) starts on
  let line = 1;
  let recordStart = 1;
  let content = false; // whether the record so far holds more than spaces (empty lines hold no row)
  let quoted = false;
  let spans = false;
  for (const ch of text) {
    if (ch === "\n") {
      line++;
      if (quoted) spans = true;
      else {
        if (content) starts.push(recordStart);
        recordStart = line;
        content = false;
      }
      continue;
    }
    if (ch === '"') quoted = !quoted; // ("" inside quotes toggles twice: no change)
    if (ch.trim() !== "") content = true;
  }
  if (content) starts.push(recordStart);
  return spans ? starts.slice(1) : null;
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

export interface InvalidUtf8 {
  /** The line (1-based, header = line 1) that holds the first byte that is not UTF-8. */
  line: number;
  /** The column it falls in (by counting the fields before it on its line), or null on the header line. */
  column: string | null;
  /** The byte at fault, and its offset in the file. */
  byte: number;
  offset: number;
  /** The text of the line before it (at most 40 characters). */
  before: string;
}

/**
 * The first byte sequence of `bytes` that is not UTF-8 (as the WHATWG decoder judges it:
 * overlong forms, surrogates and code points past U+10FFFF are invalid), or null if there is none.
 */
export function findInvalidUtf8(bytes: Uint8Array): InvalidUtf8 | null {
  const at = invalidUtf8Offset(bytes);
  if (at < 0) return null;
  const lineStart = at === 0 ? 0 : bytes.lastIndexOf(0x0a, at - 1) + 1; // (lastIndexOf(x, -1) would search from the end)
  let line = 1;
  for (let i = 0; i < lineStart; i++) if (bytes[i] === 0x0a) line++;
  const decode = (from: number, to: number) => Buffer.from(bytes.buffer, bytes.byteOffset + from, to - from).toString("utf8");
  const before = decode(lineStart, at); // valid: the first invalid sequence starts at `at`
  let column: string | null = null;
  if (line > 1) {
    const headerEnd = bytes.indexOf(0x0a);
    const header = splitCsvLine(decode(0, headerEnd).replace(/\r$/, ""));
    const field = splitCsvLine(before).length - 1;
    column = field < header.length ? header[field] : `field ${field + 1}`;
  }
  return { line, column, byte: bytes[at], offset: at, before: before.length > 40 ? `…${before.slice(-40)}` : before };
}

/** The offset of the first byte that starts an invalid UTF-8 sequence, or -1. */
function invalidUtf8Offset(b: Uint8Array): number {
  const cont = (i: number, lo = 0x80, hi = 0xbf) => i < b.length && b[i] >= lo && b[i] <= hi;
  for (let i = 0; i < b.length; ) {
    const c = b[i];
    if (c < 0x80) {
      i += 1;
    } else if (c >= 0xc2 && c <= 0xdf) {
      if (!cont(i + 1)) return i;
      i += 2;
    } else if (c >= 0xe0 && c <= 0xef) {
      const [lo, hi] = c === 0xe0 ? [0xa0, 0xbf] : c === 0xed ? [0x80, 0x9f] : [0x80, 0xbf];
      if (!cont(i + 1, lo, hi) || !cont(i + 2)) return i;
      i += 3;
    } else if (c >= 0xf0 && c <= 0xf4) {
      const [lo, hi] = c === 0xf0 ? [0x90, 0xbf] : c === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
      if (!cont(i + 1, lo, hi) || !cont(i + 2) || !cont(i + 3)) return i;
      i += 4;
    } else {
      return i; // a continuation byte without a lead, 0xc0, 0xc1 (overlong), or 0xf5..0xff
    }
  }
  return -1;
}
