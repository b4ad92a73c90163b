#!/usr/bin/env bash
# Names that do not move (issue 23), on a whole reference tree: copy DOCS_DIR into
# target/stable-names/perturbed (creating the files in reverse order), perturb the
# copy the way an unrelated docs change would, and require that
# `msgraph-gen diff DOCS_DIR PERTURBED` reports 0 breaking changes (exit 0):
#   (a) pages that spell existing names in another case (`Microsoft.Graph`,
#       `#Microsoft.Graph.ChatMessage`, a base `microsoft.graph.directoryobject`
#       named before its own page is read), an unknown `#Microsoft.Graph.NewThing`,
#       and new operations under existing nodes spelled `/Communications/Calls`,
#       `/me/onlinemeetings`;
#   (b) new resource pages defining types whose Rust name is an existing one's,
#       spelled otherwise (`participant-info`, `participant_info` next to
#       `participantInfo`);
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

# (a) Case variants. A resource page sorting first, in namespace `Microsoft.Graph`,
# naming its base and a property's type in other cases.
cat > "$out/resources/aaa-stray-thing.md" <<'EOF'
---
title: "strayThing resource type"
description: "A type whose page spells names oddly."
doc_type: resourcePageType
---

# strayThing resource type

Namespace: Microsoft.Graph

A type whose page spells names oddly. Inherits from [entity](entity.md).

## Properties

| Property | Type | Description |
|:---|:---|:---|
| id | String | The identifier. |
| message | [ChatMessage](chatmessage.md) | A message. |

## JSON representation

<!-- {
  "blockType": "resource",
  "baseType": "Microsoft.Graph.Entity",
  "@odata.type": "Microsoft.Graph.StrayThing"
}-->
```json
{
  "id": "String",
  "message": {"@odata.type": "Microsoft.Graph.ChatMessage"}
}
```
EOF
cat > "$out/resources/aab-stray-directory-thing.md" <<'EOF'
---
title: "strayDirectoryThing resource type"
description: "A directory object type naming its base in lower case."
doc_type: resourcePageType
---

# strayDirectoryThing resource type

Namespace: microsoft.graph

A directory object type naming its base in lower case.

## Properties

| Property | Type | Description |
|:---|:---|:---|
| id | String | The identifier. |
| info | [resultinfo](resultinfo.md) | The result. |

## JSON representation

<!-- {
  "blockType": "resource",
  "baseType": "microsoft.graph.directoryobject",
  "@odata.type": "microsoft.graph.strayDirectoryThing"
}-->
```json
{
  "id": "String",
  "info": {"@odata.type": "#microsoft.graph.resultinfo"}
}
```
EOF
# An API page whose example shows `#Microsoft.Graph.ChatMessage` twice and an
# unknown `#Microsoft.Graph.NewThing` twice.
cat > "$out/api/aaa-straything-get.md" <<'EOF'
---
title: "Get strayThing"
description: "Read a strayThing."
doc_type: apiPageType
---

# Get strayThing

Namespace: microsoft.graph

Read a strayThing.

## HTTP request

<!-- { "blockType": "ignored" } -->
```http
GET /strayThings/{id}
```

## Response

If successful, this method returns a `200 OK` response code and a [strayThing](../resources/aaa-stray-thing.md) object in the response body.

## Example

### Request

<!-- {
  "blockType": "request",
  "name": "get_straything"
}-->
```msgraph-interactive
GET https://graph.microsoft.com/v1.0/strayThings/s1
```

### Response

<!-- {
  "blockType": "response",
  "truncated": true,
  "@odata.type": "Microsoft.Graph.StrayThing"
} -->
```http
HTTP/1.1 200 OK
Content-Type: application/json

{
  "@odata.type": "#Microsoft.Graph.StrayThing",
  "id": "s1",
  "message": {"@odata.type": "#Microsoft.Graph.ChatMessage", "id": "m1"},
  "reply": {"@odata.type": "#Microsoft.Graph.ChatMessage", "id": "m2"},
  "other": {"@odata.type": "#Microsoft.Graph.NewThing", "name": "n"},
  "more": {"@odata.type": "#Microsoft.Graph.NewThing", "name": "m"}
}
```
EOF

# New operations under existing nodes, their segments spelled in other cases.
for spec in "aab-stray-calls|/Communications/Calls/{id}/strayThings" "aac-stray-meetings|/me/onlinemeetings/{id}/strayThings"; do
  stem=${spec%%|*} path=${spec#*|}
  cat > "$out/api/$stem.md" <<EOF
---
title: "List strayThings"
description: "List strayThings."
doc_type: apiPageType
---

# List strayThings

Namespace: microsoft.graph

List strayThings.

## HTTP request

<!-- { "blockType": "ignored" } -->
\`\`\`http
GET $path
\`\`\`

## Response

If successful, this method returns a \`200 OK\` response code and a collection of [strayThing](../resources/aaa-stray-thing.md) objects in the response body.
EOF
done

# (b) Colliding pages: new types whose Rust name is `ParticipantInfo`.
for name in participant-info participant_info; do
  cat > "$out/resources/$name.md" <<EOF
---
title: "$name resource type"
description: "A type named like another."
doc_type: resourcePageType
---

# $name resource type

Namespace: microsoft.graph

A type named like another.

## Properties

| Property | Type | Description |
|:---|:---|:---|
| label | String | A label. |

## JSON representation

<!-- {
  "blockType": "resource",
  "@odata.type": "microsoft.graph.$name"
}-->
\`\`\`json
{
  "label": "String"
}
\`\`\`
EOF
done

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
