// The cyberbrief command line: run, ingest, status, analyze, ask.

import { Command } from "commander";
import { runBot } from "../main.js";
import { ingestOnce, showStatus } from "./ingest.js";
import { type CommonOpts, setup, withCommonOptions } from "./options.js";

export function buildProgram(): Command {
  const program = new Command("cyberbrief")
    .description("Reads state-sponsored hacking news, tags it by threat actor and country, and alerts chat channels.")
    .showHelpAfterError("(run with --help for usage)");

  withCommonOptions(program.command("run", { isDefault: true }))
    .description("run the bot: watch the seeds folder, store stories, answer /cyber commands")
    .action(async (opts: CommonOpts) => {
      const { config, log } = setup(opts, false);
      const bot = await runBot(config, log);
      await waitForSignal(bot.stop, log);
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

  return program;
}

/** Stops cleanly on the first Ctrl-C or SIGTERM; a second one exits at once. */
function waitForSignal(stop: () => Promise<void>, log: { info: (o: object, m: string) => void }): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) process.exit(130);
      stopping = true;
      log.info({ signal }, "stopping (press Ctrl-C again to exit at once)");
      stop().then(resolve, (err) => {
        log.info({ err }, "error while stopping");
        resolve();
      });
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}
