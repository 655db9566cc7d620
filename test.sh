#!/usr/bin/env bash
# Runs every test of Leasehold. A fresh machine needs only the .NET SDK: this script installs
# the rest the tests use from Debian packages when missing: curl and jq for the docs examples,
# PostgreSQL for the tests that run every server test again on PostgreSQL (they start a
# throwaway cluster of their own in a temp directory on a free loopback port, and remove it), and
# Chromium for the web console's browser tests (driven by Playwright, never downloaded by it), and
# Node.js with npm for the OpenAPI document's linter and generated client (tests/openapi-tools).
set -euo pipefail
cd "$(dirname "$0")"

missing=()
for tool in curl jq; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
  missing+=(postgresql)
fi
if [ ! -x /usr/bin/chromium ]; then
  missing+=(chromium)
fi
# Node.js and npm for the OpenAPI tests: Redocly CLI lints docs/openapi.v1.json and a client generated
# with openapi-typescript runs the quick start (tests/openapi-tools, installed there with `npm ci`).
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
# systemd-analyze checks deploy/leasehold.service (Hosting/DeploymentTests); Debian's systemd package has it.
command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

dotnet test Leasehold.slnx --configuration Release "$@"
