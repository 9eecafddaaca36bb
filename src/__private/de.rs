//! Deserialization helpers the generated code names by absolute path
//! (`::mx_client::__private::de::…`). Not a public API.

use std::fmt;
use std::marker::PhantomData;
use std::str::FromStr;

use serde::{Deserialize, Deserializer};

/// Reads an open enum (`__string_enum!`): any string, and for a status
/// MX also numbers (`ConnectionStatus`), a number.
#[derive(Debug)]
pub struct StatusVisitor<T>(PhantomData<T>, fn(u64) -> Option<T>);

impl<T> StatusVisitor<T> {
    /// Strings only.
    pub fn strings() -> Self {
        StatusVisitor(PhantomData, |_| None)
    }

    /// Strings, and numbers as `by_number` reads them.
    pub fn numbered(by_number: fn(u64) -> Option<T>) -> Self {
        StatusVisitor(PhantomData, by_number)
    }
}

impl<T: FromStr<Err = std::convert::Infallible>> serde::de::Visitor<'_> for StatusVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a status string")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
        Ok(match v.parse() {
            Ok(t) => t,
            Err(never) => match never {},
        })
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<T, E> {
        (self.1)(v).ok_or_else(|| E::invalid_value(serde::de::Unexpected::Unsigned(v), &self))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<T, E> {
        match u64::try_from(v) {
            Ok(v) => self.visit_u64(v),
            Err(_) => Err(E::invalid_value(serde::de::Unexpected::Signed(v), &self)),
        }
    }
}

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

/// Decodes a number, or a string holding one, as `Some(T)`; `null` as
/// `None`. For a field MX's sources type both ways (an overlay's
/// `x-mx-decode: number_or_string`), e.g. a spending plan item's
/// `item_type`: the string `"1"` in MX's v20111101 spec and its example,
/// the integer code in v20250224.
pub fn number_or_string<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    use serde::de::Error as _;
    let number = match Option::<serde_json::Value>::deserialize(d)? {
        None | Some(serde_json::Value::Null) => return Ok(None),
        Some(serde_json::Value::String(s)) => {
            let n: serde_json::Number = s
                .trim()
                .parse()
                .map_err(|_| D::Error::custom(format!("{s:?} is not a number")))?;
            serde_json::Value::Number(n)
        }
        Some(other) => other,
    };
    T::deserialize(number).map(Some).map_err(D::Error::custom)
}

/// Decodes a string as it is and a number as its decimal digits, as
/// `Some(String)`; `null` as `None`. For an identifier made of digits that
/// one of MX's sources types as an integer (an overlay's `x-mx-decode:
/// string_or_number`), e.g. a processor's `routing_number`: an integer in
/// MX's Platform specs, a string on MX's account-number pages and in the
/// member's own account numbers. As a string a leading zero survives
/// (`"011000015"`); a number MX sends is kept digit for digit.
pub fn string_or_number<'de, D>(d: D) -> Result<Option<String>, D::Error>
where
    D: Deserializer<'de>,
{
    use serde::de::Error as _;
    match Option::<serde_json::Value>::deserialize(d)? {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(s)) => Ok(Some(s)),
        Some(serde_json::Value::Number(n)) => Ok(Some(n.to_string())),
        // The kind of value only: never the value, which may be an account's.
        Some(other) => Err(D::Error::invalid_type(
            match other {
                serde_json::Value::Bool(b) => serde::de::Unexpected::Bool(b),
                serde_json::Value::Array(_) => serde::de::Unexpected::Seq,
                _ => serde::de::Unexpected::Map,
            },
            &"a string or a number",
        )),
    }
}

/// Decodes one object as `Some(T)`, and a list of at most one as its
/// element; a longer list is an error (no record is dropped in silence).
/// For a field MX's sources type both ways (an overlay's `x-mx-decode:
/// one_or_list`), e.g. `micro_deposit`: one object on MX's pages, a list in
/// its specs and SDKs.
pub fn one_or_list<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either<T> {
        List(Vec<T>),
        One(T),
    }
    match Option::<Either<T>>::deserialize(d)? {
        None => Ok(None),
        Some(Either::One(t)) => Ok(Some(t)),
        Some(Either::List(list)) if list.len() <= 1 => Ok(list.into_iter().next()),
        Some(Either::List(list)) => Err(serde::de::Error::custom(format!(
            "a list of {} where MX documents one",
            list.len()
        ))),
    }
}

/// The index of an object's key in a generated struct's key list (the
/// list's length for a key it does not have), read without allocating:
/// the lean `Deserialize` impls match keys through it once.
#[derive(Debug, Clone, Copy)]
pub struct Key(pub &'static [&'static str]);

impl<'de> serde::de::DeserializeSeed<'de> for Key {
    type Value = usize;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl serde::de::Visitor<'_> for Key {
    type Value = usize;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<usize, E> {
        Ok(self.0.iter().position(|k| *k == v).unwrap_or(self.0.len()))
    }
    fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<usize, E> {
        Ok(self
            .0
            .iter()
            .position(|k| k.as_bytes() == v)
            .unwrap_or(self.0.len()))
    }
}

/// Fills a field's slot, refusing a key given twice (as serde's derive
/// does).
pub fn put<T, E: serde::de::Error>(
    slot: &mut Option<T>,
    value: T,
    key: &'static str,
) -> Result<(), E> {
    if slot.is_some() {
        return Err(E::duplicate_field(key));
    }
    *slot = Some(value);
    Ok(())
}

/// A required field's value, or serde's missing-field error.
pub fn required<T, E: serde::de::Error>(slot: Option<T>, key: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::missing_field(key))
}

/// Reads a field through [`null_as_default`].
#[derive(Debug)]
pub struct NullAsDefault<T>(pub T);

impl<'de, T: Deserialize<'de> + Default> Deserialize<'de> for NullAsDefault<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        null_as_default(d).map(NullAsDefault)
    }
}

/// Reads a field through [`number_or_string`].
#[derive(Debug)]
pub struct NumberOrString<T>(pub T);

impl<'de, T: serde::de::DeserializeOwned> Deserialize<'de> for NumberOrString<Option<T>> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        number_or_string(d).map(NumberOrString)
    }
}

/// Reads a field through [`string_or_number`].
#[derive(Debug)]
pub struct StringOrNumber<T>(pub T);

impl<'de> Deserialize<'de> for StringOrNumber<Option<String>> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        string_or_number(d).map(StringOrNumber)
    }
}

/// Reads a field through [`one_or_list`].
#[derive(Debug)]
pub struct OneOrList<T>(pub T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrList<Option<T>> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        one_or_list(d).map(OneOrList)
    }
}

/// `Deserialize` for a generated struct (the pipeline's lean impl, in place
/// of serde's derive): a map visitor that matches each key once through
/// [`Key`] and fills one slot per field; unknown keys are skipped, the last
/// of a repeated key is kept. Each field is `index => field: "key" kind`,
/// the kind `opt` (absent is the field's default), `req` (absent is serde's
/// missing-field error) or `default(path)`, optionally `via Wrapper` (a
/// wrapper type of this module that reads the value).
#[doc(hidden)]
#[macro_export]
macro_rules! __de_object {
    ($name:ident { $($index:literal => $field:ident: $key:literal $kind:ident $(($default:path))? $(via $wrap:ident)?),* $(,)? }) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::core::result::Result<Self, D::Error> {
                const KEYS: &[&str] = &[$($key),*];
                struct Visitor;
                impl<'de> ::serde::de::Visitor<'de> for Visitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        f.write_str(::core::concat!("struct ", ::core::stringify!($name)))
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> ::core::result::Result<$name, A::Error> {
                        $(let mut $field = ::core::option::Option::None;)*
                        while let ::core::option::Option::Some(key) =
                            map.next_key_seed($crate::__private::de::Key(KEYS))?
                        {
                            match key {
                                $($index => $field = ::core::option::Option::Some(
                                    $crate::__de_value!(map $($wrap)?)
                                ),)*
                                _ => {
                                    map.next_value::<::serde::de::IgnoredAny>()?;
                                }
                            }
                        }
                        ::core::result::Result::Ok($name {
                            $($field: $crate::__de_finish!($field, $key, $kind $(($default))?),)*
                        })
                    }
                }
                d.deserialize_struct(::core::stringify!($name), KEYS, Visitor)
            }
        }
    };
}

/// A field's value in [`__de_object!`]: read as its type, or through a
/// wrapper of `__private::de`.
#[doc(hidden)]
#[macro_export]
macro_rules! __de_value {
    ($map:ident) => {
        $map.next_value()?
    };
    ($map:ident $wrap:ident) => {
        $map.next_value::<$crate::__private::de::$wrap<_>>()?.0
    };
}

/// A field's slot as its value in [`__de_object!`], by the field's kind.
#[doc(hidden)]
#[macro_export]
macro_rules! __de_finish {
    ($slot:ident, $key:literal, opt) => {
        $slot.unwrap_or_default()
    };
    ($slot:ident, $key:literal, req) => {
        $crate::__private::de::required($slot, $key)?
    };
    ($slot:ident, $key:literal, default($default:path)) => {
        $slot.unwrap_or_else($default)
    };
}

#[cfg(test)]
mod tests {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Challenge {
        #[serde(default, deserialize_with = "super::null_as_default")]
        options: Vec<String>,
    }

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Item {
        #[serde(default, deserialize_with = "super::number_or_string")]
        item_type: Option<i64>,
        #[serde(default, deserialize_with = "super::one_or_list")]
        micro_deposit: Option<Challenge>,
        #[serde(default, deserialize_with = "super::string_or_number")]
        routing_number: Option<String>,
    }

    #[test]
    fn both_forms_where_mx_sources_disagree() {
        let read = |s: &str| serde_json::from_str::<Item>(s);
        assert_eq!(read(r#"{"item_type": 1}"#).unwrap().item_type, Some(1));
        assert_eq!(read(r#"{"item_type": "1"}"#).unwrap().item_type, Some(1));
        assert_eq!(read(r#"{"item_type": null}"#).unwrap().item_type, None);
        assert_eq!(
            read("{}").unwrap(),
            Item {
                item_type: None,
                micro_deposit: None,
                routing_number: None,
            }
        );
        assert!(read(r#"{"item_type": "one"}"#).is_err());
        let one = Challenge {
            options: vec!["a".into()],
        };
        let obj = read(r#"{"micro_deposit": {"options": ["a"]}}"#).unwrap();
        assert_eq!(obj.micro_deposit.as_ref(), Some(&one));
        let list = read(r#"{"micro_deposit": [{"options": ["a"]}]}"#).unwrap();
        assert_eq!(list.micro_deposit.as_ref(), Some(&one));
        assert_eq!(
            read(r#"{"micro_deposit": []}"#).unwrap().micro_deposit,
            None
        );
        let two = read(r#"{"micro_deposit": [{"options": []}, {"options": []}]}"#).unwrap_err();
        assert!(two.to_string().contains("a list of 2"), "{two}");
        let routing = |s: &str| read(s).unwrap().routing_number;
        assert_eq!(
            routing(r#"{"routing_number": "011000015"}"#).as_deref(),
            Some("011000015")
        );
        assert_eq!(
            routing(r#"{"routing_number": 242564563}"#).as_deref(),
            Some("242564563")
        );
        assert_eq!(routing(r#"{"routing_number": null}"#), None);
        assert!(read(r#"{"routing_number": true}"#).is_err());
        let list = read(r#"{"routing_number": ["091000019"]}"#).unwrap_err();
        assert!(!list.to_string().contains("091000019"), "{list}");
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
