// Category labels (tokens, model names) are data, not markup: plotly reads `<b>` or `&amp;` in
// tick text as formatting, and a character-level model's tokens include "<", "&", " " and "\n".
// So labels are escaped, and invisible characters get a visible stand-in.

const VISIBLE: Record<string, string> = { " ": "␣", "\n": "⏎", "\t": "⇥", "\r": "␍" };

/** A token or category as it should appear on an axis: `" "` -> `␣`, `"<"` -> `&lt;`. */
export function axisLabel(label: string): string {
  if (label === "") return "∅";
  const visible = label.length <= 2 ? label.replace(/[ \n\t\r]/g, (c) => VISIBLE[c]) : label.replace(/[\n\t\r]/g, (c) => VISIBLE[c]);
  return visible.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** At most ~`max` tick labels on an axis: every label up to `max`, else every k-th. */
export function tickEvery(count: number, max = 60): number {
  return Math.max(1, Math.ceil(count / max));
}
