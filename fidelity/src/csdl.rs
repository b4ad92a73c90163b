//! The part of an OData CSDL document (the service's `$metadata`) that the report
//! compares with: structured types (entity and complex types) with their base types
//! and properties, and enum types with their members. Read with roxmltree.

use std::collections::BTreeMap;

/// A property type as the metadata writes it, aliases resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ty {
    /// `Edm.String` -> `String`.
    Edm(String),
    /// A full name, `microsoft.graph.identitySet`.
    Named(String),
    Collection(Box<Ty>),
}

impl Ty {
    fn parse(s: &str, aliases: &BTreeMap<String, String>) -> Ty {
        let s = s.trim();
        if let Some(inner) = s.strip_prefix("Collection(").and_then(|r| r.strip_suffix(')')) {
            return Ty::Collection(Box::new(Ty::parse(inner, aliases)));
        }
        if let Some(p) = s.strip_prefix("Edm.") {
            return Ty::Edm(p.to_string());
        }
        match s.rsplit_once('.') {
            Some((ns, name)) => Ty::Named(format!("{}.{name}", aliases.get(ns).map_or(ns, String::as_str))),
            None => Ty::Named(s.to_string()),
        }
    }

    pub fn element(&self) -> &Ty {
        match self {
            Ty::Collection(t) => t.element(),
            t => t,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prop {
    pub name: String,
    pub ty: Ty,
    /// A navigation property (a relationship).
    pub navigation: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StructType {
    /// Full name, `microsoft.graph.user`.
    pub name: String,
    pub base: Option<String>,
    pub props: Vec<Prop>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnumType {
    pub name: String,
    pub members: Vec<String>,
    pub flags: bool,
}

/// Every schema of a metadata document, merged. Keys are lower-cased full names
/// (the docs spell names in any case; the values keep the metadata's spelling).
#[derive(Clone, Debug, Default)]
pub struct Schema {
    pub structs: BTreeMap<String, StructType>,
    pub enums: BTreeMap<String, EnumType>,
}

impl Schema {
    /// Read a CSDL document.
    pub fn parse(xml: &str) -> Result<Schema, String> {
        let doc = roxmltree::Document::parse(xml).map_err(|e| format!("not a CSDL document: {e}"))?;
        let schemas: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("Schema")).collect();
        if schemas.is_empty() {
            return Err("not a CSDL document: no <Schema> element".into());
        }
        let mut aliases = BTreeMap::new();
        for s in &schemas {
            if let (Some(a), Some(ns)) = (s.attribute("Alias"), s.attribute("Namespace")) {
                aliases.insert(a.to_string(), ns.to_string());
            }
        }
        let mut out = Schema::default();
        for s in &schemas {
            let ns = s.attribute("Namespace").unwrap_or_default();
            for t in s.children().filter(|n| n.is_element()) {
                let Some(name) = t.attribute("Name") else { continue };
                let full = format!("{ns}.{name}");
                match t.tag_name().name() {
                    "EntityType" | "ComplexType" => {
                        let props = t
                            .children()
                            .filter(|p| p.has_tag_name("Property") || p.has_tag_name("NavigationProperty"))
                            .filter_map(|p| {
                                Some(Prop {
                                    name: p.attribute("Name")?.to_string(),
                                    ty: Ty::parse(p.attribute("Type")?, &aliases),
                                    navigation: p.has_tag_name("NavigationProperty"),
                                })
                            })
                            .collect();
                        let base = t.attribute("BaseType").map(|b| match Ty::parse(b, &aliases) {
                            Ty::Named(n) => n,
                            _ => b.to_string(),
                        });
                        out.structs.insert(full.to_ascii_lowercase(), StructType { name: full, base, props });
                    }
                    "EnumType" => {
                        let members = t.children().filter(|m| m.has_tag_name("Member")).filter_map(|m| m.attribute("Name").map(str::to_string)).collect();
                        let flags = t.attribute("IsFlags") == Some("true");
                        out.enums.insert(full.to_ascii_lowercase(), EnumType { name: full, members, flags });
                    }
                    _ => {}
                }
            }
        }
        Ok(out)
    }

    /// A struct's properties with those of its base types, base first; a property
    /// a derived type declares again replaces the base's.
    pub fn all_props(&self, full: &str) -> Vec<&Prop> {
        let mut chain = Vec::new();
        let mut cur = Some(full.to_ascii_lowercase());
        while let Some(c) = cur {
            if chain.contains(&c) || chain.len() > 64 {
                break;
            }
            cur = self.structs.get(&c).and_then(|t| t.base.as_ref()).map(|b| b.to_ascii_lowercase());
            chain.push(c);
        }
        let mut out: Vec<&Prop> = Vec::new();
        for c in chain.iter().rev() {
            for p in self.structs.get(c).map(|t| t.props.as_slice()).unwrap_or_default() {
                match out.iter().position(|o| o.name == p.name) {
                    Some(i) => out[i] = p,
                    None => out.push(p),
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const XML: &str = r#"<?xml version="1.0"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>
<Schema Alias="graph" Namespace="microsoft.graph" xmlns="http://docs.oasis-open.org/odata/ns/edm">
  <EnumType Name="color" IsFlags="true"><Member Name="red" Value="1"/><Member Name="blue" Value="2"/></EnumType>
  <EntityType Name="entity" Abstract="true"><Property Name="id" Type="Edm.String"/></EntityType>
  <EntityType Name="thing" BaseType="graph.entity">
    <Property Name="tags" Type="Collection(Edm.String)"/>
    <Property Name="color" Type="graph.color"/>
    <NavigationProperty Name="owner" Type="microsoft.graph.entity"/>
  </EntityType>
</Schema></edmx:DataServices></edmx:Edmx>"#;

    #[test]
    fn reads_types_enums_and_aliases() {
        let s = Schema::parse(XML).unwrap();
        let thing = &s.structs["microsoft.graph.thing"];
        assert_eq!(thing.base.as_deref(), Some("microsoft.graph.entity"));
        assert_eq!(thing.props[0].ty, Ty::Collection(Box::new(Ty::Edm("String".into()))));
        assert_eq!(thing.props[1].ty, Ty::Named("microsoft.graph.color".into()));
        assert!(thing.props[2].navigation);
        let names: Vec<&str> = s.all_props("microsoft.graph.Thing").iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["id", "tags", "color", "owner"]);
        assert_eq!(s.enums["microsoft.graph.color"].members, ["red", "blue"]);
        assert!(s.enums["microsoft.graph.color"].flags);
        assert!(Schema::parse("<a/>").is_err());
        assert!(Schema::parse("<a").is_err());
    }
}
