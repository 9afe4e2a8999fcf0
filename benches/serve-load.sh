#!/usr/bin/env bash
# Load benchmark of `migdev serve` (a benchmark, never a test).
#
# Usage:
#   benches/serve-load.sh [RECORDS]        (default: 100000)
#
# Generates RECORDS synthetic records with examples/synth.rs into $BENCH_DIR/cat-RECORDS
# (reused when present), builds the index (into $INDEX, default $BENCH_DIR/cat-RECORDS/index),
# starts the release `migdev serve` on a free loopback port with its default stale check on,
# and runs wrk: 50 connections on 2 threads for 10 s each against
#   1. /api/search, cycling through 20 searches (words, phrases, filters, sorts): the common
#      case of people repeating and refining searches, answered from the cache (each search
#      is asked once before the run, as a warm-up);
#   2. /api/search with a different page of a one-word search on every request: no answer
#      comes from the answer cache; every request runs the search and 20 snippets, while the
#      facet counts of the search (the same for all its pages) come from the count cache
#      after the first page;
#   3. /api/search with a new search on every request (`remittances -zzN`, N counting up: the
#      same matches, a different query each time), so nothing at all is cached: every request
#      runs the search, all nine facet counts and 20 snippets;
#   4. the HTML search page `/`, cycling through the same 20 searches.
# wrk waits up to 30 s for an answer, so slow answers count in the latencies instead of
# being dropped as time-outs. It prints wrk's report (with the latency percentiles) for each.
# Needs wrk and curl (apt-get install wrk curl).
# Traffic goes to 127.0.0.1 only, and every run stops by itself after 10 s.

set -euo pipefail
cd "$(dirname "$0")/.."
RECORDS=${1:-100000}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-50}
BENCH_DIR=${BENCH_DIR:-target/bench}
CAT=$BENCH_DIR/cat-$RECORDS
INDEX=${INDEX:-$CAT/index}

command -v wrk >/dev/null || { echo "error: wrk is not installed (apt-get install wrk)" >&2; exit 2; }
cargo build --release --locked --bin migdev --example synth >&2
MIGDEV=$PWD/target/release/migdev
if [ "$(ls "$CAT/data/programmes" 2>/dev/null | wc -l)" != "$RECORDS" ]; then
    target/release/examples/synth --records "$RECORDS" --out "$CAT" --force >&2
fi
"$MIGDEV" --data "$CAT/data" --index "$INDEX" doctor >/dev/null 2>&1 \
    || "$MIGDEV" --data "$CAT/data" --index "$INDEX" rebuild >&2

LOG=$(mktemp)
"$MIGDEV" --data "$CAT/data" --index "$INDEX" serve --port 0 >"$LOG" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null; wait "$SERVER" 2>/dev/null; rm -f "$LOG" "$LUA_CYCLE" "$LUA_PAGES" "$LUA_NEW" "$LUA_HTML"' EXIT
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
LUA_NEW=$(mktemp --suffix=.lua)
cat >"$LUA_NEW" <<'EOF'
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/api/search?q=remittances+-zz" .. n .. "x" .. math.random(1000000))
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
echo "## /api/search, a new page of 'remittances' every request (no answer from the cache; counts cached)"
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --timeout 30s --latency -s "$LUA_PAGES" "$BASE"
echo "## /api/search, a new search every request (nothing cached)"
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --timeout 30s --latency -s "$LUA_NEW" "$BASE"
echo "## the HTML page /, 20 searches in turn"
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --timeout 30s --latency -s "$LUA_HTML" "$BASE"
