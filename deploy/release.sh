#!/usr/bin/env bash
# Publishes Leasehold for machines without the .NET SDK: for each runtime, a self-contained
# single-file server (Leasehold.Server, with its console's files in wwwroot/ and SQLite's native
# library beside it) and a self-contained single-file CLI (leasehold). docs/operations.md,
# "Publishing for a machine without the .NET SDK".
#
#   deploy/release.sh                      # linux-x64 linux-arm64 win-x64 osx-arm64 into ./out
#   deploy/release.sh --out DIR linux-x64  # only these runtimes, into DIR
#
# Writes DIR/RID/server/ and DIR/RID/cli/. A runtime whose packs cannot be restored (an offline
# package mirror without them) is reported at the end and the others are still built; the exit
# code is then 1. Builds in a scratch directory: the repository's own bin/ and obj/ are untouched.
set -uo pipefail
cd "$(dirname "$0")/.."

out="out"
rids=()
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --out=*) out="${1#--out=}"; shift ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "release.sh: unknown option $1" >&2; exit 64 ;;
    *) rids+=("$1"); shift ;;
  esac
done
[ ${#rids[@]} -gt 0 ] || rids=(linux-x64 linux-arm64 win-x64 osx-arm64)
mkdir -p "$out"
out="$(cd "$out" && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

built=()
failed=()
for rid in "${rids[@]}"; do
  ok=1
  for part in server:src/Leasehold.Server/Leasehold.Server.csproj cli:src/Leasehold.Cli/Leasehold.Cli.csproj; do
    name="${part%%:*}"
    project="${part#*:}"
    log="$scratch/$rid-$name.log"
    echo "release.sh: publishing the $name for $rid" >&2
    rm -rf "${out:?}/$rid/$name"
    # DebugType=embedded: stack traces keep their line numbers without .pdb files beside the binary.
    if ! dotnet publish "$project" -c Release -r "$rid" --self-contained -p:PublishSingleFile=true \
        -p:DebugType=embedded -p:PackAsTool=false --artifacts-path "$scratch/artifacts-$rid" \
        -o "$out/$rid/$name" -nologo -v q >"$log" 2>&1; then
      ok=0
      reason="$(grep -m1 -oE '(error|warning) [A-Z]+[0-9]+: [^[]*' "$log" || tail -n 1 "$log")"
      failed+=("$rid ($name: ${reason:-see the dotnet publish output})")
      rm -rf "${out:?}/$rid/$name"
      break
    fi
  done
  [ "$ok" -eq 1 ] && built+=("$rid")
done

echo >&2
[ ${#built[@]} -gt 0 ] && echo "release.sh: built ${built[*]} into $out (RID/server, RID/cli)" >&2
if [ ${#failed[@]} -gt 0 ]; then
  for f in "${failed[@]}"; do echo "release.sh: could NOT build $f" >&2; done
  echo "release.sh: a runtime builds only when the NuGet feed has its packs (Microsoft.NETCore.App.Runtime.RID, Microsoft.AspNetCore.App.Runtime.RID, Microsoft.NETCore.App.Host.RID)" >&2
  exit 1
fi
