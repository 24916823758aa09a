//! clap's raw flags turned into each command's validated settings, once,
//! before any socket opens: names against /etc/iproute2, prefixes, families
//! a command cannot show. A failure here is a usage error (exit 2); what
//! needs the kernel (device names) is left to the command.

use super::StateArg;
use super::{Cli, Command, MonitorArgs, MonitorObject, RoutesArgs, RoutesCommand};
use super::{NeighArgs, NeighCommand, NeighGetArgs};
use super::{NexthopBucketsArgs, NexthopsArgs, NexthopsCommand};
use crate::Error;
use crate::cmd::route_select::{PrefixFilter, parse_addr_prefix, parse_labels};
use crate::cmd::{
    self, addrlabels, addrs, genl, links, neigh, netconf, nexthops, ntables, routes, rules,
};
use crate::model::neigh::StateFilter;
use crate::model::route::{AF_MPLS, RouteType};
use crate::names::Names;
use crate::render::Format;
use crate::render::stream::Column;
use crate::wire::ndmsg::*;

impl Command {
    /// The validated settings of a command that [`cmd::run`] runs; `None`
    /// for the ones that run elsewhere (`monitor`, on its own socket, only
    /// checked here; `completions` and `man`, from the parser). Checks the
    /// output `format` too (`genl` has no `--json=ip`).
    pub fn settings(&self, names: &Names, format: Format) -> Result<Option<cmd::Command>, Error> {
        let command = match self {
            Command::Routes(args) => routes_settings(args, names, format)?,
            Command::Links(a) => cmd::Command::Links(links::Settings {
                name: a.name.clone(),
                master: a.master.clone(),
                kind: a.kind.clone(),
                rate: a.rate,
                interval: a.interval,
                count: a.count,
            }),
            Command::Addrs(a) => cmd::Command::Addrs(addrs::Settings {
                family: a.family.family(),
                dev: a.dev.clone(),
            }),
            Command::Nexthops(
                a @ NexthopsArgs {
                    buckets: Some(NexthopsCommand::Buckets(b)),
                    ..
                },
            ) => nexthop_buckets_settings(a, b)?,
            Command::Nexthops(a) => cmd::Command::Nexthops(nexthops::Settings {
                family: a.family.family(),
                id: a.id,
                dev: a.dev.clone(),
                master: a.master.clone(),
                groups: a.groups,
                fdb: a.fdb,
            }),
            Command::Rules(a) => {
                let family = a.family.family();
                let filter = cmd::rule_select::RuleFilter::new(&a.query(), family, names)?;
                cmd::Command::Rules(rules::Selection::with_filter(family, filter)?)
            }
            Command::Neigh(
                a @ NeighArgs {
                    get: Some(NeighCommand::Get(g)),
                    ..
                },
            ) => neigh_get_settings(a, g)?,
            Command::Neigh(a) => cmd::Command::Neigh(neigh::Settings {
                dev: a.dev.clone(),
                master: a.master.clone(),
                states: state_filter(&a.state),
                proxy: a.proxy,
                ..neigh::Settings::new(a.family.family())?
            }),
            Command::Genl(a) => {
                let settings = genl::Settings::new(a.name.clone())?;
                genl::validate_format(format)?;
                cmd::Command::Genl(settings)
            }
            Command::Netconf(a) => cmd::Command::Netconf(netconf::Settings {
                family: a.family.family(),
                dev: a.dev.clone(),
            }),
            Command::Addrlabels => cmd::Command::Addrlabels(addrlabels::Settings::default()),
            Command::Ntables(a) => cmd::Command::Ntables(ntables::Settings {
                dev: a.dev.clone(),
                name: a.name.clone(),
                stats: a.stats,
                ..ntables::Settings::new(a.family.family())?
            }),
            Command::Vlans(a) => cmd::Command::Vlans(cmd::vlans::Settings {
                dev: a.dev.clone(),
                vid: a.vid,
                details: a.details,
                stats: a.stats,
                global: a.what.is_some(),
            }),
            Command::Mdb(a) => cmd::Command::Mdb(cmd::mdb::Settings {
                dev: a.dev.clone(),
                vid: a.vid,
                stats: a.stats,
            }),
            Command::Monitor(args) => return validate_monitor(args).map(|()| None),
            Command::Completions(_) | Command::Man => return Ok(None),
            Command::Snapshot => {
                cmd::snapshot::validate_format(format)?;
                cmd::Command::Snapshot(cmd::snapshot::Settings)
            }
            Command::Diff(a) => diff_settings(a, format)?,
            Command::Fdb(a) => cmd::Command::Fdb(fdb_settings(a)),
            Command::Ports(a) => cmd::Command::Ports(cmd::ports::Settings {
                dev: a.dev.clone(),
                br: a.br.clone(),
            }),
            Command::Maddrs(a) => cmd::Command::Maddrs(maddrs_settings(a)),
            Command::Mroutes(a) => cmd::Command::Mroutes(mroutes_settings(a, names)?),
            Command::Stats(a) => cmd::Command::Stats(stats_settings(a)),
        };
        Ok(Some(command))
    }

    /// The columns of the command's table, for `--columns` and `--sort`;
    /// `None` for a command whose output is not one table.
    pub fn table_columns(&self) -> Option<&'static [Column]> {
        use crate::render;
        match self {
            // `routes get --explain` has a table of its own: the rules.
            Command::Routes(RoutesArgs {
                get: Some(RoutesCommand::Get(g)),
                ..
            }) if g.explain => Some(&render::explain::COLUMNS),
            Command::Routes(_) => Some(&render::route::COLUMNS),
            Command::Links(_) => Some(&render::link::COLUMNS),
            Command::Addrs(_) => Some(&render::addr::COLUMNS),
            Command::Neigh(_) => Some(&render::neigh::COLUMNS),
            Command::Rules(_) => Some(&render::rule::COLUMNS),
            Command::Nexthops(a) if a.buckets.is_some() => Some(&render::nexthop_bucket::COLUMNS),
            Command::Nexthops(_) => Some(&render::nexthop::COLUMNS),
            Command::Netconf(_) => Some(&render::netconf::COLUMNS),
            Command::Addrlabels => Some(&render::addrlabel::COLUMNS),
            Command::Ntables(_) => Some(&render::ntable::COLUMNS),
            Command::Vlans(a) if a.what.is_some() => Some(&render::vlan_db::GLOBAL_COLUMNS),
            Command::Vlans(a) if a.details || a.stats => Some(&render::vlan_db::DETAIL_COLUMNS),
            Command::Vlans(_) => Some(&render::bridge_vlan::COLUMNS),
            Command::Mdb(_) => Some(&render::mdb::COLUMNS),
            Command::Genl(_) | Command::Completions(_) | Command::Man | Command::Monitor(_) => None,
            Command::Snapshot | Command::Diff(_) => None,
            Command::Fdb(_) => Some(&render::fdb::COLUMNS),
            Command::Ports(_) => Some(&render::port::COLUMNS),
            Command::Maddrs(_) => Some(&render::maddr::COLUMNS),
            Command::Mroutes(_) => Some(&render::mroute::COLUMNS),
            Command::Stats(_) => Some(&render::ifstats::COLUMNS),
        }
    }
}

/// `nlq maddrs`: the family flags as one family (AF_PACKET for `link`).
fn maddrs_settings(a: &super::MaddrsArgs) -> cmd::maddrs::Settings {
    use super::MaddrFamilyArg as F;
    use crate::model::maddr::AF_PACKET;
    use crate::wire::attr::{AF_INET, AF_INET6};
    let family = match (a.v4, a.v6, a.link, a.family) {
        (true, ..) | (.., Some(F::Inet)) => Some(AF_INET),
        (_, true, ..) | (.., Some(F::Inet6)) => Some(AF_INET6),
        (_, _, true, _) | (.., Some(F::Link)) => Some(AF_PACKET),
        _ => None,
    };
    cmd::maddrs::Settings {
        family,
        dev: a.dev.clone(),
    }
}

/// `nlq mroutes`: the family, the table as ip reads it (`all` and 0 for
/// every table; no flag: RT_TABLE_DEFAULT for IPv4, every table for IPv6)
/// and the prefixes.
fn mroutes_settings(
    a: &super::MroutesArgs,
    names: &Names,
) -> Result<cmd::mroutes::Settings, Error> {
    use crate::model::mroute::{RT_TABLE_DEFAULT, RTNL_FAMILY_IP6MR, RTNL_FAMILY_IPMR};
    use crate::wire::attr::{AF_INET, AF_INET6};
    let (family, af) = match a.v6 {
        true => (RTNL_FAMILY_IP6MR, AF_INET6),
        false => (RTNL_FAMILY_IPMR, AF_INET),
    };
    let table = match a.table.as_deref() {
        None if a.v6 => None,
        None => Some(RT_TABLE_DEFAULT),
        Some("all") => None,
        Some(t) => match names.tables.id(t) {
            Some(0) => None,
            Some(id) => Some(id),
            None => return Err(Error::Usage(format!("--table {t}: no such table"))),
        },
    };
    let prefix = |flag: &str, text: &Option<String>| {
        text.as_deref()
            .map(|t| parse_addr_prefix(flag, t, Some(af)))
            .transpose()
    };
    Ok(cmd::mroutes::Settings {
        family,
        table,
        iif: a.iif.clone(),
        from: prefix("--from", &a.from)?,
        to: prefix("--to", &a.to)?,
        stats: a.stats,
    })
}

/// Refuse `--capture` and `--replay` for a command that reads no
/// netlink (`nlq maddrs` reads /proc): nothing would be recorded.
pub fn check_sources(cli: &Cli) -> Result<(), Error> {
    let netlink = !matches!(cli.command, Command::Maddrs(_));
    if !netlink && (cli.global.capture.is_some() || cli.global.replay.is_some()) {
        return Err(Error::Usage(cmd::maddrs::NOT_NETLINK.into()));
    }
    Ok(())
}

/// `nlq stats`: each `--group` as the leaves it selects.
fn stats_settings(a: &super::StatsArgs) -> cmd::stats::Settings {
    use super::StatsGroupArg as G;
    use crate::model::ifstats::Sub;
    let subs: Vec<Sub> = a
        .group
        .iter()
        .flat_map(|g| match g {
            G::Link => &[Sub::Link][..],
            G::Offload => &[Sub::CpuHit, Sub::HwStatsInfo, Sub::L3Stats][..],
            G::OffloadCpuHit => &[Sub::CpuHit][..],
            G::OffloadHwStatsInfo => &[Sub::HwStatsInfo][..],
            G::OffloadL3Stats => &[Sub::L3Stats][..],
            G::Afstats | G::AfstatsMpls => &[Sub::Mpls][..],
            G::Xstats => &[Sub::BridgeStp, Sub::BridgeMcast, Sub::BondLacp][..],
            G::XstatsBridge => &[Sub::BridgeStp, Sub::BridgeMcast][..],
            G::XstatsBridgeStp => &[Sub::BridgeStp][..],
            G::XstatsBridgeMcast => &[Sub::BridgeMcast][..],
            G::XstatsBond => &[Sub::BondLacp][..],
            G::XstatsSlave => &[Sub::PortStp, Sub::PortMcast, Sub::PortLacp][..],
            G::XstatsSlaveBridge => &[Sub::PortStp, Sub::PortMcast][..],
            G::XstatsSlaveBridgeStp => &[Sub::PortStp][..],
            G::XstatsSlaveBridgeMcast => &[Sub::PortMcast][..],
            G::XstatsSlaveBond => &[Sub::PortLacp][..],
        })
        .copied()
        .collect();
    cmd::stats::Settings::new(a.dev.clone(), &subs)
}

/// `nlq fdb`: the states as NUD_* bits (`bridge`'s `state_a2n`).
fn fdb_settings(a: &super::FdbArgs) -> cmd::fdb::Settings {
    use super::FdbStateArg as S;
    let states = a.state.iter().fold(0, |acc, s| {
        acc | match s {
            S::Permanent => NUD_PERMANENT,
            S::Static => NUD_NOARP,
            S::Stale => NUD_STALE,
            S::Reachable => NUD_REACHABLE,
        }
    });
    cmd::fdb::Settings {
        dev: a.dev.clone(),
        br: a.br.clone(),
        vlan: a.vlan,
        states,
    }
}

/// `nlq diff`: the snapshot files read and checked before any socket
/// opens.
fn diff_settings(a: &super::DiffArgs, format: Format) -> Result<cmd::Command, Error> {
    cmd::diff::validate_format(format)?;
    let old = cmd::diff::read(&a.old)?;
    let new = a.new.as_deref().map(cmd::diff::read).transpose()?;
    let mut kinds: Vec<&'static str> = a.objects.iter().map(|o| o.name()).collect();
    kinds.dedup();
    // The monitor's kinds that `nlq snapshot` does not hold would
    // compare nothing.
    if let Some(k) = kinds
        .iter()
        .find(|k| crate::model::snapshot::kind(k).is_none())
    {
        return Err(Error::Usage(format!(
            "diff: a snapshot holds no {k} objects"
        )));
    }
    Ok(cmd::Command::Diff(cmd::diff::Settings {
        old,
        new,
        options: crate::model::snapshot::Options {
            counters: a.counters,
            kinds,
        },
        format,
    }))
}

/// `nlq nexthops buckets`, which takes none of the listing options.
fn nexthop_buckets_settings(
    args: &NexthopsArgs,
    b: &NexthopBucketsArgs,
) -> Result<cmd::Command, Error> {
    let given = args.listing_options();
    if !given.is_empty() {
        return Err(Error::Usage(format!(
            "`nexthops buckets` takes no listing option ({}); put its options after `buckets`",
            given.join(", ")
        )));
    }
    if let Some(super::NexthopBucketsCommand::Get(g)) = &b.get {
        return nexthop_bucket_get_settings(b, g);
    }
    Ok(cmd::Command::NexthopBuckets(
        cmd::nexthop_buckets::Settings {
            id: b.id,
            dev: b.dev.clone(),
            nhid: b.nhid,
        },
    ))
}

/// `nlq nexthops buckets get`, which takes none of the selectors of
/// `buckets`.
fn nexthop_bucket_get_settings(
    b: &NexthopBucketsArgs,
    g: &super::NexthopBucketGetArgs,
) -> Result<cmd::Command, Error> {
    if b.id.is_some() || b.dev.is_some() || b.nhid.is_some() {
        return Err(Error::Usage(
            "`nexthops buckets get` takes only --id and --index, after `get`".into(),
        ));
    }
    let (Some(id), Some(index)) = (g.id, g.index) else {
        return Err(Error::Usage(
            "nexthops buckets get: --id and --index are required".into(),
        ));
    };
    Ok(cmd::Command::NexthopBucketGet(
        cmd::nexthop_bucket_get::Settings { id, index },
    ))
}

/// `nlq neigh get`, which takes none of the listing options.
fn neigh_get_settings(args: &NeighArgs, g: &NeighGetArgs) -> Result<cmd::Command, Error> {
    let given = args.listing_options();
    if !given.is_empty() {
        return Err(Error::Usage(format!(
            "`neigh get` takes no listing option ({}); put its options after `get`",
            given.join(", ")
        )));
    }
    let settings = cmd::neigh_get::Settings::new(g.address, g.dev.clone(), g.proxy)?;
    Ok(cmd::Command::NeighGet(settings))
}

/// `nlq routes`, or `nlq routes get` (which takes no listing option).
fn routes_settings(
    args: &RoutesArgs,
    names: &Names,
    format: Format,
) -> Result<cmd::Command, Error> {
    let Some(RoutesCommand::Get(get)) = &args.get else {
        return Ok(cmd::Command::Routes(routes::Settings {
            sel: route_selection(args, names)?,
            dev: args.dev.clone(),
            vrf: args.vrf.clone(),
        }));
    };
    let given = args.listing_options();
    if !given.is_empty() {
        return Err(Error::Usage(format!(
            "`routes get` takes no listing option ({}); put its options after `get`",
            given.join(", ")
        )));
    }
    let settings = super::lookup::settings(get, names)?;
    if get.explain && format == Format::Json(crate::render::Dialect::Ip) {
        return Err(Error::Usage(
            "--explain has no --json=ip dialect (ip has no such output): use --json".into(),
        ));
    }
    Ok(cmd::Command::RouteGet(settings))
}

/// Check the `nlq routes` selectors against the name tables; an unknown
/// table, protocol, scope or type, or a malformed prefix, is a usage
/// error. `--dev` and `--vrf` are resolved later, from the link dump.
///
/// A family the `--to`, `--from` or `--src` prefix implies becomes the
/// dump's family when none was asked for: the routes of other families
/// could never match.
fn route_selection(args: &RoutesArgs, names: &Names) -> Result<routes::Selection, Error> {
    let family = args.family.family();
    let mut sel = routes::Selection {
        family,
        protocol: routes::named_u8("route protocol", "rt_protos", args.proto.as_deref(), |p| {
            names.protos.id(p)
        })?,
        scope: routes::named_u8("route scope", "rt_scopes", args.scope.as_deref(), |p| {
            names.scopes.id(p)
        })?,
        metric: args.metric,
        ..routes::Selection::default()
    };
    sel.parse_table(&args.table, names)?;
    if let Some(t) = &args.kind {
        sel.kind = Some(RouteType::parse(t).ok_or_else(|| {
            Error::Usage(format!(
                "unknown route type {t:?}: use unicast, local, broadcast, anycast, \
                 multicast, blackhole, unreachable, prohibit, throw, nat or a number"
            ))
        })?);
    }
    route_prefixes(&mut sel, args)?;
    sel.family = family.or(sel.implied_family()?);
    Ok(sel)
}

/// `--to`, `--from`, `--via` and `--src` into `sel`, read in the family
/// asked for (`--to` as a label stack under `--family mpls`).
fn route_prefixes(sel: &mut routes::Selection, args: &RoutesArgs) -> Result<(), Error> {
    let family = sel.family;
    if family == Some(AF_MPLS) {
        if args.from.is_some() || args.src.is_some() {
            return Err(Error::Usage(
                "--from and --src take IPv4 or IPv6 prefixes: mpls routes have none".into(),
            ));
        }
        sel.labels = args.to.as_deref().map(parse_labels).transpose()?;
    } else {
        sel.dst = args
            .to
            .as_deref()
            .map(|v| PrefixFilter::parse("--to", v, family))
            .transpose()?;
    }
    sel.src = args
        .from
        .as_deref()
        .map(|v| PrefixFilter::parse("--from", v, family))
        .transpose()?;
    sel.via = args
        .via
        .as_deref()
        .map(|v| parse_addr_prefix("--via", v, None))
        .transpose()?;
    sel.prefsrc = args
        .src
        .as_deref()
        .map(|v| parse_addr_prefix("--src", v, family))
        .transpose()?;
    Ok(())
}

/// `ip neigh show nud ...`: the first state replaces the default, each
/// adds its bit; `none` is 0x100, `all` everything.
pub fn state_filter(states: &[StateArg]) -> StateFilter {
    if states.is_empty() {
        return StateFilter::DEFAULT;
    }
    StateFilter(states.iter().fold(0, |acc, s| acc | state_bits(*s)))
}

/// One `--state` as NUD_* bits.
fn state_bits(s: StateArg) -> u32 {
    let nud = match s {
        StateArg::Permanent => NUD_PERMANENT,
        StateArg::Noarp => NUD_NOARP,
        StateArg::Reachable => NUD_REACHABLE,
        StateArg::Stale => NUD_STALE,
        StateArg::Incomplete => NUD_INCOMPLETE,
        StateArg::Delay => NUD_DELAY,
        StateArg::Probe => NUD_PROBE,
        StateArg::Failed => NUD_FAILED,
        StateArg::None => return StateFilter::NONE,
        StateArg::All => return StateFilter::ALL.0,
    };
    nud.into()
}

/// `nlq monitor`'s settings from the command line: the global flags that
/// say where and how, and its own.
pub fn monitor(cli: &Cli, args: &MonitorArgs) -> Result<crate::monitor::Settings, Error> {
    validate_monitor(args)?;
    if cli.global.json == Some(crate::render::Dialect::Ip) {
        // iproute2 6.1's `ip monitor` has no JSON to be a superset of.
        return Err(Error::Usage(
            "monitor: --json=ip is not supported (ip monitor has no JSON); use --json".into(),
        ));
    }
    let mut kinds: Vec<&'static str> = args.objects.iter().map(|o| o.name()).collect();
    if kinds.contains(&"nexthop") && !kinds.contains(&"bucket") {
        // `ip monitor nexthop` shows the buckets of resilient groups too.
        kinds.push("bucket");
    }
    Ok(crate::monitor::Settings {
        selection: crate::monitor::Selection::new(&kinds, args.family.family(), args.dev.clone()),
        json: cli.global.json.is_some(),
        count: args.count,
        snapshot: args.snapshot,
        rcvbuf: args.rcvbuf.unwrap_or(crate::monitor::RCVBUF),
        netns: cli.global.netns.clone(),
        all_netns: cli.global.all_netns,
        replay: cli.global.replay.clone(),
        capture: cli.global.capture.clone(),
        numeric: cli.global.numeric,
    })
}

/// `nlq monitor`: MPLS has routes only (as `ip monitor -f mpls`), so
/// `--family mpls` needs routes among the objects watched.
fn validate_monitor(args: &MonitorArgs) -> Result<(), Error> {
    let routes = args.objects.is_empty() || args.objects.contains(&MonitorObject::Route);
    match args.family.family() {
        Some(AF_MPLS) if !routes => Err(Error::Usage(
            "monitor: --family mpls watches routes only".to_string(),
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{FamilyArg, FamilyArgs};
    use crate::model::route::{Family, Labels, Route};

    fn args(table: &str) -> RoutesArgs {
        RoutesArgs {
            family: FamilyArgs {
                v4: false,
                v6: false,
                family: None,
            },
            table: table.to_string(),
            dev: None,
            vrf: None,
            proto: None,
            kind: None,
            to: None,
            from: None,
            via: None,
            src: None,
            scope: None,
            metric: None,
            get: None,
        }
    }

    #[test]
    fn tables_parse() {
        let n = Names::builtin();
        assert_eq!(route_selection(&args("main"), &n).unwrap().table, Some(254));
        assert_eq!(route_selection(&args("all"), &n).unwrap().table, None);
        assert_eq!(route_selection(&args("0"), &n).unwrap().table, None);
        assert_eq!(
            route_selection(&args("4242"), &n).unwrap().table,
            Some(4242)
        );
        let cache = route_selection(&args("cache"), &n).unwrap();
        assert!(cache.cloned && cache.table == Some(254));
        let err = route_selection(&args("nosuchtable"), &n).unwrap_err();
        assert_eq!(err.exit_code(), crate::error::EXIT_USAGE);
        assert!(err.to_string().contains("nosuchtable"));
    }

    #[test]
    fn proto_and_type_parse() {
        let n = Names::builtin();
        let mut a = args("main");
        a.proto = Some("bird".into());
        a.kind = Some("blackhole".into());
        let s = route_selection(&a, &n).unwrap();
        assert_eq!((s.protocol, s.kind), (Some(12), Some(RouteType::Blackhole)));
        a.proto = Some("300".into());
        assert!(route_selection(&a, &n).is_err());
        a.proto = Some("all".into());
        a.kind = Some("nosuch".into());
        assert!(route_selection(&a, &n).is_err());
    }

    #[test]
    fn mpls_to_selects_a_label_stack() {
        let n = Names::builtin();
        let mut a = args("main");
        a.family.family = Some(FamilyArg::Mpls);
        a.to = Some(vec!["100".into()]);
        a.via = Some("192.0.2.0/24".into());
        let sel = route_selection(&a, &n).unwrap();
        assert_eq!(sel.labels, Some(Labels::from_slice(&[100])));
        let mut r = Route {
            family: Family(AF_MPLS),
            table: 254,
            dst_len: 20,
            dst_labels: Some(Labels::from_slice(&[100])),
            via: Some("192.0.2.1".parse().unwrap()),
            ..Route::default()
        };
        assert!(sel.keeps(&r));
        r.dst_labels = Some(Labels::from_slice(&[101]));
        assert!(!sel.keeps(&r), "another label");
        a.from = Some(vec!["10.0.0.0/8".into()]);
        let e = route_selection(&a, &n).unwrap_err();
        assert_eq!(e.exit_code(), crate::error::EXIT_USAGE);
        a.from = None;
        a.to = Some(vec!["10.0.0.0/8".into()]);
        assert!(route_selection(&a, &n).is_err(), "not a label");
    }

    #[test]
    fn states_as_ip_builds_them() {
        assert_eq!(state_filter(&[]), StateFilter::DEFAULT);
        assert_eq!(StateFilter::DEFAULT.0, 0xbf);
        let f = state_filter(&[StateArg::Noarp, StateArg::Stale]);
        assert_eq!(f.0, 0x44);
        assert_eq!(state_filter(&[StateArg::None]).0, 0x100);
        assert_eq!(
            state_filter(&[StateArg::Stale, StateArg::All]),
            StateFilter::ALL
        );
    }

    #[test]
    fn monitor_mpls_watches_routes() {
        let args = |objects: Vec<MonitorObject>| MonitorArgs {
            objects,
            family: FamilyArgs {
                v4: false,
                v6: false,
                family: Some(FamilyArg::Mpls),
            },
            dev: None,
            count: None,
            snapshot: false,
            rcvbuf: None,
        };
        assert!(validate_monitor(&args(vec![])).is_ok());
        assert!(validate_monitor(&args(vec![MonitorObject::Route])).is_ok());
        let e = validate_monitor(&args(vec![MonitorObject::Link])).unwrap_err();
        assert_eq!(e.exit_code(), crate::error::EXIT_USAGE);
    }
}
