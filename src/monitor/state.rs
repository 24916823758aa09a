//! The last known state of one object kind: the last object each
//! identity key ([`ObjectKind::Key`]) was seen with, so that a re-dump
//! after an overrun can be turned into the new/del events a consumer
//! missed, and an event that repeats the known state is not shown twice.
//!
//! Objects are compared settled ([`ObjectKind::same`]): without the
//! counters and ages that change on their own (link statistics,
//! lifetimes, neighbour ages), so an unchanged object is never reported
//! again.

use std::collections::BTreeMap;

use crate::model::object::{Action, ObjectKind};

/// What happened to an object, as shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Added, or changed (RTM_NEW*).
    New,
    /// A known object whose flags changed (links: IFF_*).
    Flags,
    /// Removed (RTM_DEL*).
    Del,
}

/// The last known object of every key of kind `T`.
#[derive(Debug)]
pub struct KindState<T: ObjectKind> {
    map: BTreeMap<T::Key, T>,
    /// Whether the whole state is known (dumped): a deletion of an
    /// unknown key is then a duplicate.
    complete: bool,
}

impl<T: ObjectKind> Default for KindState<T> {
    fn default() -> Self {
        KindState {
            map: BTreeMap::new(),
            complete: false,
        }
    }
}

impl<T: ObjectKind> KindState<T> {
    /// An empty state: nothing known.
    pub fn new() -> Self {
        KindState::default()
    }

    /// The objects known, by key.
    pub fn objects(&self) -> impl Iterator<Item = &T> {
        self.map.values()
    }

    /// The object known under `key`.
    #[cfg(test)]
    pub fn get(&self, key: &T::Key) -> Option<&T> {
        self.map.get(key)
    }

    /// Apply one event: the changes it makes, none when it repeats the
    /// known state. A replacement (NLM_F_REPLACE) first removes the other
    /// objects of its group, which the kernel dropped without a word: they
    /// come out as deletions.
    pub fn apply(&mut self, action: Action, obj: &T) -> Vec<(Change, T)> {
        let key = obj.key();
        let mut changes = Vec::new();
        if action == Action::Replace {
            for other in group_keys::<T, T>(&self.map, &key) {
                if let Some(old) = self.map.remove(&other) {
                    changes.push((Change::Del, old));
                }
            }
        }
        let change = match action {
            Action::Del => match self.map.remove(&key) {
                None if self.complete => None,
                _ => Some(Change::Del),
            },
            Action::New | Action::Replace => {
                let now = match self.map.get(&key) {
                    Some(old) => obj.update(old),
                    None => obj.clone(),
                };
                let change = match self.map.insert(key, now.clone()) {
                    Some(old) if old.same(&now) => None,
                    Some(old) if now.flags_changed(&old) => Some(Change::Flags),
                    _ => Some(Change::New),
                };
                changes.extend(change.map(|c| (c, now)));
                return changes;
            }
        };
        changes.extend(change.map(|c| (c, obj.clone())));
        changes
    }

    /// Replace what is known by a fresh dump, returning the events that
    /// turn the old state into the new one: deletions first (in key
    /// order), then additions and changes (in dump order; of a key the
    /// dump repeats, its last object).
    pub fn replace(&mut self, dump: Vec<T>) -> Vec<(Change, T)> {
        let old = std::mem::take(&mut self.map);
        let mut order = Vec::with_capacity(dump.len());
        for obj in dump {
            let key = obj.key();
            order.push(key.clone());
            self.map.insert(key, obj);
        }
        let mut events: Vec<(Change, T)> = old
            .iter()
            .filter(|(k, _)| !self.map.contains_key(*k))
            .map(|(_, o)| (Change::Del, o.clone()))
            .collect();
        let mut seen = std::collections::BTreeSet::new();
        for key in order {
            if !seen.insert(key.clone()) {
                continue;
            }
            let Some(obj) = self.map.get(&key) else {
                continue;
            };
            if !old.get(&key).is_some_and(|o| o.same(obj)) {
                events.push((Change::New, obj.clone()));
            }
        }
        self.complete = true;
        events
    }
}

/// The keys of `map` in `key`'s group ([`ObjectKind::same_group`]) other
/// than `key`: a group's keys sort next to each other, so they are found
/// on either side of it.
pub fn group_keys<T: ObjectKind, V>(map: &BTreeMap<T::Key, V>, key: &T::Key) -> Vec<T::Key> {
    let same = |k: &&T::Key| T::same_group(key, k);
    let mut keys: Vec<T::Key> = map
        .range(..key.clone())
        .rev()
        .map(|(k, _)| k)
        .take_while(same)
        .cloned()
        .collect();
    keys.reverse();
    let after = map.range(key.clone()..).map(|(k, _)| k).take_while(same);
    keys.extend(after.filter(|k| *k != key).cloned());
    keys
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::link::Link;
    use crate::model::route::Route;
    use std::net::{IpAddr, Ipv4Addr};

    fn route(dst: [u8; 4], gw: [u8; 4]) -> Route {
        Route {
            table: 254,
            dst: Some(IpAddr::V4(Ipv4Addr::from(dst))),
            dst_len: 24,
            gateway: Some(IpAddr::V4(Ipv4Addr::from(gw))),
            ..Route::default()
        }
    }

    /// `r` changed where its key does not look: its preferred source.
    fn changed(r: &Route) -> Route {
        Route {
            prefsrc: Some(IpAddr::V4(Ipv4Addr::new(9, 9, 9, 9))),
            ..r.clone()
        }
    }

    #[test]
    fn replace_yields_the_difference() {
        let mut s = KindState::new();
        let (a, b, c) = (
            route([10, 0, 0, 0], [1, 1, 1, 1]),
            route([10, 0, 1, 0], [1, 1, 1, 1]),
            route([10, 0, 2, 0], [1, 1, 1, 1]),
        );
        assert_eq!(s.apply(Action::New, &a), [(Change::New, a.clone())]);
        assert_eq!(s.apply(Action::New, &b), [(Change::New, b.clone())]);
        assert_eq!(s.apply(Action::New, &b), [], "a duplicate");
        let b2 = changed(&b);
        let ev = s.replace(vec![b2.clone(), c.clone()]);
        assert_eq!(
            ev,
            vec![
                (Change::Del, a.clone()),
                (Change::New, b2),
                (Change::New, c)
            ]
        );
        // Complete now: deleting what is unknown is a duplicate.
        assert_eq!(s.apply(Action::Del, &a), []);
    }

    #[test]
    fn a_key_the_dump_repeats_is_one_object_the_last_one() {
        let mut s = KindState::new();
        let b = route([10, 0, 1, 0], [1, 1, 1, 1]);
        let b2 = changed(&b);
        let ev = s.replace(vec![b.clone(), b2.clone()]);
        assert_eq!(ev, vec![(Change::New, b2.clone())]);
        assert_eq!(s.objects().collect::<Vec<_>>(), [&b2]);
    }

    #[test]
    fn a_replacement_takes_the_place_of_its_group_and_appends_do_not() {
        let mut s = KindState::new();
        let via1 = route([10, 2, 0, 0], [1, 1, 1, 1]);
        let via2 = route([10, 2, 0, 0], [2, 2, 2, 2]);
        let other = route([10, 3, 0, 0], [1, 1, 1, 1]);
        s.apply(Action::New, &other);
        s.apply(Action::New, &via1);
        // `ip route append`: both stay, as the kernel keeps both.
        assert_eq!(s.apply(Action::New, &via2), [(Change::New, via2.clone())]);
        assert_eq!(s.objects().count(), 3);
        // `ip route replace ... via 3.3.3.3`: the group is that one route.
        let via3 = route([10, 2, 0, 0], [3, 3, 3, 3]);
        let changes = s.apply(Action::Replace, &via3);
        assert_eq!(
            changes,
            [
                (Change::Del, via1),
                (Change::Del, via2),
                (Change::New, via3.clone())
            ]
        );
        assert_eq!(s.objects().collect::<Vec<_>>(), [&via3, &other]);
    }

    #[test]
    fn a_netconf_event_updates_only_what_it_carries() {
        use crate::model::netconf::Netconf;
        let mut s = KindState::new();
        let full = Netconf {
            family: 2,
            ifindex: Some(3),
            forwarding: Some(0),
            rp_filter: Some(2),
            ..Netconf::default()
        };
        s.replace(vec![full.clone()]);
        // The kernel's event: the device and the one setting changed.
        let event = Netconf {
            family: 2,
            ifindex: Some(3),
            forwarding: Some(1),
            ..Netconf::default()
        };
        let changes = s.apply(Action::New, &event);
        let want = Netconf {
            forwarding: Some(1),
            ..full
        };
        assert_eq!(changes, [(Change::New, want)]);
    }

    #[test]
    fn a_link_whose_flags_change_is_a_flags_change() {
        let mut s = KindState::new();
        let up = Link::bare(3, 1, 1);
        let down = Link::bare(3, 0, 1);
        assert_eq!(s.apply(Action::New, &up), [(Change::New, up.clone())]);
        assert_eq!(s.apply(Action::New, &down), [(Change::Flags, down.clone())]);
        assert!(s.get(&3).is_some());
        assert_eq!(s.apply(Action::Del, &down), [(Change::Del, down.clone())]);
        assert!(s.get(&3).is_none());
    }
}
