// CI check: every installed package's engines.node admits the whole Node range package.json declares.
// Usage: node scripts/ci/engines.mjs [version...]  (each version given must also be inside that range)

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import semver from "semver";

const root = process.cwd();
const readJson = (file) => JSON.parse(readFileSync(file, "utf8"));

const declared = readJson(join(root, "package.json")).engines?.node;
if (typeof declared !== "string" || semver.validRange(declared) === null) {
  console.error(`engines: package.json engines.node is missing or not a semver range (${declared}); set it`);
  process.exit(2);
}

const problems = [];
for (const version of process.argv.slice(2)) {
  if (!semver.satisfies(version, declared)) {
    problems.push(`Node ${version} is tested but outside the declared range "${declared}"`);
  }
}

// The lockfile names every package npm ci installs; optional ones for other platforms are absent on disk.
const lock = readJson(join(root, "package-lock.json"));
let checked = 0;
for (const location of Object.keys(lock.packages ?? {})) {
  const manifest = join(root, location, "package.json");
  if (location === "" || !existsSync(manifest)) continue;
  const { name, version, engines } = readJson(manifest);
  const wanted = engines?.node;
  if (wanted === undefined) continue;
  checked += 1;
  const range = typeof wanted === "string" ? semver.validRange(wanted) : null;
  if (range === null) {
    problems.push(`${name}@${version} (${location}): engines.node ${JSON.stringify(wanted)} is not a range`);
  } else if (!semver.subset(declared, range)) {
    const excluded = process.argv.slice(2).filter((v) => !semver.satisfies(v, range));
    const floor = semver.minVersion(declared);
    const examples = [...excluded, ...(floor && !semver.satisfies(floor, range) ? [floor.version] : [])];
    const which = examples.length > 0 ? ` (excludes ${[...new Set(examples)].join(", ")})` : "";
    problems.push(
      `${name}@${version} (${location}) needs Node "${wanted}", narrower than the declared "${declared}"${which}: ` +
        "narrow the declared range or use a version of that package that admits it",
    );
  }
}

for (const problem of problems) console.error(`engines: ${problem}`);
if (problems.length > 0) process.exit(1);
console.log(`engines: ${checked} installed packages with engines.node all admit Node "${declared}"`);
