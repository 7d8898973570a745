// Migration 8: story_tags takes sectors, malware and CVE ids, and a 'target' row for each attacked country.

/**
 * SQLite cannot alter a CHECK constraint, so story_tags is rebuilt with its rows, its `shown` and `event_rowid`
 * columns and both indexes (the partial one included). Stories stored before keep their tags; the tags their
 * tags_json already holds but no row had (a country's 'target' role, CVE ids, sectors and malware where present)
 * are added, and which of an event's stories shows each is decided as saves decide it (save-tags.ts RESHOW).
 */
export const RICHER_TAGS_MIGRATION = `
DROP TABLE IF EXISTS story_tags_v8;
CREATE TABLE story_tags_v8 (
  story_rowid INTEGER NOT NULL REFERENCES stories(rowid) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('actor', 'country', 'sector', 'malware', 'cve')),
  value TEXT NOT NULL,
  role TEXT NOT NULL DEFAULT '',
  matched_json TEXT NOT NULL DEFAULT '[]',
  date TEXT NOT NULL,
  shown INTEGER NOT NULL DEFAULT 1,
  event_rowid INTEGER,
  PRIMARY KEY (story_rowid, kind, value, role)
);
INSERT INTO story_tags_v8 (story_rowid, kind, value, role, matched_json, date, shown, event_rowid)
  SELECT story_rowid, kind, value, role, matched_json, date, shown, event_rowid FROM story_tags;
DROP TABLE story_tags;
ALTER TABLE story_tags_v8 RENAME TO story_tags;
CREATE INDEX story_tags_by_tag ON story_tags(kind, value, role, shown, date DESC, story_rowid DESC);
CREATE INDEX story_tags_shown_by_event ON story_tags(event_rowid, kind, value, role)
  WHERE shown = 1 AND event_rowid IS NOT NULL;

INSERT OR IGNORE INTO story_tags (story_rowid, kind, value, role, matched_json, date, event_rowid)
  SELECT s.rowid, 'country', upper(c.value ->> 'code'), 'target', '[]', s.date, s.event_rowid
  FROM stories s, json_each(s.tags_json, '$.countries') c
  WHERE json_valid(s.tags_json) AND EXISTS (SELECT 1 FROM json_each(c.value, '$.roles') r WHERE r.value = 'target');
INSERT OR IGNORE INTO story_tags (story_rowid, kind, value, role, matched_json, date, event_rowid)
  SELECT s.rowid, 'cve', upper(c.value), '', '[]', s.date, s.event_rowid
  FROM stories s, json_each(s.tags_json, '$.cves') c WHERE json_valid(s.tags_json) AND c.type = 'text';
INSERT OR IGNORE INTO story_tags (story_rowid, kind, value, role, matched_json, date, event_rowid)
  SELECT s.rowid, 'sector', t.value ->> 'id', '', coalesce(t.value -> 'matched', '[]'), s.date, s.event_rowid
  FROM stories s, json_each(s.tags_json, '$.sectors') t WHERE json_valid(s.tags_json) AND t.value ->> 'id' IS NOT NULL;
INSERT OR IGNORE INTO story_tags (story_rowid, kind, value, role, matched_json, date, event_rowid)
  SELECT s.rowid, 'malware', t.value ->> 'id', '', coalesce(t.value -> 'matched', '[]'), s.date, s.event_rowid
  FROM stories s, json_each(s.tags_json, '$.malware') t WHERE json_valid(s.tags_json) AND t.value ->> 'id' IS NOT NULL;

-- A later story shows a tag only when neither its event's first story nor an earlier later story has it.
UPDATE story_tags SET shown = NOT EXISTS (
    SELECT 1 FROM story_tags o
    WHERE o.kind = story_tags.kind AND o.value = story_tags.value AND o.role = story_tags.role
      AND o.story_rowid IN (SELECT story_tags.event_rowid UNION ALL
        SELECT rowid FROM stories WHERE event_rowid = story_tags.event_rowid AND rowid < story_tags.story_rowid))
  WHERE event_rowid IS NOT NULL;
`;
