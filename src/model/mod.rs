//! Owned, validated objects decoded from checked wire views: what every
//! renderer sees. Models carry no bytes; numeric kinds keep unknown values.

pub mod addr;
pub mod link;
pub mod neigh;
pub mod route;

use std::collections::HashMap;

use crate::wire::attr::AttrIndex;
use crate::wire::ifinfomsg::{IFLA_IFNAME, IfInfoMsg, RTM_NEWLINK};
use crate::wire::nlmsg::NlMsg;

/// Interface index → name, from one link dump, so routes and addresses
/// show names without a syscall per object.
#[derive(Debug, Clone, Default)]
pub struct LinkNames {
    by_index: HashMap<u32, String>,
}

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
            self.by_index.insert(link.index(), link::text(name));
        }
    }

    /// Add one entry directly.
    pub fn insert(&mut self, index: u32, name: &str) {
        self.by_index.insert(index, name.to_string());
    }

    /// The name of interface `index`.
    pub fn name(&self, index: u32) -> Option<&str> {
        self.by_index.get(&index).map(String::as_str)
    }

    /// The index of the interface called `name`.
    pub fn index(&self, name: &str) -> Option<u32> {
        self.by_index
            .iter()
            .find(|(_, n)| n.as_str() == name)
            .map(|(&i, _)| i)
    }
}
