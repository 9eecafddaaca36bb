//! A path parameter written into the request's URL percent-encoded, as
//! progenitor's `encode_path` encodes it, without the two strings that
//! `encode_path(&value.to_string())` builds on the way.

use std::fmt;

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};

/// What `encode_path` encodes: controls, space, `"#<>?`{}/%`.
const PATH_SET: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/')
    .add(b'%');

/// `value`'s text, percent-encoded as one path segment, when formatted.
#[derive(Debug)]
pub struct Segment<'a, T: ?Sized>(pub &'a T);

impl<T: fmt::Display + ?Sized> fmt::Display for Segment<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        struct Encoding<'a, 'b>(&'a mut fmt::Formatter<'b>);
        impl fmt::Write for Encoding<'_, '_> {
            fn write_str(&mut self, s: &str) -> fmt::Result {
                // Byte by byte: the pieces a `Display` writes may be cut
                // anywhere between characters, and encode alike.
                utf8_percent_encode(s, PATH_SET).try_for_each(|chunk| self.0.write_str(chunk))
            }
        }
        fmt::write(&mut Encoding(f), format_args!("{}", self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::Segment;

    #[test]
    fn segments_encode_as_progenitor_encodes_them() {
        for value in [
            "USR-fa7537f3-48aa-a683-a02a-b18940482f54",
            "a b/c?d#e%f{g}h<i>j`k\"l",
            "ünïcödé/😀",
            "\u{7f}\u{1}tab\t",
            "",
        ] {
            assert_eq!(
                Segment(value).to_string(),
                progenitor_client::encode_path(value),
                "{value:?}"
            );
        }
        assert_eq!(Segment(&42i64).to_string(), "42");
    }
}
