#!/usr/bin/env bash
# Whole-process benchmarks of migdev on synthetic catalogues.
#
# Usage:
#   benches/whole-process.sh [-o REPORT.md] [SIZE...]      (default sizes: 1000 10000 100000)
#
# For each SIZE (a number of records) the script:
#   1. builds the release binary and the synth example once (cargo build --release --locked),
#      and generates a catalogue of SIZE records with `examples/synth.rs` into
#      target/bench/cat-SIZE (reused when it already holds SIZE records), with a copy of
#      the repository's data/synonyms.toml, as a real catalogue has its thesaurus;
#   2. times a full `migdev rebuild` (hyperfine) and measures its peak RSS (/usr/bin/time -v);
#   3. times searches on a warm index, with the stale check (the default) and with
#      --no-refresh: one word, two words, a phrase, a sector filter, --facets, a question
#      (relaxed matching) and a misspelt query (typo correction);
#   4. derives the cost of the stale check alone: default minus --no-refresh for the
#      one-word search (there is no `migdev doctor` or similar command to time it directly);
#   5. times `export --format csv` of every record;
#   6. times "edit one record, then search": hyperfine's --prepare appends a comment line to
#      one record file, so every run pays for noticing the change and refreshing the index;
#   7. times `rg -il WORD DATA_DIR` for the same word as the one-word search, and the ratio.
# and writes a Markdown table (rows: work, columns: sizes, cells: median ms) to
# target/bench/whole-process.md (or -o FILE), with hyperfine's raw JSON in
# target/bench/json/. Every command's output is discarded through a pipe
# (hyperfine --output=pipe), so no program can special-case /dev/null.
#
# Needs: hyperfine, ripgrep, jq and /usr/bin/time (Debian: apt-get install -y hyperfine
# ripgrep jq time). Runs can be tuned with the environment:
#   RUNS=20 WARMUP=3      search, export and rg runs, and warm-up runs
#   SLOW_RUNS=3           runs of the slow work: rebuild, and edit-then-search
#   SEED=20100601         the synth seed
#   BENCH_DIR=target/bench  where catalogues, JSON and the report go
# Numbers are medians of wall-clock time; on a busy or small machine they are noisy.

set -euo pipefail

usage() {
    sed -n '2,/^$/{s/^# \{0,1\}//;p}' "$0"
}

cd "$(dirname "$0")/.."
ROOT=$PWD

REPORT=""
SIZES=()
while (($#)); do
    case $1 in
        -h | --help) usage; exit 0 ;;
        -o | --output)
            [[ $# -ge 2 ]] || { echo "error: $1 needs a file name" >&2; exit 2; }
            REPORT=$2
            shift 2
            ;;
        -*) echo "error: unknown option $1 (see --help)" >&2; exit 2 ;;
        *)
            [[ $1 =~ ^[1-9][0-9]*$ ]] || { echo "error: size '$1' is not a positive number" >&2; exit 2; }
            SIZES+=("$1")
            shift
            ;;
    esac
done
((${#SIZES[@]})) || SIZES=(1000 10000 100000)

RUNS=${RUNS:-20}
WARMUP=${WARMUP:-3}
SLOW_RUNS=${SLOW_RUNS:-3}
SEED=${SEED:-20100601}
BENCH_DIR=${BENCH_DIR:-target/bench}
mkdir -p "$BENCH_DIR/json"
BENCH_DIR=$(cd "$BENCH_DIR" && pwd)
REPORT=${REPORT:-$BENCH_DIR/whole-process.md}

# The word, phrase and sector are ones the synth vocabulary uses.
WORD=remittances
TWO_WORDS="diaspora investment"
PHRASE='"skills training"'
SECTOR=financial-services
# A question as analysts type it (relaxed matching) and a misspelt query (typo correction).
QUESTION="how can governments lower the cost of sending remittances"
TYPO="remitances costs"

missing=()
for tool in hyperfine rg jq; do
    command -v "$tool" >/dev/null || missing+=("$tool")
done
if ((${#missing[@]})); then
    echo "error: missing tools: ${missing[*]}" >&2
    echo "  install them with: apt-get install -y hyperfine ripgrep jq   (Debian/Ubuntu)" >&2
    exit 2
fi
HAVE_TIME=1
if [[ ! -x /usr/bin/time ]]; then
    HAVE_TIME=0
    echo "warning: /usr/bin/time is missing, so peak RSS is not measured" \
        "(Debian package 'time': apt-get install -y time)" >&2
fi

note() { echo "== $*" >&2; }

# --- 1. build once -------------------------------------------------------------------
note "building release binaries"
cargo build --release --locked --bin migdev --example synth
TARGET=${CARGO_TARGET_DIR:-target}
[[ $TARGET = /* ]] || TARGET=$ROOT/$TARGET
MIGDEV=$TARGET/release/migdev
SYNTH=$TARGET/release/examples/synth

# The prepare step of the edit-then-search benchmark: a harmless edit of one record.
EDIT=$BENCH_DIR/edit-one.sh
cat >"$EDIT" <<'EOF'
#!/usr/bin/env bash
# Appends a comment line to a record file: its size and time change, its record does not.
printf '# edited %s\n' "$(date +%s%N)" >>"$1"
EOF

# Results: one "size<TAB>key<TAB>value" line each, turned into the table at the end.
RESULTS=$BENCH_DIR/results.tsv
: >"$RESULTS"
record() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$RESULTS"; }

# median_ms FILE: the median of the first command in a hyperfine JSON export, in ms.
median_ms() { jq -r '.results[0].median * 1000 | . * 10 | round / 10' "$1"; }

# bench SIZE KEY RUNS WARMUP [hyperfine options --] COMMAND: times COMMAND, records its median.
bench() {
    local size=$1 key=$2 runs=$3 warmup=$4
    shift 4
    local options=()
    while [[ $1 != -- ]]; do options+=("$1"); shift; done
    shift
    local json=$BENCH_DIR/json/$key-$size.json
    hyperfine -N --output=pipe --style basic --runs "$runs" --warmup "$warmup" \
        "${options[@]}" --export-json "$json" --command-name "$key" "$*" >&2
    record "$size" "$key" "$(median_ms "$json")"
}

# peak_rss_mb SIZE KEY COMMAND...: one run under /usr/bin/time -v, records the peak RSS.
peak_rss_mb() {
    local size=$1 key=$2
    shift 2
    if ((!HAVE_TIME)); then
        record "$size" "$key" "n/a"
        return
    fi
    local log=$BENCH_DIR/time-$key-$size.log
    /usr/bin/time -v "$@" >/dev/null 2>"$log"
    local kb
    kb=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$log")
    record "$size" "$key" "$(awk -v kb="$kb" 'BEGIN { printf "%.1f", kb / 1024 }')"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
minus() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a - b }'; }
value() { awk -F'\t' -v s="$1" -v k="$2" '$1 == s && $2 == k { v = $3 } END { print v }' "$RESULTS"; }

for N in "${SIZES[@]}"; do
    CAT=$BENCH_DIR/cat-$N
    DATA=$CAT/data
    INDEX=$CAT/index
    M=("$MIGDEV" --data "$DATA" --index "$INDEX")
    # hyperfine -N splits a command string like a shell; quote paths for it.
    MQ=$(printf '%q ' "${M[@]}")

    # --- 1. the catalogue ----------------------------------------------------------------
    have=0
    if [[ -f $DATA/sectors.toml && -d $DATA/programmes ]]; then
        have=$(find "$DATA/programmes" -maxdepth 1 -name 'synth-*.toml' | wc -l)
    fi
    if ((have == N)); then
        note "size $N: reusing $CAT"
    else
        note "size $N: generating $CAT"
        "$SYNTH" --records "$N" --seed "$SEED" --out "$CAT" --force
    fi
    # The curated thesaurus: questions and typo corrections are expanded with its synonyms
    # (many of them phrases), as on a real catalogue.
    cp "$ROOT/data/synonyms.toml" "$DATA/synonyms.toml"
    record "$N" catalogue_mb "$(du -sb "$DATA" | awk '{ printf "%.1f", $1 / 1e6 }')"

    # --- 2. full rebuild ----------------------------------------------------------------
    note "size $N: rebuild"
    bench "$N" rebuild "$SLOW_RUNS" 0 -- "$MQ -q rebuild"
    peak_rss_mb "$N" rebuild_rss "${M[@]}" -q rebuild

    # --- 3. searches on the warm index (the rebuild above left it fresh) -----------------
    note "size $N: searches"
    for refresh in default no-refresh; do
        flag=""
        [[ $refresh = no-refresh ]] && flag="--no-refresh"
        bench "$N" "search-word-$refresh" "$RUNS" "$WARMUP" -- "$MQ $flag search $WORD"
        bench "$N" "search-two-words-$refresh" "$RUNS" "$WARMUP" -- "$MQ $flag search $TWO_WORDS"
        bench "$N" "search-phrase-$refresh" "$RUNS" "$WARMUP" -- "$MQ $flag search '$PHRASE'"
        bench "$N" "search-sector-$refresh" "$RUNS" "$WARMUP" -- "$MQ $flag search $WORD --sector $SECTOR"
        bench "$N" "search-facets-$refresh" "$RUNS" "$WARMUP" -- "$MQ $flag search $WORD --facets"
        bench "$N" "search-question-$refresh" "$RUNS" "$WARMUP" -- "$MQ $flag search '$QUESTION'"
        bench "$N" "search-typo-$refresh" "$RUNS" "$WARMUP" -- "$MQ $flag search '$TYPO'"
    done
    peak_rss_mb "$N" search_rss "${M[@]}" search "$WORD"

    # --- 4. the stale check alone --------------------------------------------------------
    record "$N" stale_check "$(minus "$(value "$N" search-word-default)" "$(value "$N" search-word-no-refresh)")"

    # --- 5. export every record ----------------------------------------------------------
    note "size $N: export"
    bench "$N" export-csv "$RUNS" "$WARMUP" -- "$MQ export --format csv"
    peak_rss_mb "$N" export_rss "${M[@]}" export --format csv

    # --- 7. ripgrep over the same files, side by side ------------------------------------
    note "size $N: ripgrep"
    bench "$N" rg-word "$RUNS" "$WARMUP" -- "rg -il $WORD $(printf '%q' "$DATA")"
    record "$N" rg_ratio "$(ratio "$(value "$N" rg-word)" "$(value "$N" search-word-default)")"

    # --- 6. edit one record, then search (last: it changes a file) -------------------------
    note "size $N: edit one record, then search"
    victim=$DATA/programmes/synth-$(printf '%06d' $(((N + 1) / 2))).toml
    backup=$BENCH_DIR/edit-backup.toml
    cp -p "$victim" "$backup"
    bench "$N" edit-then-search "$SLOW_RUNS" 0 \
        --prepare "bash $(printf '%q %q' "$EDIT" "$victim")" -- "$MQ search $WORD"
    # Put the record back as it was (the index notices on the next command).
    cp -p "$backup" "$victim"
    rm -f "$backup"
done

# --- the report ------------------------------------------------------------------------
# key|label rows, in the order of the table.
ROWS=(
    "catalogue_mb|catalogue size on disk (MB, data/ only)"
    "rebuild|rebuild: full index build (ms)"
    "rebuild_rss|rebuild: peak RSS (MB)"
    "search-word-default|search \`$WORD\` (ms)"
    "search-word-no-refresh|search \`$WORD\` --no-refresh (ms)"
    "search-two-words-default|search \`$TWO_WORDS\` (ms)"
    "search-two-words-no-refresh|search \`$TWO_WORDS\` --no-refresh (ms)"
    "search-phrase-default|search \`$PHRASE\` (ms)"
    "search-phrase-no-refresh|search \`$PHRASE\` --no-refresh (ms)"
    "search-sector-default|search \`$WORD --sector $SECTOR\` (ms)"
    "search-sector-no-refresh|search \`$WORD --sector $SECTOR\` --no-refresh (ms)"
    "search-facets-default|search \`$WORD --facets\` (ms)"
    "search-facets-no-refresh|search \`$WORD --facets\` --no-refresh (ms)"
    "search-question-default|search \`$QUESTION\` (ms)"
    "search-question-no-refresh|search \`$QUESTION\` --no-refresh (ms)"
    "search-typo-default|search \`$TYPO\` (ms)"
    "search-typo-no-refresh|search \`$TYPO\` --no-refresh (ms)"
    "search_rss|search \`$WORD\`: peak RSS (MB)"
    "stale_check|stale check alone: default minus --no-refresh, one word (ms)"
    "export-csv|export --format csv, every record (ms)"
    "export_rss|export --format csv: peak RSS (MB)"
    "edit-then-search|edit one record, then search \`$WORD\` (ms)"
    "rg-word|\`rg -il $WORD\` over data/ (ms)"
    "rg_ratio|rg / migdev search \`$WORD\` (ratio)"
)

mkdir -p "$(dirname "$REPORT")"
{
    echo "# migdev whole-process benchmarks"
    echo
    echo "Medians of wall-clock time over hyperfine runs ($RUNS runs after $WARMUP warm-ups;"
    echo "$SLOW_RUNS runs for rebuild and edit-then-search); peak RSS from one run under"
    echo "\`/usr/bin/time -v\`. Catalogues are synthetic (\`examples/synth.rs\`, seed $SEED), about"
    echo "2 KB of text per record, with the repository's data/synonyms.toml. Searches run on a"
    echo "warm index; \"--no-refresh\" skips the check"
    echo "of data/ against the index. The stale check has no command of its own, so its cost is"
    echo "the difference between the default and --no-refresh one-word searches. \"Edit one"
    echo "record, then search\" appends a comment line to one record before each run, so each"
    echo "run notices the change and refreshes the index before searching."
    echo
    printf '| work |'
    for N in "${SIZES[@]}"; do printf ' %s |' "$N"; done
    echo
    printf '|---|'
    for _ in "${SIZES[@]}"; do printf -- '---:|'; done
    echo
    for row in "${ROWS[@]}"; do
        key=${row%%|*}
        printf '| %s |' "${row#*|}"
        for N in "${SIZES[@]}"; do printf ' %s |' "$(value "$N" "$key")"; done
        echo
    done
    echo
    echo "Machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || echo unknown CPU),"
    echo "load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown) at the end."
    echo "migdev $(git rev-parse --short HEAD 2>/dev/null || echo '(no git)'), $(rustc --version), $(hyperfine --version), $(rg --version | head -1)."
    echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC'). Raw hyperfine JSON: \`$BENCH_DIR/json/\`."
} >"$REPORT"

note "report written to $REPORT"
cat "$REPORT"
