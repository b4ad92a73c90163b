#!/usr/bin/env bash
# The crates as crates.io would get them (CI runs this; README.md, "Publishing").
#
# 1. `cargo package` for msgraph-runtime, msgraph-gen and msgraph-mock, in one
#    command: cargo builds each from its own .crate (msgraph-mock's dependency on
#    msgraph-gen resolves to the msgraph-gen just packaged, through cargo's local
#    overlay registry, not to the path).
# 2. Each .crate holds only sources, its README, both license texts and cargo's
#    own files: no tests, fixtures, snapshots or benchmark data.
# 3. The crate msgraph-gen generates from docs/ with `--runtime-version` (so its
#    Cargo.toml names msgraph-runtime by version, as a user's would) builds
#    against the packaged runtime: the .crate unpacked into a directory of its own
#    and given to cargo as `[patch.crates-io]`; the script fails unless cargo's
#    dependency graph takes msgraph-runtime from that directory.
#
# Offline after the first build of the workspace (every crate is in cargo's
# cache by then); OFFLINE= (empty) lets cargo reach the registry. Everything is
# built in the workspace's target directory (CARGO_TARGET_DIR if set), so the
# generated crate's build reuses what package verification compiled for the
# runtime, and the .crate files are in target/package/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
target=${CARGO_TARGET_DIR:-$root/target}
offline=${OFFLINE---offline}
started=$SECONDS

version=$(sed -n 's/^version = "\(.*\)"$/\1/p' runtime/Cargo.toml | head -n 1)
crates=(msgraph-runtime msgraph-gen msgraph-mock)

echo "== cargo package ${crates[*]} ($version)"
selected=()
for crate in "${crates[@]}"; do selected+=(-p "$crate"); done
# --allow-dirty: what the working tree holds is checked (CI's clone is clean).
# cargo warns for every test, example and bench the include lists leave out.
if ! cargo package $offline --locked --allow-dirty "${selected[@]}" 2>&1 | { grep -v '^warning: ignoring .* is not included in the published package$' || true; }; then
  echo "cargo package failed" >&2
  exit 1
fi

echo "== what ships"
for crate in "${crates[@]}"; do
  file=$target/package/$crate-$version.crate
  [ -f "$file" ] || { echo "missing $file" >&2; exit 1; }
  # Only sources (src/, and the generator's templates/), texts and cargo's files.
  extra=$(tar tzf "$file" | grep -Ev "^$crate-$version/(src/.*\.rs|templates/[^/]+\.rs|Cargo\.toml|Cargo\.toml\.orig|Cargo\.lock|\.cargo_vcs_info\.json|README\.md|LICENSE-MIT|LICENSE-APACHE)$" || true)
  if [ -n "$extra" ]; then
    echo "$file ships files that are not sources or texts:" >&2
    echo "$extra" >&2
    exit 1
  fi
  # The license texts are files in the package (the crates link to the root's).
  shipped() { tar xzf "$file" -O "$crate-$version/$1"; }
  grep -q '^MIT License$' <<< "$(shipped LICENSE-MIT)" || { echo "$file: no MIT license text" >&2; exit 1; }
  grep -q 'Apache License' <<< "$(shipped LICENSE-APACHE)" || { echo "$file: no Apache license text" >&2; exit 1; }
  grep -q "^# $crate$" <<< "$(shipped README.md)" || { echo "$file: no README of its own" >&2; exit 1; }
  printf '%-16s %3d files, %6d bytes compressed\n' "$crate" "$(tar tzf "$file" | wc -l)" "$(wc -c < "$file")"
done

echo "== docs/ generated against the packaged msgraph-runtime"
work=$target/package-check
rm -rf "$work"
mkdir -p "$work"
# -m: the files get the time of extraction (a .crate holds one fixed old time), so
# cargo rebuilds the runtime rather than trust an artifact of an earlier run.
tar xzmf "$target/package/msgraph-runtime-$version.crate" -C "$work"
runtime=$work/msgraph-runtime-$version
if ! cargo run $offline --locked --quiet -p msgraph-gen --features cli -- \
  generate docs --out "$work/docs-crate" --crate-name msgraph-docs-check --runtime-version "$version" 2> "$work/generate.log"; then
  cat "$work/generate.log" >&2
  exit 1
fi
tail -n 2 "$work/generate.log"
dependency=$(grep '^msgraph-runtime = ' "$work/docs-crate/Cargo.toml")
case $dependency in
  *path*|*git*) echo "the generated Cargo.toml names the runtime by path: $dependency" >&2; exit 1 ;;
esac
echo "generated: $dependency"
# The packaged runtime's lock: the same versions its verification just built.
cp "$runtime/Cargo.lock" "$work/docs-crate/Cargo.lock"
patch=(--config "patch.crates-io.msgraph-runtime.path=\"$runtime\"")
used=$(cargo tree $offline "${patch[@]}" --manifest-path "$work/docs-crate/Cargo.toml" -p msgraph-runtime --depth 0 --prefix none)
if [ "$used" != "msgraph-runtime v$version ($runtime)" ]; then
  echo "the generated crate does not take msgraph-runtime from the package: $used" >&2
  exit 1
fi
echo "uses: $used"
CARGO_TARGET_DIR=$target cargo build $offline "${patch[@]}" --manifest-path "$work/docs-crate/Cargo.toml"
echo "package.sh: ok in $((SECONDS - started)) s"
