// The schema of events: migration 6 (merged stories, thread replies, digests) and 7 (tags shown per event), and
// the delivery state columns every version of the deliveries table shares.

/** A delivery row's state columns, the same in every version of the deliveries table (text kept byte for byte). */
export const DELIVERY_STATE = `status TEXT NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT,
  message_id TEXT,
  created_at INTEGER NOT NULL,
  sent_at INTEGER`;

/**
 * Stories merged into events; outbox rows for thread replies ('source') and digests ('digest', one per key);
 * digest subscriptions. An event is named by its first story: a later story's `event_rowid` is that story's
 * rowid; the first story's is NULL (as is that of a story stored before events: each is its own event).
 */
export const EVENTS_MIGRATION = `
ALTER TABLE stories ADD COLUMN event_rowid INTEGER; -- NULL: the story opens its event
-- Why a later story joined its event: JSON { "with": story id, "score": 0..1, "reasons": [..] }.
ALTER TABLE stories ADD COLUMN merged_json TEXT;
CREATE INDEX stories_by_event ON stories(event_rowid) WHERE event_rowid IS NOT NULL;
-- Lists show an event once, by its first story: its own index by date, and tag rows marked shown (a later story's
-- tag is shown only when the event's first story lacks it).
CREATE INDEX stories_leads_by_date ON stories(date DESC, rowid DESC) WHERE event_rowid IS NULL;
ALTER TABLE story_tags ADD COLUMN shown INTEGER NOT NULL DEFAULT 1;
DROP INDEX story_tags_by_tag;
CREATE INDEX story_tags_by_tag ON story_tags(kind, value, role, shown, date DESC, story_rowid DESC);

-- What deciding a later article's event needs of a story besides its date and tags (CVE ids in tags_json): its
-- sketch keys and MinHash signature, and for the first story of an event its topic signature. The index over them is built in
-- memory a day at a time (event-days.ts). Stories stored before this have none: they are never merged with.
ALTER TABLE stories ADD COLUMN sketch BLOB;
ALTER TABLE stories ADD COLUMN signature BLOB;
ALTER TABLE stories ADD COLUMN topic BLOB;
-- Rebuilt for two more kinds: 'source' (a later source of an event, a reply in the thread of the alert row
-- update_of) and 'digest' (one row per digest_key: subscription and period; payload lists its events).
CREATE TABLE deliveries_v6 (
  id INTEGER PRIMARY KEY,
  story_rowid INTEGER NOT NULL REFERENCES stories(rowid) ON DELETE CASCADE,
  channel_ref TEXT NOT NULL,
  platform TEXT NOT NULL,
  tags TEXT NOT NULL,
  kind TEXT NOT NULL DEFAULT 'alert' CHECK (kind IN ('alert', 'update', 'source', 'digest')),
  update_of INTEGER,
  batched INTEGER NOT NULL DEFAULT 0,
  digest_key TEXT,
  payload TEXT,
  ${DELIVERY_STATE}
);
INSERT INTO deliveries_v6 (id, story_rowid, channel_ref, platform, tags, kind, update_of, batched, status,
  attempts, next_attempt_at, last_error, message_id, created_at, sent_at)
SELECT id, story_rowid, channel_ref, platform, tags, kind, update_of, batched, status, attempts, next_attempt_at,
  last_error, message_id, created_at, sent_at FROM deliveries;
DROP TABLE deliveries;
ALTER TABLE deliveries_v6 RENAME TO deliveries;
CREATE UNIQUE INDEX deliveries_one_alert ON deliveries(story_rowid, channel_ref) WHERE kind = 'alert';
CREATE UNIQUE INDEX deliveries_one_digest ON deliveries(digest_key) WHERE digest_key IS NOT NULL;
CREATE INDEX deliveries_due ON deliveries(platform, next_attempt_at, id) WHERE status = 'pending';
CREATE INDEX deliveries_pending_by_channel ON deliveries(channel_ref, id) WHERE status = 'pending';
CREATE INDEX deliveries_sent_by_channel ON deliveries(channel_ref, sent_at) WHERE status = 'sent';
CREATE INDEX deliveries_by_story ON deliveries(story_rowid, channel_ref) WHERE kind != 'alert';

-- A subscription streams each story ('stream') or gathers them into a digest: 'daily' at the time in at (HH:MM,
-- CYBERBRIEF_TZ), 'weekly' on Mondays at that time.
ALTER TABLE subscriptions ADD COLUMN mode TEXT NOT NULL DEFAULT 'stream' CHECK (mode IN ('stream', 'daily', 'weekly'));
ALTER TABLE subscriptions ADD COLUMN at TEXT;
-- Routing reads only streamed subscriptions; digests are gathered by their schedule.
DROP INDEX subscriptions_route;
CREATE INDEX subscriptions_route ON subscriptions(tag, channel_ref, platform) WHERE state = 'active' AND mode = 'stream';
`;

/**
 * Which tags an event's later stories show is one probe: their tag rows carry the event (the first story's
 * rowid; NULL on a first story's rows), and the shown ones are indexed by it. Few are: only a tag the event's
 * earlier stories lacked.
 */
export const EVENT_TAGS_MIGRATION = `
ALTER TABLE story_tags ADD COLUMN event_rowid INTEGER;
UPDATE story_tags SET event_rowid = (SELECT s.event_rowid FROM stories s WHERE s.rowid = story_tags.story_rowid);
CREATE INDEX story_tags_shown_by_event ON story_tags(event_rowid, kind, value, role)
  WHERE shown = 1 AND event_rowid IS NOT NULL;
`;
