//! Text for the hot path: one reused string that `Display` values are
//! written into before they become one JSON string, and IP addresses
//! written without the `core::fmt` integer machinery.
//!
//! serde_json's `collect_str` escapes every fragment a `Display` impl
//! writes, one call each; an address with its prefix length is eight
//! fragments. Formatting into a scratch `String` first makes it one string,
//! one escape scan, no allocation after the first, and no UTF-8 check
//! (a stack buffer of bytes would need one to become a `&str` again).

use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt::{self, Display, Write};
use std::net::{IpAddr, Ipv4Addr};

use serde::{Serialize, Serializer};

use crate::model::{AF_INET, AF_INET6};

thread_local! {
    /// The scratch text of [`serialize_display`], reused for every value.
    static SCRATCH: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Serialize `value` as one JSON string: formatted into a reused string,
/// or through `collect_str` if that string is busy or formatting failed.
pub fn serialize_display<S: Serializer, T: Display + ?Sized>(
    s: S,
    value: &T,
) -> Result<S::Ok, S::Error> {
    SCRATCH.with(|cell| {
        // Busy only if a `Display` impl serialized from inside `fmt`.
        let Ok(mut text) = cell.try_borrow_mut() else {
            return s.collect_str(value);
        };
        text.clear();
        if write!(text, "{value}").is_err() {
            return s.collect_str(value);
        }
        s.serialize_str(&text)
    })
}

/// An IP address as glibc's `inet_ntop` writes it, which is what `ip`
/// prints: IPv4 formatted by hand; IPv6 as the standard library does (RFC
/// 5952 compression), except that an IPv4-compatible address (96 zero
/// bits, then a non-zero seventh word) ends in dotted decimal:
/// `::10.0.0.1`, where the standard library writes `::a00:1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FastIp(pub IpAddr);

impl Display for FastIp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            IpAddr::V4(a) => f.write_str(ipv4(a, &mut [0; 15])),
            IpAddr::V6(a) if a.segments()[..6] == [0; 6] && a.segments()[6] != 0 => {
                let [.., w, x, y, z] = a.octets();
                f.write_str("::")?;
                f.write_str(ipv4(Ipv4Addr::new(w, x, y, z), &mut [0; 15]))
            }
            IpAddr::V6(a) => a.fmt(f),
        }
    }
}

/// Serialized as `ip` prints it, not as serde spells an `IpAddr`.
impl Serialize for FastIp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize_display(s, self)
    }
}

/// Any `Display` as one JSON string (through [`serialize_display`]).
pub struct Str<T>(pub T);

impl<T: Display> Serialize for Str<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        serialize_display(s, &self.0)
    }
}

/// `addr/len`, the address as [`FastIp`] writes it.
pub struct Cidr(pub IpAddr, pub u8);

impl Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        FastIp(self.0).fmt(f)?;
        f.write_char('/')?;
        small_number(f, self.1)
    }
}

/// A prefix length in decimal, without `core::fmt`'s integer machinery
/// (once per route on the hot path).
fn small_number(f: &mut fmt::Formatter<'_>, n: u8) -> fmt::Result {
    let digit = |d: u8| char::from(b'0' + d);
    if n >= 100 {
        f.write_char(digit(n / 100))?;
    }
    if n >= 10 {
        f.write_char(digit(n / 10 % 10))?;
    }
    f.write_char(digit(n % 10))
}

/// A name from an editable table, or the number when it has none.
pub struct NameOr<'a>(pub Option<&'a str>, pub u32);

impl Display for NameOr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(name) => f.write_str(name),
            None => write!(f, "{}", self.1),
        }
    }
}

/// C's `%#llx`: `0x` + lowercase hex, but plain `0` for zero.
pub struct Hex(pub u64);

impl Display for Hex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 {
            f.write_str("0")
        } else {
            write!(f, "{:#x}", self.0)
        }
    }
}

/// nlq's name of an address family: `inet`, `inet6`, else the number.
pub fn family_text(f: u8) -> Cow<'static, str> {
    match f {
        AF_INET => "inet".into(),
        AF_INET6 => "inet6".into(),
        f => f.to_string().into(),
    }
}

/// `a` in dotted decimal, written into `out`.
fn ipv4(a: Ipv4Addr, out: &mut [u8; 15]) -> &str {
    let mut n = 0;
    for (i, octet) in a.octets().into_iter().enumerate() {
        if i > 0 {
            out[n] = b'.';
            n += 1;
        }
        let (h, t, o) = (octet / 100, octet / 10 % 10, octet % 10);
        if h > 0 {
            out[n] = b'0' + h;
            n += 1;
        }
        if h > 0 || t > 0 {
            out[n] = b'0' + t;
            n += 1;
        }
        out[n] = b'0' + o;
        n += 1;
    }
    // Only ASCII digits and dots were written.
    std::str::from_utf8(&out[..n]).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv4_like_std() {
        for a in [
            "0.0.0.0",
            "255.255.255.255",
            "10.0.100.9",
            "192.168.1.10",
            "1.20.100.0",
        ] {
            let ip: IpAddr = a.parse().unwrap();
            assert_eq!(FastIp(ip).to_string(), a);
        }
        for (a, text) in [
            ("2001:db8::1", "2001:db8::1"),
            ("::1", "::1"),
            ("::", "::"),
            ("::10.0.0.1", "::10.0.0.1"), // std: ::a00:1
            ("::10.0.0.0", "::10.0.0.0"), // std: ::a00:0
            ("::0.1.0.0", "::0.1.0.0"),   // std: ::1:0
            ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
            ("::0.0.1.1", "::101"), // seven zero words: not the dotted form
            ("::ffff:10.0.0.1", "::ffff:10.0.0.1"),
            ("::1:0:0:1", "::1:0:0:1"),
        ] {
            let ip: IpAddr = a.parse().unwrap();
            assert_eq!(FastIp(ip).to_string(), text, "{a}");
        }
    }

    #[test]
    fn prefix_lengths_in_decimal() {
        let a: IpAddr = "10.0.0.0".parse().unwrap();
        for len in [0u8, 7, 10, 24, 32, 99, 100, 128, 255] {
            assert_eq!(Cidr(a, len).to_string(), format!("10.0.0.0/{len}"));
        }
    }

    #[test]
    fn display_values_become_one_escaped_string() {
        let long = "x".repeat(100);
        let mut v = Vec::new();
        serialize_display(&mut serde_json::Serializer::new(&mut v), &long).unwrap();
        assert_eq!(v.len(), 102);
        let mut v = Vec::new();
        serialize_display(&mut serde_json::Serializer::new(&mut v), "a\"b").unwrap();
        assert_eq!(v, br#""a\"b""#);
    }
}
