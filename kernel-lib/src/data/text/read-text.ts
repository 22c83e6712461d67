// A learner's own text file, read for a character model. Node's `readFileSync(file, "utf8")`
// turns every byte that is not UTF-8 into U+FFFD in silence, the very character the course's
// vocabularies use for "unknown": a Latin-1 file then trains on thousands of unknowns, and the
// only sign is a claim about the validation text failing. Here that is an error naming the line;
// a byte-order mark is dropped and Windows line ends become "\n" (else "\r" is a character).
import { existsSync, readFileSync, statSync } from "node:fs";
import { DataError } from "../errors";
import { findInvalidUtf8 } from "../table/diagnose";

/** `const text = kl.data.readText("my-book.txt")`: the file as UTF-8 text, checked. */
export function readText(path: string): string {
  if (!existsSync(path)) throw new DataError(`readText: ${path} does not exist`);
  if (statSync(path).isDirectory()) throw new DataError(`readText: ${path} is a folder, not a text file`);
  const bytes = readFileSync(path);
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new DataError(`readText: ${path}:1: the file is UTF-16 (it starts with the byte-order mark 0x${bytes[0].toString(16)} 0x${bytes[1].toString(16)}), not UTF-8. Save (or convert) it as UTF-8.`);
  }
  const bad = findInvalidUtf8(bytes);
  if (bad !== null) {
    throw new DataError(
      `readText: ${path}:${bad.line}: byte 0x${bad.byte.toString(16).padStart(2, "0")} is not UTF-8 (after ${JSON.stringify(bad.before)}). ` +
        "Save (or convert) the file as UTF-8: Latin-1 and Windows-1252 text reads like this, and each such byte would become the unknown character.",
    );
  }
  const text = bytes.toString("utf8").replace(/^\uFEFF/, "").replace(/\r\n/g, "\n");
  if (text.length === 0) throw new DataError(`readText: ${path} is empty`);
  return text;
}
