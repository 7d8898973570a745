// `npm run gazetteer -- --misp <folder> [--out <folder>]`: rebuilds data/actors.json, countries.json and malware.json.

import { parseArgs } from "node:util";
import { packagePath } from "../src/core/paths.js";
import { buildGazetteer, writeGazetteer } from "./gazetteer/index.js";

const USAGE = `usage: npm run gazetteer -- --misp <misp-galaxy folder> [--out <folder>]

  --misp  folder holding threat-actor.json (and optionally mitre-intrusion-set.json,
          microsoft-activity-group.json, country.json, malpedia.json, ransomware.json),
          or a misp-galaxy checkout (clusters/)
  --out   where to write actors.json, countries.json and malware.json (default: the package's data/ folder)`;

function main(): number {
  const { values } = parseArgs({
    options: {
      misp: { type: "string" },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help || !values.misp) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const started = performance.now();
  const built = buildGazetteer(values.misp);
  const written = writeGazetteer(values.out ?? packagePath("data"), built);
  const aliases = built.actors.actors.reduce((n, a) => n + a.aliases.length, 0);
  const undecided = built.actors.contested.filter((c) => c.winner === null).length;
  console.log(
    `gazetteer: ${built.actors.actors.length} actors, ${aliases} aliases, ` +
      `${built.actors.contested.length} contested aliases (${undecided} left to nobody), ` +
      `${built.countries.countries.length} countries, ` +
      `${built.malware?.file.malware.length ?? 0} malware families ` +
      `(${built.malware?.contested ?? 0} shared names) in ${Math.round(performance.now() - started)} ms`,
  );
  for (const path of written) console.log(`  wrote ${path}`);
  return 0;
}

try {
  process.exitCode = main();
} catch (err) {
  console.error(`gazetteer: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}
