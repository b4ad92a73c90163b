#!/usr/bin/env bash
# Generate a whole docs directory (by default the Graph v1.0 reference snapshot in
# ../shared) as a standalone crate, then check it:
#   * it compiles with warnings denied and passes clippy: all areas, single areas,
#     and no area (the common part alone);
#   * every typed response example round-trips through the generated models
#     (`cargo run --example roundtrip` in the generated crate), with a minimum share;
#   * its client sends three of its requests (a GET, a list over two pages, a POST
#     with a body) to a server on 127.0.0.1 (tests/corpus/loopback.rs).
# Usage: scripts/corpus.sh [DOCS_DIR]   (env: MIN_SHARE, AREAS)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
docs=${1:-${MSGRAPH_CORPUS:-../shared/corpus/graph-docs-2020/api-reference/v1.0}}
min_share=${MIN_SHARE:-0.88}
areas=${AREAS:-"cloud-communications outlook"}
if [ ! -d "$docs" ]; then
  echo "corpus: docs directory not found: $docs (pass it as an argument or set MSGRAPH_CORPUS)" >&2
  exit 1
fi
out=$root/target/corpus-crate

# The generator, in the workspace's own target directory.
cargo build --release -q -p msgraph-gen --features cli
gen=$root/target/release/msgraph-gen
start=$(date +%s%N)
"$gen" generate "$docs" --out "$out" --crate-name graph-corpus --with-roundtrip --runtime-path "$root/runtime" 2> "$root/target/corpus-diagnostics.txt"
end=$(date +%s%N)
echo "corpus: generated $(find "$out/src" -name '*.rs' -exec cat {} + | wc -l) lines in $(( (end - start) / 1000000 )) ms; $(grep -E '^[0-9]+ error' "$root/target/corpus-diagnostics.txt" | tail -n 1)"

# The loopback check, as an example of the generated crate (see tests/corpus/loopback.toml).
{ cat tests/corpus/loopback.toml; echo "path = \"$root/tests/corpus/loopback.rs\""; } >> "$out/Cargo.toml"

# The generated crate, in a target directory of its own.
export CARGO_TARGET_DIR=$root/target/corpus
cp Cargo.lock "$out/Cargo.lock"
cd "$out"
cargo clippy --offline -q -- -D warnings
echo "corpus: all areas pass clippy -D warnings"
for area in $areas; do
  cargo clippy --offline -q --no-default-features --features "$area" -- -D warnings
  echo "corpus: area $area alone passes clippy -D warnings"
done
cargo clippy --offline -q --no-default-features -- -D warnings
echo "corpus: no area (common part only) passes clippy -D warnings"
cargo run --offline -q --example roundtrip -- --min-share "$min_share"
cargo run --offline -q --example loopback
