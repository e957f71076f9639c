#!/usr/bin/env bash
# Fuzzes Upwind's readers with libFuzzer (issue 13). Not part of `swift build` or `make test`.
#
#   scripts/fuzz.sh [SECONDS] [READER...]      # default: 600 s each, every reader, one at a time
#   scripts/fuzz.sh 60 tdump control           # a quick pass over two readers
#
# Readers: arl tdump control setup starts observations firms runplan netcdf netcdf4
# (the harnesses are Fuzz/Sources/fuzz-<reader>; each calls FuzzEntries, which the root
# package's FuzzReplayTests also compile). The harnesses are built with
# `swift build -Xswiftc -sanitize=fuzzer,address` (Linux toolchains ship libFuzzer in
# lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a; this script stops if it is missing).
#
# Seeds come from Fixtures (trimmed to one time period for ARL; classic and netCDF-4 files
# built with ncgen from Fixtures/cdl) and Fuzz/seeds. The growing corpus is kept in
# .fuzz/corpus/<reader>; inputs that crash are copied to Fixtures/fuzz-regressions/<reader>/,
# which `make test` replays (FuzzReplayTests): fix the reader, keep the file. Each run appends
# one line to .fuzz/log.txt: reader, seconds, executions, corpus size, crashes.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SECONDS_EACH="${1:-600}"
shift || true
READERS=("$@")
if [ ${#READERS[@]} -eq 0 ]; then
  READERS=(arl tdump control setup starts observations firms runplan netcdf netcdf4)
fi
SWIFT="${SWIFT:-swift}"
WORK="$ROOT/.fuzz"
mkdir -p "$WORK"

toolchain_lib="$(dirname "$(dirname "$(command -v "$SWIFT")")")/lib"
if ! ls "$toolchain_lib"/clang/*/lib/*/libclang_rt.fuzzer*.a >/dev/null 2>&1 \
   && ! ls "$toolchain_lib"/swift/clang/lib/*/libclang_rt.fuzzer*.a >/dev/null 2>&1; then
  echo "fuzz.sh: this Swift toolchain has no libFuzzer runtime (libclang_rt.fuzzer); use a Linux swift.org toolchain" >&2
  exit 1
fi

# Linked with the toolchain's lld: GNU gold (SwiftPM's default on Linux) fails on these
# sanitizer-instrumented objects with "internal error in format_file_lineno".
LLD="$(dirname "$(command -v "$SWIFT")")/ld.lld"
[ -x "$LLD" ] || LLD="$(command -v ld.lld || true)"
[ -n "$LLD" ] || { echo "fuzz.sh: ld.lld not found (it ships with swift.org toolchains)" >&2; exit 1; }
printf '{"schemaVersion": "1.0", "linker": {"path": "%s"}}\n' "$LLD" > "$WORK/toolset.json"
BUILD=("$SWIFT" build --package-path "$ROOT/Fuzz" -c release -Xswiftc -sanitize=fuzzer,address --toolset "$WORK/toolset.json")
echo "fuzz.sh: building the harnesses with -sanitize=fuzzer,address (release; slow the first time)"
if ! "${BUILD[@]}" > "$WORK/build.log" 2>&1; then
  grep -E "error" "$WORK/build.log" | grep -v "Cannot export local symbol" | head -20 >&2
  echo "fuzz.sh: build failed (full log: $WORK/build.log)" >&2
  exit 1
fi
BIN="$("${BUILD[@]}" --show-bin-path)"

# Seeds, rebuilt every run from the fixtures.
SEEDS="$WORK/seeds"
rm -rf "$SEEDS"
mkdir -p "$SEEDS"/{arl,tdump,control,setup,starts,observations,firms,runplan,netcdf,netcdf4}
head -c $((28 * (50 + 33 * 28))) "$ROOT/Fixtures/met/oct1618.BIN" > "$SEEDS/arl/oct1618-period1.bin"    # 28 records per period
head -c $((168 * (50 + 23 * 15))) "$ROOT/Fixtures/met/gdas_042.bin" > "$SEEDS/arl/gdas042-period1.bin"  # 168 records per period
cp "$ROOT/Fixtures/hysplit/tutorial_fwd12.tdump" "$SEEDS/tdump/"
cp "$ROOT/Fixtures/hysplit/tutorial_CONTROL" "$SEEDS/control/"
cp "$ROOT/Fixtures/hysplit/tutorial_SETUP.CFG" "$SEEDS/setup/"
for r in starts observations firms runplan; do cp "$ROOT/Fuzz/seeds/$r/"* "$SEEDS/$r/"; done
for cdl in "$ROOT"/Fixtures/cdl/*.cdl; do
  name="$(basename "$cdl" .cdl)"
  if head -c 200 "$cdl" | grep -q -- "-k nc4"; then
    ncgen -k nc4 -o "$SEEDS/netcdf4/$name.nc" "$cdl" 2>/dev/null || true
  else
    ncgen -o "$SEEDS/netcdf/$name.nc" "$cdl" 2>/dev/null || true
    ncgen -k nc4 -o "$SEEDS/netcdf4/$name.nc" "$cdl" 2>/dev/null || true
  fi
done

for reader in "${READERS[@]}"; do
  exe="$BIN/fuzz-$reader"
  [ -x "$exe" ] || { echo "fuzz.sh: no harness fuzz-$reader" >&2; exit 1; }
  corpus="$WORK/corpus/$reader"
  artifacts="$WORK/artifacts/$reader"
  mkdir -p "$corpus" "$artifacts"
  echo "fuzz.sh: $reader for $SECONDS_EACH s"
  start=$(date +%s)
  set +e
  # -fork keeps going after a crash (each is saved to $artifacts); -rss_limit_mb bounds memory.
  # Leaks are not what this hunts: -detect_leaks=0 stops libFuzzer's per-input check, and
  # ASAN_OPTIONS=detect_leaks=0 LeakSanitizer's report at each job's exit, which fork mode would
  # count as a crash with an empty input (libnetcdf/HDF5 keep ~28 KB per failed netCDF-4 open).
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" "$exe" "$corpus" "$SEEDS/$reader" -max_total_time="$SECONDS_EACH" -fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1 \
    -timeout=20 -rss_limit_mb=2048 -detect_leaks=0 -artifact_prefix="$artifacts/" -print_final_stats=1 > "$WORK/$reader.log" 2>&1
  set -e
  elapsed=$(( $(date +%s) - start ))
  # The fork-mode status lines "#N: cov: …" count the executions of all jobs.
  execs=$( (grep -oE "^#[0-9]+" "$WORK/$reader.log" || true) | tail -1 | tr -d '#')
  crashes=$( (find "$artifacts" -type f \( -name 'crash-*' -o -name 'oom-*' -o -name 'timeout-*' -o -name 'leak-*' \) || true) | wc -l)
  echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $reader seconds=$elapsed execs=${execs:-?} corpus=$(ls "$corpus" | wc -l) artifacts=$crashes" | tee -a "$WORK/log.txt"
  if [ "$crashes" -gt 0 ] && [ "$reader" != "netcdf4" ]; then
    mkdir -p "$ROOT/Fixtures/fuzz-regressions/$reader"
    find "$artifacts" -type f -name 'crash-*' -exec cp {} "$ROOT/Fixtures/fuzz-regressions/$reader/" \;
    echo "fuzz.sh: $reader: crashing inputs copied to Fixtures/fuzz-regressions/$reader/ (see $WORK/$reader.log)"
  fi
done
