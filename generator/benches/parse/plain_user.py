"""Writes the plain serde struct of the parse benchmark (generator/benches/parse/parse.rs):
every field of the generated `User` that the enabled features compile, with its wire
name, no flatten, a String for every scalar (enums and primitive wrappers included),
Vec<String> for collections of scalars and serde_json::Value for everything else.

usage: python3 plain_user.py GRAPH_CRATE_DIR "FEATURE ..." > plain_user.rs
"""
import os, re, sys

crate, wanted = sys.argv[1], sys.argv[2].split()
# Cargo features, transitively.
table = {}
in_features = False
for line in open(os.path.join(crate, "Cargo.toml")):
    if line.startswith("["):
        in_features = line.strip() == "[features]"
        continue
    m = re.match(r'^([\w-]+) = \[(.*)\]', line)
    if in_features and m:
        table[m.group(1)] = re.findall(r'"([^"/]+)"', m.group(2))
enabled, todo = set(), list(wanted)
while todo:
    f = todo.pop()
    if f not in enabled:
        enabled.add(f)
        todo.extend(table.get(f, []))

sources = []
for root, _, files in os.walk(os.path.join(crate, "src")):
    for f in files:
        if f.endswith(".rs"):
            sources.append(open(os.path.join(root, f)).read())
text = "\n".join(sources)
enums = set(re.findall(r"^pub enum (\w+) \{", text, re.M)) - {n for n in re.findall(r"^pub enum (\w+Kind) \{", text, re.M)}
body = re.search(r"^pub struct User \{\n(.*?)^\}", text, re.M | re.S).group(1)
body = re.sub(r"^\s*///.*\n", "", body, flags=re.M)
# Wire names: the `model!` table after the struct (`field: "wireName" | ...`); crates
# generated before issue 23 say `#[serde(rename = ..)]` on the field instead.
table = re.search(r"model! \{\s*User \{\n(.*?)^\s*\.\.", text, re.M | re.S)
wires = dict(re.findall(r'^\s*(r#\w+|\w+): "([^"]+)"', table.group(1), re.M)) if table else {}
if table:
    wires["odata_type"] = "@odata.type"

def scalar(t):
    t = t.replace(" ", "")
    if t.startswith("::std::boxed::Box<"):
        t = t[len("::std::boxed::Box<"):-1]
    name = t.split("::")[-1]
    return t in ("::std::string::String", "bool", "i32", "i64", "f32", "f64", "u8", "i16") or t.startswith("::msgraph_runtime::") and "serde_json" not in t or name in enums

out = ["/// The fields of the generated `User` (features: " + " ".join(sorted(wanted)) + "), plain.",
       "#[derive(Debug, Default, serde::Deserialize, serde::Serialize)]", "pub struct PlainUser {"]
n = 0
# Fields are `Option<T>` (before issue 22) or `Nullable<T>` (every property since).
for attrs, name, ty in re.findall(r"((?:\s*#\[[^\]]*?\]\s*)*)\s*pub (\w+): (?:::std::option::Option|::msgraph_runtime::Nullable)<\s*(.*?)\s*>,\n", body, re.S):
    cfg = re.search(r'#\[cfg\(feature = "([^"]+)"\)\]', attrs)
    if cfg and cfg.group(1) not in enabled or re.search(r"#\[cfg\((all|any)", attrs):
        continue
    rename = re.search(r'rename = "([^"]+)"', attrs)
    wire = wires.get(name) or (rename.group(1) if rename else name.removeprefix("r#"))
    ty = re.sub(r"\s+", "", ty)
    if ty.startswith("::std::vec::Vec<"):
        rust = "Vec<String>" if scalar(ty[len("::std::vec::Vec<"):-1]) else "Vec<serde_json::Value>"
    else:
        rust = "String" if scalar(ty) else "serde_json::Value"
    out.append(f'    #[serde(rename = "{wire}", default, skip_serializing_if = "Option::is_none")]')
    out.append(f"    pub f{n}: Option<{rust}>,")
    n += 1
out.append("}")
print("\n".join(out))
print(f"/// How many fields `PlainUser` has.\npub const PLAIN_USER_FIELDS: usize = {n};")
