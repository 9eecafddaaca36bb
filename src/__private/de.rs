//! Deserialization helpers the generated code names by absolute path
//! (`::mx_client::__private::de::…`). Not a public API.

use serde::{Deserialize, Deserializer};

/// Decodes `null` as `T::default()` (an empty list or map), any other value
/// as `T`. The pipeline puts it on every optional array and map field: MX
/// sends `null` where a list is empty and tells integrators to expect it.
pub fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Challenge {
        #[serde(default, deserialize_with = "super::null_as_default")]
        options: Vec<String>,
    }

    #[test]
    fn null_missing_and_values() {
        let c: Challenge = serde_json::from_str(r#"{"options": null}"#).unwrap();
        assert!(c.options.is_empty());
        let c: Challenge = serde_json::from_str("{}").unwrap();
        assert!(c.options.is_empty());
        let c: Challenge = serde_json::from_str(r#"{"options": ["a"]}"#).unwrap();
        assert_eq!(c.options, ["a"]);
        assert!(serde_json::from_str::<Challenge>(r#"{"options": 3}"#).is_err());
    }
}
