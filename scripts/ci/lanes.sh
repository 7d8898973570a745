#!/usr/bin/env bash
# CI lanes: the full check on the machine's Node (20), then the test suite on Node 22 and 24 from npm packages.
#
# Lane node20: npm ci, the engines check, npm run check (typecheck, lint, tests) in this checkout.
# Every lane's tests use one PostgreSQL 15 cluster that scripts/ci/postgres.sh starts first and stops at the end.
# Lanes node22 and node24: scripts/ci/node-lane.sh with the Node build of the npm package
# node-<platform>-<arch> (bin/node plus include/node headers). They start once lane node20 passed and run
# in parallel with each other.
#
# Environment: CB_CI_NODE_VERSIONS  Node versions of the extra lanes (default below; "" runs lane node20 only)
#              CB_CI_PARALLEL=0      run the extra lanes one after the other
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

# Exact builds, so a new Node release cannot change CI's verdict without a commit: bump them here.
read -r -a extra_versions <<<"${CB_CI_NODE_VERSIONS-22.23.5 24.22.3}"
parallel="${CB_CI_PARALLEL:-1}"
node_pkg="node-$(node -p 'process.platform + "-" + process.arch')"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/cyberbrief-ci.XXXXXX")"
# Readable by all: a test runs the packaged Node as the Docker image's non-root user.
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT

# PostgreSQL for the PostgreSQL store's tests (issue 17): one throwaway cluster for every lane (each test makes
# its own database in it), stopped at the end; CYBERBRIEF_REQUIRE_PG=1 makes those tests fail if it is missing.
pg_dir="$tmp/postgres"
trap 'bash scripts/ci/postgres.sh stop "$pg_dir"; rm -rf "$tmp"' EXIT
CYBERBRIEF_TEST_DATABASE_URL="$(bash scripts/ci/postgres.sh start "$pg_dir")"
export CYBERBRIEF_TEST_DATABASE_URL CYBERBRIEF_REQUIRE_PG=1

summary=() # one line per lane
failed=()  # "lane (step)" per failed lane
total_passed=0
total_failed=0
counts=""

say() { printf '\n==== %s\n' "$*"; }
took() { local s=$((SECONDS - $1)); printf '%dm%02ds' $((s / 60)) $((s % 60)); }

# Reads vitest's "Tests  N failed | M passed (K)" line of a log into $counts and the totals.
count_tests() {
  local line passed failures
  line="$(sed 's/\x1b\[[0-9;]*m//g' "$1" | grep -E '^ *Tests +[0-9]' | tail -n 1)" || line=""
  if [[ -z "$line" ]]; then
    counts="no test summary"
    return
  fi
  passed="$(grep -oE '[0-9]+ passed' <<<"$line")" || passed="0"
  failures="$(grep -oE '[0-9]+ failed' <<<"$line")" || failures="0"
  passed="${passed%% *}"
  failures="${failures%% *}"
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failures))
  counts="${passed} passed, ${failures} failed"
}

# The Node builds download while lane node20 runs; each lands in $tmp/<version>/node.
declare -A fetch_pid
for version in "${extra_versions[@]}"; do
  mkdir -p "$tmp/$version/node"
  npm install --prefix "$tmp/$version/node" --no-audit --no-fund --loglevel=error \
    "$node_pkg@$version" >"$tmp/$version/fetch.log" 2>&1 &
  fetch_pid[$version]=$!
done
nodedir() { echo "$tmp/$1/node/node_modules/$node_pkg"; }

# ---- the first lane (node20): the machine's Node, in this checkout
main_version="$(node -p 'process.versions.node')"
main_lane="node${main_version%%.*}"
say "lane ${main_lane}: Node ${main_version}: npm ci, engines check, npm run check"
start=$SECONDS
step="npm ci"
if npm ci --engine-strict --no-audit --no-fund; then
  step="download of the other lanes' Node"
  lane_versions=("$main_version")
  fetched=1
  for version in "${extra_versions[@]}"; do
    if wait "${fetch_pid[$version]}"; then
      lane_versions+=("$("$(nodedir "$version")/bin/node" -p 'process.versions.node')")
    else
      cat "$tmp/$version/fetch.log"
      echo "could not install $node_pkg@$version from the npm registry (above)"
      fetched=0
    fi
  done
  if ((fetched)); then step="engines check"; fi
  if ((fetched)) && node scripts/ci/engines.mjs "${lane_versions[@]}"; then
    echo "---- npm ci and engines check took $(took "$start")"
    step="npm run check"
    if npm run check 2>&1 | tee "$tmp/node20.log"; then
      step=""
    fi
  fi
fi
if [[ -n "$step" ]]; then
  say "lane ${main_lane} FAILED at: ${step} after $(took "$start"); the other lanes were not run"
  exit 1
fi
count_tests "$tmp/node20.log"
summary+=("${main_lane} (Node ${main_version}): passed in $(took "$start"): ${counts}")

# ---- the extra lanes, each with its output in $tmp/<version>/lane.log
declare -A lane_pid lane_status
# Runs one lane; its output goes to lane.log and the time it took to seconds.
run_lane() {
  local version="$1" started=$SECONDS status=0
  if bash scripts/ci/node-lane.sh "$tmp/$version" "$(nodedir "$version")" >"$tmp/$version/lane.log" 2>&1; then
    status=0
  else
    status=$?
  fi
  echo $((SECONDS - started)) >"$tmp/$version/seconds"
  return "$status"
}
for version in "${extra_versions[@]}"; do
  say "lane node${version%%.*}: Node ${version}: npm ci --nodedir, npm test (output shown when it ends)"
  cmd=(run_lane "$version")
  if [[ "$parallel" == "0" ]]; then
    if "${cmd[@]}"; then lane_status[$version]=0; else lane_status[$version]=$?; fi
  else
    "${cmd[@]}" &
    lane_pid[$version]=$!
  fi
done
for version in "${!lane_pid[@]}"; do
  if wait "${lane_pid[$version]}"; then lane_status[$version]=0; else lane_status[$version]=$?; fi
done

for version in "${extra_versions[@]}"; do
  lane="node${version%%.*}"
  say "lane ${lane} (Node ${version}) output"
  cat "$tmp/$version/lane.log"
  count_tests "$tmp/$version/lane.log"
  seconds="$(cat "$tmp/$version/seconds")"
  time_taken="$(printf '%dm%02ds' $((seconds / 60)) $((seconds % 60)))"
  if [[ "${lane_status[$version]}" != 0 ]]; then
    step="$(cat "$tmp/$version/step" 2>/dev/null)" || step="start"
    failed+=("${lane} (${step:-exit ${lane_status[$version]}})")
    summary+=("${lane} (Node ${version}): FAILED at ${step:-exit ${lane_status[$version]}} after ${time_taken}: ${counts}")
  else
    summary+=("${lane} (Node ${version}): passed in ${time_taken}: ${counts}")
  fi
done

say "summary"
printf '%s\n' "${summary[@]}"
echo "ci: ${total_passed} passed, ${total_failed} failed"
if ((${#failed[@]} > 0)); then
  echo "CI FAILED in lane(s): ${failed[*]}"
  exit 1
fi
