// The save pipeline: settled files are read and analysed ahead of the one being stored, and saved in batches.

import type { Article } from "../core/article.js";
import { errorMessage } from "../core/errors.js";
import type { FileFacts, SaveItem, SaveOutcome } from "../core/story.js";
import { type Prepared, type Preparer, type RejectDeps, rejectFile } from "./prepare.js";
import type { FileOutcome } from "./scan.js";

/**
 * The fewest files a save waits for while more are being analysed: enough that a transaction's own cost is small
 * beside its rows', few enough that the first save starts soon (storing, not analysis, is the slower side).
 */
const MIN_BATCH = 50;
/**
 * The most files saved per transaction: FTS5 writes a segment at every commit and merges them as they pile up,
 * so a cold ingest of 5,000 files in batches of 1,600 spends about half the full-text time of batches of 200.
 */
const MAX_BATCH = 1600;
/** Files read and handed to the analysis worker ahead of those being stored. */
const IN_FLIGHT = 2 * MAX_BATCH;

/** A settled file waiting to be processed; `resolve` settles its outcome for whoever queued it. */
export interface ReadyJob {
  facts: FileFacts;
  root: string;
  resolve: (outcome: FileOutcome | Promise<FileOutcome>) => void;
}

/** What saving needs (the engine's deps). */
export interface SaveDeps extends RejectDeps {
  /** Called after every new or revised story is stored. */
  onStored?: (article: Article, outcome: SaveOutcome) => void;
}

/** Processes the ready list until it is empty; jobs queued meanwhile are taken as room frees up. */
export async function drain(ready: ReadyJob[], preparer: Preparer, deps: SaveDeps): Promise<void> {
  // Pipelined: files are handed to the analysis worker up to IN_FLIGHT ahead of the one being stored, so the
  // worker tags while the main thread writes. Each save takes every file analysed by then (in queue order,
  // MIN_BATCH at least while more are coming, MAX_BATCH at most): while storing is the slower side, the
  // batches grow by themselves and the main thread never waits for a batch it does not need whole.
  const inFlight: Array<{ job: ReadyJob; done: boolean; prepared: Promise<Prepared> }> = [];
  const fill = () => {
    for (const job of ready.splice(0, IN_FLIGHT - inFlight.length)) {
      const entry = {
        job,
        done: false,
        prepared: preparer.load(job.facts, job.root).then((l) => preparer.finish(l)),
      };
      const settled = () => {
        entry.done = true;
      };
      entry.prepared.then(settled, settled);
      inFlight.push(entry);
    }
  };
  fill();
  while (inFlight.length > 0) {
    // Waits for the MIN_BATCH-th file (or the last in flight), then takes every file ready before a waiting one.
    await (inFlight[Math.min(MIN_BATCH, inFlight.length) - 1] as (typeof inFlight)[number]).prepared;
    let n = 0;
    while (n < inFlight.length && n < MAX_BATCH && (inFlight[n] as (typeof inFlight)[number]).done) n++;
    const taken = inFlight.splice(0, Math.max(n, 1));
    fill();
    const saves: Array<{ job: ReadyJob; item: SaveItem }> = [];
    for (const { job, prepared } of taken) {
      const p = await prepared;
      if (typeof p === "string") job.resolve(p);
      else if ("later" in p) job.resolve(p.later);
      else saves.push({ job, item: p });
    }
    if (saves.length > 0) await save(saves, deps);
    fill();
  }
}

/** Stores one batch in one transaction and settles each job with its outcome. */
async function save(saves: Array<{ job: ReadyJob; item: SaveItem }>, deps: SaveDeps): Promise<void> {
  let outcomes: SaveOutcome[];
  try {
    outcomes = await deps.store.saveArticles(saves.map((s) => s.item));
  } catch (err) {
    if (saves.length > 1) {
      // Find the one that fails by saving them one at a time; the rest still land.
      for (const s of saves) await save([s], deps);
      return;
    }
    const only = saves[0] as { job: ReadyJob; item: SaveItem };
    deps.log.error({ err, file: only.item.file.path }, "could not store article");
    // Not awaited: when the rejection cannot be written either (a replica fenced off as leader), the file's
    // own outcome fails and the batch goes on; nothing of it is stored, so the next scan looks at it again.
    only.job.resolve(
      rejectFile(deps, only.item.file, "unreadable", `internal error while storing: ${errorMessage(err)}`),
    );
    return;
  }
  for (const [i, outcome] of outcomes.entries()) {
    const { job, item } = saves[i] as { job: ReadyJob; item: SaveItem };
    if (outcome.kind === "new" || outcome.kind === "revised") {
      deps.log.info(
        { story: outcome.storyId, revision: outcome.revision, file: item.file.path },
        `stored ${outcome.kind} story`,
      );
      deps.onStored?.(item.article, outcome);
    } else {
      deps.log.debug({ story: outcome.storyId, file: item.file.path }, `file ${outcome.kind}`);
    }
    job.resolve(outcome.kind);
  }
}
