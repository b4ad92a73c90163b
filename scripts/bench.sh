#!/usr/bin/env bash
# Reproduces the figures in BENCHMARKS.md (issue 6, performance; issue 14: the parse, checkcc, genfmt, genfloor steps).
#
#   scripts/bench.sh                 # every step below, in this order
#   scripts/bench.sh criterion noop  # only some steps
#
# Steps:
#   info       date, machine (nproc, free -h), toolchain, commit
#   criterion  `cargo bench -p msgraph-gen --bench corpus`, $RUNS_CRITERION times;
#              medians of floor / parse_only / generate_sources and of the per-run ratios
#   generate   release `msgraph-gen generate` over the corpus into a fresh directory,
#              $RUNS_GENERATE times under /usr/bin/time -v: median wall time, median peak RSS
#   loc        `wc -l` of the generated corpus crate's sources
#   check      `cargo check --all-features` of the generated corpus crate (deps checked first, untimed;
#              then `touch src/lib.rs` + `cargo check`, $RUNS_CHECK times): median
#   noop       `cargo build -v` of the workspace after a build, docs unchanged,
#              $RUNS_NOOP times; then the same after `touch docs/api/call-post-participants.md`
#   parse      issue 14: parse/serialize 50,000 users (~30 MB) with the models of the v1.0
#              crate, as one page and as 50 pages of 1,000 (the shape Graph sends); figures
#              and ratios per shape (generator/benches/parse/parse.rs; a bench crate under $BENCH_OUT/parse,
#              features $PARSE_FEATURES); with BEFORE_BIN (an older msgraph-gen binary) and
#              BEFORE_RUNTIME (the runtime directory of that version), the same bench on that
#              version's crate runs first, in the same invocation; with PARSE_MALLOC_DIAG=1, the
#              single page is measured again under GLIBC_TUNABLES that keep allocations on the
#              heap (a diagnostic of the allocator's share, not the headline)
#   checkcc    issue 14: `cargo check` of the v1.0 crate, all areas and cloud-communications
#              alone (touch + check, $RUNS_CHECK times, peak RSS), for the current generator and,
#              with BEFORE_BIN/BEFORE_RUNTIME, the older one, in the same invocation. With
#              CARGO_INCREMENTAL=0 (issue 22 on): each check is the crate checked cold, what a
#              user pays; with incremental state a touch would measure the cache, not the crate
#   genfmt     issue 14: release `msgraph-gen generate` over the corpus, formatted and
#              --no-format, $RUNS_GENERATE times each, and over the beta tree (peak RSS)
#   genfloor   issue 14: the whole-process floor against whole-process generation over the corpus:
#              `floor` (generator/examples/floor.rs: read the docs as the generator does and run
#              pulldown-cmark over every page, nothing else), `msgraph-gen generate --no-format`
#              and formatted `generate`, each into a fresh directory, $RUNS_GENERATE times,
#              interleaved, under $TIME -v (wall from bash's EPOCHREALTIME around it, to the
#              microsecond; peak RSS from time); medians and the ratios of the medians to the
#              floor's. With BEFORE_BIN (an older msgraph-gen binary) its two modes run in the
#              same rounds, for a before/after in one run
#   profile    callgrind (instruction counts, exact) and, where perf is usable, perf
#              (cycles) over the release CLI generating the corpus, with line tables
#
# Environment: MSGRAPH_CORPUS (the api-reference/v1.0 directory; default
# ../shared/corpus/graph-docs-2020/api-reference/v1.0 from the workspace root),
# BENCH_OUT (default target/bench), RUNS_CRITERION (3), RUNS_GENERATE (5),
# RUNS_CHECK (3), RUNS_NOOP (5). Everything is written under target/ only: the
# corpus crate's check uses CARGO_TARGET_DIR=target/bench-corpus-check and the
# profiling build CARGO_TARGET_DIR=target/profiling. Never runs `cargo clean`.
# The noop step touches docs/api/call-post-participants.md (mtime only) and
# rebuilds the workspace in the default target dir. Results: $BENCH_OUT/summary.txt.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
CORPUS=${MSGRAPH_CORPUS:-$ROOT/../shared/corpus/graph-docs-2020/api-reference/v1.0}
OUT=${BENCH_OUT:-$ROOT/target/bench}
RUNS_CRITERION=${RUNS_CRITERION:-3}
RUNS_GENERATE=${RUNS_GENERATE:-5}
RUNS_CHECK=${RUNS_CHECK:-3}
RUNS_NOOP=${RUNS_NOOP:-5}
PARSE_FEATURES=${PARSE_FEATURES:-users}
BETA=${MSGRAPH_CORPUS_BETA:-$ROOT/../shared/corpus/graph-docs-2020/api-reference/beta}
SEED_PAGE=docs/api/call-post-participants.md
TIME=/usr/bin/time

mkdir -p "$OUT"
SUMMARY=$OUT/summary.txt

say() { echo "$*" | tee -a "$SUMMARY"; }
die() { echo "bench.sh: $*" >&2; exit 1; }

# median of the numbers on stdin (one per line)
median() { sort -g | awk '{a[NR]=$1} END { if (NR == 0) print "NaN"; else if (NR % 2) print a[(NR+1)/2]; else printf "%.4f\n", (a[NR/2]+a[NR/2+1])/2 }'; }

# seconds of a GNU time "Elapsed (wall clock) time" value: [h:]m:ss.ss
wall_seconds() { awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$1"; }
max_rss_kb() { awk -F': ' '/Maximum resident set size/ { print $2 }' "$1"; }
user_sys() { awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { print u + s }' "$1"; }

need_corpus() {
  [ -d "$CORPUS" ] || die "the corpus is missing: $CORPUS is not a directory (set MSGRAPH_CORPUS to the api-reference/v1.0 directory)"
  [ -n "$(find "$CORPUS" -name '*.md' -print -quit)" ] || die "no .md pages under $CORPUS"
}
need_time() { [ -x "$TIME" ] || die "$TIME is missing (apt-get install time)"; }

step_info() {
  say "== info"
  say "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  say "commit: $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- generator/src 2>/dev/null || echo ' (generator/src modified)')"
  say "nproc: $(nproc)"
  say "cpu: $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
  say "free -h:"; free -h | sed 's/^/  /' | tee -a "$SUMMARY"
  say "rustc: $(rustc -V)"
  say "cargo: $(cargo -V)"
  say "loadavg at start: $(cut -d' ' -f1-3 /proc/loadavg)"
  say "corpus: $CORPUS ($(find "$CORPUS" -name '*.md' | wc -l) pages, $(du -sh "$CORPUS" | cut -f1))"
}

step_criterion() {
  need_corpus
  say "== criterion: cargo bench -p msgraph-gen --bench corpus (x$RUNS_CRITERION)"
  local crit=${CARGO_TARGET_DIR:-$ROOT/target}/criterion/corpus
  : > "$OUT/criterion.tsv"
  for i in $(seq "$RUNS_CRITERION"); do
    MSGRAPH_CORPUS=$CORPUS cargo bench -p msgraph-gen --bench corpus > "$OUT/criterion-$i.log" 2>&1 || { cat "$OUT/criterion-$i.log" >&2; die "cargo bench failed"; }
    python3 - "$crit" "$i" >> "$OUT/criterion.tsv" <<'PY'
import json, sys
d, run = sys.argv[1], sys.argv[2]
names = ("floor", "parse_only", "generate_sources", "generate_unformatted", "read_floor", "read_generate_unformatted")
est = {b: json.load(open(f"{d}/{b}/new/estimates.json")) for b in names}
# criterion's point estimate of the per-iteration time (slope when linear sampling gives one, else mean)
t = {b: (e.get("slope") or e["mean"])["point_estimate"] / 1e6 for b, e in est.items()}
print(run, *(f"{t[b]:.2f}" for b in ("floor", "parse_only", "generate_sources")),
      f"{t['parse_only'] / t['floor']:.2f}", f"{t['generate_sources'] / t['floor']:.2f}",
      f"{t['generate_unformatted']:.2f}", f"{t['generate_unformatted'] / t['floor']:.2f}",
      f"{t['read_floor']:.2f}", f"{t['read_generate_unformatted']:.2f}", f"{t['read_generate_unformatted'] / t['read_floor']:.2f}", sep="\t")
PY
    say "  run $i (ms: floor parse_only generate_sources; ratios parse/floor full/floor; ms generate_unformatted, ratio to floor; ms read_floor read_generate_unformatted, ratio): $(tail -1 "$OUT/criterion.tsv" | cut -f2- | tr '\t' ' ')"
  done
  say "  $(grep -m1 '^corpus:' "$OUT/criterion-1.log")"
  say "  MEDIAN of $RUNS_CRITERION runs: floor $(cut -f2 "$OUT/criterion.tsv" | median) ms," \
      "parse_only $(cut -f3 "$OUT/criterion.tsv" | median) ms," \
      "generate_sources $(cut -f4 "$OUT/criterion.tsv" | median) ms;" \
      "ratio parse_only/floor $(cut -f5 "$OUT/criterion.tsv" | median)," \
      "generate_sources/floor $(cut -f6 "$OUT/criterion.tsv" | median);" \
      "generate_unformatted $(cut -f7 "$OUT/criterion.tsv" | median) ms, /floor $(cut -f8 "$OUT/criterion.tsv" | median);" \
      "read_floor $(cut -f9 "$OUT/criterion.tsv" | median) ms, read_generate_unformatted $(cut -f10 "$OUT/criterion.tsv" | median) ms, ratio $(cut -f11 "$OUT/criterion.tsv" | median)"
}

build_cli() {
  cargo build --release -p msgraph-gen --features cli --bin msgraph-gen > "$OUT/build-cli.log" 2>&1 || { cat "$OUT/build-cli.log" >&2; die "release build failed"; }
  BIN=${CARGO_TARGET_DIR:-$ROOT/target}/release/msgraph-gen
}

step_generate() {
  need_corpus; need_time; build_cli
  say "== generate: $TIME -v $BIN generate <corpus> --out $OUT/corpus-crate (fresh dir each run; x$RUNS_GENERATE after one untimed warm-up)"
  rm -rf "$OUT/corpus-crate"
  "$BIN" generate "$CORPUS" --out "$OUT/corpus-crate" --runtime-path "$ROOT/runtime" 2> "$OUT/generate-warmup.log" || { tail -5 "$OUT/generate-warmup.log" >&2; die "generation over the corpus failed"; }
  : > "$OUT/generate.tsv"
  for i in $(seq "$RUNS_GENERATE"); do
    rm -rf "$OUT/corpus-crate"
    $TIME -v -o "$OUT/generate-$i.time" "$BIN" generate "$CORPUS" --out "$OUT/corpus-crate" --runtime-path "$ROOT/runtime" 2> "$OUT/generate-$i.log"
    printf '%s\t%s\t%s\n' "$(wall_seconds "$OUT/generate-$i.time")" "$(max_rss_kb "$OUT/generate-$i.time")" "$(user_sys "$OUT/generate-$i.time")" >> "$OUT/generate.tsv"
    say "  run $i: wall $(cut -f1 < <(tail -1 "$OUT/generate.tsv")) s, peak RSS $(cut -f2 < <(tail -1 "$OUT/generate.tsv")) kB, user+sys $(cut -f3 < <(tail -1 "$OUT/generate.tsv")) s"
  done
  say "  $(tail -2 "$OUT/generate-1.log" | head -1)"
  say "  $(tail -1 "$OUT/generate-1.log")"
  say "  MEDIAN of $RUNS_GENERATE runs: wall $(cut -f1 "$OUT/generate.tsv" | median) s, peak RSS $(cut -f2 "$OUT/generate.tsv" | median) kB, user+sys $(cut -f3 "$OUT/generate.tsv" | median) s"
}

ensure_corpus_crate() {
  if [ ! -f "$OUT/corpus-crate/Cargo.toml" ]; then
    need_corpus; build_cli
    "$BIN" generate "$CORPUS" --out "$OUT/corpus-crate" --runtime-path "$ROOT/runtime" 2> "$OUT/generate-warmup.log" || die "generation over the corpus failed"
  fi
}

step_loc() {
  ensure_corpus_crate
  say "== loc: wc -l of the generated corpus crate (find $OUT/corpus-crate/src -name '*.rs' | xargs wc -l)"
  (cd "$OUT/corpus-crate" && find src -name '*.rs' | sort | xargs wc -l) | sed 's/^/  /' | tee -a "$SUMMARY"
  say "  bytes: $(find "$OUT/corpus-crate/src" -name '*.rs' -print0 | xargs -0 cat | wc -c)"
}

step_check() {
  need_time; ensure_corpus_crate
  local target=$ROOT/target/bench-corpus-check
  say "== check: cargo check of the generated corpus crate (CARGO_TARGET_DIR=$target; --all-features; deps first, then touch src/lib.rs + cargo check, x$RUNS_CHECK)"
  (cd "$OUT/corpus-crate" && CARGO_TARGET_DIR=$target cargo check --all-features > "$OUT/check-deps.log" 2>&1) || { tail -30 "$OUT/check-deps.log" >&2; die "cargo check of the corpus crate failed"; }
  : > "$OUT/check.tsv"
  for i in $(seq "$RUNS_CHECK"); do
    touch "$OUT/corpus-crate/src/lib.rs"
    (cd "$OUT/corpus-crate" && CARGO_TARGET_DIR=$target $TIME -v -o "$OUT/check-$i.time" cargo check --all-features > "$OUT/check-$i.log" 2>&1) || { tail -30 "$OUT/check-$i.log" >&2; die "cargo check failed"; }
    grep -q 'Checking msgraph-generated' "$OUT/check-$i.log" || die "cargo check did not recheck the crate (see $OUT/check-$i.log)"
    printf '%s\t%s\n' "$(wall_seconds "$OUT/check-$i.time")" "$(max_rss_kb "$OUT/check-$i.time")" >> "$OUT/check.tsv"
    say "  run $i: wall $(tail -1 "$OUT/check.tsv" | cut -f1) s, peak RSS (largest process: rustc) $(tail -1 "$OUT/check.tsv" | cut -f2) kB"
  done
  say "  warnings in the crate: $(grep -c '^warning' "$OUT/check-1.log" || true)"
  say "  MEDIAN of $RUNS_CHECK runs: wall $(cut -f1 "$OUT/check.tsv" | median) s, peak RSS $(cut -f2 "$OUT/check.tsv" | median) kB"
}

# what `cargo build -v` ran, on one line
build_summary() {
  local log=$1 s=""
  grep -q 'Fresh msgraph v' "$log" && s+="Fresh msgraph; "
  grep -q 'Dirty msgraph v' "$log" && s+="$(grep -m1 'Dirty msgraph v' "$log" | sed 's/^ *//'); "
  grep -q 'Compiling msgraph v' "$log" && s+="Compiling msgraph; "
  grep -q 'Compiling msgraph-gen v' "$log" && s+="Compiling msgraph-gen; "
  grep -Eq 'Running `.*/build/msgraph-[0-9a-f]+/build-script-build' "$log" && s+="build script RAN; " || s+="build script not run; "
  s+="$(grep -c '^ *Compiling ' "$log" || true) unit(s) compiled"
  echo "$s"
}

step_noop() {
  need_time
  [ -f "$SEED_PAGE" ] || die "$SEED_PAGE is missing"
  say "== noop: cargo build -v of the workspace (x$RUNS_NOOP), after one cargo build"
  cargo build > "$OUT/noop-prebuild.log" 2>&1 || { tail -30 "$OUT/noop-prebuild.log" >&2; die "cargo build failed"; }
  local before; before=$(find generated -type f -printf '%T@ %p\n' | sort | md5sum)
  : > "$OUT/noop.tsv"
  for i in $(seq "$RUNS_NOOP"); do
    $TIME -f '%e' -o "$OUT/noop-$i.time" cargo build -v > "$OUT/noop-$i.log" 2>&1
    tail -1 "$OUT/noop-$i.time" >> "$OUT/noop.tsv"
    say "  run $i: $(tail -1 "$OUT/noop-$i.time") s; $(build_summary "$OUT/noop-$i.log")"
  done
  say "  MEDIAN of $RUNS_NOOP runs: $(median < "$OUT/noop.tsv") s"
  say "  cargo build -v output of run 1 (msgraph lines):"
  grep -E 'msgraph' "$OUT/noop-1.log" | sed 's/^/    /' | cut -c1-200 | tee -a "$SUMMARY"

  say "== touch: touch $SEED_PAGE; cargo build -v (x$RUNS_NOOP)"
  : > "$OUT/touch.tsv"
  for i in $(seq "$RUNS_NOOP"); do
    touch "$SEED_PAGE"
    $TIME -f '%e' -o "$OUT/touch-$i.time" cargo build -v > "$OUT/touch-$i.log" 2>&1
    tail -1 "$OUT/touch-$i.time" >> "$OUT/touch.tsv"
    say "  run $i: $(tail -1 "$OUT/touch-$i.time") s; $(build_summary "$OUT/touch-$i.log")"
  done
  say "  MEDIAN of $RUNS_NOOP runs: $(median < "$OUT/touch.tsv") s"
  local after; after=$(find generated -type f -printf '%T@ %p\n' | sort | md5sum)
  if [ "$before" = "$after" ]; then say "  generated/: no file written (mtimes and names unchanged)"; else say "  generated/: FILES CHANGED (mtimes or names differ)"; fi
  say "  git status --short generated/: '$(git status --short generated/ | tr '\n' ' ')'"
  say "  cargo build -v output of touch run 1 (msgraph lines):"
  grep -E 'msgraph' "$OUT/touch-1.log" | sed 's/^/    /' | cut -c1-200 | tee -a "$SUMMARY"
  # the build after a touch: is the next one a no-op again?
  $TIME -f '%e' -o "$OUT/after-touch.time" cargo build -v > "$OUT/after-touch.log" 2>&1
  say "  the build after that: $(tail -1 "$OUT/after-touch.time") s; $(build_summary "$OUT/after-touch.log")"
}

step_profile() {
  need_corpus
  local target=$ROOT/target/profiling
  say "== profile: release CLI with line tables (CARGO_TARGET_DIR=$target CARGO_PROFILE_RELEASE_DEBUG=line-tables-only)"
  CARGO_TARGET_DIR=$target CARGO_PROFILE_RELEASE_DEBUG=line-tables-only cargo build --release -p msgraph-gen --features cli --bin msgraph-gen > "$OUT/build-profiling.log" 2>&1 || die "profiling build failed"
  local pbin=$target/release/msgraph-gen
  if command -v valgrind > /dev/null; then
    rm -rf "$OUT/cg-crate"
    say "  valgrind --tool=callgrind --callgrind-out-file=$OUT/callgrind.out $pbin generate <corpus> --out $OUT/cg-crate"
    valgrind --tool=callgrind --callgrind-out-file="$OUT/callgrind.out" "$pbin" generate "$CORPUS" --out "$OUT/cg-crate" 2> "$OUT/callgrind.log" > /dev/null
    callgrind_annotate --inclusive=yes --threshold=100 "$OUT/callgrind.out" > "$OUT/callgrind-inclusive.txt" 2>/dev/null
    callgrind_annotate --threshold=100 "$OUT/callgrind.out" > "$OUT/callgrind-self.txt" 2>/dev/null
    say "  total instructions: $(grep -m1 'PROGRAM TOTALS' "$OUT/callgrind-inclusive.txt" | awk '{print $1}')"
    say "  inclusive instructions of the stages (callgrind, % of the whole CLI run; recursion and inlining make some overlap):"
    python3 - "$OUT/callgrind-inclusive.txt" <<'PY' | tee -a "$SUMMARY"
import re, sys
want = [
    "msgraph_gen::config::Config::run", "msgraph_gen::files::read_docs", "msgraph_gen::generate_sources",
    "msgraph_gen::parse::parse_file", "pulldown_cmark::parse::Parser::new_ext",
    "msgraph_gen::infer::infer", "msgraph_gen::lower::lower", "msgraph_gen::emit::emit", "msgraph_gen::lower::naming::assign",
    "msgraph_gen::emit::types::emit_type", "msgraph_gen::emit::types::emit_polymorphic",
    "msgraph_gen::emit::requests::emit_operation", "msgraph_gen::emit::types::doc_attrs", "msgraph_gen::emit::render",
    "<F as syn::parse::Parser>::parse2", "prettyplease::unparse",
    "msgraph_gen::model::Api::derived_types", "msgraph_gen::model::Api::is_subtype",
    "msgraph_gen::model::Api::all_properties", "syn::lit::value::parse_lit_str",
    "<proc_macro2::fallback::TokenStream as core::ops::drop::Drop>::drop",
    "msgraph_gen::print_diags", "msgraph_gen::write_tree", "msgraph_gen::standalone_crate",
    "malloc", "free", "realloc",
]
seen = {}
for line in open(sys.argv[1]):
    m = re.match(r"\s*([\d,]+) \(\s*([\d.]+)%\)\s+(\S[^:]*):(.*?)( \[[^]]*\])?$", line)
    if not m or not m.group(5):  # only real functions (with [object]), not inlined-file lines
        continue
    fn = m.group(4)
    if fn in want and fn not in seen:
        seen[fn] = (int(m.group(1).replace(",", "")), float(m.group(2)))
for fn in want:
    if fn in seen:
        ir, pct = seen[fn]
        print(f"    {pct:6.2f}%  {ir/1e6:9.0f} M Ir  {fn}")
    else:
        print(f"       -            (inlined or absent)  {fn}")
PY
    say "  top self-cost functions (callgrind):"
    { grep -E '\]$' "$OUT/callgrind-self.txt" || true; } | sed -n '1,15p' | sed -E 's#/rustc/[0-9a-f]+/library/##; s#/root/.cargo/registry/src/[^/]+/##; s# \[[^]]*\]$##; s/^/    /' | cut -c1-160 | tee -a "$SUMMARY"
    callgrind_annotate --tree=calling --inclusive=yes --threshold=100 "$OUT/callgrind.out" > "$OUT/callgrind-calling.txt" 2>/dev/null
    callgrind_annotate --tree=caller --inclusive=yes --threshold=100 "$OUT/callgrind.out" > "$OUT/callgrind-caller.txt" 2>/dev/null
    say "  where the stages spend (callgrind call tree: '*' a function, '>' what it calls, '<' who calls it; >= 0.3% of the run):"
    python3 - "$OUT/callgrind-calling.txt" "$OUT/callgrind-caller.txt" <<'PY' | tee -a "$SUMMARY"
import re, sys
calling, caller = sys.argv[1], sys.argv[2]
line_re = re.compile(r"\s*([\d,]+) \(\s*([\d.]+)%\)\s+([*<>])\s+(\S[^:]*):(.*?)( \[[^]]*\])?( \(\d[\d,]*x\))?$")
def short(path):
    path = re.sub(r"/rustc/[0-9a-f]+/library/", "", path)
    path = re.sub(r"^.*/registry/src/[^/]+/", "", path)
    return re.sub(r"^.*/(generator/src/)", r"\1", path)
def blocks(path, fn, arrow, limit=12):
    """The block (lines between blank lines) whose '*' line is the real function `fn`
    (file:function [object]), with its '>' callees or '<' callers."""
    block = []
    for line in list(open(path)) + ["\n"]:
        if line.strip():
            m = line_re.match(line.rstrip("\n"))
            if m:
                block.append(m.groups())
            continue
        star = [g for g in block if g[2] == "*"]
        if star and star[0][4] == fn and star[0][5]:
            out = [f"    {float(star[0][1]):6.2f}%  * {fn}"]
            for ir, pct, mark, file, func, obj, calls in block:
                if mark == arrow and float(pct) >= 0.3:
                    out.append(f"    {float(pct):6.2f}%    {mark} {func} [{short(file)}]{calls or ''}")
            return out[: limit + 1]
        block = []
    return []
for fn in ["msgraph_gen::main", "msgraph_gen::generate_sources", "msgraph_gen::emit::emit", "msgraph_gen::emit::render",
           "msgraph_gen::emit::types::emit_type", "msgraph_gen::parse::page::parse_page", "msgraph_gen::infer::infer",
           "msgraph_gen::print_diags", "msgraph_gen::diag::render::render"]:
    for l in blocks(calling, fn, ">"):
        print(l)
# Api::derived_types is inlined: its Vec::from_iter (the O(types^2) is_subtype scan) shows by its callers.
for l in blocks(caller, "<alloc::vec::Vec<T> as alloc::vec::spec_from_iter_nested::SpecFromIterNested<T,I>>::from_iter", "<", 4):
    print(l)
PY
  fi
  if command -v perf > /dev/null && perf stat -e task-clock true > /dev/null 2>&1; then
    rm -rf "$OUT/perf-crate"
    say "  perf record -F 2000 -g --call-graph dwarf,32768 $pbin generate <corpus> --out $OUT/perf-crate"
    perf record -q -F 2000 -g --call-graph dwarf,32768 -o "$OUT/perf.data" "$pbin" generate "$CORPUS" --out "$OUT/perf-crate" > /dev/null 2>&1
    perf report -i "$OUT/perf.data" --children --stdio -g none --percent-limit 0.5 2> /dev/null > "$OUT/perf-children.txt"
    perf report -i "$OUT/perf.data" --no-children --stdio -g none --percent-limit 0.5 2> /dev/null > "$OUT/perf-self.txt"
    say "  perf, inclusive (children) %, msgraph_gen functions:"
    { grep -E '\] msgraph_gen::' "$OUT/perf-children.txt" || true; } | sed -n '1,25p' | awk '{ printf "    %s %s\n", $1, substr($0, index($0, "msgraph_gen::")) }' | cut -c1-160 | tee -a "$SUMMARY"
    say "  perf, top self %:"
    { grep -vE '^(#|$)' "$OUT/perf-self.txt" || true; } | sed -n '1,15p' | awk '{ $2 = ""; $3 = ""; print "    " $0 }' | cut -c1-160 | tee -a "$SUMMARY"
  fi
}

# parse_crate NAME BIN RUNTIME: generate the v1.0 crate with BIN on RUNTIME and write a
# bench crate around generator/benches/parse/parse.rs under $OUT/parse/NAME.
parse_crate() {
  local name=$1 bin=$2 runtime=$3 dir=$OUT/parse/$1
  mkdir -p "$dir"
  "$bin" generate "$CORPUS" --out "$dir/graph" --crate-name graph --runtime-path "$runtime" 2> "$dir/generate.log" || { tail -5 "$dir/generate.log" >&2; die "generation with $bin failed"; }
  mkdir -p "$dir/bench"
  cat > "$dir/bench/Cargo.toml" <<TOML
[package]
name = "parse-bench"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
graph = { path = "../graph", default-features = false, features = [$(echo "$PARSE_FEATURES" | sed 's/[^ ,][^ ,]*/"&"/g; s/ /, /g')] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
criterion = { version = "0.7", default-features = false, features = ["cargo_bench_support"] }

[[bench]]
name = "parse"
path = "$ROOT/generator/benches/parse/parse.rs"
harness = false

[workspace]
TOML
  cp Cargo.lock "$dir/bench/Cargo.lock"
  python3 "$ROOT/generator/benches/parse/plain_user.py" "$dir/graph" "$PARSE_FEATURES" > "$dir/bench/plain_user.rs"
}

step_parse() {
  need_corpus; build_cli
  local names=()
  if [ -n "${BEFORE_BIN:-}" ]; then parse_crate before "$BEFORE_BIN" "${BEFORE_RUNTIME:?set BEFORE_RUNTIME with BEFORE_BIN}"; names+=(before); fi
  parse_crate after "$BIN" "$ROOT/runtime"; names+=(after)
  for n in "${names[@]}"; do
    say "== parse ($n): cargo bench --bench parse in $OUT/parse/$n/bench (features: $PARSE_FEATURES)"
    (cd "$OUT/parse/$n/bench" && CARGO_TARGET_DIR=$OUT/parse/$n/target MSGRAPH_CORPUS=$CORPUS cargo bench --offline --bench parse > "$OUT/parse-$n.log" 2>&1) || { tail -30 "$OUT/parse-$n.log" >&2; die "parse bench ($n) failed"; }
    say "  $(grep -m1 '^parse benchmark:' "$OUT/parse-$n.log")"
    python3 - "$OUT/parse/$n/target/criterion" <<'PY' | tee -a "$SUMMARY"
import json, sys
d = sys.argv[1]
def t(g, b):
    e = json.load(open(f"{d}/{g}/{b}/new/estimates.json"))
    return (e.get("slope") or e["mean"])["point_estimate"] / 1e6
kinds = ("value", "plain_struct", "example_struct", "page_user", "page_directory_object_kind")
for shape, parse, ser, extra in (("one page of 50,000 users", "parse", "serialize", ("page_directory_object_kind_tag_last",)),
                                 ("50 pages of 1,000 users", "parse_paged", "serialize_paged", ())):
    print(f"  -- {shape} (groups {parse}, {ser})")
    p = {b: t(parse, b) for b in kinds + extra}
    s = {b: t(ser, b) for b in kinds}
    for b, v in p.items():
        print(f"  {parse:11} {b:36} {v:8.1f} ms  x{v / p['plain_struct']:.2f} plain struct  x{v / p['value']:.2f} Value")
    for b, v in s.items():
        print(f"  {ser:15} {b:32} {v:8.1f} ms  x{v / s['plain_struct']:.2f} plain struct  x{v / s['value']:.2f} Value")
    print(f"  {shape}: Page<User>/Value x{p['page_user'] / p['value']:.2f} (target <= 0.5), Page<User>/plain x{p['page_user'] / p['plain_struct']:.2f} (<= 1.25),"
          f" Kind/plain x{p['page_directory_object_kind'] / p['plain_struct']:.2f} (<= 1.5)")
PY
    if [ -n "${PARSE_MALLOC_DIAG:-}" ]; then
      # Diagnostic, not the headline: the single page again with glibc told to keep every
      # allocation on its heap (no fresh mmap of the ~107 MB Vec per iteration, no trim).
      local tunables=glibc.malloc.mmap_threshold=1000000000:glibc.malloc.trim_threshold=2000000000 bin
      bin=$(ls -t "$OUT/parse/$n/target/release/deps"/parse-* | grep -v '\.d$' | head -1)
      say "  -- one page of 50,000 users, GLIBC_TUNABLES=$tunables (diagnostic: $bin --bench '^parse/')"
      GLIBC_TUNABLES=$tunables CRITERION_HOME=$OUT/parse/$n/criterion-malloc MSGRAPH_CORPUS=$CORPUS "$bin" --bench '^parse/' > "$OUT/parse-$n-malloc.log" 2>&1 || { tail -30 "$OUT/parse-$n-malloc.log" >&2; die "parse bench ($n, malloc tunables) failed"; }
      python3 - "$OUT/parse/$n/criterion-malloc" <<'PY' | tee -a "$SUMMARY"
import json, sys
d = sys.argv[1]
def t(b):
    e = json.load(open(f"{d}/parse/{b}/new/estimates.json"))
    return (e.get("slope") or e["mean"])["point_estimate"] / 1e6
p = {b: t(b) for b in ("value", "plain_struct", "example_struct", "page_user", "page_directory_object_kind", "page_directory_object_kind_tag_last")}
for b, v in p.items():
    print(f"  parse (tunables) {b:36} {v:8.1f} ms  x{v / p['plain_struct']:.2f} plain struct  x{v / p['value']:.2f} Value")
PY
    fi
  done
}

step_checkcc() {
  need_time; need_corpus; build_cli
  # No incremental state: a touch then re-checks the whole crate, as a user's first build does.
  local -x CARGO_INCREMENTAL=0
  local names=() n i
  if [ -n "${BEFORE_BIN:-}" ]; then [ -f "$OUT/parse/before/graph/Cargo.toml" ] || parse_crate before "$BEFORE_BIN" "${BEFORE_RUNTIME:?set BEFORE_RUNTIME with BEFORE_BIN}"; names+=(before); fi
  parse_crate after "$BIN" "$ROOT/runtime"; names+=(after)
  say "== checkcc: cargo check of the generated v1.0 crate (${names[*]}), all areas and --no-default-features --features cloud-communications; deps first, then touch src/lib.rs + cargo check, x$RUNS_CHECK, versions interleaved"
  for n in "${names[@]}"; do
    for cfg in all cc; do
      local args=(--all-features); [ $cfg = cc ] && args=(--no-default-features --features cloud-communications)
      (cd "$OUT/parse/$n/graph" && CARGO_TARGET_DIR=$OUT/checkcc/$n-$cfg cargo check --offline "${args[@]}" > "$OUT/checkcc-$n-$cfg-deps.log" 2>&1) || { tail -30 "$OUT/checkcc-$n-$cfg-deps.log" >&2; die "cargo check ($n, $cfg) failed"; }
      : > "$OUT/checkcc-$n-$cfg.tsv"
    done
  done
  for i in $(seq "$RUNS_CHECK"); do
    for n in "${names[@]}"; do
      for cfg in all cc; do
        local args=(--all-features); [ $cfg = cc ] && args=(--no-default-features --features cloud-communications)
        touch "$OUT/parse/$n/graph/src/lib.rs"
        (cd "$OUT/parse/$n/graph" && CARGO_TARGET_DIR=$OUT/checkcc/$n-$cfg $TIME -v -o "$OUT/checkcc-$n-$cfg-$i.time" cargo check --offline "${args[@]}" > "$OUT/checkcc-$n-$cfg-$i.log" 2>&1) || die "cargo check ($n, $cfg) failed"
        printf '%s\t%s\t%s\n' "$(wall_seconds "$OUT/checkcc-$n-$cfg-$i.time")" "$(max_rss_kb "$OUT/checkcc-$n-$cfg-$i.time")" "$(user_sys "$OUT/checkcc-$n-$cfg-$i.time")" >> "$OUT/checkcc-$n-$cfg.tsv"
        say "  run $i $n $cfg: wall $(tail -1 "$OUT/checkcc-$n-$cfg.tsv" | cut -f1) s, CPU $(tail -1 "$OUT/checkcc-$n-$cfg.tsv" | cut -f3) s, peak RSS $(tail -1 "$OUT/checkcc-$n-$cfg.tsv" | cut -f2) kB"
      done
    done
  done
  for n in "${names[@]}"; do
    for cfg in all cc; do
      # CPU time (user + system) moves far less than wall time when the machine is shared.
      say "  MEDIAN $n $cfg: wall $(cut -f1 "$OUT/checkcc-$n-$cfg.tsv" | median) s, CPU $(cut -f3 "$OUT/checkcc-$n-$cfg.tsv" | median) s, peak RSS $(cut -f2 "$OUT/checkcc-$n-$cfg.tsv" | median) kB"
    done
  done
}

# gen_run LABEL BIN DOCS [ARGS...]: one timed generation into a fresh directory; prints "wall rss"
gen_run() {
  local label=$1 bin=$2 docs=$3; shift 3
  rm -rf "$OUT/genfmt-crate"
  $TIME -v -o "$OUT/genfmt-$label.time" "$bin" generate "$docs" --out "$OUT/genfmt-crate" --runtime-path "$ROOT/runtime" "$@" 2> "$OUT/genfmt-$label.log" > /dev/null || { tail -5 "$OUT/genfmt-$label.log" >&2; die "generation ($label) failed"; }
  printf '%s\t%s\n' "$(wall_seconds "$OUT/genfmt-$label.time")" "$(max_rss_kb "$OUT/genfmt-$label.time")"
}

step_genfmt() {
  need_time; need_corpus; build_cli
  local variants=(formatted no-format) v i
  [ -n "${BEFORE_BIN:-}" ] && variants=(before "${variants[@]}")
  say "== genfmt: $TIME -v msgraph-gen generate <v1.0> --out <fresh dir> [--no-format], x$RUNS_GENERATE each, variants interleaved (${variants[*]})"
  for v in "${variants[@]}"; do : > "$OUT/genfmt-$v.tsv"; done
  for i in $(seq "$RUNS_GENERATE"); do
    for v in "${variants[@]}"; do
      case $v in
        before) gen_run "$v-$i" "$BEFORE_BIN" "$CORPUS" ;;
        formatted) gen_run "$v-$i" "$BIN" "$CORPUS" ;;
        no-format) gen_run "$v-$i" "$BIN" "$CORPUS" --no-format ;;
      esac >> "$OUT/genfmt-$v.tsv"
      say "  run $i $v: wall $(tail -1 "$OUT/genfmt-$v.tsv" | cut -f1) s, peak RSS $(tail -1 "$OUT/genfmt-$v.tsv" | cut -f2) kB"
    done
  done
  for v in "${variants[@]}"; do
    say "  MEDIAN v1.0 $v: wall $(cut -f1 "$OUT/genfmt-$v.tsv" | median) s, peak RSS $(cut -f2 "$OUT/genfmt-$v.tsv" | median) kB"
  done
  if [ -d "$BETA" ]; then
    say "== genfmt beta: $TIME -v msgraph-gen generate <beta> (one run each; $(find "$BETA" -name '*.md' | wc -l) pages)"
    for v in "${variants[@]}"; do
      case $v in
        before) r=$(gen_run "beta-$v" "$BEFORE_BIN" "$BETA") ;;
        formatted) r=$(gen_run "beta-$v" "$BIN" "$BETA") ;;
        no-format) r=$(gen_run "beta-$v" "$BIN" "$BETA" --no-format) ;;
      esac
      say "  beta $v: wall $(echo "$r" | cut -f1) s, peak RSS $(echo "$r" | cut -f2) kB"
    done
  fi
}

# genfloor_run LABEL CMD...: one timed whole-process run; appends "wall rss user+sys" to $OUT/genfloor-LABEL.tsv
genfloor_run() {
  local label=$1 t0 t1; shift
  rm -rf "$OUT/genfloor-crate"
  t0=$EPOCHREALTIME
  $TIME -v -o "$OUT/genfloor-$label.time" "$@" > /dev/null 2> "$OUT/genfloor-$label.log" || { tail -5 "$OUT/genfloor-$label.log" >&2; die "$label failed: $*"; }
  t1=$EPOCHREALTIME
  printf '%s\t%s\t%s\n' "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')" "$(max_rss_kb "$OUT/genfloor-$label.time")" "$(user_sys "$OUT/genfloor-$label.time")" >> "$OUT/genfloor-$label.tsv"
}

step_genfloor() {
  need_time; need_corpus; build_cli
  cargo build --release -p msgraph-gen --example floor > "$OUT/build-floor.log" 2>&1 || { cat "$OUT/build-floor.log" >&2; die "release build of the floor example failed"; }
  local floor=${CARGO_TARGET_DIR:-$ROOT/target}/release/examples/floor variants=(floor no-format formatted) v i
  [ -n "${BEFORE_BIN:-}" ] && variants=(floor before-no-format no-format before-formatted formatted)
  say "== genfloor: whole process, $TIME -v, x$RUNS_GENERATE each after one untimed round, variants interleaved (${variants[*]})"
  say "  floor: $("$floor" "$CORPUS")"
  for v in "${variants[@]}"; do : > "$OUT/genfloor-$v.tsv"; done
  for i in $(seq 0 "$RUNS_GENERATE"); do
    for v in "${variants[@]}"; do
      case $v in
        floor) genfloor_run "$v" "$floor" "$CORPUS" ;;
        no-format) genfloor_run "$v" "$BIN" generate "$CORPUS" --out "$OUT/genfloor-crate" --no-format ;;
        formatted) genfloor_run "$v" "$BIN" generate "$CORPUS" --out "$OUT/genfloor-crate" ;;
        before-no-format) genfloor_run "$v" "$BEFORE_BIN" generate "$CORPUS" --out "$OUT/genfloor-crate" --no-format ;;
        before-formatted) genfloor_run "$v" "$BEFORE_BIN" generate "$CORPUS" --out "$OUT/genfloor-crate" ;;
      esac
      if [ "$i" = 0 ]; then
        # the warm-up round (page cache, binaries): not counted
        sed -i '$d' "$OUT/genfloor-$v.tsv"
      else
        say "  run $i $v: wall $(tail -1 "$OUT/genfloor-$v.tsv" | cut -f1) s, peak RSS $(tail -1 "$OUT/genfloor-$v.tsv" | cut -f2) kB, user+sys $(tail -1 "$OUT/genfloor-$v.tsv" | cut -f3) s"
      fi
    done
  done
  rm -rf "$OUT/genfloor-crate"
  local f; f=$(cut -f1 "$OUT/genfloor-floor.tsv" | median)
  for v in "${variants[@]}"; do
    local w; w=$(cut -f1 "$OUT/genfloor-$v.tsv" | median)
    say "  MEDIAN $v: wall $w s ($(awk -v w="$w" -v f="$f" 'BEGIN { printf "%.2f", w / f }')x the floor), peak RSS $(cut -f2 "$OUT/genfloor-$v.tsv" | median) kB, user+sys $(cut -f3 "$OUT/genfloor-$v.tsv" | median) s"
  done
}

steps=("$@")
[ ${#steps[@]} -gt 0 ] || steps=(info criterion generate loc check noop profile)
: > "$SUMMARY"
for s in "${steps[@]}"; do
  case $s in
    info|criterion|generate|loc|check|noop|profile|parse|checkcc|genfmt|genfloor) "step_$s"; [ "$s" = info ] || say "  (loadavg after $s: $(cut -d' ' -f1-3 /proc/loadavg))" ;;
    *) die "unknown step: $s (steps: info criterion generate loc check noop profile parse checkcc genfmt genfloor)" ;;
  esac
done
echo "summary: $SUMMARY"
