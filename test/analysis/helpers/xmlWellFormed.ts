/**
 * A small XML well-formedness check for the SVG tests (no XML parser is installed):
 * every start tag is closed in order, attributes are quoted, and every `&` starts an
 * entity. Returns the problems found; an empty list means well-formed.
 */
export function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const open: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/y;
  let roots = 0;
  let i = 0;
  while (i < xml.length) {
    const lt = xml.indexOf("<", i);
    const text = xml.slice(i, lt === -1 ? xml.length : lt);
    if (/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9A-Fa-f]+);)/.test(text)) problems.push(`bare & in text near offset ${i}`);
    if (open.length === 0 && text.trim() !== "") problems.push(`text outside the root element near offset ${i}`);
    if (lt === -1) break;
    if (xml.startsWith("<?xml", lt)) {
      const end = xml.indexOf("?>", lt);
      if (end === -1) return [...problems, "unterminated XML declaration"];
      i = end + 2;
      continue;
    }
    tag.lastIndex = lt;
    const match = tag.exec(xml);
    if (match === null) return [...problems, `malformed tag at offset ${lt}: ${xml.slice(lt, lt + 40)}`];
    const [whole, closing, name, attributes, selfClosing] = match;
    if (/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9A-Fa-f]+);)/.test(attributes)) problems.push(`bare & in attributes of <${name}>`);
    if (closing) {
      const expected = open.pop();
      if (expected !== name) problems.push(`</${name}> closes <${expected ?? "nothing"}> at offset ${lt}`);
    } else {
      if (open.length === 0 && ++roots > 1) problems.push(`second root element <${name}> at offset ${lt}`);
      if (!selfClosing) open.push(name);
    }
    i = lt + whole.length;
  }
  if (open.length > 0) problems.push(`unclosed elements: ${open.join(", ")}`);
  if (roots === 0) problems.push("no root element");
  return problems;
}
