// Slack's Block Kit limits as the fake enforces them, so tests prove the renderer stays inside them.

/** A block as it arrives on the wire, typed loosely enough to inspect anything a client sends. */
export interface WireBlock {
  type: string;
  text?: { type: string; text?: string };
  fields?: Array<{ type: string; text?: string }>;
  elements?: Array<{ type: string; text?: string | { text?: string }; action_id?: string; value?: string }>;
}

/** Slack's documented limits; the answer is the error code Slack gives, or null when the blocks are fine. */
export function blockProblems(blocks: unknown): string | null {
  if (!Array.isArray(blocks) || blocks.length === 0) return "blocks is not a non-empty array";
  if (blocks.length > 50) return `${blocks.length} blocks (max 50)`;
  const size = JSON.stringify(blocks).length;
  if (size > 12_000) return `${size} characters of blocks (max 12000)`;
  for (const block of blocks as WireBlock[]) {
    const texts: Array<[unknown, number]> = [];
    if (block.type === "header") texts.push([block.text?.text, 150]);
    if (block.type === "section") {
      if (block.text) texts.push([block.text.text, 3000]);
      if ((block.fields ?? []).length > 10) return "more than 10 fields";
      for (const f of block.fields ?? []) texts.push([f.text, 2000]);
      if (!block.text && !block.fields) return "section without text or fields";
    }
    if (block.type === "context") {
      if (!block.elements?.length || block.elements.length > 10)
        return "context with 0 or more than 10 elements";
      for (const e of block.elements) texts.push([e.text, 3000]);
    }
    for (const [text, max] of texts) {
      if (typeof text !== "string" || text.trim().length === 0) return `blank text in ${block.type}`;
      if (text.length > max) return `${block.type} text of ${text.length} characters (max ${max})`;
    }
  }
  return null;
}
