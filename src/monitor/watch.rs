//! One watched object kind behind a face that names no kind: the monitor
//! keeps a [`Watched`] state per kind and talks to it through [`Watch`],
//! so adding a kind to the monitor is one line in [`KINDS`].

use super::state::{Change, KindState};
use crate::model::addr::Addr;
use crate::model::fdb::Fdb;
use crate::model::mdb::MdbItem;
use crate::model::neigh::Neigh;
use crate::model::netconf::Netconf;
use crate::model::nexthop::Nexthop;
use crate::model::nexthop_bucket::Bucket;
use crate::model::object::{Action, ObjectKind};
use crate::model::route::Route;
use crate::model::rule::Rule;
use crate::render::event::Shown;
use crate::wire::Error as WireError;
use crate::wire::nlmsg::NlMsg;

/// Every kind the monitor watches besides links (which it always
/// watches, for device names), in the order they are dumped.
pub const KINDS: [fn() -> Box<dyn Watch>; 9] = [
    watch::<Addr>,
    watch::<Route>,
    watch::<Neigh>,
    watch::<Rule>,
    watch::<Nexthop>,
    watch::<Netconf>,
    watch::<Fdb>,
    watch::<Bucket>,
    watch::<MdbItem>,
];

/// A fresh state of kind `T`, behind [`Watch`].
fn watch<T: ObjectKind + Shown + 'static>() -> Box<dyn Watch> {
    Box::new(Watched::<T>::default())
}

/// Which objects are shown, within the chosen kinds.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// AF_INET, AF_INET6 or AF_MPLS; `None` for every family.
    pub family: Option<u8>,
    /// Only objects on this device: (index, name), once resolved.
    pub dev: Option<(u32, String)>,
}

impl Filter {
    /// Whether `obj` is to be shown.
    pub fn wants<T: ObjectKind>(&self, obj: &T) -> bool {
        obj.listed()
            && obj.in_family(self.family)
            && self
                .dev
                .as_ref()
                .is_none_or(|(index, name)| obj.on_dev(*index, name))
    }
}

/// What a message meant to one watched kind.
pub enum Seen<O = Box<dyn Shown>> {
    /// Not this kind's message.
    Other,
    /// Applied, with nothing to show (a duplicate, a malformed message,
    /// or an object filtered out).
    Quiet,
    /// Applied: these changes are to be shown (a replacement can remove
    /// objects before it adds one).
    Show(Vec<(Change, O)>),
}

/// One watched kind, whatever it is.
pub trait Watch {
    /// The kind's name ([`ObjectKind::NAME`]).
    fn name(&self) -> &'static str;
    /// Whether the kind has objects in `family` (`None`: any).
    fn has_family(&self, family: Option<u8>) -> bool;
    /// The multicast groups of the kind's changes in `family`.
    fn groups(&self, family: Option<u8>) -> Vec<u32>;
    /// Whether the state must be dumped before events can be read
    /// ([`ObjectKind::PARTIAL_EVENTS`]).
    fn needs_baseline(&self) -> bool;
    /// A dump request for the kind in `family`, with `seq`.
    fn request(&self, family: Option<u8>, seq: u32) -> Result<Vec<u8>, WireError>;
    /// Apply `msg` if it is an event of this kind (a malformed one is
    /// skipped: it is read as [`Seen::Quiet`]).
    fn event(&mut self, msg: &NlMsg<&[u8]>, filter: &Filter) -> Seen;
    /// Keep `msg`, a reply to this kind's dump, until [`Watch::replace`].
    fn dumped(&mut self, msg: &NlMsg<&[u8]>);
    /// Forget the replies kept of a dump that did not complete.
    fn forget(&mut self);
    /// Replace the known state by the kept dump: the changes to show.
    fn replace(&mut self, filter: &Filter) -> Vec<(Change, Box<dyn Shown>)>;
}

/// The state of kind `T` and the replies of its dump under way.
#[derive(Debug)]
pub struct Watched<T: ObjectKind> {
    /// What is known.
    pub state: KindState<T>,
    dump: Vec<T>,
}

impl<T: ObjectKind> Default for Watched<T> {
    fn default() -> Self {
        Watched {
            state: KindState::new(),
            dump: Vec::new(),
        }
    }
}

impl<T: ObjectKind> Watched<T> {
    /// Apply `msg` if it is an event of this kind: the change and the
    /// object when anything changed (unfiltered).
    pub fn apply(&mut self, msg: &NlMsg<&[u8]>) -> Seen<T> {
        match T::read_all(msg) {
            Ok(None) => Seen::Other,
            Err(_) => Seen::Quiet, // malformed: nothing of it can be trusted
            Ok(Some((action, objs))) => {
                let changes: Vec<_> = objs
                    .iter()
                    .flat_map(|obj| self.state.apply(action, obj))
                    .collect();
                match changes.is_empty() {
                    true => Seen::Quiet,
                    false => Seen::Show(changes),
                }
            }
        }
    }

    /// [`Watch::replace`], typed: every change, unfiltered.
    pub fn replace_typed(&mut self) -> Vec<(Change, T)> {
        self.state.replace(std::mem::take(&mut self.dump))
    }
}

impl<T: ObjectKind + Shown + 'static> Watch for Watched<T> {
    fn name(&self) -> &'static str {
        T::NAME
    }
    fn has_family(&self, family: Option<u8>) -> bool {
        T::has_family(family)
    }
    fn groups(&self, family: Option<u8>) -> Vec<u32> {
        T::groups(family)
    }
    fn needs_baseline(&self) -> bool {
        T::PARTIAL_EVENTS
    }
    fn request(&self, family: Option<u8>, seq: u32) -> Result<Vec<u8>, WireError> {
        T::dump_request(family, seq)
    }
    fn event(&mut self, msg: &NlMsg<&[u8]>, filter: &Filter) -> Seen {
        match self.apply(msg) {
            Seen::Other => Seen::Other,
            Seen::Quiet => Seen::Quiet,
            Seen::Show(changes) => {
                let shown: Vec<(Change, Box<dyn Shown>)> = changes
                    .into_iter()
                    .filter(|(_, o)| filter.wants(o))
                    .map(|(c, o)| (c, Box::new(o) as Box<dyn Shown>))
                    .collect();
                match shown.is_empty() {
                    true => Seen::Quiet,
                    false => Seen::Show(shown),
                }
            }
        }
    }
    fn dumped(&mut self, msg: &NlMsg<&[u8]>) {
        if let Ok(Some((Action::New | Action::Replace, objs))) = T::read_all(msg) {
            self.dump.extend(objs);
        }
    }
    fn forget(&mut self) {
        self.dump.clear();
    }
    fn replace(&mut self, filter: &Filter) -> Vec<(Change, Box<dyn Shown>)> {
        self.replace_typed()
            .into_iter()
            .filter(|(_, o)| filter.wants(o))
            .map(|(c, o)| (c, Box::new(o) as Box<dyn Shown>))
            .collect()
    }
}
