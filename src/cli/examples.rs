//! The `Examples:` blocks of `--help`, one per command, kept apart from the
//! flag definitions so they read as text. Each line that starts with
//! `  nlq ` is a real invocation: a unit test parses every one of them
//! (up to a pipe or redirection) with the real parser, and the manual page
//! (`nlq man`) prints them too.

/// `nlq --help`.
pub const NLQ: &str = "\
Examples:
  nlq routes                       the main routing table, IPv4 and IPv6
  nlq links -j | jq -r '.[] | select(.operstate == \"up\") | .name'
  nlq -n blue addrs -4             IPv4 addresses in the namespace blue
  nlq --all-netns neigh -j         every namespace's neighbours, tagged \"netns\"";

/// `nlq routes --help`.
pub const ROUTES: &str = "\
Examples:
  nlq routes -4 --table all        every IPv4 route of every table
  nlq routes --to root 10.0.0.0/8 --dev eth0
  nlq routes get 192.0.2.1 --from 198.51.100.7
  nlq routes -j | jq -r '.[] | select(.gateway) | \"\\(.dst) via \\(.gateway)\"'";

/// `nlq routes get --help`.
pub const ROUTE_GET: &str = "\
Examples:
  nlq routes get 2001:db8::1
  nlq routes get 10.0.0.1 --iif eth0 --from 192.0.2.5
  nlq routes get 192.0.2.1 --fibmatch -j | jq '.[0].nexthops'
  nlq routes get 192.0.2.1 --mark 0x10 --explain   why: every rule, table and the kernel's answer";

/// `nlq links --help`.
pub const LINKS: &str = "\
Examples:
  nlq links eth0                   one interface (or one of its altnames)
  nlq links --rate --interval 2    live rates, Ctrl-C to stop
  nlq links -o name,operstate,mtu --sort mtu
  nlq links -j | jq -r '.[] | \"\\(.name) \\(.stats64.rx_bytes)\"'";

/// `nlq addrs --help`.
pub const ADDRS: &str = "\
Examples:
  nlq addrs -6 --dev eth0          IPv6 addresses of eth0
  nlq addrs --json=ip              the shape of `ip -j addr show`
  nlq addrs -j | jq -r '.[] | select(.scope == \"global\") | .cidr'";

/// `nlq nexthops --help`.
pub const NEXTHOPS: &str = "\
Examples:
  nlq nexthops --groups            groups only
  nlq nexthops --id 10             one nexthop by id
  nlq nexthops -j | jq '.[] | select(.group != []) | {id, members: [.group[].id]}'";

/// `nlq rules --help`.
pub const RULES: &str = "\
Examples:
  nlq rules -4                     IPv4 rules, in priority order
  nlq rules --json=ip              the shape of `ip -j rule show`
  nlq rules --from 10.0.0.0/8      rules for sources inside 10/8 (ip rule show from)
  nlq rules -j | jq -r '.[] | select(.table == \"main\") | .priority'";

/// `nlq nexthops buckets --help`.
pub const NEXTHOP_BUCKETS: &str = "\
Examples:
  nlq nexthops buckets                 every bucket of every resilient group
  nlq nexthops buckets --id 10         the buckets of group 10
  nlq nexthops buckets --nhid 2 --json=ip   as `ip -j nexthop bucket list nhid 2`
  nlq nexthops buckets -j | jq -r '.[] | select(.idle_time > 60) | .index'";

/// `nlq nexthops buckets get --help`.
pub const NEXTHOP_BUCKET_GET: &str = "\
Examples:
  nlq nexthops buckets get --id 10 --index 3     which nexthop bucket 3 of group 10 holds
  nlq nexthops buckets get --id 10 --index 3 --json=ip   as `ip -j nexthop bucket get id 10 index 3`
  nlq nexthops buckets get --id 10 --index 3 -j | jq '.[0].nhid'";

/// `nlq neigh --help`.
pub const NEIGH: &str = "\
Examples:
  nlq neigh --state stale,reachable
  nlq neigh -6 --dev eth0          the NDP table of eth0
  nlq neigh --proxy                proxy entries
  nlq neigh -j | jq -r '.[] | select(.router) | .dst'";

/// `nlq neigh get --help`.
pub const NEIGH_GET: &str = "\
Examples:
  nlq neigh get 10.0.0.2 --dev eth0     the ARP entry of 10.0.0.2 on eth0
  nlq neigh get fe80::1 -d eth0 -j | jq -r '.[0].state[]'
  nlq neigh get 10.0.0.9 --proxy        a proxy ARP entry";

/// `nlq genl --help`.
pub const GENL: &str = "\
Examples:
  nlq genl                         every family, one row each
  nlq genl nlctrl                  one family: its operations and groups
  nlq genl -j | jq -r '.[] | select(.mcast_groups | length > 0) | .name'";

/// `nlq netconf --help`.
pub const NETCONF: &str = "\
Examples:
  nlq netconf -4                   IPv4 settings of every device
  nlq netconf --dev eth0           eth0's IPv4 and IPv6 settings
  nlq netconf -j | jq -r '.[] | select(.forwarding) | \"\\(.family) \\(.dev)\"'";

/// `nlq addrlabels --help`.
pub const ADDRLABELS: &str = "\
Examples:
  nlq addrlabels                   the policy table, longest prefix first
  nlq addrlabels --json=ip         the shape of `ip -j addrlabel`
  nlq addrlabels -j | jq -r '.[] | select(.dev) | \"\\(.prefix) \\(.dev)\"'";

/// `nlq vlans --help`.
pub const VLANS: &str = "\
Examples:
  nlq vlans --dev vx0 --vid 101    vx0's VLAN 101 and its tunnel id
  nlq vlans --details -s           each VLAN's STP state, router mode, counters
  nlq vlans global --dev br0       br0's per-VLAN multicast snooping options
  nlq vlans -j | jq -r '.[] | .dev as $d | .vlans[] | select(.pvid) | \"\\($d) \\(.vid)\"'";

/// `nlq mdb --help`.
pub const MDB: &str = "\
Examples:
  nlq mdb --dev br0 --vid 10       br0's groups in VLAN 10
  nlq mdb -s                       with each group's and router port's timer
  nlq mdb -s --json=ip             the shape of `bridge -d -s -j mdb show`
  nlq mdb -j | jq -r '.[] | select(.kind == \"group\") | \"\\(.group) \\(.port)\"'";

/// `nlq ntables --help`.
pub const NTABLES: &str = "\
Examples:
  nlq ntables --dev none           the tables' own limits and defaults
  nlq ntables -6 --dev eth0        eth0's NDP parameters
  nlq ntables --json=ip --stats    the shape of `ip -s -j ntable`
  nlq ntables -j | jq '.[] | select(.stats) | {name, entries: .config.entries}'";

/// `nlq stats --help`.
pub const STATS: &str = "\
Examples:
  nlq stats                        every link's counters, offload and MPLS state
  nlq stats -d eth0 -g offload     eth0's offload counters and their state
  nlq stats --json=ip              the shape of `ip -j stats show`
  nlq stats -j -g link | jq -r '.[] | \"\\(.dev) \\(.stats.rx_bytes)\"'";

/// `nlq monitor --help`.
pub const MONITOR: &str = "\
Examples:
  nlq monitor                      every change, as it happens
  nlq monitor route -4 --count 10  the next ten IPv4 route changes
  nlq monitor --snapshot --json    the current state, then every change
  nlq monitor -j | jq -c 'select(.object == \"link\") | {event, name}'";

/// `nlq completions --help`.
pub const COMPLETIONS: &str = "\
Examples:
  nlq completions bash > ~/.local/share/bash-completion/completions/nlq
  nlq completions zsh > ~/.zfunc/_nlq    (with fpath+=(~/.zfunc) in ~/.zshrc)
  nlq completions fish > ~/.config/fish/completions/nlq.fish";

/// `nlq man --help`.
pub const MAN: &str = "\
Examples:
  nlq man | man -l -               read it now
  nlq man > /usr/local/share/man/man1/nlq.1";

/// `nlq snapshot --help`.
pub const SNAPSHOT: &str = "\
Examples:
  nlq snapshot > before.json       every object kind, in one JSON document
  nlq -n blue snapshot > blue.json the namespace blue's state
  nlq snapshot | jq '.[0].routes | length'";

/// `nlq diff --help`.
pub const DIFF: &str = "\
Examples:
  nlq diff before.json             what changed since the snapshot (exit 1 if anything)
  nlq diff before.json after.json  two snapshots
  nlq -n blue diff blue.json -O route,addr   routes and addresses only
  nlq diff before.json -j | jq -r '.[] | \"\\(.change) \\(.object)\"'";

/// `first`, a blank line, then `examples`: for commands that already had
/// an after-help text.
pub fn with(first: &str, examples: &str) -> String {
    format!("{first}\n\n{examples}")
}

/// `nlq fdb --help`.
pub const FDB: &str = "\
Examples:
  nlq fdb --br br0 --json=ip       as `bridge -j -s fdb show br br0`
  nlq fdb --br br0 --vlan 10 --state reachable   learned addresses of VLAN 10
  nlq fdb --dev vxlan0 -j | jq -r '.[] | \"\\(.mac) \\(.dst) \\(.vni)\"'   VXLAN remotes";

/// `nlq ports --help`.
pub const PORTS: &str = "\
Examples:
  nlq ports --br br0               the ports of br0: state, priority, cost
  nlq ports --json=ip              as `bridge -j -d link show`
  nlq ports -j | jq -r '.[] | select(.state != \"forwarding\") | .ifname'";

/// `nlq maddrs --help`.
pub const MADDRS: &str = "\
Examples:
  nlq maddrs                       every link's multicast addresses
  nlq maddrs -6 --dev eth0         the IPv6 groups eth0 has joined
  nlq maddrs --json=ip             the shape of `ip -j maddr show`
  nlq maddrs -j | jq -r '.[] | select(.static) | \"\\(.dev) \\(.address)\"'";

/// `nlq mroutes --help`.
pub const MROUTES: &str = "\
Examples:
  nlq mroutes                      IPv4 entries of the default table
  nlq mroutes -6 -s                IPv6 entries with counters
  nlq mroutes -t all --json=ip     as `ip -j mroute show table all`
  nlq mroutes -j | jq -r '.[] | select(.state == \"unresolved\") | .dst'";

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use crate::cli::Cli;

    /// The invocations of an after-help text: lines `  nlq ...`, cut at
    /// the comment (two spaces), a pipe or a redirection.
    fn invocations(text: &str) -> Vec<(String, bool)> {
        text.lines()
            .filter_map(|l| l.strip_prefix("  "))
            .filter(|l| l.starts_with("nlq "))
            .map(|l| {
                let jq = l.contains("| jq ");
                let end = [l.find("  "), l.find(" | "), l.find(" > ")]
                    .into_iter()
                    .flatten()
                    .min()
                    .unwrap_or(l.len());
                (l[..end].to_string(), jq)
            })
            .collect()
    }

    /// Every command (`routes get` too) has 2 to 4 examples, each accepted
    /// by the real parser; every command that prints JSON shows a jq
    /// pipeline.
    #[test]
    fn every_command_has_examples_that_parse() {
        fn check(cmd: &clap::Command, path: &str) {
            let text = cmd.get_after_help().map(|t| t.to_string());
            let text = text.unwrap_or_else(|| panic!("{path}: no after_help"));
            assert!(text.contains("Examples:"), "{path}: {text}");
            let examples = invocations(&text);
            assert!((2..=4).contains(&examples.len()), "{path}: {examples:?}");
            for (line, _) in &examples {
                let words = line.split_whitespace();
                if let Err(e) = Cli::try_parse_from(words) {
                    panic!("{path}: example {line:?} does not parse: {e}");
                }
            }
            let offline = ["nlq completions", "nlq man"].contains(&path);
            let has_jq = examples.iter().any(|(_, jq)| *jq);
            assert!(offline || has_jq, "{path}: no jq pipeline");
            for sub in cmd.get_subcommands() {
                check(sub, &format!("{path} {}", sub.get_name()));
            }
        }
        check(&Cli::command(), "nlq");
    }

    /// `cli::lean` gives what the full parse gives, for every example of
    /// every command and for invocations it must leave to the full parse
    /// (errors, help, a global option first).
    #[test]
    fn lean_parse_agrees_with_the_full_parse() {
        fn examples(cmd: &clap::Command, out: &mut Vec<String>) {
            let text = cmd
                .get_after_help()
                .map(|t| t.to_string())
                .unwrap_or_default();
            out.extend(invocations(&text).into_iter().map(|(l, _)| l));
            cmd.get_subcommands().for_each(|sub| examples(sub, out));
        }
        let mut lines = Vec::new();
        examples(&Cli::command(), &mut lines);
        lines.extend(
            [
                "nlq route -4 -j --table all --sort dst",
                "nlq r --json=ip -n blue",
                "nlq nh --groups -4",
                "nlq neighbor --state all --dev lo",
                "nlq ru --pref 100 --json",
                "nlq mon route link --count 3 -j",
                "nlq links --rate --count 2",
                "nlq routes get 10.0.0.1 --explain",
                "nlq routes -4 -6",
                "nlq routes --table",
                "nlq routes --help",
                "nlq -j routes",
                "nlq links --bogus",
            ]
            .map(String::from),
        );
        let mut lean_ones = 0;
        for line in &lines {
            let args: Vec<std::ffi::OsString> = line.split_whitespace().map(Into::into).collect();
            let full = Cli::try_parse_from(&args).ok().map(|c| format!("{c:?}"));
            if let Some(lean) = crate::cli::lean(&args) {
                lean_ones += 1;
                assert_eq!(Some(format!("{lean:?}")), full, "{line}");
            }
        }
        assert!(
            lean_ones >= 20,
            "only {lean_ones} of {} parsed lean",
            lines.len()
        );
    }

    /// Each name `cli::LEAN` answers to is the command's name or one of its
    /// aliases, and it lists them all.
    #[test]
    fn lean_names_are_the_commands_names() {
        let full = Cli::command();
        for (names, _) in crate::cli::LEAN {
            let cmd = full.find_subcommand(names[0]).expect(names[0]);
            let mut want = vec![cmd.get_name()];
            want.extend(cmd.get_all_aliases());
            assert_eq!(names.to_vec(), want);
        }
    }

    #[test]
    fn invocations_stop_at_comments_pipes_and_redirections() {
        let text = "Examples:\n  nlq routes   a comment\n  nlq links -j | jq .\n  nlq man > x\n";
        let got: Vec<String> = invocations(text).into_iter().map(|(l, _)| l).collect();
        assert_eq!(got, ["nlq routes", "nlq links -j", "nlq man"]);
    }
}
