// A vocabulary: the tokens a model knows, each with an id (its row in the embedding, its column
// in the logits). Built from a training text; encode turns text into ids, decode turns ids back.
//
// Unknown tokens. A text to encode may hold tokens the training text did not (a "ž", a new word).
// Either the vocabulary has an `unknown` token and every unseen token becomes its id, or encode
// stops with an error naming the token and its position. Silently dropping or guessing would
// change what the model sees without anyone noticing.
import { Tensor } from "../../tensor";
import { describeLines, fmtCount, type Described } from "../describe";
import { DataError } from "../errors";
import { detokenize, showToken, tokenize, type TokenLevel } from "./tokenize";

export interface VocabularyOptions {
  /** "char" (default) or "word". */
  level?: TokenLevel;
  /** A token that stands for every unseen token (e.g. "<unk>", or "�" for characters). */
  unknown?: string;
  /** Tokens that get the first ids, in this order (e.g. "." as a name boundary, "<pad>"). */
  specials?: readonly string[];
  /** Tokens seen fewer times than this become `unknown` (needs `unknown`). Default 1. */
  minCount?: number;
  /** Keep at most this many tokens, the most frequent (specials and unknown included; needs `unknown`). */
  maxSize?: number;
}

export class Vocabulary implements Described {
  /** tokens[id]: the token with that id. */
  readonly tokens: readonly string[];
  /** The id of `unknown`, or -1 if the vocabulary has none (then unseen tokens are an error). */
  readonly unknownId: number;
  private readonly ids: Map<string, number>;

  private constructor(readonly level: TokenLevel, tokens: string[], unknown: string | undefined, readonly sourceTokens: number) {
    this.tokens = tokens;
    this.ids = new Map(tokens.map((t, i) => [t, i]));
    this.unknownId = unknown === undefined ? -1 : this.ids.get(unknown)!;
  }

  /**
   * Builds the vocabulary of a text (or several). Order: specials, then unknown, then the other
   * tokens: characters by code point (so " ", "!", ..., "a", "b" read in order), words by
   * frequency (so a small id is a common word).
   */
  static fromText(text: string | readonly string[], options: VocabularyOptions = {}): Vocabulary {
    const { level = "char", unknown, specials = [], minCount = 1, maxSize } = options;
    if (level !== "char" && level !== "word") throw new DataError(`Vocabulary.fromText: level must be "char" or "word", got ${JSON.stringify(level)}`);
    if ((minCount > 1 || maxSize !== undefined) && unknown === undefined) {
      throw new DataError("Vocabulary.fromText: minCount and maxSize drop tokens, so they need an `unknown` token to stand for them");
    }
    const counts = new Map<string, number>();
    let total = 0;
    for (const part of typeof text === "string" ? [text] : text) {
      for (const tok of tokenize(part, level)) {
        counts.set(tok, (counts.get(tok) ?? 0) + 1);
        total++;
      }
    }
    const head = [...specials];
    if (unknown !== undefined && !head.includes(unknown)) head.push(unknown);
    if (new Set(head).size !== head.length) throw new DataError(`Vocabulary.fromText: specials repeat a token: ${head.map(showToken).join(", ")}`);
    let rest = [...counts.keys()].filter((t) => !head.includes(t) && counts.get(t)! >= minCount);
    if (level === "char") rest.sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
    else rest.sort((a, b) => counts.get(b)! - counts.get(a)! || (a < b ? -1 : a > b ? 1 : 0));
    if (maxSize !== undefined) {
      if (!Number.isInteger(maxSize) || maxSize <= head.length) throw new DataError(`Vocabulary.fromText: maxSize ${maxSize} leaves no room after ${head.length} special tokens`);
      if (level === "char") {
        const keep = new Set([...rest].sort((a, b) => counts.get(b)! - counts.get(a)!).slice(0, maxSize - head.length));
        rest = rest.filter((t) => keep.has(t));
      } else rest = rest.slice(0, maxSize - head.length);
    }
    if (head.length + rest.length === 0) throw new DataError("Vocabulary.fromText: the text is empty, so the vocabulary would be too");
    return new Vocabulary(level, [...head, ...rest], unknown, total);
  }

  /** A vocabulary with exactly these tokens, ids in this order. */
  static fromTokens(tokens: readonly string[], options: { level?: TokenLevel; unknown?: string } = {}): Vocabulary {
    const list = [...tokens];
    if (new Set(list).size !== list.length) throw new DataError("Vocabulary.fromTokens: tokens must be distinct");
    if (options.unknown !== undefined && !list.includes(options.unknown)) list.push(options.unknown);
    return new Vocabulary(options.level ?? "char", list, options.unknown, 0);
  }

  get size(): number {
    return this.tokens.length;
  }

  has(token: string): boolean {
    return this.ids.has(token);
  }

  /** The id of one token (the unknown id for an unseen one, or an error if there is none). */
  id(token: string): number {
    const i = this.ids.get(token);
    if (i !== undefined) return i;
    if (this.unknownId >= 0) return this.unknownId;
    throw new DataError(`Vocabulary.id: ${showToken(token)} is not in the vocabulary (${this.size} ${this.level}s)`);
  }

  /** Text → ids. An unseen token becomes the unknown id, or is an error naming it and where it is. */
  encode(text: string): Int32Array {
    const toks = tokenize(text, this.level);
    const out = new Int32Array(toks.length);
    for (let i = 0; i < toks.length; i++) {
      const id = this.ids.get(toks[i]);
      if (id !== undefined) out[i] = id;
      else if (this.unknownId >= 0) out[i] = this.unknownId;
      else {
        const around = detokenize(toks.slice(Math.max(0, i - 15), i + 15), this.level);
        throw new DataError(
          `Vocabulary.encode: ${showToken(toks[i])} at ${this.level} ${i} is not in the vocabulary (${this.size} ${this.level}s), in ${JSON.stringify(around)}. ` +
            `Build the vocabulary with { unknown: ${this.level === "char" ? '"\uFFFD"' : '"<unk>"'} } to map unseen ${this.level}s to one id, or from a text that contains it.`,
        );
      }
    }
    return out;
  }

  /** Ids → text. Ids must be integers in 0..size-1 (a Tensor of ids works too). */
  decode(ids: ArrayLike<number> | Tensor): string {
    const values = ids instanceof Tensor ? ids.data : ids;
    const toks: string[] = [];
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!Number.isInteger(v) || v < 0 || v >= this.size) {
        throw new DataError(`Vocabulary.decode: id ${v} at position ${i} is not in 0..${this.size - 1}`);
      }
      toks.push(this.tokens[v]);
    }
    return detokenize(toks, this.level);
  }

  describe(): string {
    const shown = this.tokens.slice(0, 40).map((t) => (t === "\n" ? "\\n" : t === " " ? "␣" : t));
    return describeLines(`Vocabulary of ${fmtCount(this.size)} ${this.level}s`, [
      ["tokens", `${shown.join(this.level === "char" ? "" : " ")}${this.size > 40 ? " ..." : ""}`],
      ["unknown", this.unknownId >= 0 ? `${showToken(this.tokens[this.unknownId])} = id ${this.unknownId}` : "none (an unseen token is an error)"],
      ["built from", `${fmtCount(this.sourceTokens)} ${this.level}s`],
    ]);
  }
}
