#!/usr/bin/env bash
# Builds Examples/Consumer (a separate package depending on Upwind by path, as a user's would)
# and runs it from the repository root: the consumer's checks, then the README's library
# example, whose tdump must be byte-identical to what `upwind trajectories` writes.
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT="${SWIFT:-swift}"
$SWIFT build --package-path Examples/Consumer
$SWIFT run --skip-build --package-path Examples/Consumer Consumer
work="$(mktemp -d)"
trap 'rm -rf "$work"; rm -f back.tdump' EXIT
rm -f back.tdump
$SWIFT run --skip-build --package-path Examples/Consumer ReadmeExample
mv back.tdump "$work/library.tdump"
$SWIFT build --product upwind
$SWIFT run --skip-build upwind trajectories --met Fixtures/met/gdas_042.bin --start 16.7,-62.2,500 --start 15.0,-60.0,1500 \
  --time 2010-02-13T00:00:00Z --hours -36 --out "$work/cli.tdump"
if cmp "$work/library.tdump" "$work/cli.tdump"; then
  echo "README library example: its tdump is byte-identical to upwind trajectories' ($(wc -c < "$work/cli.tdump") bytes)"
else
  echo "README library example: its tdump differs from upwind trajectories'" >&2
  exit 1
fi
