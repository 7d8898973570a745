#!/usr/bin/env bash
# One extra CI lane: the tracked tree copied to a temp folder, npm ci against a packaged Node's headers, npm test.
# Usage: scripts/ci/node-lane.sh <lane folder> <Node folder (bin/node, include/node)>
# Writes the step it is in to <lane folder>/step; the file is empty once every step passed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dir="$1"
nodedir="$2"
step() {
  echo "$1" >"$dir/step"
  echo "---- ${1:-done} (at +${SECONDS}s)"
}

step "copy of the tracked files"
mkdir -p "$dir/src"
# The tracked files as the working tree has them (in CI: the checked-out commit).
cd "$root"
git -c safe.directory='*' ls-files -z --cached \
  | tar --null --ignore-failed-read --files-from=- -cf - \
  | tar -xf - -C "$dir/src"
cd "$dir/src"
# A repository of its own holding exactly those files: tests ask git which files are tracked (what ships).
git init -q
git add -A
git -c user.name=cyberbrief-ci -c user.email=ci@localhost commit -q -m "CI lane copy"

export PATH="$nodedir/bin:$PATH"
echo "Node $(node --version) from $nodedir; npm $(npm --version)"

step "npm ci"
# --nodedir: node-gyp compiles better-sqlite3 against this Node's headers (the machine's npmrc points at /usr).
npm ci --engine-strict --no-audit --no-fund --nodedir="$nodedir"

step "npm test"
npm test

step ""
