#!/usr/bin/env bash
# Seed the fuzz corpora from the docs (the corpora themselves are not committed).
#   parse_page: every docs page and fixture page as is.
#   pipeline:   every page with its `@@ path` header, and whole directories
#               (docs/, the features fixture) joined with `%%%%` lines.
set -euo pipefail
cd "$(dirname "$0")"
root=..
mkdir -p corpus/parse_page corpus/pipeline
pages=$(cd "$root" && find docs generator/tests/fixtures -name '*.md' -o -name corrections.json | sort)
for p in $pages; do
  name=$(echo "$p" | tr '/' '_')
  cp "$root/$p" "corpus/parse_page/$name"
  rel=${p#docs/}; rel=${rel#generator/tests/fixtures/*/}
  { printf '@@ %s\n' "$rel"; cat "$root/$p"; } > "corpus/pipeline/$name"
done
join_dir() {
  local dir=$1 first=1
  for p in $(cd "$root/$dir" && find . -name '*.md' -o -name corrections.json | sort); do
    [ $first = 1 ] || printf '\n%%%%%%%%\n'
    first=0
    printf '@@ %s\n' "${p#./}"
    cat "$root/$dir/$p"
  done
}
# Only the first 8 pages of an input are used: also seed groups of pages that belong together.
join_dir docs > corpus/pipeline/all_docs
join_dir generator/tests/fixtures/features > corpus/pipeline/all_features
# Every case of the catalogue of bad inputs, as a directory.
for case in "$root"/generator/tests/fixtures/bad/*/; do
  n=$(basename "$case")
  join_dir "generator/tests/fixtures/bad/$n" > "corpus/pipeline/bad_$n"
done
for api in "$root"/docs/api/*.md; do
  n=$(basename "$api" .md)
  { printf '@@ api/%s.md\n' "$n"; cat "$api"
    for r in entity participant participantinfo identityset identity call; do
      printf '\n%%%%%%%%\n@@ resources/%s.md\n' "$r"; cat "$root/docs/resources/$r.md"; done
  } > "corpus/pipeline/group_$n"
done
printf 'parse_page: %s inputs, pipeline: %s inputs\n' "$(ls corpus/parse_page | wc -l)" "$(ls corpus/pipeline | wc -l)"
