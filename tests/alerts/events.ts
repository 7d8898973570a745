// Saving a later source of an event as the store will once events merge: its story names the event's first
// story (stories.event_rowid, set in the save transaction) and routing sees it as not the lead.

import { routeStory } from "../../src/alerts/routing.js";
import type { Analysis } from "../../src/core/article.js";
import type { SqliteStoryStore } from "../../src/store/sqlite/store.js";
import { article, file } from "./fixtures.js";

/** The store key of the story saved from `path`. */
export function rowidOf(store: SqliteStoryStore, path: string): number {
  const rowid = store.db.prepare("SELECT rowid FROM stories WHERE path = ?").pluck().get(path);
  if (typeof rowid !== "number") throw new Error(`no story at ${path}`);
  return rowid;
}

/** Saves `path` as a later source of the event whose first story was saved from `leadPath`. */
export async function saveSource(
  store: SqliteStoryStore,
  path: string,
  title: string,
  analysis: Analysis,
  leadPath: string,
  body?: string,
) {
  const lead = rowidOf(store, leadPath);
  return store.saveArticle(article(path, title, body), analysis, file(path), {
    onSaved: (tx, saved) => {
      store.db.prepare("UPDATE stories SET event_rowid = ? WHERE rowid = ?").run(lead, saved.storyRowid);
      routeStory(tx, { ...saved, event: { rowid: lead, lead: false } });
    },
  });
}
