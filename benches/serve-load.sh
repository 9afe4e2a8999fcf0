#!/usr/bin/env bash
# Load benchmark of `migdev serve` (a benchmark, never a test).
#
# Usage:
#   benches/serve-load.sh [RECORDS]        (default: 100000)
#
# Generates RECORDS synthetic records with examples/synth.rs into target/bench/cat-RECORDS
# (reused when present), builds the index, starts the release `migdev serve` on a free
# loopback port with its default stale check on, and runs wrk: 50 connections on 2 threads
# for 10 s each against
#   1. /api/search, cycling through 20 searches (words, phrases, filters, sorts): the common
#      case of people repeating and refining searches, answered from the cache (each search
#      is asked once before the run, as a warm-up);
#   2. /api/search with a different page of a one-word search on every request, so that no
#      answer comes from the cache: every request runs the search, the facets and snippets;
#   3. the HTML search page `/`, cycling through the same 20 searches.
# wrk waits up to 30 s for an answer, so slow answers count in the latencies instead of
# being dropped as time-outs. It prints wrk's report (with the latency percentiles) for each. Needs wrk and curl (apt-get install wrk curl).
# Traffic goes to 127.0.0.1 only, and every run stops by itself after 10 s.

set -euo pipefail
cd "$(dirname "$0")/.."
RECORDS=${1:-100000}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-50}
BENCH_DIR=${BENCH_DIR:-target/bench}
CAT=$BENCH_DIR/cat-$RECORDS

command -v wrk >/dev/null || { echo "error: wrk is not installed (apt-get install wrk)" >&2; exit 2; }
cargo build --release --locked --bin migdev --example synth >&2
MIGDEV=$PWD/target/release/migdev
if [ "$(ls "$CAT/data/programmes" 2>/dev/null | wc -l)" != "$RECORDS" ]; then
    target/release/examples/synth --records "$RECORDS" --out "$CAT" --force >&2
fi
"$MIGDEV" --data "$CAT/data" --index "$CAT/index" doctor >/dev/null 2>&1 \
    || "$MIGDEV" --data "$CAT/data" --index "$CAT/index" rebuild >&2

LOG=$(mktemp)
"$MIGDEV" --data "$CAT/data" --index "$CAT/index" serve --port 0 >"$LOG" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null; rm -f "$LOG" "$LUA_CYCLE" "$LUA_PAGES" "$LUA_HTML"' EXIT
for _ in $(seq 100); do
    grep -q '^serving' "$LOG" && break
    sleep 0.1
done
BASE=$(sed -n 's/^serving \(http:[^ ]*\).*/\1/p' "$LOG")
[ -n "$BASE" ] || { cat "$LOG" >&2; exit 2; }

SEARCHES='"q=remittances", "q=diaspora+investment", "q=%22skills+training%22",
  "q=remittances&sector=financial-services", "q=return&region=africa",
  "q=seasonal+workers&sort=-year", "sector=health", "country=PHL", "region=western+asia",
  "q=recruitment&kind=programme", "q=remitances", "q=health+workers+leaving+ghana",
  "q=diaspora&status=ongoing&since=2010", "q=education&page=2", "q=pensions",
  "q=migrant+women+entrepreneurs", "q=bonds&sort=title", "q=circular+migration",
  "kind=law&sort=year", "q=financial+inclusion&region=asia"'

LUA_CYCLE=$(mktemp --suffix=.lua)
cat >"$LUA_CYCLE" <<EOF
local searches = { $SEARCHES }
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api/search?" .. searches[(i % #searches) + 1])
end
EOF
LUA_PAGES=$(mktemp --suffix=.lua)
cat >"$LUA_PAGES" <<'EOF'
local page = 0
request = function()
  page = page + 1
  return wrk.format("GET", "/api/search?q=remittances&page=" .. (page % 4999 + 1))
end
EOF
LUA_HTML=$(mktemp --suffix=.lua)
cat >"$LUA_HTML" <<EOF
local searches = { $SEARCHES }
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/?" .. searches[(i % #searches) + 1])
end
EOF

# Warm-up: every search of the cycle once, so run 1 measures the steady state.
for search in $(echo "$SEARCHES" | tr -d ' \n"' | tr ',' ' '); do
    curl -s -o /dev/null "$BASE/api/search?$search"
    curl -s -o /dev/null "$BASE/?$search"
done

echo "# $RECORDS records, $CONNECTIONS connections, $DURATION, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "## /api/search, 20 searches in turn"
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --timeout 30s --latency -s "$LUA_CYCLE" "$BASE"
echo "## /api/search, a new page of 'remittances' every request (no cache hits)"
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --timeout 30s --latency -s "$LUA_PAGES" "$BASE"
echo "## the HTML page /, 20 searches in turn"
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --timeout 30s --latency -s "$LUA_HTML" "$BASE"
