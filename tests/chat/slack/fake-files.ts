// The fake Slack's file uploads: files.getUploadURLExternal, the POST to the upload URL, and
// files.completeUploadExternal, with the checks Slack makes (declared length, known file ids, a real PNG).

export interface FakeFile {
  id: string;
  filename: string;
  /** The length declared to getUploadURLExternal. */
  length: number;
  altText?: string;
  bytes?: Buffer;
  title?: string;
  /** Set by completeUploadExternal: shared in this channel, with this comment; absent: private to the app. */
  channel?: string;
  comment?: string;
  completed: boolean;
}

const PNG_SIGNATURE = "89504e470d0a1a0a";
/** Slack's per-file limit (1 GB); the fake keeps far less. */
const MAX_LENGTH = 50 * 1024 * 1024;

export class FakeFiles {
  readonly files = new Map<string, FakeFile>();
  private next = 0;

  constructor(private readonly base: () => string) {}

  getUploadURL(params: Record<string, string>): Record<string, unknown> {
    const length = Number(params.length);
    if (!params.filename) return { ok: false, error: "invalid_arguments", detail: "filename" };
    if (!Number.isInteger(length) || length <= 0 || length > MAX_LENGTH)
      return { ok: false, error: "invalid_arguments", detail: "length" };
    const id = `F0FAKE${++this.next}`;
    this.files.set(id, { id, filename: params.filename, length, altText: params.alt_text, completed: false });
    return { ok: true, upload_url: `${this.base()}/upload/${id}`, file_id: id };
  }

  /** The POST of the bytes: 200 only for a known file, with exactly the declared length. */
  upload(id: string, bytes: Buffer): [number, string] {
    const file = this.files.get(id);
    if (!file) return [404, "unknown upload"];
    if (bytes.length !== file.length) return [400, `length ${bytes.length}, declared ${file.length}`];
    if (/\.png$/i.test(file.filename) && bytes.subarray(0, 8).toString("hex") !== PNG_SIGNATURE)
      return [400, "not a PNG"];
    file.bytes = bytes;
    return [200, `OK - ${bytes.length}`];
  }

  complete(params: Record<string, string>): Record<string, unknown> {
    const listed = JSON.parse(params.files ?? "[]") as Array<{ id: string; title?: string }>;
    if (listed.length === 0) return { ok: false, error: "invalid_arguments", detail: "files" };
    const out: Array<Record<string, unknown>> = [];
    for (const { id, title } of listed) {
      const file = this.files.get(id);
      if (!file?.bytes) return { ok: false, error: "file_not_found" };
      Object.assign(file, {
        title,
        completed: true,
        ...(params.channel_id ? { channel: params.channel_id, comment: params.initial_comment } : {}),
      });
      out.push({ id, name: file.filename, title, alt_txt: file.altText });
    }
    return { ok: true, files: out };
  }

  /** Image blocks must show an uploaded, completed file and carry alt text (at most 2000 characters). */
  imageProblems(blocks: unknown): string | null {
    if (!Array.isArray(blocks)) return null;
    for (const b of blocks as Array<{ type?: string; alt_text?: string; slack_file?: { id?: string } }>) {
      if (b.type !== "image") continue;
      if (!b.alt_text || b.alt_text.length > 2000) return "image alt_text missing or over 2000 characters";
      const file = this.files.get(b.slack_file?.id ?? "");
      if (!file?.completed) return `image of unknown or unfinished file ${b.slack_file?.id}`;
    }
    return null;
  }
}
