//! Network namespaces by name, as `ip -n NAME` and `ip -all netns exec`
//! find them: a name is a file under /run/netns (what `ip netns add`
//! creates); anything with a `/` is a path (`/proc/PID/ns/net`).
//!
//! nlq never moves itself into a namespace for longer than it takes to
//! open a socket there ([`Socket::open_in`]): everything the socket asks
//! for is then answered from that namespace, while files such as
//! /etc/iproute2 are still read from nlq's own view of the file system.

use std::collections::BTreeMap;
use std::fs::File;
use std::io;
use std::os::fd::{AsFd, AsRawFd};

use crate::dump::{Dumper, Live};
use crate::error::{Error, os_text};
use crate::sock::{NETLINK_ROUTE, NetnsError, Socket};
use crate::wire::attr::AttrIndex;
use crate::wire::nlmsg::{NLM_F_REQUEST, NlMsg, RequestBuilder};

/// Ask for the id a namespace has here (linux/rtnetlink.h).
const RTM_GETNSID: u16 = 90;
/// The answer to RTM_GETNSID.
const RTM_NEWNSID: u16 = 88;
/// The namespace id, s32; -1 when none is assigned (linux/net_namespace.h).
const NETNSA_NSID: u16 = 1;
/// A file descriptor of the namespace asked about, u32.
const NETNSA_FD: u16 = 3;

/// Where `ip netns add` puts its namespaces.
pub const RUN_DIR: &str = "/run/netns";

/// A network namespace someone named, held open.
#[derive(Debug)]
pub struct Netns {
    /// The name as given (`blue`, `/proc/1/ns/net`).
    pub name: String,
    file: File,
}

impl Netns {
    /// Open the namespace `spec`: a name under /run/netns, or a path.
    pub fn open(spec: &str) -> Result<Netns, Error> {
        let path = if spec.contains('/') {
            spec.to_string()
        } else {
            format!("{RUN_DIR}/{spec}")
        };
        match File::open(&path) {
            Ok(file) => Ok(Netns {
                name: spec.to_string(),
                file,
            }),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                Err(Error::NoSuchNetns(spec.to_string()))
            }
            Err(e) => Err(Error::Netns {
                name: spec.to_string(),
                what: os_text(&e),
            }),
        }
    }

    /// A netlink socket of `protocol` inside this namespace.
    pub fn socket(&self, protocol: i32) -> Result<Socket, Error> {
        Socket::open_in(protocol, self.file.as_fd()).map_err(|e| self.error(e))
    }

    /// Read the whole file `path` from inside this namespace (a
    /// /proc/thread-self/net file, which shows the reading thread's
    /// namespace); the inner result is the read's own.
    pub fn read_file(&self, path: &str) -> Result<io::Result<String>, Error> {
        crate::sock::in_netns(self.file.as_fd(), || std::fs::read_to_string(path))
            .map_err(|e| self.error(e))
    }

    /// The open namespace file (for RTM_GETNSID's NETNSA_FD).
    pub fn file(&self) -> &File {
        &self.file
    }

    fn error(&self, e: NetnsError) -> Error {
        let what = match &e {
            NetnsError::Enter(io) if io.raw_os_error() == Some(libc::EINVAL) => {
                return Error::NotNetns(self.name.clone());
            }
            NetnsError::Enter(io) => {
                format!("cannot enter network namespace: {}", os_text(io))
            }
            _ => e.to_string(),
        };
        Error::Netns {
            name: self.name.clone(),
            what,
        }
    }
}

/// Where a command's socket lives: where to open another one for lookups
/// beside the main exchange (which therefore are neither captured nor
/// replayed).
#[derive(Debug, Clone, Copy)]
pub enum Place<'a> {
    /// nlq's own namespace.
    Own,
    /// A namespace named with `-n` or met by `--all-netns`.
    Netns(&'a Netns),
    /// A capture being replayed: there is no namespace to ask.
    Replay,
}

impl Place<'_> {
    /// A new NETLINK_ROUTE socket in the same namespace, if there is one.
    pub fn socket(&self) -> Option<Socket> {
        match self {
            Place::Own => Socket::open(NETLINK_ROUTE).ok(),
            Place::Netns(ns) => ns.socket(NETLINK_ROUTE).ok(),
            Place::Replay => None,
        }
    }
}

/// Namespace ids as this namespace numbers its peers (IFLA_LINK_NETNSID),
/// with the names /run/netns gives them: what `ip link` prints as
/// `link-netns NAME` in text (its JSON has only the id).
#[derive(Debug, Clone, Default)]
pub struct NsidNames(BTreeMap<i32, String>);

impl NsidNames {
    /// Ask the kernel, over a socket of `place`, for the id of every
    /// namespace under /run/netns (one RTM_GETNSID each, NETNSA_FD). Best
    /// effort: a namespace it cannot ask about stays unnamed.
    pub fn lookup(place: &Place<'_>) -> NsidNames {
        let mut map = BTreeMap::new();
        let Some(sock) = place.socket() else {
            return NsidNames(map);
        };
        let (mut t, mut dumper) = (Live::new(sock), Dumper::default());
        for name in names().unwrap_or_default() {
            let Ok(file) = File::open(format!("{RUN_DIR}/{name}")) else {
                continue;
            };
            if let Some(id) = nsid(&mut t, &mut dumper, &file).filter(|&id| id >= 0) {
                map.entry(id).or_insert(name);
            }
        }
        NsidNames(map)
    }

    /// The name of namespace id `id`, if it has one.
    pub fn name(&self, id: i32) -> Option<&str> {
        self.0.get(&id).map(String::as_str)
    }
}

/// The id the socket's namespace has for the namespace `file`.
fn nsid(t: &mut Live, dumper: &mut Dumper, file: &File) -> Option<i32> {
    let fd = u32::try_from(file.as_raw_fd()).ok()?;
    let mut buf = [0u8; 32];
    // struct rtgenmsg { AF_UNSPEC }, padded to 4 bytes, as iproute2 sends it.
    let req = RequestBuilder::new(&mut buf, RTM_GETNSID, NLM_F_REQUEST, 0)
        .fixed(&[0; 4])
        .attr_u32(NETNSA_FD, fd)
        .finish()
        .ok()?
        .to_vec();
    let answer = dumper.request(t, &req).ok()?;
    let msg = NlMsg::new_checked(&answer[..]).ok()?;
    if msg.kind() != RTM_NEWNSID {
        return None;
    }
    let attrs = AttrIndex::<{ NETNSA_FD as usize + 1 }>::parse(msg.payload().get(4..)?);
    attrs.get(NETNSA_NSID)?.i32().ok()
}

/// The names under /run/netns, sorted; none if the directory does not
/// exist (no namespace was ever added).
pub fn names() -> Result<Vec<String>, Error> {
    let dir = match std::fs::read_dir(RUN_DIR) {
        Ok(dir) => dir,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(Error::Netns {
                name: RUN_DIR.to_string(),
                what: os_text(&e),
            });
        }
    };
    let mut names: Vec<String> = dir
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| !name.starts_with('.'))
        .collect();
    names.sort();
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_names_and_files_that_are_not_namespaces() {
        match Netns::open("nlq-surely-no-such-namespace") {
            Err(Error::NoSuchNetns(name)) => assert_eq!(name, "nlq-surely-no-such-namespace"),
            other => panic!("{other:?}"),
        }
        let not_ns = Netns::open("/proc/self/status").unwrap();
        let err = not_ns.socket(crate::sock::NETLINK_ROUTE).unwrap_err();
        // EINVAL as root, EPERM otherwise: either way one clear line.
        match err {
            Error::NotNetns(name) => assert_eq!(name, "/proc/self/status"),
            other => assert!(
                other
                    .to_string()
                    .starts_with("/proc/self/status: cannot enter network namespace: "),
                "{other}"
            ),
        }
    }

    #[test]
    fn our_own_namespace_can_be_entered_and_left() {
        let own = Netns::open("/proc/self/ns/net").unwrap();
        match own.socket(crate::sock::NETLINK_ROUTE) {
            Ok(sock) => assert!(sock.port_id() != 0),
            // Without CAP_SYS_ADMIN even one's own namespace is refused.
            Err(e) => assert!(e.to_string().contains("Operation not permitted"), "{e}"),
        }
    }
}
