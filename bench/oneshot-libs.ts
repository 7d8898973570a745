// bench:oneshot's second floor: what a one-shot command costs before any cyberbrief code runs. It loads the
// libraries every command needs (commander for the arguments, zod for the configuration, pino for the log,
// better-sqlite3 for the store), opens the database read-only and runs one query. Compare the commands with it
// to see what is ours and what the stack costs.

import Database from "better-sqlite3";
import { Command } from "commander";
import pino from "pino";
import { z } from "zod";

const program = new Command().argument("<db>");
program.parse(process.argv);
const settings = z.object({ db: z.string().min(1) }).parse({ db: program.args[0] });
const log = pino({ level: "warn" });
const db = new Database(settings.db, { readonly: true, fileMustExist: true });
const stories = db.prepare("SELECT count(*) FROM stories").pluck().get();
db.close();
log.debug({ stories }, "counted");
process.stdout.write(`${String(stories)}\n`);
