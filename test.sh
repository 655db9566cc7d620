#!/usr/bin/env bash
# Runs every test of Leasehold. A fresh machine needs only the .NET SDK: this script installs
# the rest the tests use (curl and jq for the docs examples) from Debian packages when missing.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
for tool in curl jq; do
  command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

dotnet test Leasehold.slnx --configuration Release "$@"
