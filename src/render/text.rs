//! Text for the hot path: a stack buffer that `Display` values are written
//! into before they become one JSON string, and IP addresses written
//! without the `core::fmt` integer machinery.
//!
//! serde_json's `collect_str` escapes every fragment a `Display` impl
//! writes, one call each; an address with its prefix length is eight
//! fragments. Formatting into [`StackStr`] first makes it one string, one
//! escape scan, no allocation.

use std::fmt::{self, Display, Write};
use std::net::{IpAddr, Ipv4Addr};

use serde::Serializer;

/// Room for the longest text nlq formats on the hot path: an IPv6 address
/// with a prefix length is at most 43 bytes.
const CAP: usize = 64;

/// A string of up to 64 bytes on the stack; writing more marks it full.
pub struct StackStr {
    buf: [u8; CAP],
    len: usize,
    full: bool,
}

impl StackStr {
    /// An empty buffer.
    pub fn new() -> Self {
        StackStr {
            buf: [0; CAP],
            len: 0,
            full: false,
        }
    }

    /// The text, or `None` if it did not fit.
    pub fn as_str(&self) -> Option<&str> {
        if self.full {
            return None;
        }
        // Only whole `&str`s are ever appended, so this cannot fail.
        std::str::from_utf8(&self.buf[..self.len]).ok()
    }
}

impl Default for StackStr {
    fn default() -> Self {
        StackStr::new()
    }
}

impl Write for StackStr {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        match self.buf.get_mut(self.len..self.len + s.len()) {
            Some(dst) if !self.full => {
                dst.copy_from_slice(s.as_bytes());
                self.len += s.len();
                Ok(())
            }
            _ => {
                self.full = true;
                Err(fmt::Error)
            }
        }
    }
}

/// Serialize `value` as one JSON string: through the stack when it fits,
/// through `collect_str` when it does not.
pub fn serialize_display<S: Serializer, T: Display + ?Sized>(
    s: S,
    value: &T,
) -> Result<S::Ok, S::Error> {
    let mut buf = StackStr::new();
    match write!(buf, "{value}").ok().and(buf.as_str()) {
        Some(text) => s.serialize_str(text),
        None => s.collect_str(value),
    }
}

/// An IP address that formats IPv4 by hand (IPv6 as the standard library
/// does, for its RFC 5952 compression).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FastIp(pub IpAddr);

impl Display for FastIp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            IpAddr::V4(a) => f.write_str(ipv4(a, &mut [0; 15])),
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
        let v6: IpAddr = "2001:db8::1".parse().unwrap();
        assert_eq!(FastIp(v6).to_string(), "2001:db8::1");
    }

    #[test]
    fn stack_str_overflow_falls_back() {
        let long = "x".repeat(100);
        let mut v = Vec::new();
        serialize_display(&mut serde_json::Serializer::new(&mut v), &long).unwrap();
        assert_eq!(v.len(), 102);
        let mut v = Vec::new();
        serialize_display(&mut serde_json::Serializer::new(&mut v), "a\"b").unwrap();
        assert_eq!(v, br#""a\"b""#);
    }
}
