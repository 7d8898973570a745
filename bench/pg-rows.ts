// bench:pg's figures as rows of bench/RESULTS.md (issue 17): PostgreSQL beside SQLite, measured in the same run.

// biome-ignore lint/suspicious/noExplicitAny: BENCH lines are loosely shaped JSON, read where they are reported
type Json = Record<string, any>;

export interface PgRow {
  issue: string;
  figure: string;
  value: string;
  target: string;
  met: boolean;
  why?: string;
}

/** The rows for `bench:pg`'s BENCH line; one row saying why when it did not run (no PostgreSQL). */
export function pgRows(pg: Json): PgRow[] {
  if (pg.skipped)
    return [
      {
        issue: "#17",
        figure: "PostgreSQL figures",
        value: "not measured",
        target: "(report)",
        met: false,
        why: String(pg.skipped),
      },
    ];
  const q = (name: string) => pg.results[name] as { p50: number; p99: number };
  const ingest = pg.ingest as { articles: number; sqliteMs: number; pgMs: number };
  const rows: PgRow[] = [
    {
      issue: "#17",
      figure: `\`cyberbrief ingest\` of ${ingest.articles.toLocaleString("en")} articles: PostgreSQL beside SQLite`,
      value: `PostgreSQL ${ingest.pgMs} ms, SQLite ${ingest.sqliteMs} ms (${(ingest.pgMs / ingest.sqliteMs).toFixed(2)}x)`,
      target: "(report)",
      met: true,
    },
    {
      issue: "#17",
      figure: `\`cyberbrief copy\` of ${pg.stories.toLocaleString("en")} stories from SQLite`,
      value: `${(pg.copyMs / 1000).toFixed(1)} s`,
      target: "(report)",
      met: true,
    },
    {
      issue: "#17",
      figure: `/cyber apt40 on PostgreSQL (${pg.stories.toLocaleString("en")} stories)`,
      value: `p50 ${q("/cyber apt40").p50} ms, p99 ${q("/cyber apt40").p99} ms`,
      target: "(report; SQLite's target p99 < 2 ms)",
      met: true,
    },
    {
      issue: "#17",
      figure: `/cyber search parliament espionage on PostgreSQL (${pg.stories.toLocaleString("en")} stories)`,
      value: `p50 ${q("/cyber search parliament espionage").p50} ms, p99 ${q("/cyber search parliament espionage").p99} ms`,
      target: "(report; SQLite's target p99 < 10 ms)",
      met: true,
    },
  ];
  for (const f of pg.fanout as Json[])
    rows.push({
      issue: "#17",
      figure: `fan-out to ${f.channels.toLocaleString("en")} Discord channels on PostgreSQL, ${f.replicas} replica${f.replicas > 1 ? "s" : ""} (one bot: 50 req/s global)`,
      value: `${f.perSecond}/s = ${f.percent}%, ${f.limited} 429s`,
      target: "≥ 90% of limit, no 429s",
      met: f.percent >= 90 && f.limited === 0,
    });
  return rows;
}
