//! IP protocol names (`tcp`, `ipv6-icmp`) from `/etc/protocols`, the way
//! glibc's `getprotobynumber` finds them for iproute2's `inet_proto_n2a`:
//! the official name (first word) of the first line with that number.

use std::collections::HashMap;
use std::path::Path;

/// The system's protocol database: IP protocol number → official name.
#[derive(Debug, Clone, Default)]
pub struct IpProtos {
    by_number: HashMap<u8, String>,
}

impl IpProtos {
    /// An empty table: every protocol shows as a number.
    pub fn new() -> Self {
        IpProtos::default()
    }

    /// The table in `text`, in `/etc/protocols` syntax: `name number
    /// [aliases...]`, `#` starting a comment. The first line for a number
    /// wins, as in glibc's sequential file lookup; numbers above 255 (not
    /// IP protocol numbers, mptcp's 262) and junk lines are skipped.
    pub fn parse(text: &str) -> Self {
        let mut by_number = HashMap::new();
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("");
            let mut words = line.split_whitespace();
            let (Some(name), Some(num)) = (words.next(), words.next()) else {
                continue;
            };
            if let Ok(n) = num.parse::<u8>() {
                by_number.entry(n).or_insert_with(|| name.to_string());
            }
        }
        IpProtos { by_number }
    }

    /// Read `path`; a missing or unreadable file is an empty table (glibc
    /// then finds no name either).
    pub fn load(path: &Path) -> Self {
        std::fs::read_to_string(path)
            .map(|t| IpProtos::parse(&t))
            .unwrap_or_default()
    }

    /// This machine's `/etc/protocols`.
    pub fn system() -> Self {
        IpProtos::load(Path::new("/etc/protocols"))
    }

    /// This machine's table, or an empty one under `-N` (`names.numeric`),
    /// where ip prints `ipproto-6` rather than `tcp`.
    pub fn for_names(names: &crate::names::Names) -> Self {
        if names.numeric {
            IpProtos::new()
        } else {
            IpProtos::system()
        }
    }

    /// The official name of protocol `n`, if the database has one.
    pub fn name(&self, n: u8) -> Option<&str> {
        self.by_number.get(&n).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_line_wins_and_junk_is_skipped() {
        let p = IpProtos::parse(
            "# comment\nip\t0\tIP\t\t# internet protocol\ntcp 6 TCP\n\
             tcp-again 6\nipv6-icmp 58 IPv6-ICMP\nmptcp 262 MPTCP\nlonely\nbad x\n",
        );
        assert_eq!(p.name(0), Some("ip"));
        assert_eq!(p.name(6), Some("tcp"), "first line for 6 wins");
        assert_eq!(p.name(58), Some("ipv6-icmp"));
        assert_eq!(p.name(200), None);
        assert_eq!(p.by_number.len(), 3, "262 and junk lines skipped");
    }

    #[test]
    fn missing_file_is_empty() {
        let p = IpProtos::load(Path::new("/nonexistent/protocols"));
        assert_eq!(p.name(6), None);
    }
}
