// A learner's own text file, read for a character model. Node's `readFileSync(file, "utf8")`
// turns every byte that is not UTF-8 into U+FFFD in silence, the very character the course's
// vocabularies use for "unknown": a Latin-1 file then trains on thousands of unknowns, and the
// only sign is a claim about the validation text failing. Here that is an error naming the line;
// a byte-order mark is dropped and Windows line ends become "\n" (else "\r" is a character).
import { DataError } from "../errors";
import { readFileChecked } from "../table/diagnose";

/** `const text = kl.data.readText("my-book.txt")`: the file as UTF-8 text, checked. */
export function readText(path: string): string {
  const { bytes, bad } = readFileChecked("readText", path, "a text file");
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
