// Migration 10: the number of listed stories per tag, kept exact by triggers as story_tags rows change.

/**
 * `tag_counts` holds, per (kind, value, role), how many story_tags rows with `shown = 1` there are: what
 * `/cyber <tag>` reports as its total (an event counts once). It changes in the same transaction as story_tags:
 * the saver adds the shown rows it inserts (save.ts beforeCommit, one statement per save transaction, as a
 * trigger per inserted row cost ingest 10%), and triggers count every delete (cascades included) and every
 * change of `shown` (RESHOW), so it never drifts from `SELECT count(*) FROM story_tags WHERE ... AND shown = 1`.
 * Run twice, it rebuilds the same rows; the backfill counts an existing store once. Whatever else inserts
 * story_tags rows must add them here too; a migration that rebuilds story_tags must create the triggers again.
 */
export const TAG_COUNTS_MIGRATION = `
CREATE TABLE IF NOT EXISTS tag_counts (
  kind TEXT NOT NULL,
  value TEXT NOT NULL,
  role TEXT NOT NULL,
  stories INTEGER NOT NULL,
  PRIMARY KEY (kind, value, role)
) WITHOUT ROWID;
DELETE FROM tag_counts;
INSERT INTO tag_counts (kind, value, role, stories)
  SELECT kind, value, role, count(*) FROM story_tags WHERE shown = 1 GROUP BY kind, value, role;

DROP TRIGGER IF EXISTS tag_counts_delete;
CREATE TRIGGER tag_counts_delete AFTER DELETE ON story_tags WHEN old.shown = 1 BEGIN
  UPDATE tag_counts SET stories = stories - 1 WHERE kind = old.kind AND value = old.value AND role = old.role;
END;

DROP TRIGGER IF EXISTS tag_counts_update;
CREATE TRIGGER tag_counts_update AFTER UPDATE OF kind, value, role, shown ON story_tags
  WHEN (old.shown = 1 OR new.shown = 1) AND (old.shown IS NOT new.shown OR old.kind IS NOT new.kind
    OR old.value IS NOT new.value OR old.role IS NOT new.role) BEGIN
  UPDATE tag_counts SET stories = stories - 1
    WHERE old.shown = 1 AND kind = old.kind AND value = old.value AND role = old.role;
  INSERT INTO tag_counts (kind, value, role, stories) SELECT new.kind, new.value, new.role, 1 WHERE new.shown = 1
    ON CONFLICT (kind, value, role) DO UPDATE SET stories = stories + 1;
END;
`;
