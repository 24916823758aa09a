//! List and watch: a consistent answer from a table that changes while it
//! is read.
//!
//! A dump the kernel flags as interrupted (NLM_F_DUMP_INTR) may miss or
//! repeat objects. Retrying alone fails on a busy machine: every try is
//! interrupted. [`Dumper::dump_consistent`] keeps the fast path (one
//! plain try, held back), and only when that try is interrupted falls
//! back to the way `nlq monitor` builds its state:
//!
//! 1. subscribe the dump's own socket to the kind's multicast groups,
//!    *before* the next request, so no change can fall between them;
//! 2. dump again, and read the replies and the events in the one order
//!    the kernel queued them on that socket: a reply or a NEW event puts
//!    the object under its identity key (replacing an older version in
//!    place), a DEL event removes it;
//! 3. a dump that comes back clean is complete: what it did not show and
//!    no event named is gone, and the answer is exact as of its DONE. An
//!    interrupted one can skip objects whose position shifted between two
//!    datagrams, so it is repeated (still subscribed), and what the dumps
//!    showed is kept together (only a deletion removes an object); the
//!    answer is confirmed when a dump finds no object that every dump
//!    before it had skipped;
//! 4. an overrun (ENOBUFS: events were dropped) or a cut datagram means
//!    the state cannot be trusted, and the next dump starts it afresh.
//!
//! Bounded: at most [`ROUNDS`] dumps within [`BUDGET`]. Past that the
//! best answer is still given (the last state), with a warning and
//! [`Dumper::take_inconsistent`] set, so the run exits 3: never nothing.
//!
//! What events cannot tell: the kernel sends no RTM_DELROUTE for IPv4
//! routes it flushes when their device goes down or loses its address; a
//! route removed that way while the dump is repeated stays in an answer
//! built from events (a clean dump drops it).

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::time::{Duration, Instant};

use super::{
    Consistency, DumpError, DumpStats, Dumper, Plain, Sink, Transport, events_crowded_out, note,
    recv_from_kernel_or_loss,
};
use crate::wire::align4;
use crate::wire::nlmsg::{
    ErrorMsg, Messages, NLM_F_DUMP_FILTERED, NLM_F_DUMP_INTR, NLMSG_DONE, NLMSG_ERROR,
    NLMSG_MIN_TYPE, NlMsg,
};

/// The receive buffer asked for while subscribed (32 MiB, as `nlq
/// monitor`'s: about 40 000 route events between two reads).
pub const RCVBUF: usize = 32 << 20;
/// Dumps made while subscribed, at most.
pub const ROUNDS: u32 = 8;
/// Time after which no further dump is begun.
pub const BUDGET: Duration = Duration::from_secs(10);

/// What a message says, in the caller's identity keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Keyed<K> {
    /// An object (a dump reply, an RTM_NEW* event) with this key.
    New(K),
    /// An object with this key that replaced (NLM_F_REPLACE) the others
    /// of its group ([`Identity::same_group`]).
    Replace(K),
    /// The object with this key was removed (RTM_DEL*).
    Del(K),
    /// Not of the dumped kind (or malformed).
    Other,
}

/// How the dumped kind names its objects.
pub trait Identity {
    /// The identity key.
    type Key: Ord + Clone;
    /// What `msg` says, in keys.
    fn key(&mut self, msg: &NlMsg<&[u8]>) -> Keyed<Self::Key>;
    /// Whether a replacement under `a` takes the place of the object
    /// under `b` (keys of one group must sort next to each other).
    fn same_group(&self, a: &Self::Key, b: &Self::Key) -> bool {
        a == b
    }
}

/// The objects known, in the order first seen, by key.
#[derive(Debug)]
struct Known<K> {
    slots: Vec<Option<Vec<u8>>>,
    index: BTreeMap<K, usize>,
    bytes: usize,
}

impl<K: Ord> Default for Known<K> {
    fn default() -> Self {
        Known {
            slots: Vec::new(),
            index: BTreeMap::new(),
            bytes: 0,
        }
    }
}

impl<K: Ord + Clone> Known<K> {
    /// `msg` is the object under `key` now: in place of an older version,
    /// or after everything known.
    fn put(&mut self, key: K, msg: &NlMsg<&[u8]>) {
        let bytes = msg.as_bytes().to_vec();
        self.bytes += bytes.len();
        match self.index.get(&key) {
            Some(&i) => self.slots[i] = Some(bytes),
            None => {
                self.index.insert(key, self.slots.len());
                self.slots.push(Some(bytes));
            }
        }
    }

    /// The objects of `key`'s group other than `key` are gone.
    fn remove_group(&mut self, key: &K, same: impl Fn(&K, &K) -> bool) {
        let in_group = |k: &&K| same(key, k);
        let before = self.index.range(..key.clone()).rev().map(|(k, _)| k);
        let after = self.index.range(key.clone()..).map(|(k, _)| k);
        let group: Vec<K> = before
            .take_while(in_group)
            .chain(after.take_while(in_group))
            .filter(|k| *k != key)
            .cloned()
            .collect();
        for k in &group {
            self.remove(k);
        }
    }

    /// The object under `key` is gone.
    fn remove(&mut self, key: &K) {
        if let Some(i) = self.index.remove(key) {
            self.slots[i] = None;
        }
    }

    /// Keep only the objects under `keys`.
    fn retain(&mut self, keys: &BTreeSet<K>) {
        let gone: Vec<K> = self
            .index
            .keys()
            .filter(|k| !keys.contains(k))
            .cloned()
            .collect();
        for k in &gone {
            self.remove(k);
        }
    }

    /// The objects, in the order first seen.
    fn messages(&self) -> impl Iterator<Item = &[u8]> {
        self.slots.iter().flatten().map(Vec::as_slice)
    }
}

/// How one subscribed dump went.
#[derive(Debug, Default)]
struct Round<K> {
    /// NLM_F_DUMP_INTR on a reply.
    intr: bool,
    /// Events were lost (ENOBUFS, a cut datagram).
    lost: bool,
    /// NLM_F_DUMP_FILTERED on a reply.
    filtered: bool,
    /// The keys shown by the dump or named by an event meanwhile.
    seen: BTreeSet<K>,
    /// An event of the kind came during the dump.
    events: bool,
    /// Objects the dump showed that were not known before it and that no
    /// event named: ones an earlier dump skipped.
    rediscovered: usize,
}

/// How the subscribed dumps ended.
#[derive(Debug, Default)]
struct Outcome {
    rounds: u32,
    exact: bool,
    overruns: u32,
    filtered: bool,
}

impl Dumper {
    /// [`Dumper::dump_checked`], consistent under churn: one plain try,
    /// then, if the kernel interrupted it before anything was passed on,
    /// list and watch (this module's contract) over `groups`, the
    /// multicast groups of the dumped kind. `key` names each message's
    /// object. The messages reach `sink` once each, in the order their
    /// objects were first seen.
    ///
    /// With `watch_first` the socket subscribes before the plain try, and
    /// an event of the kind arriving during it makes the try count as
    /// interrupted: for dumps the kernel can get wrong without flagging
    /// it (IPv6 routes: the fib6 walker resumes by count and skips or
    /// repeats routes when one before it comes or goes).
    ///
    /// A transport that cannot subscribe (or no `groups`) gets today's
    /// plain retries.
    #[allow(clippy::too_many_arguments)]
    pub fn dump_consistent<T, C, I, F>(
        &mut self,
        t: &mut T,
        request: &[u8],
        groups: &[u32],
        watch_first: bool,
        check: &mut C,
        key: &mut I,
        sink: F,
    ) -> Result<DumpStats, DumpError>
    where
        T: Transport + ?Sized,
        C: Consistency + ?Sized,
        I: Identity + ?Sized,
        F: FnMut(&NlMsg<&[u8]>) -> Result<(), DumpError>,
    {
        let sink = &mut Plain(sink);
        self.consistent_into(t, request, groups, watch_first, check, key, sink)
    }

    /// [`Dumper::dump_consistent`] into any [`Sink`]: a speculative one
    /// renders the plain try as it arrives.
    #[allow(clippy::too_many_arguments)]
    pub fn consistent_into<T, C, I, K>(
        &mut self,
        t: &mut T,
        request: &[u8],
        groups: &[u32],
        watch_first: bool,
        check: &mut C,
        key: &mut I,
        sink: &mut K,
    ) -> Result<DumpStats, DumpError>
    where
        T: Transport + ?Sized,
        C: Consistency + ?Sized,
        I: Identity + ?Sized,
        K: Sink<DumpError> + ?Sized,
    {
        if groups.is_empty() {
            return self.checked_with(t, request, check, sink);
        }
        let mut subscribed = watch_first && t.subscribe(groups, true).is_ok();
        let tries = std::mem::replace(&mut self.options.tries, 1);
        let first = match subscribed {
            true => {
                let mut watching = Watching {
                    inner: &mut *check,
                    key: &mut *key,
                };
                self.checked_with(t, request, &mut watching, sink)
            }
            false => self.checked_with(t, request, check, sink),
        };
        self.options.tries = tries;
        match first {
            Err(DumpError::Interrupted {
                output_started: false,
            }) => {}
            other => {
                if subscribed {
                    let _ = t.subscribe(groups, false);
                }
                return other;
            }
        }
        if !subscribed {
            match t.subscribe(groups, true) {
                Ok(()) => subscribed = true,
                Err(e) if e.kind() == io::ErrorKind::Unsupported => {
                    return self.checked_with(t, request, check, sink);
                }
                Err(e) => return Err(e.into()),
            }
        }
        debug_assert!(subscribed);
        let watched = self.list_and_watch(t, request, watch_first, key);
        // Leaving is best effort: the events already queued are skipped
        // as strays by later dumps either way.
        let _ = t.subscribe(groups, false);
        let (known, outcome) = watched?;
        // The answer is final: a speculative sink writes as it takes.
        sink.commit()?;
        for bytes in known.messages() {
            sink.take(&NlMsg::new_checked(bytes)?)?;
        }
        if !outcome.exact {
            self.inconsistent = true;
            self.warnings.push(format!(
                "the table kept changing: {} dumps in {:?} (while watching its events) \
                 never confirmed every object{}; the answer is the last state seen",
                outcome.rounds,
                BUDGET,
                match outcome.overruns {
                    0 => String::new(),
                    n => format!(", {n} overran the event queue"),
                }
            ));
        }
        Ok(DumpStats {
            filtered: outcome.filtered,
            tries: 1 + outcome.rounds,
            streamed: false,
        })
    }

    /// Dump while subscribed until the state is confirmed or the bound is
    /// reached. With `watch_first`, a dump during which an event came is
    /// not clean whatever its flags say.
    fn list_and_watch<T, I>(
        &mut self,
        t: &mut T,
        request: &[u8],
        watch_first: bool,
        key: &mut I,
    ) -> Result<(Known<I::Key>, Outcome), DumpError>
    where
        T: Transport + ?Sized,
        I: Identity + ?Sized,
    {
        let start = Instant::now();
        let mut known = Known::default();
        let mut outcome = Outcome::default();
        // Dumps since the state was last started afresh.
        let mut fresh = 0;
        while outcome.rounds < ROUNDS && (outcome.rounds == 0 || start.elapsed() < BUDGET) {
            if fresh == 0 {
                known = Known::default();
            }
            let round = self.round(t, request, key, &mut known)?;
            outcome.rounds += 1;
            outcome.filtered |= round.filtered;
            fresh += 1;
            let clean = !(round.intr || watch_first && round.events);
            if round.lost {
                outcome.overruns += 1;
                fresh = 0;
            } else if clean {
                known.retain(&round.seen);
                outcome.exact = true;
                break;
            } else if fresh >= 2 && round.rediscovered == 0 {
                // A skip is a matter of position at the moment of a
                // datagram boundary: this dump found nothing that every
                // dump before it had skipped, so their union holds
                // every object. (It may itself have skipped some that
                // the others showed; those are known.)
                outcome.exact = true;
                break;
            }
        }
        Ok((known, outcome))
    }

    /// One subscribed dump: its replies and the events among them applied
    /// to `known` in the order received, until its DONE.
    fn round<T, I>(
        &mut self,
        t: &mut T,
        request: &[u8],
        key: &mut I,
        known: &mut Known<I::Key>,
    ) -> Result<Round<I::Key>, DumpError>
    where
        T: Transport + ?Sized,
        I: Identity + ?Sized,
    {
        let seq = t.next_seq();
        let mut req = request.to_vec();
        if let Some(s) = req.get_mut(8..12) {
            s.copy_from_slice(&seq.to_ne_bytes());
        }
        t.send(&req)?;
        let mut round = Round {
            intr: false,
            lost: false,
            filtered: false,
            seen: BTreeSet::new(),
            events: false,
            rediscovered: 0,
        };
        loop {
            let Some(got) = recv_from_kernel_or_loss(t, &mut self.buf)? else {
                round.lost = true;
                continue;
            };
            if got.truncated(self.buf.len()) {
                // Whatever it held (replies or events) is gone.
                self.buf = vec![0; align4(got.len).max(self.buf.len() * 2)];
                round.lost = true;
                continue;
            }
            let port = t.port_id();
            let datagram = std::mem::take(&mut self.buf);
            let done = self.apply(&datagram[..got.len], seq, port, key, known, &mut round);
            self.buf = datagram;
            if done? {
                return Ok(round);
            }
            if known.bytes > self.options.hold_limit.saturating_mul(4) {
                // Too big to hold whole: the plain dump's streaming path
                // is the answer for tables this size (exit 3 on churn).
                return Err(DumpError::Interrupted {
                    output_started: false,
                });
            }
        }
    }

    /// Apply one datagram's messages; whether it held this dump's DONE.
    fn apply<I: Identity + ?Sized>(
        &mut self,
        datagram: &[u8],
        seq: u32,
        port: u32,
        key: &mut I,
        known: &mut Known<I::Key>,
        round: &mut Round<I::Key>,
    ) -> Result<bool, DumpError> {
        for msg in Messages::new(datagram) {
            let msg = msg?;
            let ours = msg.seq() == seq && msg.port_id() == port;
            if ours {
                round.intr |= msg.flags() & NLM_F_DUMP_INTR != 0;
                round.filtered |= msg.flags() & NLM_F_DUMP_FILTERED != 0;
                match msg.kind() {
                    NLMSG_DONE => {
                        let done = ErrorMsg::parse_done(msg.payload(), msg.flags())?;
                        note(&mut self.warnings, &done)?;
                        return Ok(true);
                    }
                    NLMSG_ERROR => {
                        let e = ErrorMsg::parse(msg.payload(), msg.flags())?;
                        if events_crowded_out(&e) {
                            round.lost = true;
                        } else {
                            note(&mut self.warnings, &e)?;
                        }
                        continue;
                    }
                    k if k < NLMSG_MIN_TYPE => continue,
                    _ => {}
                }
            }
            let keyed = match key.key(&msg) {
                // A reply replaces nothing; an event may.
                Keyed::Replace(k) if !ours => {
                    known.remove_group(&k, |a, b| key.same_group(a, b));
                    Keyed::New(k)
                }
                Keyed::Replace(k) => Keyed::New(k),
                other => other,
            };
            match keyed {
                Keyed::New(k) => {
                    let skipped = ours && !known.index.contains_key(&k);
                    round.rediscovered += usize::from(skipped && !round.seen.contains(&k));
                    round.events |= !ours;
                    known.put(k.clone(), &msg);
                    round.seen.insert(k);
                }
                // A reply is never a deletion; an event may be.
                Keyed::Del(k) if !ours => {
                    round.events = true;
                    known.remove(&k);
                    round.seen.insert(k);
                }
                Keyed::Del(_) | Keyed::Replace(_) | Keyed::Other => {}
            }
        }
        Ok(false)
    }
}

/// A plain try's consistency while subscribed: the caller's check, and
/// no event of the dumped kind meanwhile.
struct Watching<'a, C: ?Sized, I: ?Sized> {
    inner: &'a mut C,
    key: &'a mut I,
}

impl<C, I> Consistency for Watching<'_, C, I>
where
    C: Consistency + ?Sized,
    I: Identity + ?Sized,
{
    fn restart(&mut self) {
        self.inner.restart();
    }
    fn admit(&mut self, msg: &NlMsg<&[u8]>) -> bool {
        self.inner.admit(msg)
    }
    fn event(&mut self, msg: &NlMsg<&[u8]>) -> bool {
        matches!(self.key.key(msg), Keyed::Other) && self.inner.event(msg)
    }
}

#[cfg(test)]
mod tests;
