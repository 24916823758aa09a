//! Route identity keys, and the dump check that catches a route the kernel
//! sends twice in one dump.
//!
//! # Why
//!
//! The IPv6 FIB dump does not flag a dump that the table changed under.
//! `fib6_dump_table` (net/ipv6/ip6_fib.c) resumes each chunk with a tree
//! walker; when the tree's serial number moved since the last chunk it
//! starts again at the root and skips as many nodes as it had already
//! visited (`w->skip = w->count`). A node added before the cursor makes it
//! send a route again, a node deleted there makes it skip one, and no
//! message carries NLM_F_DUMP_INTR (`inet6_dump_fib` never calls
//! `nl_dump_check_consistent`). A skipped route cannot be seen in the
//! messages; a repeated one can: two messages with the same identity in
//! one dump. [`RouteRepeats`] reports that to the dump loop, which then
//! treats the try like one flagged NLM_F_DUMP_INTR (see [`crate::dump`]):
//!
//! * before output, the dump is tried again, up to 3 tries in all; if every
//!   try repeats a route, nlq fails with "dump interrupted: ..." and exit 1,
//!   and prints nothing;
//! * after output began (a dump past the 16 MiB hold-back), the dump ends
//!   with the same error and exit 3 ("output may be inconsistent").
//!
//! # Which families
//!
//! IPv6 above all, and every family but IPv4. The IPv4 FIB dump
//! (`fib_table_dump`, net/ipv4/fib_trie.c) resumes each chunk from the last
//! prefix it sent, walking the trie in key order, so it cannot send a prefix
//! twice; what is left is a route alias added inside one prefix's leaf
//! between two chunks, which this check would not be worth its price for:
//! keying every route of a million-route IPv4 table cost about a tenth of
//! the whole dump.
//!
//! # The key
//!
//! A key must never be shared by two routes that can coexist in one
//! consistent dump (a false repeat would fail every try), and should stay
//! the same when the kernel sends one route twice. It is read straight from
//! the message, without decoding the route:
//!
//! * always: family, table (RTA_TABLE over rtm_table), rtm_dst_len + RTA_DST,
//!   rtm_src_len + RTA_SRC, rtm_tos, rtm_type, RTA_PRIORITY (the metric),
//!   RTA_IIF (the parent of a multicast cache entry), and the nexthop of a
//!   single-path route: RTA_OIF, RTA_GATEWAY, RTA_VIA, RTA_NH_ID,
//!   RTA_ENCAP_TYPE + RTA_ENCAP.
//! * IPv6: a fib6_info is identified by its node (table, dst, src) and its
//!   metric; routes of one node and metric are either ECMP siblings, which
//!   a dump sends as one message with RTA_MULTIPATH (`rt6_fill_node`), or
//!   single routes that must differ in nexthop or nexthop object
//!   (`rt6_duplicate_nexthop` refuses the rest with EEXIST). So a multipath
//!   message adds only "multipath" to the key, not its hops: a sibling added
//!   between two copies of a group does not hide the repeat.
//! * other families (IPv4 above all): `ip route append` lets routes with the
//!   same prefix, tos, metric and type coexist when their `fib_info`s
//!   differ (`fib_table_insert`), so the key also takes what a `fib_info`
//!   is compared on: rtm_protocol, rtm_scope, RTA_PREFSRC, RTA_METRICS,
//!   RTA_FLOW and the whole RTA_MULTIPATH.
//!
//! Not in the key: rtm_flags (nexthop state such as RTNH_F_LINKDOWN can
//! change between two copies), RTA_CACHEINFO and RTA_EXPIRES (times).
//! Cloned routes (RTM_F_CLONED: IPv6 exceptions, the IPv4 cache) are not
//! checked at all: each sibling of a group keeps its own exceptions, so two
//! of them can carry the same destination and gateway legitimately.
//!
//! The key is hashed to 64 bits with a seeded multiply-fold hash (the core
//! of wyhash), under a seed drawn afresh for every try. SipHash, which this
//! replaced, cost 15-20% of a whole million-route dump; the routes come
//! from the kernel, not an adversary choosing collisions. A collision
//! between two different routes fails a try with a chance of about
//! n²/2⁶⁵ (10⁻⁹ at 200k routes), and is not expected on the next try.
//!
//! # Memory
//!
//! Only hashes are kept, in a set capped at [`MAX_KEYS`]: 2.25 MiB at most,
//! whatever the size of the table (a later issue wants 1M routes in 32 MiB).
//! The cap covers the whole 16 MiB hold-back for IPv6 routes (messages of
//! about 116 bytes: some 145k routes) and the first 229k IPv4 routes; past
//! it the rest of the dump is not checked. A repeat found after output
//! began still ends the dump with exit 3, so the check keeps running into
//! the streamed part as long as the cap allows.

use std::collections::HashSet;
use std::hash::{BuildHasher, BuildHasherDefault, Hash, Hasher, RandomState};

use crate::dump::Consistency;
use crate::wire::attr::{AF_INET, AF_INET6, AttrIndex};
use crate::wire::nlmsg::NlMsg;
use crate::wire::rtmsg::{
    RTA_DST, RTA_ENCAP, RTA_ENCAP_TYPE, RTA_FLOW, RTA_GATEWAY, RTA_IIF, RTA_MAX, RTA_METRICS,
    RTA_MULTIPATH, RTA_NH_ID, RTA_OIF, RTA_PREFSRC, RTA_PRIORITY, RTA_SRC, RTA_TABLE, RTA_VIA,
    RTM_F_CLONED, RTM_NEWROUTE, RtMsg,
};

/// Attributes in every route's key, in this order.
const ROUTE_ATTRS: [u16; 10] = [
    RTA_DST,
    RTA_SRC,
    RTA_PRIORITY,
    RTA_IIF,
    RTA_OIF,
    RTA_GATEWAY,
    RTA_VIA,
    RTA_NH_ID,
    RTA_ENCAP_TYPE,
    RTA_ENCAP,
];

/// Attributes a non-IPv6 route's `fib_info` adds to its key.
const FIB_INFO_ATTRS: [u16; 4] = [RTA_PREFSRC, RTA_METRICS, RTA_FLOW, RTA_MULTIPATH];

/// The most keys one try remembers: what a set of 2¹⁸ buckets holds at its
/// 7/8 load limit, 9 bytes a bucket (a u64 and a control byte): 2.25 MiB.
pub const MAX_KEYS: usize = (1 << 18) / 8 * 7;

/// The identity of the route in `msg`, hashed by `state`; `None` for a
/// message that is not a route (wrong type, shorter than `struct rtmsg`) or
/// is a cloned route, which are not checked (see the module doc).
pub fn route_key(msg: &NlMsg<&[u8]>, state: &impl BuildHasher) -> Option<u64> {
    if msg.kind() != RTM_NEWROUTE {
        return None;
    }
    let rt = RtMsg::new_checked(msg.payload()).ok()?;
    if rt.flags() & RTM_F_CLONED != 0 {
        return None;
    }
    // A malformed attribute ends the walk; a copy of the message ends it at
    // the same place, so what survived is still a fair key.
    let idx = AttrIndex::<RTA_MAX>::parse(rt.attr_bytes());
    let attr = |kind: u16| idx.get(kind).map(|a| a.payload());
    let table = idx
        .get(RTA_TABLE)
        .and_then(|a| a.u32().ok())
        .unwrap_or(u32::from(rt.table()));
    let mut h = state.build_hasher();
    (
        rt.family(),
        table,
        rt.dst_len(),
        rt.src_len(),
        rt.tos(),
        rt.kind(),
    )
        .hash(&mut h);
    ROUTE_ATTRS.map(attr).hash(&mut h);
    if rt.family() == AF_INET6 {
        attr(RTA_MULTIPATH).is_some().hash(&mut h);
    } else {
        (rt.protocol(), rt.scope()).hash(&mut h);
        FIB_INFO_ATTRS.map(attr).hash(&mut h);
    }
    Some(h.finish())
}

/// A [`Consistency`] check for route dumps: a try that sends a route key
/// twice counts as interrupted (see the module doc).
#[derive(Debug, Default)]
pub struct RouteRepeats {
    /// Hashes of the keys this try has sent, up to [`MAX_KEYS`].
    seen: HashSet<u64, BuildHasherDefault<Prehashed>>,
    /// The hash seed for this try.
    state: KeyState,
    /// Repeats found, over all tries.
    repeats: u32,
}

impl RouteRepeats {
    /// A check with nothing seen yet.
    pub fn new() -> Self {
        RouteRepeats::default()
    }

    /// How many repeated routes were found, over all tries so far.
    #[cfg(test)]
    pub fn repeats(&self) -> u32 {
        self.repeats
    }
}

impl Consistency for RouteRepeats {
    fn restart(&mut self) {
        self.seen.clear(); // keeps the allocation for the next try
        self.state = KeyState::new();
    }

    fn admit(&mut self, msg: &NlMsg<&[u8]>) -> bool {
        // IPv4 is not checked: see "Which families" in the module doc.
        if self.seen.len() >= MAX_KEYS || msg.payload().first() == Some(&AF_INET) {
            return true;
        }
        let Some(key) = route_key(msg, &self.state) else {
            return true;
        };
        let fresh = self.seen.insert(key);
        self.repeats = self.repeats.saturating_add(u32::from(!fresh));
        fresh
    }
}

/// A fresh random seed for [`Mum`], one per try.
#[derive(Debug, Clone, Copy)]
struct KeyState(u64);

impl KeyState {
    fn new() -> Self {
        KeyState(RandomState::new().hash_one(0x006e_6c71_u64))
    }
}

impl Default for KeyState {
    fn default() -> Self {
        KeyState::new()
    }
}

impl BuildHasher for KeyState {
    type Hasher = Mum;
    fn build_hasher(&self) -> Mum {
        Mum(self.0)
    }
}

/// wyhash's primes.
const P0: u64 = 0xa076_1d64_78bd_642f;
const P1: u64 = 0xe703_7ed1_a0b4_28db;

/// The 128-bit product of `a` and `b`, folded to 64 bits (wyhash's mum).
fn mum(a: u64, b: u64) -> u64 {
    let r = u128::from(a) * u128::from(b);
    (r as u64) ^ ((r >> 64) as u64)
}

/// A seeded hash over 8-byte words: each word is folded into the state
/// with one 128-bit multiply.
#[derive(Debug, Clone, Copy)]
struct Mum(u64);

impl Mum {
    fn word(&mut self, w: u64) {
        self.0 = mum(self.0 ^ P0, w ^ P1);
    }
}

impl Hasher for Mum {
    fn finish(&self) -> u64 {
        mum(self.0, P0 ^ P1)
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            self.word(u64::from_le_bytes([
                w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7],
            ]));
        }
        let rest = words.remainder();
        let mut last = [0u8; 8];
        last[..rest.len()].copy_from_slice(rest);
        // The length goes in too, so "ab" and "ab\0" differ.
        self.word(u64::from_le_bytes(last) ^ (rest.len() as u64) << 56);
    }
    fn write_u8(&mut self, n: u8) {
        self.word(u64::from(n));
    }
    fn write_u16(&mut self, n: u16) {
        self.word(u64::from(n));
    }
    fn write_u32(&mut self, n: u32) {
        self.word(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.word(n);
    }
    fn write_usize(&mut self, n: usize) {
        self.word(n as u64);
    }
}

/// A hasher for keys that are already hash values: it passes the u64
/// through instead of hashing it again.
#[derive(Debug, Default, Clone, Copy)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u64` is used by a `HashSet<u64>`; fold anything else.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dump::script::{Scripted, Step, message};
    use crate::dump::{DumpError, DumpOptions, Dumper};
    use crate::wire::nlmsg::{NLM_F_MULTI, NLMSG_DONE};

    /// A route payload: `struct rtmsg` then the attributes `attrs` (each
    /// a type and a payload of a multiple of 4 bytes).
    fn route(hdr: [u8; 8], flags: u32, attrs: &[(u16, &[u8])]) -> Vec<u8> {
        let mut p = hdr.to_vec();
        p.extend_from_slice(&flags.to_ne_bytes());
        for (kind, payload) in attrs {
            p.extend_from_slice(&(4 + payload.len() as u16).to_ne_bytes());
            p.extend_from_slice(&kind.to_ne_bytes());
            p.extend_from_slice(payload);
        }
        p
    }

    /// An IPv6 route `2001:db8:N::/48 dev 2 metric 1024` in table main.
    fn v6(n: u8, extra: &[(u16, &[u8])]) -> Vec<u8> {
        v6_dev(n, 2, extra)
    }

    /// [`v6`] through device `oif`.
    fn v6_dev(n: u8, oif: u8, extra: &[(u16, &[u8])]) -> Vec<u8> {
        let mut dst = [0u8; 16];
        dst[..5].copy_from_slice(&[0x20, 0x01, 0x0d, 0xb8, n]);
        let oif = [oif, 0, 0, 0];
        let mut attrs: Vec<(u16, &[u8])> = vec![
            (RTA_TABLE, &[254, 0, 0, 0]),
            (RTA_DST, &dst),
            (RTA_PRIORITY, &[0, 4, 0, 0]),
            (RTA_OIF, &oif),
        ];
        attrs.extend_from_slice(extra);
        // family AF_INET6, dst_len 48, src_len, tos, table main, proto boot,
        // scope universe, type unicast
        route([10, 48, 0, 0, 254, 3, 0, 1], 0, &attrs)
    }

    fn key(payload: &[u8], state: &RandomState) -> Option<u64> {
        let m = message(RTM_NEWROUTE, NLM_F_MULTI, 1, payload);
        route_key(&NlMsg::new_checked(&m[..]).unwrap(), state)
    }

    #[test]
    fn key_ignores_times_and_state_but_not_identity() {
        let s = RandomState::new();
        let base = key(&v6(1, &[]), &s);
        assert!(base.is_some());
        assert_eq!(key(&v6(1, &[]), &s), base, "a copy has the same key");
        let cacheinfo = [7u8; 32];
        let timed = v6(1, &[(crate::wire::rtmsg::RTA_CACHEINFO, &cacheinfo)]);
        assert_eq!(key(&timed, &s), base, "RTA_CACHEINFO is not identity");
        let mut linkdown = v6(1, &[]);
        linkdown[8] = 0x10; // rtm_flags = RTNH_F_LINKDOWN
        assert_eq!(key(&linkdown, &s), base, "nexthop state is not identity");
        assert_ne!(key(&v6(2, &[]), &s), base, "another destination");
        let other_dev = key(&v6_dev(1, 3, &[]), &s);
        assert_ne!(other_dev, base, "fe80::/64 dev a + dev b coexist");
    }

    #[test]
    fn ipv6_multipath_key_ignores_its_hops() {
        let s = RandomState::new();
        #[rustfmt::skip]
        let one_hop = [
            8, 0, 0, 0, 2, 0, 0, 0, // rtnh_len 8, flags 0, hops 0, ifindex 2
        ];
        let two_hops = [one_hop, [8, 0, 0, 0, 3, 0, 0, 0]].concat();
        let a = key(&v6(1, &[(RTA_MULTIPATH, &one_hop)]), &s);
        let b = key(&v6(1, &[(RTA_MULTIPATH, &two_hops)]), &s);
        assert_eq!(a, b, "a sibling group grows between two copies");
        assert_ne!(a, key(&v6(1, &[]), &s), "a single route beside the group");
    }

    #[test]
    fn ipv4_appended_routes_differ_in_fib_info() {
        let s = RandomState::new();
        // 10.0.0.0/8 dev 2, proto static, scope link; then with a prefsrc.
        let hdr = [2, 8, 0, 0, 254, 4, 253, 1];
        let base: &[(u16, &[u8])] = &[(RTA_DST, &[10, 0, 0, 0]), (RTA_OIF, &[2, 0, 0, 0])];
        let plain = route(hdr, 0, base);
        let mut with_src = base.to_vec();
        with_src.push((RTA_PREFSRC, &[10, 0, 0, 1]));
        let with_src = route(hdr, 0, &with_src);
        assert_ne!(key(&plain, &s), key(&with_src, &s));
        assert_eq!(key(&plain, &s), key(&plain, &s));
    }

    #[test]
    fn not_checked_cloned_or_not_a_route() {
        let s = RandomState::new();
        assert_eq!(
            key(&route([10, 128, 0, 0, 254, 0, 0, 1], RTM_F_CLONED, &[]), &s),
            None
        );
        assert_eq!(key(&[10, 48, 0], &s), None, "shorter than struct rtmsg");
        let m = message(16, NLM_F_MULTI, 1, &v6(1, &[])); // RTM_NEWLINK
        assert_eq!(route_key(&NlMsg::new_checked(&m[..]).unwrap(), &s), None);
    }

    #[test]
    fn the_cap_stops_checking_not_the_dump() {
        let mut check = RouteRepeats::new();
        check.restart();
        let m = message(RTM_NEWROUTE, NLM_F_MULTI, 1, &v6(1, &[]));
        let m = NlMsg::new_checked(&m[..]).unwrap();
        assert!(check.admit(&m));
        assert!(!check.admit(&m));
        check.restart();
        check.seen.extend(0..MAX_KEYS as u64);
        assert!(check.admit(&m) && check.admit(&m), "past the cap all pass");
        assert_eq!(check.repeats(), 1);
    }

    fn kernel(seq: u32, routes: &[Vec<u8>]) -> Step {
        let mut bytes: Vec<u8> = routes
            .iter()
            .flat_map(|r| message(RTM_NEWROUTE, NLM_F_MULTI, seq, r))
            .collect();
        bytes.extend(message(NLMSG_DONE, NLM_F_MULTI, seq, &0i32.to_ne_bytes()));
        Step::Datagram { sender: 0, bytes }
    }

    /// Run a route dump over `steps` with the check; the tries it took,
    /// the payloads shown, and the repeats found.
    fn dump(steps: Vec<Step>) -> (Result<u32, DumpError>, Vec<Vec<u8>>, u32) {
        dump_with(DumpOptions::default(), steps)
    }

    fn dump_with(
        options: DumpOptions,
        steps: Vec<Step>,
    ) -> (Result<u32, DumpError>, Vec<Vec<u8>>, u32) {
        let mut fake = Scripted::new(steps);
        let req = message(26, 0x301, 0, &[0; 12]);
        let mut check = RouteRepeats::new();
        let mut shown = Vec::new();
        let r = Dumper::new(options).dump_checked(&mut fake, &req, &mut check, |m| {
            shown.push(m.payload().to_vec());
            Ok(())
        });
        (r.map(|s| s.tries), shown, check.repeats())
    }

    #[test]
    fn a_repeated_route_is_retried_and_never_shown() {
        let (a, b, c) = (v6(1, &[]), v6(2, &[]), v6(3, &[]));
        let (tries, shown, repeats) = dump(vec![
            // The fib6 walker restarted after `b` and skipped one node too
            // few: `b` comes again, with nothing flagged.
            kernel(1, &[a.clone(), b.clone(), b.clone(), c.clone()]),
            kernel(2, &[a.clone(), b.clone(), c.clone()]),
        ]);
        assert_eq!(tries.unwrap(), 2);
        assert_eq!(shown, vec![a, b, c], "each route once, from the clean try");
        assert_eq!(repeats, 1);
    }

    #[test]
    fn repeats_on_every_try_fail_before_output() {
        let (a, b) = (v6(1, &[]), v6(2, &[]));
        let steps = (1..=3)
            .map(|seq| kernel(seq, &[a.clone(), b.clone(), a.clone()]))
            .collect();
        let (r, shown, repeats) = dump(steps);
        let e = r.unwrap_err();
        assert!(
            matches!(
                e,
                DumpError::Interrupted {
                    output_started: false
                }
            ),
            "{e:?}"
        );
        assert!(shown.is_empty(), "nothing shown");
        assert_eq!(repeats, 3);
        // Busy, not failed: a script can retry.
        assert_eq!(
            crate::Error::from(e).exit_code(),
            crate::error::EXIT_INCONSISTENT
        );
    }

    #[test]
    fn siblings_and_same_metric_dev_routes_are_not_repeats() {
        // fe80::/64 on two devices, and a group beside a dev route: the
        // shapes of a real table that must never count as a repeat.
        let hop = [8u8, 0, 0, 0, 4, 0, 0, 0];
        let group = v6(1, &[(RTA_MULTIPATH, &hop)]);
        let routes = [v6(1, &[]), v6_dev(1, 3, &[]), group];
        let (tries, shown, repeats) = dump(vec![kernel(1, &routes)]);
        assert_eq!(tries.unwrap(), 1);
        assert_eq!((shown.len(), repeats), (3, 0));
    }

    #[test]
    fn a_repeat_after_output_began_is_exit_3() {
        let (a, b) = (v6(1, &[]), v6(2, &[]));
        let small = DumpOptions {
            hold_limit: 8,
            tries: 3,
        };
        let (r, shown, _) = dump_with(small, vec![kernel(1, &[a.clone(), b, a])]);
        let e = crate::Error::from(r.unwrap_err());
        assert_eq!(e.exit_code(), crate::error::EXIT_INCONSISTENT);
        assert_eq!(shown.len(), 3, "the repeat was streamed, and is reported");
    }
}
