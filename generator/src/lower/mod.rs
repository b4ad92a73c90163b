//! Stage 4: lowering. The API model gets its Rust shape, each part decided once,
//! before anything is printed: module and type names, field and variant names
//! (collisions resolved with a warning), the polymorphic holders (`Kind` enums of
//! types with derived types), the boxed fields (every single value of a struct
//! type, which also breaks every containment cycle), and each type's and
//! operation's Cargo feature.
//!
//! Types are referred to by the model's [`TypeId`]s (its one name table); a
//! lowered type sits at its id's position. Emission reads [`Lowered`] and decides
//! nothing.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::Diagnostic;
use crate::model::*;

mod features;
pub mod names;
mod naming;
pub mod surface;

pub use features::features_toml;

/// The name of the catch-all variant of generated string enums.
pub const ENUM_CATCH_ALL: &str = "Unrecognized";
/// The field that keeps properties the docs do not list. If a docs property of
/// the type itself maps to this name, the map is named with a trailing `_`.
pub const EXTRA_FIELD: &str = "additional_properties";

/// A field of a generated struct.
pub(crate) struct Field<'a> {
    pub(crate) prop: &'a Property,
    /// The Rust name, before keyword escaping.
    pub(crate) name: String,
    /// Held in a `Box`: a single value of a struct type.
    pub(crate) boxed: bool,
}

/// A type's Rust shape.
pub(crate) struct Type<'a> {
    pub(crate) id: TypeId,
    pub(crate) def: &'a TypeDef,
    /// The module of its namespace under `models`.
    pub(crate) module: String,
    /// The type's Rust name.
    pub(crate) ident: String,
    /// The Cargo feature of its area (`None`: the common part).
    pub(crate) feature: Option<String>,
    /// The types derived from it (directly or not), by name; not empty for a
    /// polymorphic type, which gets a `<ident>Kind` holder.
    pub(crate) derived: Vec<TypeId>,
    /// The holder's variants: the type itself, then `derived`, in that order.
    pub(crate) kind_variants: Vec<String>,
    /// A struct's fields, inherited ones first (empty for an enum).
    pub(crate) fields: Vec<Field<'a>>,
    /// A struct's catch-all map of undeclared properties.
    pub(crate) extra_field: String,
    /// An enum's variant names, one per member in order (empty for a struct).
    pub(crate) variants: Vec<String>,
    /// Some operation selects, expands or orders by the struct's properties: it
    /// gets a `Field` constant per property.
    pub(crate) queryable: bool,
}

/// An operation's Cargo feature.
pub(crate) struct Op<'a> {
    pub(crate) op: &'a Operation,
    /// The Cargo feature of its area (`None`: the common part).
    pub(crate) feature: Option<String>,
}

/// The model lowered to its Rust shape: what emission prints.
pub(crate) struct Lowered<'a> {
    /// The model this is the shape of.
    pub(crate) api: &'a Api,
    types: Vec<Type<'a>>,
    pub(crate) ops: Vec<Op<'a>>,
    /// The request surface: every operation placed on its resource path, named.
    pub(crate) surface: surface::Surface<'a>,
    /// The Cargo features of the generated crate: one per area, with the areas
    /// whose types an area's operations use as its dependencies.
    pub(crate) features: BTreeMap<String, BTreeSet<String>>,
}

impl<'a> Lowered<'a> {
    /// A type by id. Every type of the model is lowered, at its id's position, so
    /// this finds one; it is an `Option` so that no lookup can panic.
    pub(crate) fn ty(&self, id: TypeId) -> Option<&Type<'a>> {
        self.types.get(id.index())
    }

    /// Every type, in name order.
    pub(crate) fn types(&self) -> impl Iterator<Item = &Type<'a>> {
        self.types.iter()
    }

    /// The Cargo features of the areas of the named types a type reference mentions.
    pub(crate) fn ref_features(&self, t: &TypeRef) -> BTreeSet<String> {
        match t.element() {
            TypeRef::Named(id) => self.ty(*id).and_then(|t| t.feature.clone()).into_iter().collect(),
            _ => BTreeSet::new(),
        }
    }
}

impl Type<'_> {
    /// The features the type needs: its area's.
    pub(crate) fn own_features(&self) -> BTreeSet<String> {
        self.feature.iter().cloned().collect()
    }
}

/// Lower the model: every name, holder, box and feature, once. Name collisions
/// are warnings (the later claimant gets a suffix).
pub(crate) fn lower<'a>(api: &'a Api, diags: &mut Vec<Diagnostic>) -> Lowered<'a> {
    let derived: Vec<Vec<TypeId>> = api
        .derived_index()
        .into_iter()
        .zip(api.types())
        .map(|(ds, t)| match t.kind {
            TypeKind::Struct { .. } => ds,
            TypeKind::Enum { .. } => Vec::new(),
        })
        .collect();
    let props: Vec<Vec<&Property>> = api
        .iter()
        .map(|(id, t)| match t.kind {
            TypeKind::Struct { .. } => api.all_properties(id),
            TypeKind::Enum { .. } => Vec::new(),
        })
        .collect();
    // Naming and the request surface are independent: built side by side, their
    // diagnostics appended in this order.
    let (names, surface) = std::thread::scope(|scope| {
        let surface = scope.spawn(|| {
            let mut diags = Vec::new();
            (surface::build(api, &mut diags), diags)
        });
        let names = naming::assign(api, &derived, &props, diags);
        // A panic in the other thread is raised again here.
        let (surface, mut surface_diags) = surface.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
        diags.append(&mut surface_diags);
        (names, surface)
    });
    // Structs some operation selects, expands or orders by the properties of.
    let queryable: BTreeSet<TypeId> = surface
        .ops()
        .filter(|(_, op)| op.query_options.iter().any(|q| ["$select", "$expand", "$orderby"].contains(&q.as_str())))
        .filter_map(|(_, op)| match &op.response {
            ResponseBody::Single(t) | ResponseBody::Collection(t) => match t.element() {
                TypeRef::Named(id) if matches!(api.get(*id).map(|t| &t.kind), Some(TypeKind::Struct { .. })) => Some(*id),
                _ => None,
            },
            ResponseBody::None => None,
        })
        .collect();
    let is_struct = |id: TypeId| api.get(id).is_some_and(|t| matches!(t.kind, TypeKind::Struct { .. }));
    let mut types = Vec::with_capacity(api.len());
    let parts = api.iter().zip(derived).zip(props).zip(names.types);
    for ((((id, def), derived), props), tn) in parts {
        let fields = props
            .into_iter()
            .zip(tn.fields)
            .map(|(prop, name)| {
                // Boxed: every single-valued property of a struct type (complex values,
                // relationships, polymorphic holders). Inline, each would make its owner
                // as large as everything it may contain, whether present or not: `User`
                // was 3,696 bytes, most of it `None`, written, moved and dropped for every
                // object parsed (see BENCHMARKS.md, issue 14). It also breaks every
                // containment cycle: a type can only contain itself through a single
                // value of a struct type (a `Vec` already holds its items on the heap,
                // an enum holds no fields), so no separate cycle search is needed.
                let boxed = matches!(&prop.ty, TypeRef::Named(n) if is_struct(*n));
                Field { prop, name, boxed }
            })
            .collect();
        types.push(Type {
            id,
            def,
            module: tn.module,
            ident: tn.ident,
            feature: names::feature_name(def.area.as_deref()),
            derived,
            kind_variants: tn.kind_variants,
            fields,
            extra_field: tn.extra_field,
            variants: tn.variants,
            queryable: queryable.contains(&id),
        });
    }
    let ops = api.operations.iter().map(|op| Op { op, feature: names::feature_name(op.area.as_deref()) }).collect();
    let mut lowered = Lowered { api, types, ops, surface, features: BTreeMap::new() };
    lowered.features = features::crate_features(&lowered);
    lowered
}

#[cfg(test)]
mod tests;
