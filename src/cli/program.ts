// The cyberbrief command line: run, ingest, status, analyze, ask, backup, export, migrate, copy, feed,
// discord:register.

// Each command's code is imported when that command runs (`import()` in its action): a one-shot command loads
// only what it uses, never the chat SDKs, the feed parsers or the bot's parts it does not need.

import { Command } from "commander";
import { CyberbriefError } from "../core/errors.js";
import { registerFeedCommands } from "./feed.js";
import { type CommonOpts, setup, VALUE_OPTIONS, withCommonOptions } from "./options.js";
import { printable } from "./text.js";

export function buildProgram(): Command {
  const program = new Command("cyberbrief")
    .description(
      "Reads state-sponsored hacking news, tags it by threat actor and country, and alerts chat channels.",
    )
    // Errors come back to bin.ts as exceptions, which prints each as one line and exits 2.
    .exitOverride()
    .configureOutput({ outputError: () => undefined });

  withCommonOptions(program.command("run", { isDefault: true }))
    .description("run the bot: watch the seeds folder, store stories, answer /cyber commands")
    .option("--feeds <file>", "the feeds file (env CYBERBRIEF_FEEDS_FILE; default config/feeds.yaml)")
    .action(async (opts: CommonOpts) => {
      const [{ ConsoleLogSink }, { runCommand }] = await Promise.all([
        import("../chat/console/above-prompt.js"),
        import("./run.js"),
      ]);
      // Log lines pass through the console's stream so they never land on its prompt.
      const logSink = new ConsoleLogSink(process.stderr);
      const { config, log } = setup(opts, false, process.env, logSink);
      await runCommand(config, log, logSink);
    });

  // One-shot commands whose whole output is a report, as text or (--json) as JSON; each returns its exit code.
  const reports = [
    [
      "ingest",
      "scan the seeds folder once, store new and changed articles, print counts and exit",
      async () => (await import("./ingest.js")).ingestOnce,
    ],
    [
      "status",
      "show story counts, the last scan and rejected files with their reasons",
      async () => (await import("./status.js")).showStatus,
    ],
  ] as const;
  for (const [name, description, report] of reports) {
    withCommonOptions(program.command(name))
      .description(description)
      .option("--json", "print as JSON")
      .action(async (opts: CommonOpts & { json?: boolean }) => {
        const { config, log } = setup(opts, true);
        process.exitCode = await (await report())(config, log, opts.json === true);
      });
  }

  withCommonOptions(program.command("analyze"))
    .alias("analyse")
    .description("tag and summarise article files without storing them")
    .argument("<files...>", "article files")
    .option("--json", "print a JSON array, one object per file")
    .action(async (files: string[], opts: CommonOpts & { json?: boolean }) => {
      const { config, log } = setup(opts, true);
      const [{ analysisReport, analyzeFiles }, { buildAnalyser }] = await Promise.all([
        import("./analyze.js"),
        import("../main/builders.js"),
      ]);
      const results = analyzeFiles(files, buildAnalyser(config, log));
      process.stdout.write(opts.json ? `${JSON.stringify(results, null, 2)}\n` : analysisReport(results));
      process.exitCode = results.some((r) => r.error) ? 1 : 0;
    });

  withCommonOptions(program.command("ask"))
    .description('answer one command against the store, e.g. cyberbrief ask "/cyber apt40"')
    .argument("<command...>", "the command, with or without the leading /cyber")
    .option("--json", "print the neutral reply as JSON")
    .action(async (words: string[], opts: CommonOpts & { json?: boolean }) => {
      const { config, log } = setup(opts, true);
      const { askOnce } = await import("./ask.js");
      process.exitCode = await askOnce(config, log, words.join(" "), opts.json === true);
    });

  withCommonOptions(program.command("backup"))
    .description("copy the database safely, even while the bot is running (SQLite's online backup)")
    .argument("<file>", "where to write the copy")
    .action(async (file: string, opts: CommonOpts) => {
      const { config } = setup(opts, true);
      const { backupCommand } = await import("./backup.js");
      process.exitCode = await backupCommand(config, file);
    });

  withCommonOptions(program.command("export"))
    .description("print every stored event as one JSON object per line (JSON lines), oldest first")
    .option("--since <date>", "only events dated on or after this day (YYYY-MM-DD)")
    .action(async (opts: CommonOpts & { since?: string }) => {
      const { config } = setup(opts, true);
      const { exportCommand } = await import("./export.js");
      process.exitCode = await exportCommand(config, opts.since);
    });

  withCommonOptions(program.command("migrate"))
    .description(
      "create or upgrade the store's schema: PostgreSQL's with a database URL, else the SQLite file's",
    )
    // --database-url comes with the common options (every command has it).
    .option("--json", "print {backend, applied, current} as JSON")
    .action(async (opts: CommonOpts & { databaseUrl?: string; json?: boolean }) => {
      const { databaseUrlOf } = await import("./database-url.js");
      const target = databaseUrlOf(opts.databaseUrl, "--database-url", process.env);
      const { config } = setup(opts, true);
      const { migrateCommand } = await import("./migrate.js");
      process.exitCode = await migrateCommand(config, target?.url, opts.json === true);
    });

  program
    .command("copy")
    .description("copy an SQLite store into an empty PostgreSQL database and verify the counts")
    .requiredOption("--from <file>", "the SQLite database file to copy (opened read-only)")
    .option("--to <url>", "PostgreSQL database URL (env CYBERBRIEF_DATABASE_URL)")
    .action(async (opts: { from: string; to?: string }) => {
      const { databaseUrlOf } = await import("./database-url.js");
      const target = databaseUrlOf(opts.to, "--to", process.env);
      if (!target)
        throw new CyberbriefError(
          "cli/no-target",
          "give the PostgreSQL database to copy into with --to postgres://...",
        );
      const { copyCommand } = await import("./copy.js");
      process.exitCode = await copyCommand(opts.from, target.url);
    });

  registerFeedCommands(program);

  withCommonOptions(program.command("discord:register"))
    .description("register the /cyber slash command with Discord (globally, or in one server with --guild)")
    .option("--guild <id>", "register in this server only (instant); env DISCORD_GUILD_ID")
    .action(async (opts: CommonOpts & { guild?: string }) => {
      const { config } = setup(opts, true);
      const d = config.discord;
      const { registerDiscordCommands } = await import("../chat/discord/commands.js");
      const result = await registerDiscordCommands({
        token: d.token,
        applicationId: d.applicationId,
        guildId: opts.guild ?? d.guildId,
        apiUrl: d.apiUrl,
      });
      const where =
        result.scope === "guild"
          ? `in server ${result.guildId}`
          : "globally (may take up to an hour to appear)";
      process.stdout.write(`Registered ${result.commands.map((c) => `/${c.name}`).join(", ")} ${where}.\n`);
    });

  return program;
}

/**
 * `run` is the default command, so a mistyped command would reach it as an argument ("too many arguments for
 * 'run'"): name it instead. Returns the args unchanged, or throws.
 */
export function checkCommandName(program: Command, args: readonly string[]): void {
  const known = new Set(["help", ...program.commands.flatMap((c) => [c.name(), ...c.aliases()])]);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--") return;
    if (arg.startsWith("-")) {
      if (VALUE_OPTIONS.includes(arg)) i++;
      continue;
    }
    if (known.has(arg)) return;
    const names = program.commands.map((c) => c.name()).join(", ");
    throw new CyberbriefError(
      "cli/unknown-command",
      `unknown command '${printable(arg)}'; the commands are ${names} (run \`cyberbrief --help\` for usage)`,
    );
  }
}
