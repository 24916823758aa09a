//! The command line, as clap parses it. These are raw flags:
//! [`settings`] turns them into each command's validated settings (names
//! against /etc/iproute2) before any socket opens; the commands resolve
//! device names against the kernel.

use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::model::route::AF_MPLS;
use crate::render::Dialect;
use crate::wire::attr::{AF_INET, AF_INET6};

pub mod examples;
pub mod lookup;
pub mod meta;
pub mod settings;

/// The exit codes, for `--help`.
const EXIT_CODES: &str = "\
Exit codes:
  0  success (also when a pipe's reader stops early, as `| head` does)
  1  runtime error: a kernel error, no such device, an unreadable capture
  2  usage error: an unknown option, a table name no file defines
  3  inconsistent dump: the table kept changing while it was read; the output
     is the best answer nlq had (a warning says why)";

const DIFF_EXIT_CODES: &str = "\
Exit codes (as diff(1), so `nlq diff old.json || alert` and
`case $? in 0) ;; 1) ;; *) ;; esac` work):
  0  no difference
  1  differences (printed)
  2  trouble: a usage error, an unreadable snapshot, a kernel error
  3  inconsistent dump: the live state kept changing while it was read";

/// Read a Linux machine's network state over netlink.
#[derive(Debug, Parser)]
#[command(
    name = "nlq",
    version,
    about,
    propagate_version = true,
    after_help = examples::with(EXIT_CODES, examples::NLQ)
)]
pub struct Cli {
    /// The options every command takes.
    #[command(flatten)]
    pub global: Global,

    /// What to show.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands [`lean`] parses, by every name each answers to (the
/// canonical one first, then its aliases as `Command` declares them), with
/// the function that adds its arguments.
type Augment = fn(clap::Command) -> clap::Command;
const LEAN: &[(&[&str], Augment)] = &[
    (
        &["routes", "route", "r"],
        <RoutesArgs as Args>::augment_args,
    ),
    (&["links", "link", "l"], <LinksArgs as Args>::augment_args),
    (&["addrs", "addr", "a"], <AddrsArgs as Args>::augment_args),
    (
        &["neigh", "neighbour", "neighbor", "n"],
        <NeighArgs as Args>::augment_args,
    ),
    (&["rules", "rule", "ru"], <RulesArgs as Args>::augment_args),
    (
        &["nexthops", "nexthop", "nh"],
        <NexthopsArgs as Args>::augment_args,
    ),
    (&["monitor", "mon"], <MonitorArgs as Args>::augment_args),
];

/// `args` (the program's name first) parsed with only the named command
/// built, or `None` when the whole command line must be parsed instead:
/// the first argument is not one of [`LEAN`]'s commands (a global option
/// first, another command, a typo), help or the version is asked for, or
/// the lean parse fails (the full parse then gives clap's own message).
///
/// clap builds every subcommand's arguments, and copies the global ones
/// into each, before it parses anything: 270 µs a parse in a warm loop,
/// the largest part of `nlq links`' start-up on a small machine (issue
/// 14). Building one command takes 15 µs. What comes out is the same
/// `Cli` (tests in cli/examples.rs parse every example both ways).
pub fn lean(args: &[std::ffi::OsString]) -> Option<Cli> {
    use clap::FromArgMatches;
    let name = args.get(1)?.to_str()?;
    let (names, augment) = LEAN.iter().find(|(names, _)| names.contains(&name))?;
    let asks = |a: &std::ffi::OsString| {
        matches!(
            a.to_str(),
            Some("-h" | "--help" | "-V" | "--version" | "help")
        )
    };
    if args.iter().skip(1).any(asks) {
        return None;
    }
    let mut sub = augment(clap::Command::new(names[0]));
    if let Some(&alias) = names.iter().skip(1).find(|&&n| n == name) {
        sub = sub.alias(alias);
    }
    let root = Global::augment_args(clap::Command::new("nlq")).subcommand(sub);
    let matches = root.try_get_matches_from(args).ok()?;
    Cli::from_arg_matches(&matches).ok()
}

/// The options every command takes (`global = true`: before or after the
/// command's name). A struct of their own so that [`lean`] can build the
/// root of a command line without every subcommand.
#[derive(Debug, Args)]
pub struct Global {
    /// Print JSON: nlq's own schema (`--json`, `-j`) or a superset of
    /// `ip -j` (`--json=ip`).
    #[arg(
        short = 'j',
        long,
        global = true,
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "nlq",
        value_name = "DIALECT"
    )]
    pub json: Option<Dialect>,

    /// Record every netlink datagram exchanged to FILE (pcap, LINUX_SLL),
    /// readable by tshark/Wireshark and by `--replay`.
    #[arg(long, global = true, value_name = "FILE", conflicts_with = "replay")]
    pub capture: Option<PathBuf>,

    /// Render from a capture made by `--capture` (or `tcpdump -i nlmon0`)
    /// instead of asking the kernel.
    #[arg(long, global = true, value_name = "FILE")]
    pub replay: Option<PathBuf>,

    /// Ask the network namespace NAME (made by `ip netns add`, under
    /// /run/netns) or at PATH (`/proc/PID/ns/net`) instead of nlq's own.
    #[arg(
        short = 'n',
        long,
        global = true,
        value_name = "NAME|PATH",
        conflicts_with_all = ["replay", "all_netns"]
    )]
    pub netns: Option<String>,

    /// Colour tables (interface names, addresses, states, as `ip -c`):
    /// `auto` on a terminal unless NO_COLOR is set. JSON is never coloured.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Table columns to show, in this order, by their `--json` key
    /// (`-o dst,gateway,dev`); every key a table has is listed when one is
    /// unknown.
    #[arg(
        short = 'o',
        long,
        global = true,
        value_delimiter = ',',
        value_name = "KEYS"
    )]
    pub columns: Vec<String>,

    /// Sort table rows by the column with this `--json` key (addresses and
    /// prefixes by address, numbers by value, empty cells last).
    #[arg(long, global = true, value_name = "KEY")]
    pub sort: Option<String>,

    /// One line per object, the fields a person scans for (links, addrs,
    /// neigh, routes): `ip -br`'s lines, and with `--json=ip` its objects.
    /// nlq's own `--json` is never cut down.
    #[arg(short = 'b', long, global = true)]
    pub brief: bool,

    /// Numbers instead of names in tables and `--json=ip`, as `ip -N`:
    /// protocols, scopes, tables, realms, groups, DS fields, route and
    /// link types, IP protocols. nlq's own `--json` has both anyway.
    #[arg(short = 'N', long, global = true)]
    pub numeric: bool,

    /// Ask every named network namespace (/run/netns) in turn: a table
    /// section per namespace, a "netns" key in every JSON object.
    #[arg(long, global = true, conflicts_with_all = ["replay", "capture"])]
    pub all_netns: bool,
}

/// The objects nlq shows.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Routes (default: the main table, IPv4 and IPv6), or with `get`
    /// the route the kernel would use for one address.
    #[command(
        visible_alias = "route",
        visible_alias = "r",
        after_help = examples::with(ROUTE_SELECTORS, examples::ROUTES)
    )]
    Routes(RoutesArgs),
    /// Network interfaces, with details and statistics.
    #[command(visible_alias = "link", visible_alias = "l", after_help = examples::LINKS)]
    Links(LinksArgs),
    /// Interface addresses.
    #[command(visible_alias = "addr", visible_alias = "a", after_help = examples::ADDRS)]
    Addrs(AddrsArgs),
    /// Nexthop objects and groups (`ip nexthop`).
    #[command(
        visible_alias = "nexthop",
        visible_alias = "nh",
        after_help = examples::NEXTHOPS
    )]
    Nexthops(NexthopsArgs),
    /// Policy routing rules (default: every family).
    #[command(visible_alias = "rule", visible_alias = "ru", after_help = examples::RULES)]
    Rules(RulesArgs),
    /// Neighbours: the ARP and NDP tables (default: what `ip neigh show` shows).
    #[command(
        visible_alias = "neighbour",
        visible_alias = "neighbor",
        visible_alias = "n",
        after_help = examples::NEIGH
    )]
    Neigh(NeighArgs),
    /// Generic netlink families: ids, versions, operations, multicast
    /// groups (`genl ctrl list`, `genl ctrl get name NAME`).
    #[command(after_help = examples::GENL)]
    Genl(GenlArgs),
    /// Per-device IP settings: forwarding, rp_filter, proxy ARP/NDP, ...
    /// for IPv4 and IPv6 (`ip netconf`).
    #[command(after_help = examples::NETCONF)]
    Netconf(NetconfArgs),
    /// IPv6 address labels: the RFC 6724 address selection policy table
    /// (`ip addrlabel`).
    #[command(visible_alias = "addrlabel", after_help = examples::ADDRLABELS)]
    Addrlabels,
    /// Neighbour tables: ARP and NDP parameters, limits and statistics,
    /// per table and per device (`ip ntable`).
    #[command(visible_alias = "ntable", after_help = examples::NTABLES)]
    Ntables(NtablesArgs),
    /// Bridge VLANs: each port's VLANs, PVID, untagged ones and
    /// VLAN-to-tunnel mappings (`bridge vlan show`, `bridge vlan tunnelshow`).
    #[command(visible_alias = "vlan", after_help = examples::VLANS)]
    Vlans(VlansArgs),
    /// Bridge multicast databases: groups on ports and multicast router
    /// ports (`bridge mdb show`).
    #[command(after_help = examples::MDB)]
    Mdb(MdbArgs),
    /// Print a completion script for bash, zsh or fish (no kernel needed).
    #[command(after_help = examples::COMPLETIONS)]
    Completions(CompletionsArgs),
    /// Print nlq's manual page, roff for man(1), every command in one page.
    #[command(after_help = examples::MAN)]
    Man,
    /// Watch changes as they happen: one line (or NDJSON object) per event.
    #[command(visible_alias = "mon", after_help = examples::MONITOR)]
    Monitor(MonitorArgs),
    /// Every object kind (links, addresses, routes of every table,
    /// neighbours, rules, nexthops) in one JSON document, with a header.
    #[command(after_help = examples::SNAPSHOT)]
    Snapshot,
    /// Compare two states, each a snapshot file or the live one: added,
    /// removed and changed objects, kind by kind (exit 0: the same,
    /// 1: differences, 2 or more: trouble, as diff(1)).
    #[command(after_help = examples::with(DIFF_EXIT_CODES, examples::DIFF))]
    Diff(DiffArgs),
    /// Bridge forwarding database: MAC addresses by port, VLAN and VXLAN
    /// remote (`bridge fdb show`).
    #[command(after_help = examples::FDB)]
    Fdb(FdbArgs),
    /// Bridge ports: STP state, priority, cost and options (`bridge link
    /// show`).
    #[command(visible_alias = "port", after_help = examples::PORTS)]
    Ports(PortsArgs),
    /// Multicast addresses of each link: link-layer, IPv4 and IPv6
    /// groups (`ip maddr show`; read from /proc/net, not netlink).
    #[command(visible_alias = "maddr", after_help = examples::MADDRS)]
    Maddrs(MaddrsArgs),
    /// The multicast routing cache: (source, group) entries with their
    /// input and output interfaces (`ip mroute show`).
    #[command(visible_alias = "mroute", after_help = examples::MROUTES)]
    Mroutes(MroutesArgs),
    /// Interface statistics by group: link counters, bridge and bond
    /// counters, offload counters and their hardware state, MPLS counters
    /// (`ip stats show`).
    #[command(visible_alias = "stat", after_help = examples::STATS)]
    Stats(StatsArgs),
}

impl Command {
    /// The netlink protocol the command's socket speaks (NETLINK_ROUTE,
    /// NETLINK_GENERIC): also the one `--capture` records and `--replay`
    /// reads.
    pub fn protocol(&self) -> i32 {
        match self {
            Command::Genl(_) => crate::sock::NETLINK_GENERIC,
            _ => crate::sock::NETLINK_ROUTE,
        }
    }
}

/// `nlq completions`.
#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: ShellArg,
}

/// The shells `nlq completions` writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShellArg {
    /// Bash (with the bash-completion package).
    Bash,
    /// Zsh (a `_nlq` file in a directory of `fpath`).
    Zsh,
    /// Fish.
    Fish,
}

/// Values of `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless the NO_COLOR variable is set.
    Auto,
    /// Always, also into a pipe (`| less -R`).
    Always,
    /// Never.
    Never,
}

/// Address family selection shared by several commands.
#[derive(Debug, Clone, Args)]
pub struct FamilyArgs {
    /// IPv4 only (same as --family inet).
    #[arg(short = '4', conflicts_with_all = ["v6", "family"])]
    pub v4: bool,
    /// IPv6 only (same as --family inet6).
    #[arg(short = '6', conflicts_with = "family")]
    pub v6: bool,
    /// Address family: inet, inet6, mpls or all.
    #[arg(long, value_enum)]
    pub family: Option<FamilyArg>,
}

/// Values of `--family`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FamilyArg {
    /// IPv4.
    Inet,
    /// IPv6.
    Inet6,
    /// MPLS labels (routes only; needs the kernel's mpls_router).
    Mpls,
    /// Every family.
    All,
}

impl FamilyArgs {
    /// The chosen family as AF_INET / AF_INET6 / AF_MPLS, or `None` for all.
    pub fn family(&self) -> Option<u8> {
        match (self.v4, self.v6, self.family) {
            (true, _, _) | (_, _, Some(FamilyArg::Inet)) => Some(AF_INET),
            (_, true, _) | (_, _, Some(FamilyArg::Inet6)) => Some(AF_INET6),
            (_, _, Some(FamilyArg::Mpls)) => Some(AF_MPLS),
            _ => None,
        }
    }
}

/// How `nlq routes` selectors compare with `ip route show`, for `--help`.
const ROUTE_SELECTORS: &str = "\
Selectors (all must match):
  --to [exact] PREFIX   routes to exactly PREFIX (ip route show [exact] PREFIX)
  --to root PREFIX      routes inside PREFIX, as long or longer (ip: root)
  --to match PREFIX     routes that cover PREFIX, as long or shorter (ip: match)
  --from ...            the same forms for the source prefix (ip: from ...)
  PREFIX is ADDR, ADDR/LEN, default, all or any (all/any: every length).
  With --family mpls, --to [exact] LABEL[/LABEL...] selects by label stack.
  --dev and --via also match multipath routes whose nexthops use that device
  or gateway; `ip route show dev X` / `via X` (iproute2 6.1) leave those out.
  A route without a gateway never matches --via, nor one without a preferred
  source --src, even for a /0 prefix (ip compares them as all-zero).";

/// `nlq routes`.
#[derive(Debug, Clone, Args)]
pub struct RoutesArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub family: FamilyArgs,
    /// Table: main, local, default, all, a name from rt_tables, or a number.
    #[arg(long, short = 't', default_value = "main")]
    pub table: String,
    /// Only routes through this device (also multipath nexthops).
    #[arg(long, short = 'd', value_parser = ifname)]
    pub dev: Option<String>,
    /// Only routes in the table of this VRF device, without its local and
    /// broadcast routes (ip route show vrf NAME).
    #[arg(long, value_parser = ifname, value_name = "NAME", conflicts_with = "table")]
    pub vrf: Option<String>,
    /// Only routes of this protocol (a name from rt_protos, or a number).
    #[arg(long)]
    pub proto: Option<String>,
    /// Only routes of this type: unicast, local, broadcast, anycast,
    /// multicast, blackhole, unreachable, prohibit, throw, nat.
    #[arg(long = "type")]
    pub kind: Option<String>,
    /// Only routes whose destination is PREFIX (exact, the default), lies inside it
    /// (root) or covers it (match).
    #[arg(long, num_args = 1..=2, value_name = "[root|match|exact] PREFIX")]
    pub to: Option<Vec<String>>,
    /// Only routes whose source prefix is PREFIX (exact, the default), lies inside it
    /// (root) or covers it (match).
    #[arg(long, num_args = 1..=2, value_name = "[root|match|exact] PREFIX")]
    pub from: Option<Vec<String>>,
    /// Only routes with a gateway in ADDR[/LEN] (also multipath nexthops).
    #[arg(long, value_name = "ADDR[/LEN]")]
    pub via: Option<String>,
    /// Only routes whose preferred source address is in ADDR[/LEN].
    #[arg(long, value_name = "ADDR[/LEN]")]
    pub src: Option<String>,
    /// Only routes of this scope (a name from rt_scopes, or a number).
    #[arg(long)]
    pub scope: Option<String>,
    /// Only routes with this metric (priority; 0 when the route has none).
    #[arg(long, value_parser = number::<u32>)]
    pub metric: Option<u32>,
    /// `get`: look one address up instead of listing routes.
    #[command(subcommand)]
    pub get: Option<RoutesCommand>,
}

impl RoutesArgs {
    /// Whether a prefix selector (`--to`, `--from`, `--via`, `--src`) was given.
    pub fn has_prefixes(&self) -> bool {
        self.to.is_some() || self.from.is_some() || self.via.is_some() || self.src.is_some()
    }

    /// The listing options given before `get` (which takes none of them);
    /// `--table main` cannot be told from the default.
    pub fn listing_options(&self) -> Vec<&'static str> {
        let given = [
            ("-4/-6/--family", self.family.family().is_some()),
            ("--table", self.table != "main"),
            ("--dev", self.dev.is_some()),
            ("--vrf", self.vrf.is_some()),
            ("--proto", self.proto.is_some()),
            ("--type", self.kind.is_some()),
            ("--scope", self.scope.is_some()),
            ("--metric", self.metric.is_some()),
            ("--to/--from/--via/--src", self.has_prefixes()),
        ];
        given
            .iter()
            .filter(|(_, on)| *on)
            .map(|(name, _)| *name)
            .collect()
    }
}

/// What `nlq routes` can do besides listing.
#[derive(Debug, Clone, Subcommand)]
pub enum RoutesCommand {
    /// Ask the kernel which route it would use for ADDRESS (ip route get).
    #[command(after_help = examples::ROUTE_GET)]
    Get(Box<RouteGetArgs>),
}

/// `nlq routes get`.
#[derive(Debug, Clone, Args)]
pub struct RouteGetArgs {
    /// The destination address (IPv4 or IPv6); its family is the lookup's.
    pub address: IpAddr,
    /// Source address of the packet (RTA_SRC); with --iif, the sender's.
    #[arg(long)]
    pub from: Option<IpAddr>,
    /// Look up as if the packet came in on this device (RTA_IIF); IPv4
    /// needs --from with it.
    #[arg(long, value_parser = ifname)]
    pub iif: Option<String>,
    /// Force the output device (RTA_OIF).
    #[arg(long, value_parser = ifname)]
    pub oif: Option<String>,
    /// Firewall mark of the packet (RTA_MARK), decimal or 0x hex.
    #[arg(long, value_parser = number::<u32>)]
    pub mark: Option<u32>,
    /// User id of the socket (RTA_UID), decimal or 0x hex.
    #[arg(long, value_parser = number::<u32>)]
    pub uid: Option<u32>,
    /// IP protocol: a number or a name from /etc/protocols (tcp, udp, ...).
    #[arg(long)]
    pub ipproto: Option<String>,
    /// Source port (RTA_SPORT), decimal or 0x hex.
    #[arg(long, value_parser = number::<u16>)]
    pub sport: Option<u16>,
    /// Destination port (RTA_DPORT), decimal or 0x hex.
    #[arg(long, value_parser = number::<u16>)]
    pub dport: Option<u16>,
    /// TOS / DS field: a name from rt_dsfield or a hex number (as in ip).
    #[arg(long)]
    pub tos: Option<String>,
    /// Show the FIB entry that matched (RTM_F_FIB_MATCH) instead of the
    /// resolved route: a multipath route with all its nexthops.
    #[arg(long)]
    pub fibmatch: bool,
    /// Explain the decision: each policy rule in order (matched or not,
    /// and why), the route each table gave, the kernel's own answer and
    /// whether nlq's reading agrees, the nexthops, the gateway's neighbour
    /// entry and the egress link. Not with --json=ip.
    #[arg(long, conflicts_with = "fibmatch")]
    pub explain: bool,
}

/// A number, decimal or `0x` hexadecimal.
pub fn number<T: TryFrom<u64>>(s: &str) -> Result<T, String> {
    let parsed = match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => s.parse(),
    };
    parsed
        .ok()
        .and_then(|n| T::try_from(n).ok())
        .ok_or_else(|| format!("not a number in range: {s:?}"))
}

/// `nlq links`.
#[derive(Debug, Clone, Default, Args)]
pub struct LinksArgs {
    /// Show only this interface.
    #[arg(value_parser = ifname)]
    pub name: Option<String>,
    /// Only links enslaved to this device (a bridge, bond or VRF), as
    /// `ip link show master NAME`.
    #[arg(long, value_parser = ifname)]
    pub master: Option<String>,
    /// Only links of this kind (bridge, veth, vxlan, ...); KIND_slave
    /// (bridge_slave) means links enslaved to a master of that kind, as
    /// `ip link show type KIND`.
    #[arg(long = "kind", visible_alias = "type", value_name = "KIND")]
    pub kind: Option<String>,
    /// A live view of each link's rates (bytes, packets, errors and drops
    /// per second, from stats64 deltas) until Ctrl-C: redrawn in place on
    /// a terminal, a line per link and sample in a pipe, NDJSON with
    /// `--json`.
    #[arg(long)]
    pub rate: bool,
    /// Seconds between samples of `--rate`.
    #[arg(long, default_value_t = 1.0, value_parser = interval, requires = "rate", value_name = "SECS")]
    pub interval: f64,
    /// Stop `--rate` after this many samples.
    #[arg(long, requires = "rate", value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub count: Option<u64>,
}

/// A `--interval`: seconds, at least 0.01 and at most a day.
fn interval(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (0.01..=86_400.0).contains(&v) => Ok(v),
        _ => Err("an interval is a number of seconds from 0.01 to 86400".into()),
    }
}

/// `nlq addrs`.
#[derive(Debug, Clone, Args)]
pub struct AddrsArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub family: FamilyArgs,
    /// Only addresses on this device.
    #[arg(long, short = 'd', value_parser = ifname)]
    pub dev: Option<String>,
}

/// `nlq nexthops`.
#[derive(Debug, Clone, Args)]
pub struct NexthopsArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub family: FamilyArgs,
    /// Only the nexthop with this id (one lookup, not a dump).
    #[arg(
        long,
        value_parser = clap::value_parser!(u32).range(1..),
        conflicts_with_all = ["dev", "master", "groups", "fdb", "v4", "v6", "family"]
    )]
    pub id: Option<u32>,
    /// Only nexthops through this device (groups are left out).
    #[arg(long, short = 'd', value_parser = ifname)]
    pub dev: Option<String>,
    /// Only nexthops whose device is enslaved to this master (groups are
    /// left out).
    #[arg(long, value_parser = ifname)]
    pub master: Option<String>,
    /// Only groups.
    #[arg(long)]
    pub groups: bool,
    /// Only FDB nexthops and groups.
    #[arg(long)]
    pub fdb: bool,
    /// `buckets`: the buckets of resilient groups instead of the nexthops.
    #[command(subcommand)]
    pub buckets: Option<NexthopsCommand>,
}

impl NexthopsArgs {
    /// The listing options given before `buckets` (which takes none of them).
    pub fn listing_options(&self) -> Vec<&'static str> {
        let given = [
            ("-4/-6/--family", self.family.family().is_some()),
            ("--id", self.id.is_some()),
            ("--dev", self.dev.is_some()),
            ("--master", self.master.is_some()),
            ("--groups", self.groups),
            ("--fdb", self.fdb),
        ];
        given.iter().filter(|g| g.1).map(|g| g.0).collect()
    }
}

/// What `nlq nexthops` can do besides listing.
#[derive(Debug, Clone, Subcommand)]
pub enum NexthopsCommand {
    /// The buckets of resilient groups: which nexthop each bucket holds and
    /// how long it has been idle (ip nexthop bucket list).
    #[command(after_help = examples::NEXTHOP_BUCKETS)]
    Buckets(NexthopBucketsArgs),
}

/// `nlq nexthops buckets`.
#[derive(Debug, Clone, Args)]
pub struct NexthopBucketsArgs {
    /// Only the buckets of the group with this id.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    pub id: Option<u32>,
    /// Only buckets whose nexthop goes through this device.
    #[arg(long, short = 'd', value_parser = ifname)]
    pub dev: Option<String>,
    /// Only buckets holding the nexthop with this id.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    pub nhid: Option<u32>,
    /// `get`: one bucket instead of the list.
    #[command(subcommand)]
    pub get: Option<NexthopBucketsCommand>,
}

/// What `nlq nexthops buckets` can do besides listing.
#[derive(Debug, Clone, Subcommand)]
pub enum NexthopBucketsCommand {
    /// Ask the kernel for one bucket of a resilient group (ip nexthop
    /// bucket get).
    #[command(after_help = examples::NEXTHOP_BUCKET_GET)]
    Get(NexthopBucketGetArgs),
}

/// `nlq nexthops buckets get`.
#[derive(Debug, Clone, Args)]
pub struct NexthopBucketGetArgs {
    /// The resilient group's id.
    #[arg(long, required = true, value_parser = clap::value_parser!(u32).range(1..))]
    pub id: Option<u32>,
    /// The bucket's index in the group.
    #[arg(long, required = true, value_parser = number::<u16>, value_name = "N")]
    pub index: Option<u16>,
}

/// `nlq rules`.
#[derive(Debug, Clone, Args)]
pub struct RulesArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub family: FamilyArgs,
    /// Only the rules of this priority, decimal or 0x hex (ip rule show pref).
    #[arg(long, visible_alias = "priority", value_parser = number::<u32>, value_name = "N")]
    pub pref: Option<u32>,
    /// Only rules whose source prefix lies inside PREFIX (ADDR alone: that
    /// host only; all, any, default: every rule).
    #[arg(long, value_name = "PREFIX")]
    pub from: Option<String>,
    /// Only rules whose destination prefix lies inside PREFIX.
    #[arg(long, value_name = "PREFIX")]
    pub to: Option<String>,
    /// Only rules looking up this table: a name from rt_tables or a number.
    #[arg(long, short = 't', visible_alias = "lookup", value_name = "TABLE")]
    pub table: Option<String>,
    /// Only rules with this firewall mark (and mask): MARK[/MASK].
    #[arg(long, value_name = "MARK[/MASK]")]
    pub fwmark: Option<String>,
    /// Only rules matching this input interface name (ip: iif, dev).
    #[arg(long, visible_alias = "dev", value_parser = ifname, value_name = "NAME")]
    pub iif: Option<String>,
    /// Only rules matching this output interface name.
    #[arg(long, value_parser = ifname, value_name = "NAME")]
    pub oif: Option<String>,
    /// Only rules that look up the l3mdev's (VRF's) table.
    #[arg(long)]
    pub l3mdev: bool,
    /// Only rules for exactly this user id range.
    #[arg(long, value_name = "START-END")]
    pub uidrange: Option<String>,
    /// Only rules for this IP protocol: a number or a name from /etc/protocols.
    #[arg(long, value_name = "PROTO")]
    pub ipproto: Option<String>,
    /// Only rules for exactly this source port (range).
    #[arg(long, value_name = "PORT[-END]")]
    pub sport: Option<String>,
    /// Only rules for exactly this destination port (range).
    #[arg(long, value_name = "PORT[-END]")]
    pub dport: Option<String>,
    /// Only rules for this TOS / DS field: a name from rt_dsfield or hex.
    #[arg(long, visible_alias = "dsfield", value_name = "TOS")]
    pub tos: Option<String>,
    /// Only rules added by this protocol: a name from rt_protos, a number,
    /// or all (ip 6.1 applies this to `ip rule flush` only).
    #[arg(long, value_name = "PROTO")]
    pub protocol: Option<String>,
    /// Only rules whose match is negated (ip rule show not).
    #[arg(long)]
    pub not: bool,
    /// Only rules for this tunnel id, decimal or 0x hex (0: every rule).
    #[arg(long, value_parser = number::<u64>, value_name = "ID")]
    pub tun_id: Option<u64>,
}

impl RulesArgs {
    /// The selectors, unchecked.
    pub fn query(&self) -> crate::cmd::rule_select::Query {
        crate::cmd::rule_select::Query {
            pref: self.pref,
            from: self.from.clone(),
            to: self.to.clone(),
            table: self.table.clone(),
            fwmark: self.fwmark.clone(),
            iif: self.iif.clone(),
            oif: self.oif.clone(),
            l3mdev: self.l3mdev,
            uidrange: self.uidrange.clone(),
            ipproto: self.ipproto.clone(),
            sport: self.sport.clone(),
            dport: self.dport.clone(),
            tos: self.tos.clone(),
            protocol: self.protocol.clone(),
            not: self.not,
            tun_id: self.tun_id,
        }
    }
}

/// `nlq neigh`.
#[derive(Debug, Clone, Args)]
pub struct NeighArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub family: FamilyArgs,
    /// Only entries on this device.
    #[arg(long, short = 'd', value_parser = ifname, value_name = "NAME")]
    pub dev: Option<String>,
    /// Only entries on the ports of this master device (a bridge, a VRF).
    #[arg(long, value_parser = ifname, value_name = "NAME")]
    pub master: Option<String>,
    /// Only entries in these states (repeatable, or comma-separated).
    /// Default: every state but noarp and none, as `ip neigh show`.
    #[arg(long, value_enum, value_delimiter = ',', value_name = "STATE")]
    pub state: Vec<StateArg>,
    /// Proxy entries (`ip neigh add proxy ...`) instead of the cache.
    #[arg(long)]
    pub proxy: bool,
    /// `get`: look one entry up instead of listing them.
    #[command(subcommand)]
    pub get: Option<NeighCommand>,
}

impl NeighArgs {
    /// The listing options given before `get` (which takes none of them).
    pub fn listing_options(&self) -> Vec<&'static str> {
        let given = [
            ("-4/-6/--family", self.family.family().is_some()),
            ("--dev", self.dev.is_some()),
            ("--master", self.master.is_some()),
            ("--state", !self.state.is_empty()),
            ("--proxy", self.proxy),
        ];
        given.iter().filter(|g| g.1).map(|g| g.0).collect()
    }
}

/// What `nlq neigh` can do besides listing.
#[derive(Debug, Clone, Subcommand)]
pub enum NeighCommand {
    /// Ask the kernel for the entry of ADDRESS on a device (ip neigh get),
    /// whatever its state.
    #[command(after_help = examples::NEIGH_GET)]
    Get(NeighGetArgs),
}

/// `nlq neigh get`.
#[derive(Debug, Clone, Args)]
pub struct NeighGetArgs {
    /// The neighbour's address (IPv4 or IPv6).
    pub address: IpAddr,
    /// The device of the entry (required, except with --proxy).
    #[arg(long, short = 'd', value_parser = ifname, value_name = "NAME")]
    pub dev: Option<String>,
    /// Look in the proxy table.
    #[arg(long)]
    pub proxy: bool,
}

/// `nlq netconf`.
#[derive(Debug, Clone, Args)]
pub struct NetconfArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub family: FamilyArgs,
    /// Only this device (asked of the kernel directly); `all` and
    /// `default` name the pseudo-devices of /proc/sys/net/*/conf.
    #[arg(long, short = 'd', value_parser = ifname, value_name = "NAME")]
    pub dev: Option<String>,
}

/// `nlq ntables`.
#[derive(Debug, Clone, Args)]
pub struct NtablesArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub family: FamilyArgs,
    /// Only this device's parameters; `none` for the tables' own rows.
    #[arg(long, short = 'd', value_parser = ifname, value_name = "NAME|none")]
    pub dev: Option<String>,
    /// Only the table of this name (arp_cache, ndisc_cache).
    #[arg(long, value_name = "TABLE")]
    pub name: Option<String>,
    /// With --json=ip, also each table's config and statistics, as
    /// `ip -s -j ntable` (nlq's own JSON always has them).
    #[arg(long, short = 's')]
    pub stats: bool,
}

/// `nlq vlans`.
#[derive(Debug, Clone, Args)]
pub struct VlansArgs {
    /// `global`: the bridges' global per-VLAN options (multicast snooping,
    /// querier, timers), as `bridge vlan global show`.
    #[arg(value_enum, value_name = "global")]
    pub what: Option<VlansWhat>,
    /// Only this bridge port (or the bridge itself).
    #[arg(long, short = 'd', value_parser = ifname, value_name = "NAME")]
    pub dev: Option<String>,
    /// Only the VLANs (and ranges) that hold this VLAN id.
    #[arg(long, value_name = "VID", value_parser = clap::value_parser!(u16).range(1..4095))]
    pub vid: Option<u16>,
    /// Each VLAN's options from the VLAN database: STP state, multicast
    /// router mode, tunnel id (`bridge -d vlan show`).
    #[arg(long)]
    pub details: bool,
    /// Each VLAN's counters (`bridge -s vlan show`; with --details,
    /// `bridge -d -s vlan show`); with `global`, router ports' timers.
    #[arg(long, short = 's')]
    pub stats: bool,
}

/// What `nlq vlans` shows besides the ports' VLANs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum VlansWhat {
    /// The bridges' global per-VLAN options.
    Global,
}

/// `nlq mdb`.
#[derive(Debug, Clone, Args)]
pub struct MdbArgs {
    /// Only this bridge's groups and router ports.
    #[arg(long, short = 'd', value_parser = ifname, value_name = "NAME")]
    pub dev: Option<String>,
    /// Only groups in this VLAN.
    #[arg(long, value_name = "VID", value_parser = clap::value_parser!(u16).range(1..4095))]
    pub vid: Option<u16>,
    /// Also each group's and router port's timer (seconds left), as
    /// `bridge -s mdb show` (nlq's own JSON always has them).
    #[arg(long, short = 's')]
    pub stats: bool,
}

/// `nlq genl`.
#[derive(Debug, Clone, Args)]
pub struct GenlArgs {
    /// Show only this family, in detail (`nl80211`, `ethtool`, ...).
    pub name: Option<String>,
}

/// Values of `nlq neigh --state`, the names `ip neigh show nud` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StateArg {
    /// Static entries (NUD_PERMANENT).
    Permanent,
    /// Entries that need no resolution (NUD_NOARP).
    Noarp,
    /// Confirmed recently (NUD_REACHABLE).
    Reachable,
    /// Valid but unconfirmed (NUD_STALE).
    Stale,
    /// In no state at all (NUD_NONE).
    None,
    /// Resolution in progress (NUD_INCOMPLETE).
    Incomplete,
    /// Waiting before the first probe (NUD_DELAY).
    Delay,
    /// Probing (NUD_PROBE).
    Probe,
    /// Resolution failed (NUD_FAILED).
    Failed,
    /// Every state, noarp and none included.
    All,
}

/// `nlq fdb`.
#[derive(Debug, Clone, Args)]
pub struct FdbArgs {
    /// Only entries on this device (a bridge port, a VXLAN device, the
    /// bridge itself).
    #[arg(long, short = 'd', value_parser = ifname, value_name = "NAME")]
    pub dev: Option<String>,
    /// Only entries of this bridge: its own and its ports'.
    #[arg(long, value_parser = ifname, value_name = "NAME")]
    pub br: Option<String>,
    /// Only entries of this VLAN (0: entries without a VLAN).
    #[arg(long, value_name = "ID", value_parser = clap::value_parser!(u16).range(0..4095))]
    pub vlan: Option<u16>,
    /// Only entries in these states (repeatable, or comma-separated).
    /// Default: every state.
    #[arg(long, value_enum, value_delimiter = ',', value_name = "STATE")]
    pub state: Vec<FdbStateArg>,
}

/// `nlq ports`.
#[derive(Debug, Clone, Args)]
pub struct PortsArgs {
    /// Only this port.
    #[arg(long, short = 'd', value_parser = ifname, value_name = "NAME")]
    pub dev: Option<String>,
    /// Only the ports of this bridge.
    #[arg(long, value_parser = ifname, value_name = "NAME")]
    pub br: Option<String>,
}

/// `nlq maddrs`.
#[derive(Debug, Clone, Args)]
pub struct MaddrsArgs {
    /// IPv4 groups only (same as --family inet).
    #[arg(short = '4', conflicts_with_all = ["v6", "link", "family"])]
    pub v4: bool,
    /// IPv6 groups only (same as --family inet6).
    #[arg(short = '6', conflicts_with_all = ["link", "family"])]
    pub v6: bool,
    /// Link-layer addresses only (same as --family link; `ip -0`).
    #[arg(short = '0', conflicts_with = "family")]
    pub link: bool,
    /// Address family: link, inet, inet6 or all.
    #[arg(long, value_enum)]
    pub family: Option<MaddrFamilyArg>,
    /// Only this device's addresses (an unknown name shows none, as in ip).
    #[arg(long, short = 'd', value_parser = ifname, value_name = "NAME")]
    pub dev: Option<String>,
}

/// `nlq mroutes`.
#[derive(Debug, Clone, Args)]
pub struct MroutesArgs {
    /// IPv4 entries (RTNL_FAMILY_IPMR), the default.
    #[arg(short = '4', conflicts_with = "v6")]
    pub v4: bool,
    /// IPv6 entries (RTNL_FAMILY_IP6MR).
    #[arg(short = '6')]
    pub v6: bool,
    /// Table: a name from rt_tables, a number, or all (default: as ip,
    /// `default` for IPv4 and every table for IPv6).
    #[arg(long, short = 't', value_name = "TABLE")]
    pub table: Option<String>,
    /// Only entries arriving on this interface.
    #[arg(long, value_parser = ifname, value_name = "NAME")]
    pub iif: Option<String>,
    /// Only entries whose source is inside this prefix.
    #[arg(long, value_name = "PREFIX")]
    pub from: Option<String>,
    /// Only entries whose group is inside this prefix.
    #[arg(long, value_name = "PREFIX")]
    pub to: Option<String>,
    /// Counters and time since last use in the table and in --json=ip, as
    /// `ip -s mroute` (nlq's own JSON always has them).
    #[arg(long, short = 's')]
    pub stats: bool,
}

/// Values of `nlq maddrs --family`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MaddrFamilyArg {
    /// Link-layer addresses (/proc/net/dev_mcast).
    Link,
    /// IPv4 groups (/proc/net/igmp).
    Inet,
    /// IPv6 groups (/proc/net/igmp6).
    Inet6,
    /// All three.
    All,
}

/// `nlq stats`.
#[derive(Debug, Clone, Args)]
pub struct StatsArgs {
    /// Only this device (asked of the kernel directly).
    #[arg(long, short = 'd', value_parser = ifname, value_name = "NAME")]
    pub dev: Option<String>,
    /// Only this group, subgroup or suite (repeatable; default: every
    /// one), as `ip stats show group GROUP subgroup SUBGROUP suite SUITE`.
    #[arg(long, short = 'g', value_enum, value_name = "GROUP[/SUBGROUP[/SUITE]]")]
    pub group: Vec<StatsGroupArg>,
}

/// Values of `nlq stats --group`: `ip stats show`'s groups and subgroups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatsGroupArg {
    /// The link's counters (IFLA_STATS_LINK_64).
    Link,
    /// Every offload subgroup.
    Offload,
    /// Offloaded traffic the CPU saw.
    #[value(name = "offload/cpu_hit")]
    OffloadCpuHit,
    /// Whether hardware counters are requested and used.
    #[value(name = "offload/hw_stats_info")]
    OffloadHwStatsInfo,
    /// The hardware's L3 counters and their state.
    #[value(name = "offload/l3_stats")]
    OffloadL3Stats,
    /// Every per-family subgroup.
    Afstats,
    /// MPLS counters (needs the mpls_router module).
    #[value(name = "afstats/mpls")]
    AfstatsMpls,
    /// Every link kind's own counters (bridge, bond).
    Xstats,
    /// A bridge's STP and IGMP/MLD counters.
    #[value(name = "xstats/bridge")]
    XstatsBridge,
    /// A bridge's STP counters.
    #[value(name = "xstats/bridge/stp")]
    XstatsBridgeStp,
    /// A bridge's IGMP/MLD counters.
    #[value(name = "xstats/bridge/mcast")]
    XstatsBridgeMcast,
    /// A bond's LACP counters.
    #[value(name = "xstats/bond", alias = "xstats/bond/802.3ad")]
    XstatsBond,
    /// Every port kind's counters (bridge port, bond port).
    #[value(name = "xstats_slave")]
    XstatsSlave,
    /// A bridge port's STP and IGMP/MLD counters.
    #[value(name = "xstats_slave/bridge")]
    XstatsSlaveBridge,
    /// A bridge port's STP counters.
    #[value(name = "xstats_slave/bridge/stp")]
    XstatsSlaveBridgeStp,
    /// A bridge port's IGMP/MLD counters.
    #[value(name = "xstats_slave/bridge/mcast")]
    XstatsSlaveBridgeMcast,
    /// A bond port's LACP counters.
    #[value(name = "xstats_slave/bond", alias = "xstats_slave/bond/802.3ad")]
    XstatsSlaveBond,
}

/// Values of `nlq fdb --state`, the words `bridge fdb show state` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FdbStateArg {
    /// Added, not learned, and kept (NUD_PERMANENT).
    Permanent,
    /// Added, not learned (NUD_NOARP).
    Static,
    /// Learned, not seen recently (NUD_STALE).
    Stale,
    /// Learned and seen recently (NUD_REACHABLE).
    Reachable,
}

/// `nlq monitor`.
#[derive(Debug, Clone, Args)]
pub struct MonitorArgs {
    /// What to watch (default: all of them).
    #[arg(value_enum, value_name = "OBJECT")]
    pub objects: Vec<MonitorObject>,
    #[command(flatten)]
    #[allow(missing_docs)]
    pub family: FamilyArgs,
    /// Only events about this device (links, its addresses, routes
    /// through it, its neighbours, rules naming it).
    #[arg(long, short = 'd', value_parser = ifname, value_name = "NAME")]
    pub dev: Option<String>,
    /// Exit after N events.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub count: Option<u64>,
    /// First print the current state (as new events), then the events
    /// after it, with no gap.
    #[arg(long)]
    pub snapshot: bool,
    /// Receive buffer size in bytes (tests: provoke overruns).
    #[arg(long, hide = true, value_parser = number::<usize>)]
    pub rcvbuf: Option<usize>,
}

/// `nlq diff`.
#[derive(Debug, Clone, Args)]
pub struct DiffArgs {
    /// The old state: a file written by `nlq snapshot` (`-` for stdin).
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The new state: a snapshot file, or the live state when left out
    /// (`-n NS` and `--replay` choose which).
    #[arg(value_name = "NEW")]
    pub new: Option<PathBuf>,
    /// Only these kinds (default: all of them).
    #[arg(
        long = "object",
        short = 'O',
        value_enum,
        value_name = "OBJECT",
        value_delimiter = ','
    )]
    pub objects: Vec<MonitorObject>,
    /// Also compare counters and timers (link statistics, address
    /// lifetimes, neighbour ages, route expiry), left out by default.
    #[arg(long)]
    pub counters: bool,
}

/// The objects `nlq monitor` can watch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MonitorObject {
    /// Interfaces.
    Link,
    /// Interface addresses.
    Addr,
    /// Routes.
    Route,
    /// Neighbours.
    Neigh,
    /// Policy routing rules.
    Rule,
    /// Nexthop objects and groups.
    Nexthop,
    /// Per-device IP settings (netconf).
    Netconf,
    /// Bridge forwarding database entries.
    Fdb,
    /// Buckets of resilient nexthop groups (also shown with `nexthop`).
    Bucket,
    /// Bridge multicast groups on ports and multicast router ports.
    Mdb,
}

impl MonitorObject {
    /// The kind's name, as the monitor's state and JSON call it.
    pub fn name(self) -> &'static str {
        match self {
            MonitorObject::Link => "link",
            MonitorObject::Addr => "addr",
            MonitorObject::Route => "route",
            MonitorObject::Neigh => "neigh",
            MonitorObject::Rule => "rule",
            MonitorObject::Nexthop => "nexthop",
            MonitorObject::Netconf => "netconf",
            MonitorObject::Fdb => "fdb",
            MonitorObject::Bucket => "bucket",
            MonitorObject::Mdb => "mdb",
        }
    }
}

/// Longest interface name the kernel accepts, in bytes (IFNAMSIZ - 1).
pub const IFNAME_MAX: usize = 15;

/// An interface name as the kernel would accept it (`dev_valid_name`):
/// 1 to 15 bytes, not `.` or `..`, no `/`, `:` is fine, no white space.
pub fn ifname(s: &str) -> Result<String, String> {
    if s.is_empty() || s.len() > IFNAME_MAX {
        return Err(format!("interface names are 1 to {IFNAME_MAX} bytes long"));
    }
    if s == "." || s == ".." || s.contains('/') || s.chars().any(char::is_whitespace) {
        return Err("not a valid interface name (no '/', no white space, not . or ..)".into());
    }
    Ok(s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interface_names() {
        assert_eq!(ifname("eth0"), Ok("eth0".into()));
        assert_eq!(ifname("v0:sec"), Ok("v0:sec".into()));
        assert!(ifname("exactly15bytes_").is_ok());
        assert!(ifname("sixteen_bytes_xx").is_err());
        for bad in ["", ".", "..", "a/b", "a b", "tab\there"] {
            assert!(ifname(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
