//! Text for the hot path: one reused string that `Display` values are
//! written into before they become one JSON string, and IP addresses
//! written without the `core::fmt` integer machinery.
//!
//! serde_json's `collect_str` escapes every fragment a `Display` impl
//! writes, one call each; an address with its prefix length is eight
//! fragments. Formatting into a scratch `String` first makes it one string,
//! one escape scan, no allocation after the first, and no UTF-8 check
//! (a stack buffer of bytes would need one to become a `&str` again).

use std::cell::RefCell;
use std::fmt::{self, Display, Write};
use std::net::{IpAddr, Ipv4Addr};

use serde::Serializer;

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
