#!/usr/bin/env bash
# CI: Chromium from Debian's packages for the browser tests (tests/web/browser.test.ts), installed when missing.
set -euo pipefail
if [[ -x /usr/bin/chromium ]]; then
  exit 0
fi
if [[ "$(id -u)" != "0" ]] || ! command -v apt-get >/dev/null; then
  echo "Chromium is missing and cannot be installed here: run 'apt-get install -y chromium' as root" >&2
  exit 1
fi
echo "installing chromium (Debian package) for the browser tests"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium >/dev/null
/usr/bin/chromium --version
