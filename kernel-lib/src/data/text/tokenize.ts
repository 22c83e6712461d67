// Splitting text into tokens. Characters are Unicode code points (Array.from), not UTF-16 units,
// so "—" or "η" is one token and never half of a surrogate pair. Words are runs of letters and
// digits (with inner apostrophes: "whale's", "don't"), and each punctuation mark is a token.

export type TokenLevel = "char" | "word";

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*|[^\s\p{L}\p{N}]/gu;

export function tokenize(text: string, level: TokenLevel): string[] {
  if (level === "char") return Array.from(text);
  return text.match(WORD) ?? [];
}

/** Tokens back to text: characters concatenate; words join with spaces (punctuation too: "whale ."). */
export function detokenize(tokens: readonly string[], level: TokenLevel): string {
  return tokens.join(level === "char" ? "" : " ");
}

/** "ž" → `"ž" (U+017E)`: a code point makes invisible or look-alike characters identifiable in errors. */
export function showToken(token: string): string {
  const chars = Array.from(token);
  if (chars.length !== 1) return JSON.stringify(token);
  return `${JSON.stringify(token)} (U+${chars[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")})`;
}
