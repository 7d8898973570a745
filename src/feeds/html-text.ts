// HTML to plain text on a server-side DOM (linkedom): headings and paragraphs for articles, one line for titles.

import { parseHTML } from "linkedom";
import type { Block } from "../core/article.js";
import { collapse } from "../core/article-text.js";
import { normaliseText } from "../core/text.js";

/** The little of a DOM node this module reads (linkedom's own types describe a browser window). */
export interface DomNode {
  nodeType: number;
  nodeName: string;
  nodeValue: string | null;
  childNodes: ArrayLike<DomNode>;
}

const ELEMENT = 1;
const TEXT = 3;
const CDATA = 4;

/** Never text: code, styling, navigation, forms and embedded objects. */
const DROPPED = new Set(
  "SCRIPT STYLE NOSCRIPT TEMPLATE NAV FORM IFRAME SVG MATH OBJECT EMBED CANVAS BUTTON SELECT TEXTAREA INPUT HEAD".split(
    " ",
  ),
);
const HEADINGS = new Set(["H1", "H2", "H3", "H4", "H5", "H6"]);
/** Elements whose start and end separate paragraphs. */
const BLOCKS = new Set(
  (
    "ADDRESS ARTICLE ASIDE BLOCKQUOTE CAPTION DD DETAILS DIALOG DIV DL DT FIELDSET FIGCAPTION FIGURE FOOTER " +
    "HEADER HGROUP HR LI MAIN OL P PRE SECTION SUMMARY TABLE TBODY TD TFOOT TH THEAD TR UL BODY HTML"
  ).split(" "),
);
const TAG = /<\/?[a-z][^>]*>|<!--/i;

/** An HTML fragment (or a whole page) as a document. */
export function htmlDocument(html: string): { document: DomNode & Record<string, unknown> } {
  const page = /<html[\s>]/i.test(html)
    ? html
    : `<!DOCTYPE html><html><head></head><body>${html}</body></html>`;
  return parseHTML(page) as unknown as { document: DomNode & Record<string, unknown> };
}

/**
 * The text of `html` as blocks: h1-h6 become headings; p, li, blockquote, pre, td and the other block elements
 * separate paragraphs; a double `<br>` starts a new paragraph; scripts, styles, navigation and forms are dropped;
 * entities are decoded; whitespace is collapsed and the text normalised as the file reader does (NFC, no
 * invisible characters). Text without any tag is plain text: its blank lines separate paragraphs.
 */
export function htmlToBlocks(html: string): Block[] {
  if (!html.trim()) return [];
  return nodeToBlocks(htmlDocument(html).document, !TAG.test(html));
}

/** The blocks of an already parsed node (walked without recursion, so deep nesting cannot overflow the stack). */
export function nodeToBlocks(root: DomNode, plain = false): Block[] {
  const blocks: Block[] = [];
  let buffer = "";
  let headingDepth = 0;
  const flush = (): void => {
    const kind = headingDepth > 0 ? "heading" : "paragraph";
    for (const chunk of buffer.split(/\n[^\S\n]*\n/)) {
      const text = collapse(normaliseText(chunk));
      if (text) blocks.push({ kind, text });
    }
    buffer = "";
  };
  // Each entry is a node to enter, or the name of a block element to leave.
  const stack: Array<DomNode | string> = [root];
  while (stack.length > 0) {
    const item = stack.pop() as DomNode | string;
    if (typeof item === "string") {
      flush();
      if (HEADINGS.has(item)) headingDepth--;
      continue;
    }
    if (item.nodeType === TEXT || item.nodeType === CDATA) {
      const value = item.nodeValue ?? "";
      buffer += plain ? value : value.replace(/\s+/g, " ");
      continue;
    }
    const name = item.nodeName.toUpperCase();
    if (item.nodeType === ELEMENT) {
      if (DROPPED.has(name)) continue;
      if (name === "BR") {
        buffer += "\n";
        continue;
      }
      if (BLOCKS.has(name) || HEADINGS.has(name)) {
        flush();
        if (HEADINGS.has(name)) headingDepth++;
        stack.push(name);
      }
    } else if (item.nodeType !== 9 && item.nodeType !== 11) continue; // comments, doctype, processing instructions
    const children = item.childNodes;
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as DomNode);
  }
  flush();
  return blocks;
}

/** One line of plain text from HTML (titles): tags dropped, entities decoded, whitespace collapsed. */
export function htmlToText(html: string): string {
  if (!/[<&]/.test(html)) return collapse(normaliseText(html));
  return htmlToBlocks(html)
    .map((b) => b.text)
    .join(" ");
}

/** Plain text made safe to treat as HTML (`<`, `>` and `&` escaped); its line breaks still separate paragraphs. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
