//! Names for routing tables, protocols, scopes, realms and device groups,
//! read from iproute2's configuration files the way `ip` reads them.
//!
//! Each table starts from iproute2's built-in defaults, then
//! `/etc/iproute2/<file>` and the `*.conf` files of `/etc/iproute2/<file>.d`
//! (in name order) are read in turn; a later line for the same number wins,
//! as in iproute2's `rtnl_tab_initialize`. Lines are `NUMBER NAME`, the
//! number decimal or `0x` hex, `#` starting a comment.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// A number → name table, with the reverse lookup. Ordered, not hashed:
/// a handful of entries, looked up several times per route.
///
/// Its files are read at the first lookup, not before: `nlq links` never
/// asks for a routing table's name, and a command that prints a handful
/// of objects should not open six files and six directories it does not
/// need (`ip` reads them lazily too).
#[derive(Debug, Clone, Default)]
pub struct NameTable {
    /// iproute2's built-in names, which the files override.
    defaults: &'static [(u32, &'static str)],
    /// Where the rest comes from: a directory, a file name in it, and the
    /// largest id the table takes; `None` for built-in names only.
    source: Option<(Arc<Path>, &'static str, u32)>,
    by_id: OnceLock<BTreeMap<u32, String>>,
}

impl NameTable {
    fn with_defaults(defaults: &'static [(u32, &'static str)]) -> Self {
        NameTable {
            defaults,
            ..NameTable::default()
        }
    }

    /// The built-in `defaults` overridden by `dir/file` (see [`Self::load`]),
    /// read when first asked.
    fn from_files(
        defaults: &'static [(u32, &'static str)],
        dir: &Arc<Path>,
        file: &'static str,
        max: u32,
    ) -> Self {
        NameTable {
            defaults,
            source: Some((Arc::clone(dir), file, max)),
            by_id: OnceLock::new(),
        }
    }

    fn by_id(&self) -> &BTreeMap<u32, String> {
        self.by_id.get_or_init(|| {
            let mut by_id = self
                .defaults
                .iter()
                .map(|&(id, name)| (id, name.to_string()))
                .collect();
            if let Some((dir, file, max)) = &self.source {
                load(&mut by_id, dir, file, *max);
            }
            by_id
        })
    }

    /// The name of `id`, if one is configured.
    pub fn name(&self, id: u32) -> Option<&str> {
        self.by_id().get(&id).map(String::as_str)
    }

    /// The number a name or a number string stands for (`"main"`, `"254"`,
    /// `"0xfe"`).
    pub fn id(&self, name: &str) -> Option<u32> {
        if let Some(n) = parse_number(name) {
            return Some(n);
        }
        // Several numbers may share a name; the smallest is the stable pick.
        self.by_id()
            .iter()
            .filter(|(_, v)| v.as_str() == name)
            .map(|(&k, _)| k)
            .min()
    }
}

/// Read one configuration file's lines into `by_id`; ids above `max` are
/// ignored, as iproute2 ignores them.
fn read(by_id: &mut BTreeMap<u32, String>, text: &str, max: u32) {
    for line in text.lines() {
        let line = line.trim_start();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut words = line.split_whitespace();
        let (Some(num), Some(name)) = (words.next(), words.next()) else {
            continue;
        };
        let name = name.split('#').next().unwrap_or(name);
        match parse_number(num) {
            Some(id) if id <= max && !name.is_empty() => {
                by_id.insert(id, name.to_string());
            }
            _ => {}
        }
    }
}

/// Read `dir/file` and `dir/file.d/*.conf` into `by_id`, silently skipping
/// what is missing or unreadable (no configuration is a valid
/// configuration).
fn load(by_id: &mut BTreeMap<u32, String>, dir: &Path, file: &str, max: u32) {
    if let Ok(text) = fs::read_to_string(dir.join(file)) {
        read(by_id, &text, max);
    }
    let Ok(entries) = fs::read_dir(dir.join(format!("{file}.d"))) else {
        return;
    };
    let mut confs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "conf"))
        .collect();
    confs.sort();
    for path in confs {
        if let Ok(text) = fs::read_to_string(&path) {
            read(by_id, &text, max);
        }
    }
}

/// A decimal or `0x` hexadecimal number.
fn parse_number(s: &str) -> Option<u32> {
    match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(hex) => u32::from_str_radix(hex, 16).ok(),
        None => s.parse().ok(),
    }
}

/// All the name tables nlq uses.
#[derive(Debug, Clone)]
pub struct Names {
    /// Routing tables (rt_tables).
    pub tables: NameTable,
    /// Route protocols (rt_protos).
    pub protos: NameTable,
    /// Route and address scopes (rt_scopes).
    pub scopes: NameTable,
    /// Routing realms (rt_realms).
    pub realms: NameTable,
    /// Device groups (group).
    pub groups: NameTable,
    /// DS field / TOS values (rt_dsfield); no built-in names.
    pub dsfields: NameTable,
    /// `-N`: numbers instead of names everywhere `ip -N` prints them, also
    /// for the names that come from no file (route and link types, IP
    /// protocols).
    pub numeric: bool,
}

/// iproute2 6.1's built-in route protocol names (lib/rt_names.c).
const PROTOS: &[(u32, &str)] = &[
    (0, "unspec"),
    (1, "redirect"),
    (2, "kernel"),
    (3, "boot"),
    (4, "static"),
    (8, "gated"),
    (9, "ra"),
    (10, "mrt"),
    (11, "zebra"),
    (12, "bird"),
    (13, "dnrouted"),
    (14, "xorp"),
    (15, "ntk"),
    (16, "dhcp"),
    (18, "keepalived"),
    (42, "babel"),
    (99, "openr"),
    (186, "bgp"),
    (187, "isis"),
    (188, "ospf"),
    (189, "rip"),
    (192, "eigrp"),
];

/// iproute2's built-in table, scope, realm and group names.
const TABLES: &[(u32, &str)] = &[(253, "default"), (254, "main"), (255, "local")];
const SCOPES: &[(u32, &str)] = &[
    (0, "global"),
    (200, "site"),
    (253, "link"),
    (254, "host"),
    (255, "nowhere"),
];
const REALMS: &[(u32, &str)] = &[(0, "unknown")];
const GROUPS: &[(u32, &str)] = &[(0, "default")];

impl Names {
    /// iproute2's built-in names, with no configuration files read.
    pub fn builtin() -> Self {
        Names {
            tables: NameTable::with_defaults(TABLES),
            protos: NameTable::with_defaults(PROTOS),
            scopes: NameTable::with_defaults(SCOPES),
            realms: NameTable::with_defaults(REALMS),
            groups: NameTable::with_defaults(GROUPS),
            dsfields: NameTable::default(),
            numeric: false,
        }
    }

    /// No names at all, as `ip -N` prints: every table empty, and
    /// [`Names::numeric`] set for the names that come from no table.
    pub fn numeric() -> Self {
        Names {
            tables: NameTable::default(),
            protos: NameTable::default(),
            scopes: NameTable::default(),
            realms: NameTable::default(),
            groups: NameTable::default(),
            dsfields: NameTable::default(),
            numeric: true,
        }
    }

    /// The built-in names overridden by the files under `dir`
    /// (normally `/etc/iproute2`), each table read at its first lookup.
    pub fn load(dir: &Path) -> Self {
        let dir: Arc<Path> = Arc::from(dir);
        let file = |defaults, file, max| NameTable::from_files(defaults, &dir, file, max);
        Names {
            tables: file(TABLES, "rt_tables", u32::MAX),
            protos: file(PROTOS, "rt_protos", 255),
            scopes: file(SCOPES, "rt_scopes", 255),
            realms: file(REALMS, "rt_realms", 255),
            groups: file(GROUPS, "group", u32::MAX),
            dsfields: file(&[], "rt_dsfield", 255),
            numeric: false,
        }
    }

    /// The names configured on this machine (`/etc/iproute2`).
    pub fn system() -> Self {
        Names::load(Path::new("/etc/iproute2"))
    }
}

/// Where `--ipproto` names are looked up, as getprotobyname(3) does.
pub const PROTOCOLS: &str = "/etc/protocols";

/// The protocols `--ipproto` knows when /etc/protocols is missing: the
/// ones the kernel accepts in a route lookup (rtm_getroute_parse_ip_proto).
const BUILTIN_PROTOCOLS: [(&str, u8); 4] =
    [("icmp", 1), ("tcp", 6), ("udp", 17), ("ipv6-icmp", 58)];

/// A DS field as `ip` reads one (`rtnl_dsfield_a2n`): a name from
/// rt_dsfield first (`EF` is a name before it is hex), then a hex number.
pub fn dsfield(text: &str, names: &Names) -> Option<u8> {
    if let Some(id) = (0..=255u32).find(|&i| names.dsfields.name(i) == Some(text)) {
        return u8::try_from(id).ok();
    }
    let hex = text
        .strip_prefix("0x")
        .or_else(|| text.strip_prefix("0X"))
        .unwrap_or(text);
    u8::from_str_radix(hex, 16).ok()
}

/// An IP protocol as `ip` reads one (`inet_proto_a2n`): a decimal number,
/// or a name or alias from `protocols` (the text of /etc/protocols), or
/// one of [`BUILTIN_PROTOCOLS`] when there is no such file.
fn protocol(text: &str, protocols: Option<&str>) -> Option<u8> {
    if let Ok(n) = text.parse::<u8>() {
        return Some(n);
    }
    let Some(file) = protocols else {
        return BUILTIN_PROTOCOLS
            .iter()
            .find(|(n, _)| *n == text)
            .map(|&(_, p)| p);
    };
    file.lines().find_map(|line| {
        let line = line.split('#').next().unwrap_or("");
        let mut words = line.split_whitespace();
        let name = words.next()?;
        let number = words.next()?.parse::<u8>().ok()?;
        (name == text || words.any(|alias| alias == text)).then_some(number)
    })
}

/// An IP protocol as `ip` reads one (`inet_proto_a2n`): a decimal number,
/// or a name or alias from this machine's /etc/protocols (a few built-in
/// names when there is none).
pub fn ip_protocol(text: &str) -> Option<u8> {
    protocol(text, std::fs::read_to_string(PROTOCOLS).ok().as_deref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocols_by_number_name_or_alias() {
        let file = "# comment\nip\t0\tIP\ntcp\t6\tTCP\t\t# transmission\nipv6-icmp 58 IPv6-ICMP\n";
        assert_eq!(protocol("17", Some(file)), Some(17));
        assert_eq!(protocol("tcp", Some(file)), Some(6));
        assert_eq!(protocol("IPv6-ICMP", Some(file)), Some(58));
        assert_eq!(protocol("udp", Some(file)), None, "not in this file");
        assert_eq!(protocol("udp", None), Some(17), "built in without a file");
        assert_eq!(protocol("256", Some(file)), None);
        assert_eq!(
            protocol("transmission", Some(file)),
            None,
            "comments are no aliases"
        );
    }

    #[test]
    fn numeric_names_nothing_but_still_parses_numbers() {
        let n = Names::numeric();
        assert!(n.numeric && !Names::builtin().numeric);
        assert_eq!(n.tables.name(254), None);
        assert_eq!(n.protos.name(2), None);
        assert_eq!(n.scopes.name(253), None);
        assert_eq!(n.groups.name(0), None);
        assert_eq!(n.tables.id("0xfe"), Some(254));
    }

    #[test]
    fn builtin_names() {
        let n = Names::builtin();
        assert_eq!(n.tables.name(254), Some("main"));
        assert_eq!(n.tables.name(100), None);
        assert_eq!(n.tables.id("local"), Some(255));
        assert_eq!(n.tables.id("100"), Some(100));
        assert_eq!(n.tables.id("0x10"), Some(16));
        assert_eq!(n.tables.id("nosuch"), None);
        assert_eq!(n.protos.name(186), Some("bgp"));
        assert_eq!(n.scopes.name(253), Some("link"));
    }

    #[test]
    fn file_lines_override_and_skip_junk() {
        let mut t = BTreeMap::from([(254, "main".to_string())]);
        read(
            &mut t,
            "# comment\n\n100 vpn\n0x65\tmgmt # trailing\n254 primary\nbad line\n300 big\n",
            255,
        );
        let name = |id| t.get(&id).map(String::as_str);
        assert_eq!(name(100), Some("vpn"));
        assert_eq!(name(101), Some("mgmt"));
        assert_eq!(name(254), Some("primary"));
        assert_eq!(name(300), None, "ids above the table's range are ignored");
    }

    #[test]
    fn loads_dir_and_conf_files() {
        let dir = std::env::temp_dir().join(format!("nlq-names-{}", std::process::id()));
        fs::create_dir_all(dir.join("rt_tables.d")).unwrap();
        fs::write(dir.join("rt_tables"), "100 vpn\n").unwrap();
        fs::write(dir.join("rt_tables.d/a.conf"), "200 lab\n").unwrap();
        fs::write(dir.join("rt_tables.d/README"), "300 ignored\n").unwrap();
        let n = Names::load(&dir);
        // Nothing is read until a name is asked for.
        fs::write(dir.join("rt_tables.d/b.conf"), "201 late\n").unwrap();
        let late = n.tables.name(201).map(str::to_string);
        let (vpn, lab) = (n.tables.name(100), n.tables.name(200));
        fs::remove_dir_all(&dir).unwrap();
        assert_eq!(late.as_deref(), Some("late"));
        assert_eq!((vpn, lab), (Some("vpn"), Some("lab")));
        assert_eq!(n.tables.name(300), None);
        assert_eq!(n.tables.name(254), Some("main"));
    }
}
