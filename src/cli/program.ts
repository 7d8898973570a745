// The cyberbrief command line: run, ingest, status, analyze, ask.

import { Command } from "commander";
import { ConsoleLogSink } from "../chat/console/above-prompt.js";
import { registerDiscordCommands } from "../chat/discord/commands.js";
import { buildAnalyser, runBot } from "../main.js";
import { backupDatabase } from "../store/sqlite/backup.js";
import { analysisReport, analyzeFiles } from "./analyze.js";
import { askOnce } from "./ask.js";
import { ingestOnce, showStatus } from "./ingest.js";
import { type CommonOpts, setup, withCommonOptions } from "./options.js";

export function buildProgram(): Command {
  const program = new Command("cyberbrief")
    .description(
      "Reads state-sponsored hacking news, tags it by threat actor and country, and alerts chat channels.",
    )
    .showHelpAfterError("(run with --help for usage)");

  withCommonOptions(program.command("run", { isDefault: true }))
    .description("run the bot: watch the seeds folder, store stories, answer /cyber commands")
    .action(async (opts: CommonOpts) => {
      // Log lines pass through the console's stream so they never land on its prompt.
      const logSink = new ConsoleLogSink(process.stderr);
      const { config, log } = setup(opts, false, logSink);
      await runUntilStopped((onQuit) => runBot(config, log, { onQuit, logSink }), log);
    });

  withCommonOptions(program.command("ingest"))
    .description("scan the seeds folder once, store new and changed articles, print counts and exit")
    .option("--json", "print the counts as JSON")
    .action(async (opts: CommonOpts & { json?: boolean }) => {
      const { config, log } = setup(opts, true);
      process.exitCode = await ingestOnce(config, log, opts.json === true);
    });

  withCommonOptions(program.command("status"))
    .description("show story counts, the last scan and rejected files with their reasons")
    .option("--json", "print as JSON")
    .action(async (opts: CommonOpts & { json?: boolean }) => {
      const { config, log } = setup(opts, true);
      process.exitCode = await showStatus(config, log, opts.json === true);
    });

  withCommonOptions(program.command("analyze"))
    .alias("analyse")
    .description("tag and summarise article files without storing them")
    .argument("<files...>", "article files")
    .option("--json", "print a JSON array, one object per file")
    .action(async (files: string[], opts: CommonOpts & { json?: boolean }) => {
      const { config, log } = setup(opts, true);
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
      process.exitCode = await askOnce(config, log, words.join(" "), opts.json === true);
    });

  withCommonOptions(program.command("backup"))
    .description("copy the database safely, even while the bot is running (SQLite's online backup)")
    .argument("<file>", "where to write the copy")
    .action(async (file: string, opts: CommonOpts) => {
      const { config } = setup(opts, true);
      const pages = await backupDatabase(config.dbPath, file);
      process.stdout.write(`Backed up ${config.dbPath} to ${file} (${pages} pages).\n`);
    });

  withCommonOptions(program.command("discord:register"))
    .description("register the /cyber slash command with Discord (globally, or in one server with --guild)")
    .option("--guild <id>", "register in this server only (instant); env DISCORD_GUILD_ID")
    .action(async (opts: CommonOpts & { guild?: string }) => {
      const { config } = setup(opts, true);
      const d = config.discord;
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

/** Runs the bot until Ctrl-C, SIGTERM or the console user quits; a second signal exits at once. */
async function runUntilStopped(
  start: (onQuit: () => void) => Promise<{ stop(): Promise<void> }>,
  log: { info: (o: object, m: string) => void; error: (o: object, m: string) => void },
): Promise<void> {
  let requestStop: (why: string) => void = () => undefined;
  const stopRequested = new Promise<string>((resolve) => {
    requestStop = resolve;
  });
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) process.exit(130);
    requestStop(signal);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const bot = await start(() => requestStop("console closed"));
  const why = await stopRequested;
  log.info({ why }, "stopping (press Ctrl-C again to exit at once)");
  try {
    await bot.stop();
  } catch (err) {
    log.error({ err }, "error while stopping");
    process.exitCode = 1;
  }
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
}
