// The fake Discord's file uploads: multipart bodies read as Discord reads them, and the rules it enforces on them.

import type { IncomingHttpHeaders } from "node:http";

export interface UploadedFile {
  /** The form field, e.g. "files[0]". */
  field: string;
  name: string;
  type: string;
  bytes: Buffer;
}

/** Discord's per-file upload limit for bots without boosts (10 MiB). */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
const PNG_SIGNATURE = "89504e470d0a1a0a";

/** A JSON body, or a multipart one: its `payload_json` as the body and its file parts as uploads. */
export async function readBody(
  headers: IncomingHttpHeaders,
  raw: Buffer,
): Promise<{ body: unknown; files?: UploadedFile[] }> {
  const type = String(headers["content-type"] ?? "");
  if (!type.startsWith("multipart/form-data")) {
    const text = raw.toString("utf8");
    return { body: text ? JSON.parse(text) : undefined };
  }
  const form = await new Response(new Uint8Array(raw), { headers: { "content-type": type } }).formData();
  const files: UploadedFile[] = [];
  let body: unknown;
  for (const [field, value] of form) {
    if (typeof value === "string") {
      if (field === "payload_json") body = JSON.parse(value);
      continue;
    }
    files.push({ field, name: value.name, type: value.type, bytes: Buffer.from(await value.arrayBuffer()) });
  }
  return { body, files };
}

/** What Discord would refuse: a file too large, a .png that is not one, an `attachment://` naming no upload. */
export function checkUploads(body: unknown, files: UploadedFile[] = []): string[] {
  const problems: string[] = [];
  for (const f of files) {
    if (!f.name) problems.push(`${f.field}: a file part needs a file name`);
    if (f.bytes.length > MAX_UPLOAD_BYTES) problems.push(`${f.name}: larger than ${MAX_UPLOAD_BYTES} bytes`);
    if (/\.png$/i.test(f.name) && f.bytes.subarray(0, 8).toString("hex") !== PNG_SIGNATURE)
      problems.push(`${f.name}: not a PNG`);
  }
  const text = JSON.stringify(body ?? {});
  for (const [, name] of text.matchAll(/attachment:\/\/([^"\\]+)/g))
    if (!files.some((f) => f.name === name))
      problems.push(`attachment://${name}: no such file in the upload`);
  const data = (body as { data?: { attachments?: unknown } } | undefined)?.data ?? body;
  const attachments =
    (data as { attachments?: Array<{ description?: string }> } | undefined)?.attachments ?? [];
  for (const a of attachments)
    if ((a.description ?? "").length > 1024) problems.push("attachment description over 1024 characters");
  return problems;
}
