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
    pub fn get(&self, key: &T::Key) -> Option<&T> {
        self.map.get(key)
    }

    /// Apply one event; `None` when it says nothing new (a duplicate of
    /// the known state).
    pub fn apply(&mut self, action: Action, obj: &T) -> Option<Change> {
        let key = obj.key();
        match action {
            Action::Del => match self.map.remove(&key) {
                None if self.complete => None,
                _ => Some(Change::Del),
            },
            Action::New => match self.map.insert(key, obj.clone()) {
                Some(old) if old.same(obj) => None,
                Some(old) if obj.flags_changed(&old) => Some(Change::Flags),
                _ => Some(Change::New),
            },
        }
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

    #[test]
    fn replace_yields_the_difference() {
        let mut s = KindState::new();
        let (a, b, c) = (
            route([10, 0, 0, 0], [1, 1, 1, 1]),
            route([10, 0, 1, 0], [1, 1, 1, 1]),
            route([10, 0, 2, 0], [1, 1, 1, 1]),
        );
        assert_eq!(s.apply(Action::New, &a), Some(Change::New));
        assert_eq!(s.apply(Action::New, &b), Some(Change::New));
        assert_eq!(s.apply(Action::New, &b), None, "a duplicate");
        let b2 = route([10, 0, 1, 0], [2, 2, 2, 2]);
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
        assert_eq!(s.apply(Action::Del, &a), None);
    }

    #[test]
    fn a_key_the_dump_repeats_is_one_object_the_last_one() {
        let mut s = KindState::new();
        let (b, b2) = (
            route([10, 0, 1, 0], [1, 1, 1, 1]),
            route([10, 0, 1, 0], [2, 2, 2, 2]),
        );
        let ev = s.replace(vec![b.clone(), b2.clone()]);
        assert_eq!(ev, vec![(Change::New, b2.clone())]);
        assert_eq!(s.objects().collect::<Vec<_>>(), [&b2]);
    }

    #[test]
    fn a_link_whose_flags_change_is_a_flags_change() {
        let mut s = KindState::new();
        let up = Link::bare(3, 1, 1);
        let down = Link::bare(3, 0, 1);
        assert_eq!(s.apply(Action::New, &up), Some(Change::New));
        assert_eq!(s.apply(Action::New, &down), Some(Change::Flags));
        assert!(s.get(&3).is_some());
        assert_eq!(s.apply(Action::Del, &down), Some(Change::Del));
        assert!(s.get(&3).is_none());
    }
}
