//! Walking the properties of a schema: type overrides (`x-rust-type`) and
//! the normalizer's per-property visits.

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

/// Replaces the generated type of a property with a hand-written Rust type
/// (through typify's `x-rust-type`), e.g. a string enum with an `Unknown`
/// fallback.
#[derive(Debug, Clone)]
pub struct TypeOverride {
    /// The component schema that owns the property; `None` for any schema.
    pub schema: Option<String>,
    /// The property's JSON name.
    pub property: String,
    /// The crate the type lives in (as in Cargo.toml, e.g. `mx-client`).
    pub crate_name: String,
    /// The type's path, starting with the crate's identifier.
    pub rust_path: String,
}

/// Marks a property with `x-rust-type` when an override names it; an
/// override of `name[]` marks the inline items of the array property `name`.
pub(crate) fn apply_overrides(overrides: &[TypeOverride], owner: &str, prop: &str, s: &mut Schema) {
    for o in overrides {
        if o.schema.as_deref().is_some_and(|n| n != owner) {
            continue;
        }
        let target = match o.property.strip_suffix("[]") {
            None if o.property == prop => Some(&mut *s),
            Some(array) if array == prop => match &mut s.schema_kind {
                SchemaKind::Type(Type::Array(arr)) => match arr.items.as_mut() {
                    Some(ReferenceOr::Item(items)) => Some(&mut **items),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        };
        if let Some(target) = target {
            target.schema_data.extensions.insert(
                "x-rust-type".into(),
                serde_json::json!({"crate": o.crate_name, "version": "*", "path": o.rust_path}),
            );
        }
    }
}

/// Calls `f(owner, property, schema)` for every inline property schema below
/// `schema`, `owner` being the component schema the walk started from.
pub(crate) fn visit_properties(
    owner: &str,
    schema: &mut Schema,
    f: &mut dyn FnMut(&str, &str, &mut Schema),
) {
    match &mut schema.schema_kind {
        SchemaKind::Type(Type::Object(obj)) => {
            for (prop, s) in obj.properties.iter_mut() {
                if let ReferenceOr::Item(s) = s {
                    f(owner, prop, s);
                    visit_properties(owner, s, f);
                }
            }
        }
        SchemaKind::Type(Type::Array(arr)) => {
            if let Some(ReferenceOr::Item(s)) = arr.items.as_mut() {
                visit_properties(owner, s, f);
            }
        }
        // `properties` without `type: object` (MX's Nexus spec has such).
        SchemaKind::Any(any) => {
            for (prop, s) in any.properties.iter_mut() {
                if let ReferenceOr::Item(s) = s {
                    f(owner, prop, s);
                    visit_properties(owner, s, f);
                }
            }
            if let Some(ReferenceOr::Item(s)) = any.items.as_mut() {
                visit_properties(owner, s, f);
            }
        }
        SchemaKind::AllOf { all_of: list }
        | SchemaKind::OneOf { one_of: list }
        | SchemaKind::AnyOf { any_of: list } => {
            for s in list {
                if let ReferenceOr::Item(s) = s {
                    visit_properties(owner, s, f);
                }
            }
        }
        _ => {}
    }
}
