//! Multicast addresses per link (`ip maddr`): [`Maddr`], parsed from the
//! three text files iproute2 6.1 reads (ip/ipmaddr.c), which the kernel
//! writes per network namespace:
//!
//! - `dev_mcast`: link-layer addresses (net/core/dev_addr_lists.c,
//!   `"%-4d %-15s %-5d %-5d %*phN"`: index, name, users, static, address);
//! - `igmp`: IPv4 groups (net/ipv4/igmp.c): a heading line, then a line
//!   per device (`"%d\t%-10s: %5d %7s"`) followed by one tab-led line per
//!   group (`"\t\t\t\t%08X %5d %d:%08lX\t\t%d"`: address, users, ...);
//! - `igmp6`: IPv6 groups (net/ipv6/mcast.c, `"%-4d %-15s %pi6 %5d %08X
//!   %ld"`: index, name, address, users, flags, timer).
//!
//! Unlike ip, which skips (or misreads) a line it cannot scan, a line
//! that does not parse is an error naming its number; nothing here
//! panics on any text.

use std::net::{Ipv4Addr, Ipv6Addr};

/// `AF_PACKET`: the family ip gives link-layer entries (`link`).
pub const AF_PACKET: u8 = 17;

/// One multicast address, as the kernel lists it, in its file's order.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Maddr {
    /// Interface index (the files' first column).
    pub ifindex: u32,
    /// Interface name, as the file spells it.
    pub ifname: String,
    /// The address: link-layer, IPv4 or IPv6.
    pub group: Group,
    /// How many users hold the address (dev_mcast `refcount`, igmp and
    /// igmp6 `users`).
    pub users: u32,
    /// Added by hand (`ip maddr add`) rather than by a protocol: dev_mcast's
    /// `global_use` (link-layer entries only).
    pub is_static: bool,
}

/// A multicast address of one of the three families.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Group {
    /// A link-layer address, its bytes (dev_mcast).
    Link(Vec<u8>),
    /// An IPv4 group (igmp).
    Inet(Ipv4Addr),
    /// An IPv6 group (igmp6).
    Inet6(Ipv6Addr),
}

impl Group {
    /// The family: AF_PACKET, AF_INET or AF_INET6.
    pub fn family(&self) -> u8 {
        match self {
            Group::Link(_) => AF_PACKET,
            Group::Inet(_) => crate::wire::attr::AF_INET,
            Group::Inet6(_) => crate::wire::attr::AF_INET6,
        }
    }
}

/// A line that does not parse: its number (from 1) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// The line's number, counting from 1.
    pub line: usize,
    /// What is wrong with it.
    pub what: String,
}

/// The whitespace-separated fields of line `n`, at least `min` of them.
fn fields(n: usize, line: &str, min: usize) -> Result<Vec<&str>, LineError> {
    let f: Vec<&str> = line.split_whitespace().collect();
    if f.len() < min {
        return Err(err(n, format!("{} fields, expected {min}", f.len())));
    }
    Ok(f)
}

fn err(line: usize, what: String) -> LineError {
    LineError { line, what }
}

/// A decimal field called `what`.
fn number(n: usize, text: &str, what: &str) -> Result<u32, LineError> {
    text.parse()
        .map_err(|_| err(n, format!("{what} {text:?} is not a number")))
}

/// Bytes from pairs of hex digits (`parse_hex`); an odd count or a
/// non-digit is an error.
fn hex_bytes(n: usize, text: &str) -> Result<Vec<u8>, LineError> {
    let bad = || err(n, format!("address {text:?} is not hex bytes"));
    if text.len() % 2 != 0 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad());
    }
    (0..text.len())
        .step_by(2)
        .map(|i| {
            text.get(i..i + 2)
                .and_then(|p| u8::from_str_radix(p, 16).ok())
        })
        .collect::<Option<Vec<u8>>>()
        .ok_or_else(bad)
}

/// The lines of `text` that are not blank, with their line numbers
/// (from 1, for errors).
fn numbered(text: &str) -> impl Iterator<Item = (usize, &str)> {
    (1..)
        .zip(text.lines())
        .filter(|(_, l)| !l.trim().is_empty())
}

/// Parse /proc/net/dev_mcast: link-layer addresses.
pub fn parse_dev_mcast(text: &str) -> Result<Vec<Maddr>, LineError> {
    let mut out = Vec::new();
    for (n, line) in numbered(text) {
        // A device whose address length is 0 prints an empty address.
        let f = fields(n, line, 4)?;
        let address = hex_bytes(n, f.get(4).copied().unwrap_or(""))?;
        out.push(Maddr {
            ifindex: number(n, f[0], "index")?,
            ifname: f[1].to_string(),
            group: Group::Link(address),
            users: number(n, f[2], "users")?,
            is_static: number(n, f[3], "static count")? != 0,
        });
    }
    Ok(out)
}

/// Parse /proc/net/igmp: IPv4 groups under their device's line.
pub fn parse_igmp(text: &str) -> Result<Vec<Maddr>, LineError> {
    let mut out = Vec::new();
    let mut dev: Option<(u32, String)> = None;
    // The first line is the heading.
    for (i, line) in text.lines().enumerate().skip(1) {
        let n = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        if !line.starts_with('\t') {
            let f = fields(n, line, 2)?;
            // A name of 10 or more characters runs into the colon.
            let name = f[1].strip_suffix(':').unwrap_or(f[1]);
            dev = Some((number(n, f[0], "index")?, name.to_string()));
            continue;
        }
        let Some((ifindex, ifname)) = &dev else {
            return Err(err(n, "a group before any device".into()));
        };
        let f = fields(n, line, 2)?;
        let raw = u32::from_str_radix(f[0], 16)
            .ok()
            .filter(|_| f[0].len() == 8)
            .ok_or_else(|| err(n, format!("group {:?} is not 8 hex digits", f[0])))?;
        out.push(Maddr {
            ifindex: *ifindex,
            ifname: ifname.clone(),
            // The kernel prints the __be32 as a host-order number; ip
            // scans it back the same way: the bytes are the host's.
            group: Group::Inet(Ipv4Addr::from(raw.to_ne_bytes())),
            users: number(n, f[1], "users")?,
            is_static: false,
        });
    }
    Ok(out)
}

/// Parse /proc/net/igmp6: IPv6 groups, one a line.
pub fn parse_igmp6(text: &str) -> Result<Vec<Maddr>, LineError> {
    let mut out = Vec::new();
    for (n, line) in numbered(text) {
        let f = fields(n, line, 4)?;
        let bytes: [u8; 16] = hex_bytes(n, f[2])?
            .try_into()
            .map_err(|_| err(n, format!("group {:?} is not 16 bytes", f[2])))?;
        out.push(Maddr {
            ifindex: number(n, f[0], "index")?,
            ifname: f[1].to_string(),
            group: Group::Inet6(Ipv6Addr::from(bytes)),
            users: number(n, f[3], "users")?,
            is_static: false,
        });
    }
    Ok(out)
}

/// ip's order: by interface index, and within one interface link-layer
/// entries, then IPv4, then IPv6, each in its file's order (`maddr_ins`
/// inserts after the entries of equal index). `lists` come in that order.
pub fn merge(lists: Vec<Vec<Maddr>>) -> Vec<Maddr> {
    let mut all: Vec<Maddr> = lists.into_iter().flatten().collect();
    // A stable sort keeps the files' order among equal indexes.
    all.sort_by_key(|m| m.ifindex);
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    // As a 6.1 kernel writes them, tabs and padding included.
    const IGMP: &str = "Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n\
        3\tv0        :     2      V3\n\
        \t\t\t\t030201E0     1 0:00000000\t\t0\n\
        \t\t\t\t010000E0     2 0:00000000\t\t0\n\
        4\tlong-name-1: 1      V3\n\
        \t\t\t\t010000E0     1 0:00000000\t\t0\n";
    const IGMP6: &str = "3    v0              ff020000000000000000000000000001     1 0000000C 0\n";
    const DEV_MCAST: &str = "3    v0              1     0     333300000001\n\
        3    v0              1     1     333300000042\n";

    #[test]
    fn igmp_groups_sit_under_their_device() {
        let m = parse_igmp(IGMP).unwrap();
        assert_eq!(m.len(), 3);
        // 030201E0 is 224.1.2.3 as a little-endian host prints it.
        let first = if cfg!(target_endian = "little") {
            Ipv4Addr::new(224, 1, 2, 3)
        } else {
            Ipv4Addr::new(3, 2, 1, 224)
        };
        assert_eq!((m[0].ifindex, &*m[0].ifname), (3, "v0"));
        assert_eq!(m[0].group, Group::Inet(first));
        assert_eq!(m[1].users, 2);
        assert_eq!((m[2].ifindex, &*m[2].ifname), (4, "long-name-1"));
    }

    #[test]
    fn igmp6_and_dev_mcast() {
        let m = parse_igmp6(IGMP6).unwrap();
        assert_eq!(m[0].group, Group::Inet6("ff02::1".parse().unwrap()));
        assert_eq!((m[0].ifindex, m[0].users), (3, 1));
        let l = parse_dev_mcast(DEV_MCAST).unwrap();
        assert_eq!(l[1].group, Group::Link(vec![0x33, 0x33, 0, 0, 0, 0x42]));
        assert!(!l[0].is_static && l[1].is_static);
    }

    #[test]
    fn malformed_lines_are_errors_with_their_number() {
        let bad = parse_dev_mcast("3 v0 1 0 3333\n3 v0 x 0 3333\n").unwrap_err();
        assert_eq!(bad.line, 2);
        assert_eq!(parse_dev_mcast("3 v0 1 0 333\n").unwrap_err().line, 1);
        assert_eq!(parse_dev_mcast("3 v0 1 0 33zz\n").unwrap_err().line, 1);
        assert_eq!(parse_igmp6("1 lo ff02 1 0 0\n").unwrap_err().line, 1);
        assert_eq!(parse_igmp6("1 lo\n").unwrap_err().line, 1);
        let head = "Idx\tDevice\n";
        let orphan = format!("{head}\t\t\t\t010000E0 1 0:0\t\t0\n");
        assert_eq!(parse_igmp(&orphan).unwrap_err().line, 2);
        let short = format!("{head}1\tlo :\n\t\t\t\t0100E0 1\n");
        assert_eq!(parse_igmp(&short).unwrap_err().line, 3);
        // Multi-byte text where hex is expected: an error, not a panic.
        assert!(parse_dev_mcast("3 v0 1 0 é3\n").is_err());
    }

    #[test]
    fn merged_by_index_links_first() {
        let all = merge(vec![
            parse_dev_mcast(DEV_MCAST).unwrap(),
            parse_igmp(IGMP).unwrap(),
            parse_igmp6(IGMP6).unwrap(),
        ]);
        let families: Vec<u8> = all.iter().map(|m| m.group.family()).collect();
        assert_eq!(families, [AF_PACKET, AF_PACKET, 2, 2, 10, 2]);
        assert_eq!(all[5].ifindex, 4);
    }
}
