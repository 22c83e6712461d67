// Equations and prose as displays: text/latex (typeset by JupyterLab's MathJax) or
// text/markdown, each with the source as text/plain for plain viewers and logs.
import type { Displayable, MimeBundle } from "./mime";

/** A LaTeX equation; `$$ ... $$` is added unless the source already has math delimiters. */
export class LatexDisplay implements Displayable {
  constructor(readonly tex: string) {
    if (typeof tex !== "string" || !tex.trim()) throw new TypeError("showLatex: the LaTeX source is empty");
  }
  get label(): string {
    return "equation";
  }
  toBundle(): MimeBundle {
    const t = this.tex.trim();
    const delimited = /^(\$|\\\[|\\\(|\\begin\{)/.test(t);
    return { "text/plain": this.tex, "text/latex": delimited ? t : `$$${t}$$` };
  }
}

export class MarkdownDisplay implements Displayable {
  constructor(readonly markdown: string) {
    if (typeof markdown !== "string") throw new TypeError("showMarkdown: expected a string of markdown");
  }
  get label(): string {
    return "markdown";
  }
  toBundle(): MimeBundle {
    return { "text/plain": this.markdown, "text/markdown": this.markdown };
  }
}
