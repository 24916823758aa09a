//! The command line, as clap parses it. These are raw flags; each command
//! validates them (names against /etc/iproute2, devices against the kernel)
//! before it asks the kernel for anything.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::model::route::AF_MPLS;
use crate::render::Dialect;
use crate::wire::attr::{AF_INET, AF_INET6};

/// The exit codes, for `--help`.
const EXIT_CODES: &str = "\
Exit codes:
  0  success (also when a pipe's reader stops early, as `| head` does)
  1  runtime error: a kernel error, no such device, an unreadable capture
  2  usage error: an unknown option, a table name no file defines
  3  inconsistent dump: the table changed while a very large dump was printed";

/// Read a Linux machine's network state over netlink.
#[derive(Debug, Parser)]
#[command(name = "nlq", version, about, propagate_version = true, after_help = EXIT_CODES)]
pub struct Cli {
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

    /// What to show.
    #[command(subcommand)]
    pub command: Command,
}

/// The objects nlq shows.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Routes (default: the main table, IPv4 and IPv6).
    #[command(visible_alias = "route", visible_alias = "r")]
    Routes(RoutesArgs),
    /// Network interfaces, with details and statistics.
    #[command(visible_alias = "link", visible_alias = "l")]
    Links(LinksArgs),
    /// Interface addresses.
    #[command(visible_alias = "addr", visible_alias = "a")]
    Addrs(AddrsArgs),
    /// Nexthop objects and groups (`ip nexthop`).
    #[command(visible_alias = "nexthop", visible_alias = "nh")]
    Nexthops(NexthopsArgs),
    /// Policy routing rules (default: every family).
    #[command(visible_alias = "rule", visible_alias = "ru")]
    Rules(RulesArgs),
    /// Neighbours: the ARP and NDP tables (default: what `ip neigh show` shows).
    #[command(
        visible_alias = "neighbour",
        visible_alias = "neighbor",
        visible_alias = "n"
    )]
    Neigh(NeighArgs),
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
    /// Only routes of this protocol (a name from rt_protos, or a number).
    #[arg(long)]
    pub proto: Option<String>,
    /// Only routes of this type: unicast, local, broadcast, anycast,
    /// multicast, blackhole, unreachable, prohibit, throw, nat.
    #[arg(long = "type")]
    pub kind: Option<String>,
}

/// `nlq links`.
#[derive(Debug, Clone, Args)]
pub struct LinksArgs {
    /// Show only this interface.
    #[arg(value_parser = ifname)]
    pub name: Option<String>,
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
}

/// `nlq rules`.
#[derive(Debug, Clone, Args)]
pub struct RulesArgs {
    #[command(flatten)]
    #[allow(missing_docs)]
    pub family: FamilyArgs,
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
