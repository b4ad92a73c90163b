#!/usr/bin/env bash
# Names that do not move (issue 23), on a whole reference tree: copy DOCS_DIR into
# target/stable-names/perturbed (creating the files in reverse order), perturb the
# copy the way an unrelated docs change would, and require that
# `msgraph-gen diff DOCS_DIR PERTURBED` reports 0 breaking changes (exit 0):
#   (a) pages that spell existing names in another case (`Microsoft.Graph`,
#       `#Microsoft.Graph.ChatInfo`, a base `microsoft.graph.commsoperation`
#       named before its own page is read), an unknown `#Microsoft.Graph.NewThing`,
#       and new operations under existing nodes spelled `/Communications/Calls`,
#       `/me/onlinemeetings`;
#   (b) new resource pages defining types whose Rust name is an existing one's,
#       spelled otherwise (`chat-info`, `Chat_info` next to `chatInfo`);
#   the pages of (a) and (b) are generator/tests/stable_names.rs's, from
#   generator/tests/fixtures/stable-names;
#   (c) moved files: a page to another directory under another stem, another renamed.
# Usage: scripts/stable-names.sh [DOCS_DIR]
#   Default: the Graph v1.0 reference in ../shared (MSGRAPH_CORPUS_ROOT overrides
#   the directory that holds v1.0, as for scripts/corpus.sh). MSGRAPH_GEN: the
#   binary to use (default: target/release/msgraph-gen, built if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
corpus=${MSGRAPH_CORPUS_ROOT:-../shared/corpus/graph-docs-2020/api-reference}
docs=${1:-$corpus/v1.0}
if [ ! -d "$docs" ]; then
  echo "stable-names: docs directory not found: $docs (pass it as an argument or set MSGRAPH_CORPUS_ROOT)" >&2
  exit 1
fi
gen=${MSGRAPH_GEN:-$root/target/release/msgraph-gen}
if [ ! -x "$gen" ]; then
  cargo build --release -q -p msgraph-gen --features cli
fi

work=$root/target/stable-names
out=$work/perturbed
rm -rf "$work"
mkdir -p "$out"

# The copy, its files created in reverse order of their paths.
(cd "$docs" && find . -type f | LC_ALL=C sort -r) | while IFS= read -r f; do
  mkdir -p "$out/$(dirname "$f")"
  cp "$docs/$f" "$out/$f"
done
mkdir -p "$out/resources" "$out/api"

# (c) Moved files (before the new pages, so that only original pages move).
move() {
  if [ -f "$out/$1" ]; then
    mkdir -p "$(dirname "$out/$2")"
    mv "$out/$1" "$out/$2"
  fi
}
move resources/call.md resources/moved/zz/zz-call.md
move resources/chatinfo.md resources/0-chatinfo.md
move api/user-get.md api/moved/user-get-moved.md

# (a) Case variants and (b) colliding pages: the pages generator/tests/stable_names.rs
# adds to its fixtures (generator/tests/fixtures/stable-names): a resource page in
# namespace `Microsoft.Graph` naming its base and a property's type in other cases,
# one naming its base `microsoft.graph.commsoperation` before that page is read, an
# example with `#Microsoft.Graph.ChatInfo` and an unknown `#Microsoft.Graph.NewThing`,
# new operations under `/Communications/Calls` and `/me/onlinemeetings`; and types
# `chat-info`, `Chat_info` whose Rust name is `ChatInfo`.
for set in case-variants colliding; do
  cp -R "$root/generator/tests/fixtures/stable-names/$set/." "$out/"
done
# The lower-case base must already have derived types in the tree, or the new one
# is a real API change (its fields switch to `<Type>Kind`), not a moved name: the
# 2020 v1.0 pages give `commsOperation` none, so there the base is `directoryObject`.
if ! grep -rqi 'baseType": *"microsoft.graph.commsOperation' "$docs"; then
  sed -i 's/microsoft\.graph\.commsoperation/microsoft.graph.directoryobject/' "$out/resources/aab-straysub.md"
fi

set +e
"$gen" diff "$docs" "$out" > "$work/diff.txt" 2> "$work/diff.stderr"
rc=$?
set -e
summary=$(tail -n 1 "$work/diff.txt")
echo "stable-names: $summary"
if [ "$rc" -ne 0 ] || ! printf '%s\n' "$summary" | grep -Eq '^(0 breaking|no API changes)'; then
  sed -n '/^breaking:/,/^not breaking:/p' "$work/diff.txt" | head -n 40 >&2 || true
  tail -n 5 "$work/diff.stderr" >&2 || true
  echo "stable-names: names moved (exit $rc; full diff in $work/diff.txt)" >&2
  exit 1
fi
