#!/usr/bin/env bash
# Same docs in, same bytes out, across a refactoring: generates docs/ and the two
# Graph reference trees of ../shared with the generator at git revision REV and with
# the current tree, and fails on any byte difference (output files or diagnostics).
#
#   scripts/same-output.sh          # against BASE below (what CI runs)
#   scripts/same-output.sh REV      # against any revision (a branch, a tag, a hash)
#
# BASE is the last commit whose output the current generator must reproduce byte
# for byte. It was first recorded before issue 9 restructured the generator into
# stages (parse, recognize, infer, lower, emit): a restructuring must not change a
# byte. It now names 9171edc: issue 23's names that do not move (namespace and type
# spellings from their definitions, claim order; the merge 34bcbd1) and one concept,
# one type (shared enums, bodies that are their resource, body names in the type's
# casing; ddf1e45 and 50f6520). Before it, b310011, the merge of issue 23's leaner models (each struct,
# string enum and `<Type>Kind` holder written with the runtime's `model!`,
# `string_enum!` and `polymorphic!`, an area file gated once, `api.json` in Rust
# terms; 0a658e1 on its branch) with issue 25's conventions (94100df: enums of page
# sections, bases from every sign, `#[deprecated]`, evolvable members); before
# them, d685d80 and 0681227, issue 21's requests, and 5cb64d6, issue 22's
# `Nullable<T>`. Output changes on purpose, each.
# Move it only when a change alters the output on purpose: commit that change (with
# generated/ regenerated, the commit message saying which files changed and why),
# then set BASE to that commit (or to the merge that brought it in) in the next one.
#
# How: `git archive REV` into target/same-output/src-REV, built in release with the
# `cli` feature into target/same-output/target (its own target directory, so the
# workspace's binaries are left alone; the binary is kept per revision, so a second
# run builds nothing); the current generator is the workspace's own release build
# (as scripts/corpus.sh builds it). Both run `generate --out DIR --crate-name NAME
# --with-roundtrip --runtime-path RUNTIME` as scripts/corpus.sh does. The outputs
# are removed after a clean comparison and kept after a failing one.
#
# Cost in CI (2 cores): about 2 minutes from a clean target directory (114 s
# measured on the shared 2-core machine: building REV's generator, then six
# generations of a few seconds each); 100 MB of disk under target/same-output.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
BASE=9171edc41bbf6d820fee0a21237e1f9ad0f9d167
rev=${1:-$BASE}
corpus=${MSGRAPH_CORPUS_ROOT:-../shared/corpus/graph-docs-2020/api-reference}
work=$root/target/same-output

hash=$(git rev-parse --verify "$rev^{commit}") || { echo "same-output: no such revision: $rev" >&2; exit 1; }
old_bin=$work/bin/msgraph-gen-$hash
if [ ! -x "$old_bin" ]; then
  src=$work/src-$hash
  rm -rf "$src"
  mkdir -p "$src" "$work/bin"
  git archive "$hash" | tar -x -C "$src"
  echo "same-output: building the generator at ${hash:0:12}"
  (cd "$src" && CARGO_TARGET_DIR=$work/target cargo build --release -q -p msgraph-gen --features cli)
  cp "$work/target/release/msgraph-gen" "$old_bin"
  rm -rf "$src"
fi
cargo build --release -q -p msgraph-gen --features cli
new_bin=$root/target/release/msgraph-gen

rm -rf "$work/old" "$work/new"
status=0
for tree in docs:docs v1:"$corpus/v1.0" beta:"$corpus/beta"; do
  name=${tree%%:*} docs=${tree#*:}
  if [ ! -d "$docs" ]; then
    echo "same-output: docs directory not found: $docs (set MSGRAPH_CORPUS_ROOT)" >&2
    exit 1
  fi
  for side in old new; do
    bin=$old_bin
    [ $side = new ] && bin=$new_bin
    mkdir -p "$work/$side"
    # One output path for both (the CLI names it), then moved aside; the exit
    # status is compared too.
    rm -rf "$work/out"
    set +e
    "$bin" generate "$docs" --out "$work/out" --crate-name "graph-$name" --with-roundtrip --runtime-path "$root/runtime" 2> "$work/$side/$name.diagnostics"
    echo "exit $?" >> "$work/$side/$name.diagnostics"
    set -e
    mv "$work/out" "$work/$side/$name"
  done
  if diff -r -q "$work/old/$name" "$work/new/$name" > /dev/null && cmp -s "$work/old/$name.diagnostics" "$work/new/$name.diagnostics"; then
    echo "same-output[$name]: identical ($(find "$work/new/$name" -type f | wc -l) files and the diagnostics)"
  else
    echo "same-output[$name]: DIFFERENT from ${hash:0:12}:" >&2
    diff -r "$work/old/$name" "$work/new/$name" | head -n 40 >&2 || true
    diff "$work/old/$name.diagnostics" "$work/new/$name.diagnostics" | head -n 20 >&2 || true
    status=1
  fi
done
if [ $status -eq 0 ]; then
  rm -rf "$work/old" "$work/new"
else
  echo "same-output: outputs kept in $work/old and $work/new" >&2
fi
exit $status
