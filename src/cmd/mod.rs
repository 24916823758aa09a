//! The commands: each takes its validated settings (built once from the
//! command line by the CLI layer, cli/settings.rs), asks the kernel (or a replay)
//! for a dump, and hands the decoded objects to a renderer.

pub mod addrlabels;
pub mod addrs;
pub mod diff;
pub mod explain;
pub mod fdb;
pub mod genl;
pub mod links;
pub mod maddrs;
pub mod mdb;
pub mod mroutes;
pub mod neigh;
pub mod neigh_get;
pub mod netconf;
pub mod nexthop_bucket_get;
pub mod nexthop_buckets;
pub mod nexthops;
pub mod ntables;
pub mod ports;
pub mod route_get;
pub mod route_keys;
pub mod route_select;
pub mod routes;
pub mod rule_select;
pub mod rules;
pub mod snapshot;
pub mod stats;
pub mod vlans;
pub mod vrf;

use std::io::Write;

use crate::Error;
use crate::dump::reconcile::{Identity, Keyed};
use crate::dump::{
    Consistency, DumpError, DumpStats, Dumper, KernelFlagOnly, Plain, Sink, Transport,
};
use crate::model::LinkNames;
use crate::model::link::Link;
use crate::model::object::{Action, ObjectKind};
use crate::names::Names;
use crate::netns::Place;
use crate::render::{Format, Held};
use crate::wire::nlmsg::{HDRLEN, NlMsg};

/// Skip statistics in a link dump reply (RTEXT_FILTER_SKIP_STATS).
pub(crate) const RTEXT_FILTER_SKIP_STATS: u32 = 1 << 3;

/// What every command needs: where to send requests, how to show results.
pub struct Env<'t> {
    /// The live socket, a capture, or a replay.
    pub transport: &'t mut dyn Transport,
    /// Receive and hold-back buffers, reused across dumps.
    pub dumper: Dumper,
    /// The namespace the transport talks to, for lookups beside it.
    pub place: Place<'t>,
    /// Table, protocol, scope, realm and group names.
    pub names: Names,
    /// Table or JSON.
    pub format: Format,
    /// `--brief`: one line per object (tables and the `ip` dialect).
    pub brief: bool,
}

impl Env<'_> {
    /// Whether to write the brief form: asked for, and not nlq's own JSON.
    pub fn brief(&self) -> bool {
        self.brief && self.format != Format::Json(crate::render::Dialect::Nlq)
    }
}

impl Env<'_> {
    /// Run one dump, passing each data message to `sink`.
    pub fn dump<F>(&mut self, request: &[u8], sink: F) -> Result<DumpStats, Error>
    where
        F: FnMut(&NlMsg<&[u8]>) -> Result<(), DumpError>,
    {
        Ok(self.dumper.dump(&mut *self.transport, request, sink)?)
    }

    /// Dump objects of kind `T` with `request`, consistent under churn:
    /// an interrupted dump is answered by list and watch over the kind's
    /// multicast groups (dump::reconcile) instead of failing.
    pub fn dump_kind<T, F>(&mut self, request: &[u8], sink: F) -> Result<DumpStats, Error>
    where
        T: ObjectKind,
        F: FnMut(&NlMsg<&[u8]>) -> Result<(), DumpError>,
    {
        self.dump_kind_checked::<T, _, _>(request, &mut KernelFlagOnly, sink)
    }

    /// [`Env::dump_kind`] with a further consistency check on the first,
    /// plain try (see [`Consistency`]).
    pub fn dump_kind_checked<T, C, F>(
        &mut self,
        request: &[u8],
        check: &mut C,
        sink: F,
    ) -> Result<DumpStats, Error>
    where
        T: ObjectKind,
        C: Consistency + ?Sized,
        F: FnMut(&NlMsg<&[u8]>) -> Result<(), DumpError>,
    {
        let (dumper, transport) = (&mut self.dumper, &mut *self.transport);
        dump_kind::<T, C, F>(dumper, transport, request, false, check, sink)
    }

    /// Every interface's index and name, from one link dump without
    /// statistics.
    pub fn link_names(&mut self) -> Result<LinkNames, Error> {
        let req = links::LinkSelection::default().request(false, RTEXT_FILTER_SKIP_STATS)?;
        self.collect::<Link, LinkNames>(&req, LinkNames::add)
    }

    /// Dump objects of kind `T` with `request` into a collection `C`, each
    /// message decoded by `add` as it arrives, while the kernel builds the
    /// next datagram (see [`Collected`]).
    pub fn collect<T, C>(
        &mut self,
        request: &[u8],
        mut add: impl FnMut(&mut C, &NlMsg<&[u8]>),
    ) -> Result<C, Error>
    where
        T: ObjectKind,
        C: Default,
    {
        let mut sink = Ahead {
            writer: Collected::<C>::default(),
            take: |w: &mut Collected<C>, msg: &NlMsg<&[u8]>| {
                w.bytes += msg.as_bytes().len();
                add(&mut w.items, msg);
                Ok(())
            },
        };
        let (dumper, transport) = (&mut self.dumper, &mut *self.transport);
        dump_kind_into::<T, _, _>(
            dumper,
            transport,
            request,
            false,
            &mut KernelFlagOnly,
            &mut sink,
        )?;
        Ok(sink.writer.items)
    }
}

/// [`Env::dump_kind_checked`] over a dumper and transport borrowed apart
/// (for commands that hold other parts of their [`Env`] meanwhile);
/// `watch_first`: see [`Dumper::dump_consistent`].
pub fn dump_kind<T, C, F>(
    dumper: &mut Dumper,
    transport: &mut dyn Transport,
    request: &[u8],
    watch_first: bool,
    check: &mut C,
    sink: F,
) -> Result<DumpStats, Error>
where
    T: ObjectKind,
    C: Consistency + ?Sized,
    F: FnMut(&NlMsg<&[u8]>) -> Result<(), DumpError>,
{
    dump_kind_into::<T, C, _>(
        dumper,
        transport,
        request,
        watch_first,
        check,
        &mut Plain(sink),
    )
}

/// [`dump_kind`] into any [`Sink`]: an [`Ahead`] renders each message as
/// it arrives, while the kernel goes on with the dump.
pub fn dump_kind_into<T, C, K>(
    dumper: &mut Dumper,
    transport: &mut dyn Transport,
    request: &[u8],
    watch_first: bool,
    check: &mut C,
    sink: &mut K,
) -> Result<DumpStats, Error>
where
    T: ObjectKind,
    C: Consistency + ?Sized,
    K: Sink<DumpError> + ?Sized,
{
    // Every rtnetlink fixed header begins with its family.
    let family = request.get(HDRLEN).copied().filter(|&f| f != 0);
    let groups = T::groups(family);
    let key = &mut ByKind::<T>(std::marker::PhantomData);
    Ok(dumper.consistent_into(transport, request, &groups, watch_first, check, key, sink)?)
}

/// A speculative dump sink: `take` decodes and renders each message into
/// `writer` as it arrives, and the writer holds its output back until the
/// dump commits it, or forgets it on a rollback (see [`Sink`]). A writer
/// that holds nothing back ([`crate::render::Direct`]) makes it a plain
/// sink, whose messages the dumper holds instead.
pub struct Ahead<W, F> {
    /// Where the objects are rendered.
    pub writer: W,
    /// Decode, select and render one message.
    pub take: F,
}

/// Objects decoded from a dump as its messages arrive, counted by the
/// bytes of those messages against the hold limit; a rollback forgets
/// them. Committing changes nothing: objects are not output.
#[derive(Default)]
pub struct Collected<C> {
    /// The objects.
    pub items: C,
    /// Bytes of the messages they came from.
    pub bytes: usize,
}

impl<C: Default> Held for Collected<C> {
    fn held(&self) -> Option<usize> {
        Some(self.bytes)
    }
    fn commit(&mut self) -> std::io::Result<()> {
        Ok(())
    }
    fn rollback(&mut self) {
        *self = Collected::default();
    }
}

impl<W, F> Sink<DumpError> for Ahead<W, F>
where
    W: Held,
    F: FnMut(&mut W, &NlMsg<&[u8]>) -> Result<(), DumpError>,
{
    fn take(&mut self, msg: &NlMsg<&[u8]>) -> Result<(), DumpError> {
        (self.take)(&mut self.writer, msg)
    }
    fn holding(&self) -> Option<usize> {
        self.writer.held()
    }
    fn commit(&mut self) -> Result<(), DumpError> {
        self.writer.commit().map_err(output)
    }
    fn rollback(&mut self) {
        self.writer.rollback()
    }
}

/// The identity of kind `T`'s objects, for list and watch.
struct ByKind<T>(std::marker::PhantomData<T>);

impl<T: ObjectKind> Identity for ByKind<T> {
    type Key = T::Key;
    fn key(&mut self, msg: &NlMsg<&[u8]>) -> Keyed<T::Key> {
        match T::read(msg) {
            Ok(Some((Action::New, obj))) => Keyed::New(obj.key()),
            Ok(Some((Action::Replace, obj))) => Keyed::Replace(obj.key()),
            Ok(Some((Action::Del, obj))) => Keyed::Del(obj.key()),
            Ok(None) | Err(_) => Keyed::Other,
        }
    }
    fn same_group(&self, a: &T::Key, b: &T::Key) -> bool {
        T::same_group(a, b)
    }
}

/// The index of the link called `name` (or with that alternative name),
/// when a name was given; "no such device" when no link has it.
pub fn link_index(
    links: &crate::model::link::Links,
    name: Option<&str>,
) -> Result<Option<u32>, Error> {
    name.map(|n| {
        links
            .find(n)
            .map(|l| l.index)
            .ok_or_else(|| Error::NoSuchDevice(n.to_string()))
    })
    .transpose()
}

/// Resolve a device name to its index, or fail with "no such device".
pub fn device_index(links: &LinkNames, name: &str) -> Result<u32, Error> {
    links
        .index(name)
        .ok_or_else(|| Error::NoSuchDevice(name.to_string()))
}

/// Map an output error inside a dump sink to a dump error.
pub fn output(e: std::io::Error) -> DumpError {
    DumpError::sink(e)
}

/// A command to run, with its validated settings.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// `nlq routes`.
    Routes(routes::Settings),
    /// `nlq routes get`.
    RouteGet(route_get::Settings),
    /// `nlq links`.
    Links(links::Settings),
    /// `nlq addrs`.
    Addrs(addrs::Settings),
    /// `nlq nexthops`.
    Nexthops(nexthops::Settings),
    /// `nlq rules`.
    Rules(rules::Selection),
    /// `nlq nexthops buckets`.
    NexthopBuckets(nexthop_buckets::Settings),
    /// `nlq nexthops buckets get`.
    NexthopBucketGet(nexthop_bucket_get::Settings),
    /// `nlq neigh get`.
    NeighGet(neigh_get::Settings),
    /// `nlq neigh`.
    Neigh(neigh::Settings),
    /// `nlq genl`.
    Genl(genl::Settings),
    /// `nlq netconf`.
    Netconf(netconf::Settings),
    /// `nlq addrlabels`.
    Addrlabels(addrlabels::Settings),
    /// `nlq ntables`.
    Ntables(ntables::Settings),
    /// `nlq snapshot`.
    Snapshot(snapshot::Settings),
    /// `nlq diff`.
    Diff(diff::Settings),
    /// `nlq vlans`.
    Vlans(vlans::Settings),
    /// `nlq mdb`.
    Mdb(mdb::Settings),
    /// `nlq fdb`.
    Fdb(fdb::Settings),
    /// `nlq ports`.
    Ports(ports::Settings),
    /// `nlq maddrs`.
    Maddrs(maddrs::Settings),
    /// `nlq mroutes`.
    Mroutes(mroutes::Settings),
    /// `nlq stats`.
    Stats(stats::Settings),
}

/// Run `command` in `env`, writing to `out`.
pub fn run(command: &Command, env: &mut Env<'_>, out: &mut dyn Write) -> Result<(), Error> {
    match command {
        Command::Routes(s) => routes::run(env, s, out),
        Command::RouteGet(s) => route_get::run(env, s, out),
        Command::Links(s) => links::run(env, s, out),
        Command::Addrs(s) => addrs::run(env, s, out),
        Command::Nexthops(s) => nexthops::run(env, s, out),
        Command::Rules(s) => rules::run(env, s, out),
        Command::NexthopBuckets(s) => nexthop_buckets::run(env, s, out),
        Command::NexthopBucketGet(s) => nexthop_bucket_get::run(env, s, out),
        Command::NeighGet(s) => neigh_get::run(env, s, out),
        Command::Neigh(s) => neigh::run(env, s, out),
        Command::Genl(s) => genl::run(env, s, out),
        Command::Netconf(s) => netconf::run(env, s, out),
        Command::Addrlabels(s) => addrlabels::run(env, s, out),
        Command::Ntables(s) => ntables::run(env, s, out),
        Command::Snapshot(s) => snapshot::run(env, s, out),
        Command::Diff(s) => diff::run(env, s, out),
        Command::Vlans(s) => vlans::run(env, s, out),
        Command::Mdb(s) => mdb::run(env, s, out),
        Command::Fdb(s) => fdb::run(env, s, out),
        Command::Ports(s) => ports::run(env, s, out),
        Command::Maddrs(s) => maddrs::run(env, s, out),
        Command::Mroutes(s) => mroutes::run(env, s, out),
        Command::Stats(s) => stats::run(env, s, out),
    }
}
