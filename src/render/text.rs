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
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

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
/// prints, formatted by hand (no `core::fmt` integer or hex machinery).
/// IPv6 follows inet_ntop's rules exactly (see [`ipv6`]); they differ from
/// the standard library's in one case: an IPv4-compatible address (96 zero
/// bits, then a non-zero seventh word) ends in dotted decimal,
/// `::10.0.0.1`, where the standard library writes `::a00:1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FastIp(pub IpAddr);

impl Display for FastIp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            IpAddr::V4(a) => f.write_str(ipv4(a, &mut [0; 15])),
            IpAddr::V6(a) => f.write_str(ipv6(a, &mut [0; 39])),
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

/// A value that appends its text to a byte buffer itself, without
/// `core::fmt` (whose machinery costs more than the formatting of an
/// address or a name): [`crate::render::json::Obj::fast`] writes the
/// values a million routes repeat this way. The text must be what the
/// value's `Display` writes.
pub trait PushText {
    /// Append the text to `out`.
    fn push_text(&self, out: &mut Vec<u8>);
}

impl PushText for &str {
    fn push_text(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.as_bytes());
    }
}

impl PushText for Cow<'_, str> {
    fn push_text(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.as_bytes());
    }
}

impl PushText for FastIp {
    fn push_text(&self, out: &mut Vec<u8>) {
        let (mut v4, mut v6) = ([0; 15], [0; 39]);
        let text = match self.0 {
            IpAddr::V4(a) => ipv4(a, &mut v4),
            IpAddr::V6(a) => ipv6(a, &mut v6),
        };
        out.extend_from_slice(text.as_bytes());
    }
}

impl PushText for Cidr {
    fn push_text(&self, out: &mut Vec<u8>) {
        FastIp(self.0).push_text(out);
        out.push(b'/');
        push_decimal(out, u32::from(self.1));
    }
}

impl PushText for NameOr<'_> {
    fn push_text(&self, out: &mut Vec<u8>) {
        match self.0 {
            Some(name) => out.extend_from_slice(name.as_bytes()),
            None => push_decimal(out, self.1),
        }
    }
}

/// `n` (any unsigned integer up to `u64`) in decimal, appended to `out`.
pub fn push_decimal(out: &mut Vec<u8>, n: impl Into<u64>) {
    let mut n: u64 = n.into();
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

/// `n` hundredths as a decimal with exactly two places (`{:.2}` of
/// `n / 100.0`, which is exact: the double nearest `n / 100` is far closer
/// to it than the rounding step), appended to `out`.
pub fn push_hundredths(out: &mut Vec<u8>, n: u32) {
    push_decimal(out, n / 100);
    let frac = (n % 100) as u8;
    out.extend_from_slice(&[b'.', b'0' + frac / 10, b'0' + frac % 10]);
}

/// `n` hundredths as serde_json writes the f64 `n / 100.0`: the shortest
/// text that reads back as that double, which is the decimal `n / 100`
/// itself without trailing zeros, and `.0` for a whole number ("1.0",
/// "0.5", "60.12"). Tested against serde_json.
pub fn push_hundredths_json(out: &mut Vec<u8>, n: u32) {
    push_decimal(out, n / 100);
    let frac = (n % 100) as u8;
    match (frac / 10, frac % 10) {
        (t, 0) => out.extend_from_slice(&[b'.', b'0' + t]),
        (t, o) => out.extend_from_slice(&[b'.', b'0' + t, b'0' + o]),
    }
}

/// Lowercase hex digits.
const HEX: &[u8; 16] = b"0123456789abcdef";

/// `bytes` as two lowercase hex digits each, `sep` between them (none if
/// `None`), appended to `out`: `hexstring_n2a` and `ll_addr_n2a`.
pub fn push_hex(out: &mut Vec<u8>, bytes: &[u8], sep: Option<u8>) {
    for (i, &b) in bytes.iter().enumerate() {
        if let (Some(sep), true) = (sep, i > 0) {
            out.push(sep);
        }
        out.extend_from_slice(&[HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
    }
}

/// `a` as glibc's `inet_ntop` (resolv/inet_ntop.c) writes it, into `out`:
/// lowercase hex words without leading zeros; the first longest run of at
/// least two zero words as `::`; and the last 32 bits in dotted decimal
/// when the run is the first six words (`::10.0.0.1`) or the first five
/// before `ffff` (`::ffff:10.0.0.1`). The longest text is eight full
/// words, 39 bytes.
fn ipv6(a: Ipv6Addr, out: &mut [u8; 39]) -> &str {
    let w = a.segments();
    let (mut best, mut best_len, mut i) = (8, 0, 0);
    while i < 8 {
        let start = i;
        while i < 8 && w[i] == 0 {
            i += 1;
        }
        if i - start > best_len {
            (best, best_len) = (start, i - start);
        }
        i += 1;
    }
    if best_len < 2 {
        (best, best_len) = (8, 0);
    }
    let dotted = best == 0 && (best_len == 6 || (best_len == 5 && w[5] == 0xffff));
    let mut o = Cursor { out, n: 0 };
    for (i, &word) in w.iter().enumerate() {
        if (best..best + best_len).contains(&i) {
            if i == best {
                o.push(b':');
            }
            continue;
        }
        if i != 0 {
            o.push(b':');
        }
        if i == 6 && dotted {
            let [.., x, y, z, t] = a.octets();
            for &b in ipv4(Ipv4Addr::new(x, y, z, t), &mut [0; 15]).as_bytes() {
                o.push(b);
            }
            break;
        }
        let digits = (4 - word.leading_zeros() as usize / 4).max(1);
        for k in (0..digits).rev() {
            o.push(b"0123456789abcdef"[(word >> (4 * k) & 0xf) as usize]);
        }
    }
    if best_len > 0 && best + best_len == 8 {
        o.push(b':');
    }
    let n = o.n;
    // Only hex digits, colons and dots were written.
    std::str::from_utf8(&out[..n]).unwrap_or("")
}

/// Bytes appended to a fixed buffer; a byte past its end is dropped (the
/// callers' lengths are bounded, so none is).
struct Cursor<'a> {
    out: &'a mut [u8],
    n: usize,
}

impl Cursor<'_> {
    fn push(&mut self, b: u8) {
        if let Some(slot) = self.out.get_mut(self.n) {
            *slot = b;
            self.n += 1;
        }
    }
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
    fn ipv6_as_inet_ntop_on_many_addresses() {
        // Words drawn mostly from 0, 1 and ffff, so that runs of zeros of
        // every length and position, and the dotted forms, all come up.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..200_000 {
            let mut w = [0u16; 8];
            for word in &mut w {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                *word = match x % 8 {
                    0..=3 => 0,
                    4 => 1,
                    5 => 0xffff,
                    _ => (x >> 16) as u16,
                };
            }
            let a = Ipv6Addr::from(w);
            let got = FastIp(IpAddr::V6(a)).to_string();
            // inet_ntop and the standard library agree but on
            // IPv4-compatible addresses.
            let want = match w[..6] == [0; 6] && w[6] != 0 {
                true => format!("::{}", Ipv4Addr::from(a.to_bits() as u32)),
                false => a.to_string(),
            };
            assert_eq!(got, want, "{w:x?}");
        }
    }

    #[test]
    fn pushed_text_is_the_displayed_text() {
        fn same<T: PushText + Display>(v: T) {
            let mut out = Vec::new();
            v.push_text(&mut out);
            assert_eq!(String::from_utf8(out).unwrap(), v.to_string());
        }
        for a in [
            "10.1.2.3",
            "::",
            "2001:db8::1",
            "::10.0.0.1",
            "::ffff:1.2.3.4",
        ] {
            let ip: IpAddr = a.parse().unwrap();
            same(FastIp(ip));
            for len in [0, 7, 32, 128, 255] {
                same(Cidr(ip, len));
            }
        }
        for n in [0, 9, 10, 254, 65535, u32::MAX] {
            same(NameOr(None, n));
        }
        same(NameOr(Some("main"), 254));
        same("v0");
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

    /// Every tick count to 2M and a spread of larger ones up to u32::MAX
    /// (a multiplicative walk) against `{:.2}` and serde_json's f64.
    #[test]
    fn hundredths_as_format_and_serde_write_them() {
        let spread = std::iter::successors(Some(2_000_000u32), |&n| n.checked_add(n / 977 + 1));
        for n in (0..2_000_000).chain(spread).chain([u32::MAX]) {
            let seconds = f64::from(n) / 100.0;
            let (mut fixed, mut json) = (Vec::new(), Vec::new());
            push_hundredths(&mut fixed, n);
            push_hundredths_json(&mut json, n);
            assert_eq!(fixed, format!("{seconds:.2}").as_bytes(), "{n}");
            assert_eq!(json, serde_json::to_vec(&seconds).unwrap(), "{n}");
        }
    }

    #[test]
    fn hex_with_and_without_separators() {
        let mut out = Vec::new();
        push_hex(&mut out, &[0x02, 0xab, 0x00, 0xff], Some(b':'));
        assert_eq!(out, b"02:ab:00:ff");
        out.clear();
        push_hex(&mut out, &[0x0f, 0xa0], None);
        assert_eq!(out, b"0fa0");
        out.clear();
        push_hex(&mut out, &[], Some(b':'));
        assert!(out.is_empty());
    }
}
