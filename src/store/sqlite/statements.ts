// Prepared statements cached by their SQL text: preparing costs more than running most of them.

import type Database from "better-sqlite3";

export function statementCache(db: Database.Database): (text: string) => Database.Statement {
  const cache = new Map<string, Database.Statement>();
  return (text) => {
    let stmt = cache.get(text);
    if (!stmt) {
      stmt = db.prepare(text);
      cache.set(text, stmt);
    }
    return stmt;
  };
}
