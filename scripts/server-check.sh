#!/usr/bin/env bash
# Measurements of `upwind serve` (not unit tests): starts the server on loopback with
# server.example.json5, runs schemathesis against /openapi.json, then a load run of
# ROUNDS × 200 concurrent small POST /v1/trajectories requests (each on its own connection),
# printing throughput and latency percentiles. Needs: pip install schemathesis.
# Usage: scripts/server-check.sh [PORT]   (env: ROUNDS=5, SCHEMATHESIS_MAX_EXAMPLES=30)
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${1:-18080}"
ROUNDS="${ROUNDS:-5}"
SWIFT="${SWIFT:-swift}"
work="$(mktemp -d)"
CONFIG="${CONFIG:-release}"
$SWIFT build -c "$CONFIG" --product upwind >&2
bin="$($SWIFT build -c "$CONFIG" --show-bin-path)/upwind"
# A copy of the example configuration whose paths point at this checkout, jobs in $work.
sed -e "s#\"Fixtures/#\"$PWD/Fixtures/#g" -e "s#jobsDirectory: \"upwind-jobs\"#jobsDirectory: \"$work/jobs\"#" \
    -e 's#maxQueuedJobs: 16#maxQueuedJobs: 64#' server.example.json5 > "$work/server.json5"
env -u UPWIND_API_KEYS "$bin" serve --config "$work/server.json5" --host 127.0.0.1 --port "$PORT" > "$work/server.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/health" > /dev/null && break; sleep 0.2; done
curl -sf "http://127.0.0.1:$PORT/health"; echo

echo "== schemathesis against /openapi.json"
# Every check. A schema-valid request may still be answered 422: the document describes the
# request's shape and the static limits, while the dataset ids, the limits of this server's
# configuration and whether the starts lie inside the met are facts of the server (422
# unknown_dataset, limit_exceeded, invalid_plan, run_failed, invalid_settings). 400 (the shape)
# for a schema-valid request stays a failure.
cat > "$work/schemathesis.toml" <<'TOML'
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "401", "403", "404", "409", "422", "429"]
TOML
if command -v schemathesis > /dev/null; then
  (cd "$work" && schemathesis --config-file "$work/schemathesis.toml" run "http://127.0.0.1:$PORT/openapi.json" --checks all \
    --max-examples "${SCHEMATHESIS_MAX_EXAMPLES:-30}" --request-timeout 30 2>&1 | tail -"${SCHEMATHESIS_TAIL:-40}") || true
else
  echo "schemathesis not installed: pip install schemathesis"
fi

echo "== load: $ROUNDS rounds of 200 concurrent POST /v1/trajectories (1 start, 12 h, csv)"
python3 - "$PORT" "$ROUNDS" <<'EOF'
import asyncio, json, sys, time
port, rounds = int(sys.argv[1]), int(sys.argv[2])
body = json.dumps({"met": {"dataset": "montserrat2010"}, "hours": -12, "format": "csv",
                   "starts": [{"site": "MSR", "latitude": 16.7, "longitude": -62.2, "height": 500, "time": "2010-02-13T00:00:00Z"}]}).encode()
request = (f"POST /v1/trajectories HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
           f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode() + body
async def one():
    t = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request); await writer.drain()
    data = await reader.read()
    writer.close()
    status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else 0
    return status, time.perf_counter() - t
async def main():
    latencies, statuses = [], {}
    start = time.perf_counter()
    for _ in range(rounds):
        for status, dt in await asyncio.gather(*[one() for _ in range(200)], return_exceptions=False):
            latencies.append(dt); statuses[status] = statuses.get(status, 0) + 1
    wall = time.perf_counter() - start
    latencies.sort()
    pct = lambda p: latencies[min(len(latencies) - 1, int(round(p / 100 * (len(latencies) - 1))))] * 1000
    errors = sum(n for s, n in statuses.items() if s != 200)
    print(f"requests {len(latencies)}, statuses {statuses}, errors {errors}")
    print(f"throughput {len(latencies) / wall:.1f} req/s over {wall:.2f} s")
    print(f"latency ms: p50 {pct(50):.1f}, p95 {pct(95):.1f}, p99 {pct(99):.1f}, max {latencies[-1] * 1000:.1f}")
asyncio.run(main())
EOF
echo "== server log (errors only)"
grep -ci "error" "$work/server.log" || true
