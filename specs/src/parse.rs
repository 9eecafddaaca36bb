//! Reading specs: an overlay laid over a spec, and a security scheme's
//! kind.

use crate::SchemeKind;

/// Lays `layer` over `base`: mappings are merged key by key (the layer's
/// values win), anything else is replaced. An overlay holds what MX's
/// pages say and its published spec lacks, so the vendored file can stay
/// as MX publishes it.
pub fn merge(base: &mut serde_yaml::Value, layer: serde_yaml::Value) {
    match (base, layer) {
        (serde_yaml::Value::Mapping(b), serde_yaml::Value::Mapping(l)) => {
            for (k, v) in l {
                match b.get_mut(&k) {
                    Some(existing) => merge(existing, v),
                    None => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (b, l) => *b = l,
    }
}

/// The kind of a security scheme object of `components/securitySchemes`
/// (as JSON); `None` for a kind mx-client cannot send (OAuth2 flows, an API
/// key in a query or a cookie).
pub fn scheme_kind(scheme: &serde_json::Value) -> Option<SchemeKind> {
    let text = |key: &str| scheme.get(key).and_then(serde_json::Value::as_str);
    match (text("type")?, text("in"), text("scheme")) {
        ("apiKey", Some("header"), _) => Some(SchemeKind::Header(text("name")?.to_string())),
        ("http", _, Some(s)) if s.eq_ignore_ascii_case("basic") => Some(SchemeKind::Basic),
        ("http", _, Some(s)) if s.eq_ignore_ascii_case("bearer") => Some(SchemeKind::Bearer),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn overlays_merge_mappings_and_replace_the_rest() {
        let mut base: serde_yaml::Value =
            serde_yaml::from_str("a: {b: 1, c: [1, 2]}\nd: x").unwrap();
        merge(
            &mut base,
            serde_yaml::from_str("a: {c: [3], e: 2}").unwrap(),
        );
        assert_eq!(
            base,
            serde_yaml::from_str::<serde_yaml::Value>("a: {b: 1, c: [3], e: 2}\nd: x").unwrap()
        );
    }

    #[test]
    fn the_kinds_mx_uses() {
        assert_eq!(
            scheme_kind(&json!({"type": "apiKey", "in": "header", "name": "MX-API-Key"})),
            Some(SchemeKind::Header("MX-API-Key".into()))
        );
        assert_eq!(
            scheme_kind(&json!({"type": "http", "scheme": "Basic"})),
            Some(SchemeKind::Basic)
        );
        assert_eq!(
            scheme_kind(&json!({"type": "http", "scheme": "bearer"})),
            Some(SchemeKind::Bearer)
        );
        assert_eq!(
            scheme_kind(&json!({"type": "apiKey", "in": "query", "name": "k"})),
            None
        );
        assert_eq!(scheme_kind(&json!({"type": "oauth2"})), None);
    }
}
