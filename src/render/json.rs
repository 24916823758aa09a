//! A JSON object written straight into a byte buffer, for the objects
//! printed a million times (routes in nlq's schema).
//!
//! serde_json writes a map key in five small pieces (the comma, a quote,
//! the escaped key, a quote, the colon), each a bounds-checked append; for
//! a route of forty keys that was a quarter of `nlq routes --json`'s time.
//! [`Obj`] writes `,"key":` as one append of a literal the [`key!`] macro
//! renders at compile time: keys are nlq's own identifiers and need no
//! escaping. Values go through serde_json, so every string is escaped as
//! JSON requires, except through [`Obj::text`]: a `Display` value written
//! straight into the buffer between quotes, then checked, and escaped by
//! serde_json only when it holds a byte that needs it (addresses, names
//! and numbers never do, and serde_json's escaping scan and the copy
//! through a scratch string were a tenth of `nlq routes --json`).

use std::fmt;
use std::io::{self, Write};

use serde::Serialize;
use serde::ser::SerializeMap;

use super::text::PushText;

/// A key rendered at compile time as `,"name":` by [`key!`].
#[derive(Debug, Clone, Copy)]
pub struct Key(&'static str);

impl Key {
    /// Wrap `,"name":`; use [`key!`], which writes it from the name.
    pub const fn new(rendered: &'static str) -> Self {
        Key(rendered)
    }
}

/// The [`Key`] for a name that needs no escaping: `key!("dst")`.
macro_rules! key {
    ($name:literal) => {
        $crate::render::json::Key::new(concat!(",\"", $name, "\":"))
    };
}
pub(crate) use key;

/// Whether `text` holds a byte JSON strings must escape: `"`, `\\`, or
/// a control character. (Valid UTF-8 needs nothing else.)
fn needs_escape(text: &[u8]) -> bool {
    text.iter().any(|&b| b < 0x20 || b == b'"' || b == b'\\')
}

/// `value` as a JSON string appended to `out` (`null` for `None`): its
/// text written straight in by `write` (false: it failed), between quotes,
/// and escaped by serde_json only if it turns out to need it (rare: a
/// name with a quote, a backslash or a control character).
fn string<T>(
    out: &mut Vec<u8>,
    value: Option<T>,
    write: impl FnOnce(&T, &mut Vec<u8>) -> bool,
) -> io::Result<()> {
    let Some(value) = value else {
        out.extend_from_slice(b"null");
        return Ok(());
    };
    let start = out.len();
    out.push(b'"');
    let written = write(&value, out);
    let text = out.get(start + 1..).unwrap_or_default();
    if written && !needs_escape(text) {
        out.push(b'"');
        return Ok(());
    }
    let text = String::from_utf8_lossy(text).into_owned();
    out.truncate(start);
    serde_json::to_writer(out, &text).map_err(io::Error::from)
}

/// A value nlq writes itself as one JSON object, key by key with [`Obj`].
pub trait JsonObject {
    /// Write the object's keys and values into the open object `m`.
    fn fields(&self, m: &mut Obj<'_>) -> io::Result<()>;

    /// Append the object, braces included, to `out`.
    fn write(&self, out: &mut Vec<u8>) -> io::Result<()> {
        let mut m = Obj::begin(out);
        self.fields(&mut m)?;
        m.end();
        Ok(())
    }

    /// The object as JSON text.
    #[cfg(test)]
    fn to_json(&self) -> String {
        let mut out = Vec::new();
        // Writing to memory fails only if a value's Serialize impl does.
        match self.write(&mut out) {
            Ok(()) => String::from_utf8(out).unwrap_or_default(),
            Err(e) => format!("{{\"error\":{:?}}}", e.to_string()),
        }
    }
}

/// An object of nlq's schema that writes its entries into any open map:
/// through serde as an element of a listing's array, or into an [`Obj`]
/// after a monitor event's envelope, so both print the same keys in the
/// same order. [`entries_serialize!`] makes such a type `Serialize`.
pub trait Entries {
    /// Write the object's keys and values into the open map `m`.
    fn entries<M: SerializeMap>(&self, m: &mut M) -> Result<(), M::Error>;
}

/// `impl Serialize` for [`Entries`] types: a map of their entries.
macro_rules! entries_serialize {
    ($($t:ty),+ $(,)?) => {$(
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap as _;
                let mut m = s.serialize_map(None)?;
                $crate::render::json::Entries::entries(self, &mut m)?;
                m.end()
            }
        }
    )+};
}
pub(crate) use entries_serialize;

/// An open JSON object in `out`; [`Obj::end`] closes it.
pub struct Obj<'b> {
    out: &'b mut Vec<u8>,
    first: bool,
}

impl<'b> Obj<'b> {
    /// Open an object at the end of `out`.
    pub fn begin(out: &'b mut Vec<u8>) -> Self {
        out.push(b'{');
        Obj { out, first: true }
    }

    /// Write `"key":` (after a comma unless it is the first key) and
    /// return the buffer for the value.
    fn key(&mut self, key: Key) -> &mut Vec<u8> {
        let rendered = key.0.as_bytes();
        // Without its comma for the first key (the literal starts with one).
        let start = usize::from(self.first);
        self.out
            .extend_from_slice(rendered.get(start..).unwrap_or(rendered));
        self.first = false;
        self.out
    }

    /// `"key": value`, the value serialized by serde_json.
    pub fn entry<T: Serialize + ?Sized>(&mut self, key: Key, value: &T) -> io::Result<()> {
        serde_json::to_writer(self.key(key), value).map_err(io::Error::from)
    }

    /// `"key": "value"` for a `Display` value, or `"key": null` for
    /// `None`: formatted straight into the buffer, and escaped only if it
    /// turns out to need it. The same JSON as [`Obj::entry`] with
    /// `render::text::Str`.
    pub fn text<T: fmt::Display>(&mut self, key: Key, value: Option<T>) -> io::Result<()> {
        string(self.key(key), value, |v, out| write!(out, "{v}").is_ok())
    }

    /// [`Obj::text`] for the values a listing repeats on every object
    /// (addresses, prefixes, names): appended by [`PushText`], without
    /// `core::fmt`.
    pub fn fast<T: PushText>(&mut self, key: Key, value: Option<T>) -> io::Result<()> {
        string(self.key(key), value, |v, out| {
            v.push_text(out);
            true
        })
    }

    /// `"key": ["a","b"]`: a list of strings, each appended by
    /// [`PushText`] and escaped only if it needs it, as [`Obj::fast`].
    pub fn fast_list<T: PushText>(
        &mut self,
        key: Key,
        items: impl IntoIterator<Item = T>,
    ) -> io::Result<()> {
        let out = self.key(key);
        out.push(b'[');
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            string(out, Some(item), |v, out| {
                v.push_text(out);
                true
            })?;
        }
        out.push(b']');
        Ok(())
    }

    /// `"key": value` where `write` appends the value's JSON text itself
    /// (a number nlq formats by hand, say); it must append exactly one
    /// JSON value.
    pub fn raw(&mut self, key: Key, write: impl FnOnce(&mut Vec<u8>)) {
        write(self.key(key));
    }

    /// `"key": {...}`: a nested object, closed by its own [`Obj::end`].
    pub fn object(&mut self, key: Key) -> Obj<'_> {
        Obj::begin(self.key(key))
    }

    /// `"key": [...]`: a list of objects, each written by `each`.
    pub fn objects<I, F>(&mut self, key: Key, items: I, mut each: F) -> io::Result<()>
    where
        I: IntoIterator,
        F: FnMut(&mut Obj<'_>, I::Item) -> io::Result<()>,
    {
        let out = self.key(key);
        out.push(b'[');
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            let mut obj = Obj::begin(out);
            each(&mut obj, item)?;
            obj.end();
        }
        out.push(b']');
        Ok(())
    }

    /// Close the object.
    pub fn end(self) {
        self.out.push(b'}');
    }
}

/// An open object takes serde's map entries: keys and values written by
/// serde_json, as [`Obj::entry`] writes them.
impl SerializeMap for Obj<'_> {
    type Ok = ();
    type Error = serde_json::Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Self::Error> {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        serde_json::to_writer(&mut *self.out, key)?;
        self.out.push(b':');
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Self::Error> {
        serde_json::to_writer(&mut *self.out, value)
    }

    fn end(self) -> Result<(), Self::Error> {
        Obj::end(self);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_written_into_an_obj_are_serdes_map() {
        struct Two;
        impl Entries for Two {
            fn entries<M: SerializeMap>(&self, m: &mut M) -> Result<(), M::Error> {
                m.serialize_entry("a", &1)?;
                m.serialize_entry("b\"", &[None, Some("x")])
            }
        }
        entries_serialize!(Two);
        let mut out = Vec::new();
        let mut o = Obj::begin(&mut out);
        o.entry(key!("head"), &true).unwrap();
        Two.entries(&mut o).unwrap();
        o.end();
        let via_serde = serde_json::to_string(&Two).unwrap();
        assert_eq!(via_serde, r#"{"a":1,"b\"":[null,"x"]}"#);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            format!("{{\"head\":true,{}", &via_serde[1..])
        );
    }

    #[test]
    fn keys_are_rendered_at_compile_time() {
        assert_eq!(key!("dst").0, ",\"dst\":");
    }

    #[test]
    fn writes_the_json_serde_would() {
        let mut out = Vec::new();
        let mut o = Obj::begin(&mut out);
        o.entry(key!("a"), &1).unwrap();
        o.entry(key!("s"), "quote\" and \u{1}").unwrap();
        o.entry(key!("none"), &None::<u8>).unwrap();
        let mut inner = o.object(key!("in"));
        inner.entry(key!("x"), &[1, 2]).unwrap();
        inner.end();
        o.objects(key!("list"), [1, 2], |obj, n| obj.entry(key!("n"), &n))
            .unwrap();
        o.objects(key!("empty"), [0u8; 0], |_, _| Ok(())).unwrap();
        let empty = o.object(key!("e"));
        empty.end();
        o.end();
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(
            v,
            serde_json::json!({
                "a": 1, "s": "quote\" and \u{1}", "none": null,
                "in": {"x": [1, 2]}, "list": [{"n": 1}, {"n": 2}], "empty": [], "e": {}
            })
        );
        // Key order is kept, as serde_json's map would keep it.
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with(r#"{"a":1,"s":"quote\" and \u0001","none":null,"in":{"#));
    }

    #[test]
    fn lists_and_raw_values() {
        let mut out = Vec::new();
        let mut o = Obj::begin(&mut out);
        o.fast_list(key!("l"), ["a", "q\"", ""]).unwrap();
        o.fast_list(key!("e"), [""; 0]).unwrap();
        o.raw(key!("r"), |out| out.extend_from_slice(b"1.5"));
        o.end();
        let want = serde_json::json!({"l": ["a", "q\"", ""], "e": [], "r": 1.5});
        assert_eq!(String::from_utf8(out).unwrap(), want.to_string());
    }

    #[test]
    fn text_writes_what_serde_would_escaping_only_when_needed() {
        for value in [
            "main",
            "10.0.0.0/8",
            "",
            "quote\"",
            "back\\slash",
            "tab\t",
            "\u{1f}",
            "é\u{7f}",
        ] {
            let mut fast = Vec::new();
            let mut o = Obj::begin(&mut fast);
            o.text(key!("v"), Some(value)).unwrap();
            o.text(key!("n"), None::<&str>).unwrap();
            o.end();
            let want = serde_json::json!({"v": value, "n": null}).to_string();
            assert_eq!(String::from_utf8(fast).unwrap(), want, "{value:?}");
        }
    }
}
