//! The monitor's last known state: one keyed map per object kind, holding
//! the last object each key was seen with, so that a re-dump after an
//! overrun can be turned into the new/del events a consumer missed.
//!
//! Keys are the kernel's identities: a link by index; an address by
//! (index, family, local, peer, prefix length); a route by (table,
//! family, dst/len or an MPLS route's label, src/len, tos, priority),
//! priority being IPv6's metric;
//! a neighbour by (ifindex, family, dst); a rule by its whole content.
//! Objects are compared without the counters and ages that change on
//! their own (link statistics, lifetimes, neighbour ages), so an unchanged
//! object is never reported again.

use std::collections::BTreeMap;
use std::net::IpAddr;

use crate::model::addr::Addr;
use crate::model::link::Link;
use crate::model::neigh::Neigh;
use crate::model::route::{Labels, Route};
use crate::model::rule::Rule;

/// The object kinds `nlq monitor` watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Interfaces (RTM_NEWLINK / RTM_DELLINK).
    Link,
    /// Interface addresses (RTM_NEWADDR / RTM_DELADDR).
    Addr,
    /// Routes (RTM_NEWROUTE / RTM_DELROUTE).
    Route,
    /// Neighbours (RTM_NEWNEIGH / RTM_DELNEIGH).
    Neigh,
    /// Policy routing rules (RTM_NEWRULE / RTM_DELRULE).
    Rule,
}

impl Kind {
    /// Every kind, in the order dumps are made (links first: their names).
    pub const ALL: [Kind; 5] = [Kind::Link, Kind::Addr, Kind::Route, Kind::Neigh, Kind::Rule];

    /// The name used on the command line and in JSON ("route").
    pub fn name(self) -> &'static str {
        match self {
            Kind::Link => "link",
            Kind::Addr => "addr",
            Kind::Route => "route",
            Kind::Neigh => "neigh",
            Kind::Rule => "rule",
        }
    }
}

/// One decoded object of any kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Object {
    /// An interface.
    Link(Box<Link>),
    /// An interface address.
    Addr(Addr),
    /// A route.
    Route(Box<Route>),
    /// A neighbour entry.
    Neigh(Neigh),
    /// A rule.
    Rule(Rule),
}

/// The identity of an object within its kind.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Key {
    /// ifi_index.
    Link(u32),
    /// (ifa_index, family, local, peer, prefix length).
    Addr(u32, u8, Option<IpAddr>, Option<IpAddr>, u8),
    /// (table, family, dst, dst_len, src, src_len, tos, priority).
    Route(RouteKey),
    /// (ifindex, family, dst).
    Neigh(u32, u8, Option<IpAddr>),
    /// The whole rule, as text (rules have no identity but their content).
    Rule(String),
}

/// A route's identity: what the kernel compares to find "the same route".
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct RouteKey {
    table: u32,
    family: u8,
    dst: Option<IpAddr>,
    dst_labels: Option<Labels>,
    dst_len: u8,
    src: Option<IpAddr>,
    src_len: u8,
    tos: u8,
    priority: u32,
}

impl Object {
    /// The object's kind.
    pub fn kind(&self) -> Kind {
        match self {
            Object::Link(_) => Kind::Link,
            Object::Addr(_) => Kind::Addr,
            Object::Route(_) => Kind::Route,
            Object::Neigh(_) => Kind::Neigh,
            Object::Rule(_) => Kind::Rule,
        }
    }

    /// The object's identity.
    pub fn key(&self) -> Key {
        match self {
            Object::Link(l) => Key::Link(l.index),
            Object::Addr(a) => Key::Addr(a.index, a.family, a.local, a.peer, a.prefix_len),
            Object::Route(r) => Key::Route(RouteKey {
                table: r.table,
                family: r.family.0,
                dst: r.dst,
                dst_labels: r.dst_labels,
                dst_len: r.dst_len,
                src: r.src,
                src_len: r.src_len,
                tos: r.tos,
                priority: r.priority.unwrap_or(0),
            }),
            Object::Neigh(n) => Key::Neigh(n.ifindex, n.family, n.dst),
            Object::Rule(r) => Key::Rule(format!("{r:?}")),
        }
    }

    /// The object without what changes on its own: statistics, lifetimes,
    /// ages, probe counts.
    fn settled(&self) -> Object {
        let mut o = self.clone();
        match &mut o {
            Object::Link(l) => l.stats = None,
            Object::Addr(a) => a.cacheinfo = None,
            Object::Route(r) => r.cacheinfo = None,
            Object::Neigh(n) => {
                n.cacheinfo = None;
                n.probes = None;
            }
            Object::Rule(_) => {}
        }
        o
    }

    /// Whether `self` and `other` say the same, ages and counters aside.
    pub fn same(&self, other: &Object) -> bool {
        self.settled() == other.settled()
    }
}

/// What happened to an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Added, or changed (RTM_NEW*).
    New,
    /// A link that was known and whose IFF_* flags changed.
    Flags,
    /// Removed (RTM_DEL*).
    Del,
}

/// The last known object of every key, per kind.
#[derive(Debug, Default)]
pub struct State {
    maps: BTreeMap<Kind, BTreeMap<Key, Object>>,
    /// Kinds whose whole state is known (dumped): a deletion of an unknown
    /// key is then a duplicate.
    complete: [bool; 5],
}

impl State {
    /// An empty state: nothing known.
    pub fn new() -> Self {
        State::default()
    }

    /// The objects known of `kind`, by key.
    pub fn objects(&self, kind: Kind) -> impl Iterator<Item = &Object> {
        self.maps.get(&kind).into_iter().flat_map(|m| m.values())
    }

    /// The link with index `index`, if known.
    pub fn link(&self, index: u32) -> Option<&Link> {
        match self.maps.get(&Kind::Link)?.get(&Key::Link(index)) {
            Some(Object::Link(l)) => Some(l),
            _ => None,
        }
    }

    /// Apply one event; `None` when it says nothing new (a duplicate of
    /// the known state).
    pub fn apply(&mut self, change: Change, obj: &Object) -> Option<Change> {
        let kind = obj.kind();
        let complete = self.complete[kind as usize];
        let map = self.maps.entry(kind).or_default();
        let key = obj.key();
        match change {
            Change::Del => match map.remove(&key) {
                None if complete => None,
                _ => Some(Change::Del),
            },
            Change::New | Change::Flags => match map.insert(key, obj.clone()) {
                Some(old) if old.same(obj) => None,
                Some(Object::Link(old)) => match obj {
                    Object::Link(l) if l.flags != old.flags => Some(Change::Flags),
                    _ => Some(Change::New),
                },
                _ => Some(Change::New),
            },
        }
    }

    /// Replace what is known of `kind` by a fresh dump, returning the
    /// events that turn the old state into the new one: deletions first
    /// (in key order), then additions and changes (in dump order).
    pub fn replace(&mut self, kind: Kind, dump: Vec<Object>) -> Vec<(Change, Object)> {
        let old = self.maps.remove(&kind).unwrap_or_default();
        let mut new = BTreeMap::new();
        let mut order = Vec::with_capacity(dump.len());
        for obj in dump {
            let key = obj.key();
            order.push(key.clone());
            new.insert(key, obj);
        }
        let mut events: Vec<(Change, Object)> = old
            .iter()
            .filter(|(k, _)| !new.contains_key(*k))
            .map(|(_, o)| (Change::Del, o.clone()))
            .collect();
        order.dedup();
        for key in order {
            let Some(obj) = new.get(&key) else { continue };
            if !old.get(&key).is_some_and(|o| o.same(obj)) {
                events.push((Change::New, obj.clone()));
            }
        }
        self.maps.insert(kind, new);
        self.complete[kind as usize] = true;
        events
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    fn route(dst: [u8; 4], gw: [u8; 4]) -> Object {
        Object::Route(Box::new(Route {
            table: 254,
            dst: Some(IpAddr::V4(Ipv4Addr::from(dst))),
            dst_len: 24,
            gateway: Some(IpAddr::V4(Ipv4Addr::from(gw))),
            ..Route::default()
        }))
    }

    #[test]
    fn replace_yields_the_difference() {
        let mut s = State::new();
        let (a, b, c) = (
            route([10, 0, 0, 0], [1, 1, 1, 1]),
            route([10, 0, 1, 0], [1, 1, 1, 1]),
            route([10, 0, 2, 0], [1, 1, 1, 1]),
        );
        assert_eq!(s.apply(Change::New, &a), Some(Change::New));
        assert_eq!(s.apply(Change::New, &b), Some(Change::New));
        assert_eq!(s.apply(Change::New, &b), None, "a duplicate");
        let b2 = route([10, 0, 1, 0], [2, 2, 2, 2]);
        let ev = s.replace(Kind::Route, vec![b2.clone(), c.clone()]);
        assert_eq!(
            ev,
            vec![
                (Change::Del, a.clone()),
                (Change::New, b2),
                (Change::New, c)
            ]
        );
        // Complete now: deleting what is unknown is a duplicate.
        assert_eq!(s.apply(Change::Del, &a), None);
    }

    #[test]
    fn a_link_whose_flags_change_is_a_flags_change() {
        let mut s = State::new();
        let up = Object::Link(Box::new(Link::bare(3, 1, 1)));
        let down = Object::Link(Box::new(Link::bare(3, 0, 1)));
        assert_eq!(s.apply(Change::New, &up), Some(Change::New));
        assert_eq!(s.apply(Change::New, &down), Some(Change::Flags));
        assert!(s.link(3).is_some());
        assert_eq!(s.apply(Change::Del, &down), Some(Change::Del));
        assert!(s.link(3).is_none());
    }
}
