//! Owned, validated objects decoded from checked wire views: what every
//! renderer sees. Models carry no bytes; numeric kinds keep unknown values.

pub mod addr;
pub mod addrlabel;
pub mod bridge_vlan;
pub mod explain;
pub mod fdb;
pub mod genl;
pub mod ifstats;
pub mod link;
pub mod maddr;
pub mod mdb;
pub mod mroute;
pub mod neigh;
pub mod netconf;
pub mod nexthop;
pub mod nexthop_bucket;
pub mod ntable;
pub mod object;
pub mod port;
pub mod rate;
pub mod route;
pub mod rule;
pub mod snapshot;
pub mod vlan_db;

use std::collections::BTreeMap;

/// The address families the models' `family` fields hold most often
/// (linux/socket.h), for renderers to compare against: models re-export
/// what they need of wire/ so that render/ never reads it. Other families
/// live with the model that meets them ([`route::AF_MPLS`],
/// [`neigh::AF_BRIDGE`]).
pub use crate::wire::attr::{AF_INET, AF_INET6};

use crate::wire::attr::AttrIndex;
use crate::wire::ifinfomsg::{IFLA_IFNAME, IfInfoMsg, RTM_NEWLINK};
use crate::wire::nlmsg::NlMsg;

/// Interface index → name, from one link dump, so routes and addresses
/// show names without a syscall per object.
///
/// Looked up once per route, so a million times for a full table: the
/// kernel hands out small indexes in order, so those live in a vector
/// indexed directly (no hashing); an index someone chose large (`ip link
/// add ... index N`) goes to an ordered map.
#[derive(Debug, Clone, Default)]
pub struct LinkNames {
    dense: Vec<Option<String>>,
    sparse: BTreeMap<u32, String>,
}

/// Indexes below this are kept in the vector (at most 64 Ki entries).
const DENSE_LIMIT: u32 = 1 << 16;

impl LinkNames {
    /// An empty map.
    pub fn new() -> Self {
        LinkNames::default()
    }

    /// Record the index and name of an RTM_NEWLINK message; other messages
    /// and malformed ones are ignored.
    pub fn add(&mut self, msg: &NlMsg<&[u8]>) {
        if msg.kind() != RTM_NEWLINK {
            return;
        }
        let Ok(link) = IfInfoMsg::new_checked(msg.payload()) else {
            return;
        };
        let attrs = AttrIndex::<{ IFLA_IFNAME as usize + 1 }>::parse(link.attr_bytes());
        // Decoded as `Link` decodes it, so `routes` and `links` agree on a
        // name that is not valid UTF-8.
        if let Some(name) = attrs.get(IFLA_IFNAME) {
            self.put(link.index(), link::text(name));
        }
    }

    /// Add one entry directly.
    pub fn insert(&mut self, index: u32, name: &str) {
        self.put(index, name.to_string());
    }

    fn put(&mut self, index: u32, name: String) {
        if index >= DENSE_LIMIT {
            self.sparse.insert(index, name);
            return;
        }
        let i = index as usize;
        if self.dense.len() <= i {
            self.dense.resize(i + 1, None);
        }
        self.dense[i] = Some(name);
    }

    /// The name of interface `index`.
    pub fn name(&self, index: u32) -> Option<&str> {
        match self.dense.get(index as usize) {
            Some(slot) => slot.as_deref(),
            None => self.sparse.get(&index).map(String::as_str),
        }
    }

    /// The index of the interface called `name`.
    pub fn index(&self, name: &str) -> Option<u32> {
        let dense = self.dense.iter().enumerate();
        let dense = dense.filter_map(|(i, n)| Some((i as u32, n.as_deref()?)));
        let sparse = self.sparse.iter().map(|(&i, n)| (i, n.as_str()));
        dense
            .chain(sparse)
            .find(|&(_, n)| n == name)
            .map(|(i, _)| i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_and_large_indexes_both_resolve() {
        let mut names = LinkNames::new();
        names.insert(1, "lo");
        names.insert(7, "v0");
        names.insert(DENSE_LIMIT + 5, "far");
        names.insert(7, "v0-renamed");
        assert_eq!(names.name(1), Some("lo"));
        assert_eq!(names.name(7), Some("v0-renamed"));
        assert_eq!(names.name(DENSE_LIMIT + 5), Some("far"));
        assert_eq!(names.name(2), None);
        assert_eq!(names.name(u32::MAX), None);
        assert_eq!(names.index("far"), Some(DENSE_LIMIT + 5));
        assert_eq!(names.index("v0-renamed"), Some(7));
        assert_eq!(names.index("v0"), None);
    }
}
