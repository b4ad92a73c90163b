#!/usr/bin/env bash
# Generate whole docs directories as standalone crates, then check each:
#   * it generates with 0 errors (doc defects are warnings with a recovery);
#   * it compiles with warnings denied and passes clippy: all areas, single areas,
#     and no area (the common part alone);
#   * every typed response example round-trips through the generated models
#     (`cargo run --example roundtrip` in the generated crate), with a minimum share;
#   * every `blockType: request` example is written as Rust by the README's
#     URL-to-Rust rule, built by the generated crate and compared with the example
#     (msgraph-request-check, README "The request-example check"), with a minimum
#     share of the examples without a page defect and one of all examples (the
#     same crate and target directory as the round trip, so nothing is rebuilt);
#   * (v1.0) its client sends three of its requests (a GET, a list over two pages, a
#     POST with a body) to a server on 127.0.0.1 (tests/corpus/loopback.rs), and 29
#     requests written from URLs of its pages build the documented method, encoded
#     path, query and headers (tests/corpus/urls.rs);
#   * (v1.0) names do not move: `msgraph-gen diff` of the tree against a copy with
#     stray spellings, colliding pages and moved files is 0 breaking
#     (scripts/stable-names.sh);
#   * (the two Graph trees) the fidelity report against the service's metadata, with
#     floors (fidelity/floors-*.txt), and one concept, one name (msgraph-concepts:
#     enums sharing a member set, bodies duplicating their resource, names not in a
#     type's own casing), with ceilings that only go down (fidelity/concepts-*.txt).
# Usage: scripts/corpus.sh [DOCS_DIR]
#   With DOCS_DIR: that tree (env: MIN_SHARE, default 0.88; MIN_REQUESTS and
#     MIN_REQUESTS_ALL, default 0; AREAS).
#   Without: docs/'s request examples (MIN_REQUESTS_DOCS, default 1.0), then the
#     two Graph reference trees in ../shared, as CI runs them: v1.0 (MIN_SHARE_V1,
#     default 0.89; MIN_REQUESTS_V1, default 0.99; MIN_REQUESTS_ALL_V1, default
#     0.89) and beta (MIN_SHARE_BETA, default 0.91; MIN_REQUESTS_BETA, default
#     0.99; MIN_REQUESTS_ALL_BETA, default 0.85), each with every check (AREAS_V1,
#     AREAS_BETA: the single areas checked). Floors only go up.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
corpus=${MSGRAPH_CORPUS_ROOT:-../shared/corpus/graph-docs-2020/api-reference}

# The generator and the request-example check, in the workspace's own target directory.
cargo build --release -q -p msgraph-gen --features cli
cargo build --release -q -p msgraph-fidelity
gen=$root/target/release/msgraph-gen
request_check=$root/target/release/msgraph-request-check

# check_tree NAME DOCS_DIR MIN_SHARE MIN_REQUESTS MIN_REQUESTS_ALL AREAS [loopback]
check_tree() {
  local name=$1 docs=$2 min_share=$3 min_requests=$4 min_requests_all=$5 areas=$6 loopback=${7:-}
  if [ ! -d "$docs" ]; then
    echo "corpus: docs directory not found: $docs (pass it as an argument or set MSGRAPH_CORPUS_ROOT)" >&2
    exit 1
  fi
  local out=$root/target/corpus-crate-$name diags=$root/target/corpus-diagnostics-$name.txt
  # Absolute: the checks below run in the crate's directory.
  docs=$(cd "$docs" && pwd)
  # tests/corpus/loopback.rs names the crate graph_corpus.
  local crate=graph-corpus-$name
  [ -n "$loopback" ] && crate=graph-corpus
  local t0 start end
  t0=$(date +%s)
  start=$(date +%s%N)
  if ! "$gen" generate "$docs" --out "$out" --crate-name "$crate" --with-roundtrip --runtime-path "$root/runtime" 2> "$diags"; then
    tail -n 40 "$diags" >&2
    echo "corpus[$name]: generation failed (diagnostics in $diags)" >&2
    exit 1
  fi
  end=$(date +%s%N)
  echo "corpus[$name]: generated $(find "$out/src" -name '*.rs' -exec cat {} + | wc -l) lines in $(( (end - start) / 1000000 )) ms; $(grep -E '^[0-9]+ error' "$diags" | tail -n 1)"
  # The loopback check, as an example of the generated crate (see tests/corpus/loopback.toml).
  if [ -n "$loopback" ]; then
    { cat tests/corpus/loopback.toml; echo "path = \"$root/tests/corpus/loopback.rs\""; echo; echo "[[example]]"; echo "name = \"urls\""; echo "path = \"$root/tests/corpus/urls.rs\""; } >> "$out/Cargo.toml"
  fi
  # The generated crates share a target directory of their own.
  cp Cargo.lock "$out/Cargo.lock"
  (
    export CARGO_TARGET_DIR=$root/target/corpus
    # Built once per run: incremental state would only cost disk (gigabytes for the
    # beta crate) and time.
    export CARGO_INCREMENTAL=0
    cd "$out"
    cargo clippy --offline -q -- -D warnings
    echo "corpus[$name]: all areas pass clippy -D warnings"
    for area in $areas; do
      cargo clippy --offline -q --no-default-features --features "$area" -- -D warnings
      echo "corpus[$name]: area $area alone passes clippy -D warnings"
    done
    cargo clippy --offline -q --no-default-features -- -D warnings
    echo "corpus[$name]: no area (common part only) passes clippy -D warnings"
    cargo run --offline -q --example roundtrip -- --min-share "$min_share"
    if [ -n "$loopback" ]; then
      cargo run --offline -q --example loopback
      cargo run --offline -q --example urls
    fi
    # The request examples, built in the same crate and target directory.
    "$request_check" "$docs" --crate "$out" --name "$name" --min-share "$min_requests" --min-share-all "$min_requests_all"
  )
  echo "corpus[$name]: done in $(( $(date +%s) - t0 )) s"
}

# check_requests NAME DOCS_DIR MIN_REQUESTS: the request-example check alone, on a
# standalone crate of the tree (docs/: its crate's other checks are the generator's
# tests, generator/tests/standalone.rs).
check_requests() {
  local name=$1 docs=$2 min_requests=$3
  local out=$root/target/corpus-crate-$name diags=$root/target/corpus-diagnostics-$name.txt
  local t0
  t0=$(date +%s)
  if ! "$gen" generate "$docs" --out "$out" --crate-name "graph-corpus-$name" --runtime-path "$root/runtime" 2> "$diags"; then
    tail -n 40 "$diags" >&2
    echo "corpus[$name]: generation failed (diagnostics in $diags)" >&2
    exit 1
  fi
  cp Cargo.lock "$out/Cargo.lock"
  CARGO_TARGET_DIR=$root/target/corpus CARGO_INCREMENTAL=0 "$request_check" "$docs" --crate "$out" --name "$name" --min-share "$min_requests"
  echo "corpus[$name]: done in $(( $(date +%s) - t0 )) s"
}

if [ $# -gt 0 ] || [ -n "${MSGRAPH_CORPUS:-}" ]; then
  check_tree custom "${1:-$MSGRAPH_CORPUS}" "${MIN_SHARE:-0.88}" "${MIN_REQUESTS:-0}" "${MIN_REQUESTS_ALL:-0}" "${AREAS:-cloud-communications outlook}" loopback
else
  # docs/: the seed page has a known defect (its request line says .../$ref, its
  # example posts to .../participants; docs/corrections.json corrects the
  # generator): the check reports the defect and the example as reproduced.
  check_requests docs "$root/docs" "${MIN_REQUESTS_DOCS:-1.0}"
  check_tree v1 "$corpus/v1.0" "${MIN_SHARE_V1:-0.89}" "${MIN_REQUESTS_V1:-0.99}" "${MIN_REQUESTS_ALL_V1:-0.89}" "${AREAS_V1:-cloud-communications outlook}" loopback
  check_tree beta "$corpus/beta" "${MIN_SHARE_BETA:-0.91}" "${MIN_REQUESTS_BETA:-0.99}" "${MIN_REQUESTS_ALL_BETA:-0.85}" "${AREAS_BETA:-cloud-communications outlook}"
  # Names that do not move: v1.0 against a copy with stray spellings, colliding
  # pages and moved files must be 0 breaking (scripts/stable-names.sh).
  MSGRAPH_GEN=$gen scripts/stable-names.sh "$corpus/v1.0"
fi

# Fidelity against the service's own metadata (FIDELITY.md): the model of each tree
# compared with its CSDL, with floors that only go up (fidelity/floors-*.txt); and one
# concept, one name (FIDELITY.md): the duplicate concepts of the API each tree
# generates, with ceilings that only go down (fidelity/concepts-*.txt).
if [ $# -eq 0 ] && [ -z "${MSGRAPH_CORPUS:-}" ]; then
  csdl=${MSGRAPH_CSDL_ROOT:-../shared/corpus/graph-csdl-2020}
  for tree in v1.0 beta; do
    "$root/target/release/msgraph-fidelity" "$corpus/$tree" "$csdl/$tree.xml" --floors "fidelity/floors-$tree.txt"
    "$root/target/release/msgraph-concepts" "$corpus/$tree" --ceilings "fidelity/concepts-$tree.txt"
  done
fi
