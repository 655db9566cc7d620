#!/usr/bin/env bash
# Photographs every console page with example data (a real server, Debian's Chromium) into this
# directory: docs/console/*.png, shown in docs/console.md and README.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
LEASEHOLD_SCREENSHOTS="$PWD/docs/console" dotnet test tests/Leasehold.Console.Tests --configuration Release \
  --filter "FullyQualifiedName~ScreenshotTests" --nologo
