//! List and watch driven by a scripted transport: events that land
//! before, during and after the part of the dump that holds their object,
//! a deletion of an object the dump already sent, an overrun, and the
//! bound.

use super::*;
use crate::dump::DumpOptions;
use crate::dump::KernelFlagOnly;
use crate::dump::script::{PORT, Scripted, Step, message};
use crate::wire::nlmsg::{NLM_F_MULTI, NLM_F_REPLACE};

/// Object messages of this test: type NEW or DEL, payload one byte (the
/// key) and one byte (the version).
const NEW: u16 = 24;
const DEL: u16 = 25;

fn obj(kind: u16, flags: u16, seq: u32, key: u8, version: u8) -> Vec<u8> {
    message(kind, flags, seq, &[key, version, 0, 0])
}

/// A reply of dump `seq`.
fn reply(seq: u32, key: u8, version: u8) -> Vec<u8> {
    obj(NEW, NLM_F_MULTI, seq, key, version)
}

/// An event, as someone else's change (their seq and port).
fn event(kind: u16, key: u8, version: u8) -> Vec<u8> {
    let mut m = obj(kind, 0, 777, key, version);
    m[12..16].copy_from_slice(&1234u32.to_ne_bytes());
    m
}

fn done(seq: u32, flags: u16) -> Vec<u8> {
    message(NLMSG_DONE, NLM_F_MULTI | flags, seq, &[0; 4])
}

fn kernel(parts: &[Vec<u8>]) -> Step {
    Step::Datagram {
        sender: 0,
        bytes: parts.concat(),
    }
}

/// Objects keyed by their first payload byte; keys of one ten (10..19,
/// 20..29) are one group, for replacements (NLM_F_REPLACE).
struct Ids;

impl Identity for Ids {
    type Key = u8;
    fn key(&mut self, msg: &NlMsg<&[u8]>) -> Keyed<u8> {
        let key = msg.payload()[0];
        match msg.kind() {
            NEW if msg.flags() & NLM_F_REPLACE != 0 => Keyed::Replace(key),
            NEW => Keyed::New(key),
            DEL => Keyed::Del(key),
            _ => Keyed::Other,
        }
    }
    fn same_group(&self, a: &u8, b: &u8) -> bool {
        a / 10 == b / 10
    }
}

/// What [`run`] saw: the (key, version) pairs the sink got, the
/// transport afterwards, and whether the answer was only the best one.
type Ran = (Result<Vec<(u8, u8)>, DumpError>, Scripted, bool);

/// Run the dump over `steps` with a transport that can subscribe.
fn run(steps: Vec<Step>) -> Ran {
    run_with(steps, Some(Vec::new()), false)
}

/// [`run`], subscribed before the first try (IPv6 routes' way).
fn run_watching_first(steps: Vec<Step>) -> Ran {
    run_with(steps, Some(Vec::new()), true)
}

/// Run the dump over `steps`; `groups: None` for a transport that cannot
/// subscribe.
///
/// The same steps also go to a speculative sink (one that takes messages
/// as they come and holds them until committed): it must end with exactly
/// what the plain sink got.
fn run_with(steps: Vec<Step>, groups: Option<Vec<u32>>, watch_first: bool) -> Ran {
    let ahead = run_ahead(steps.clone(), groups.clone(), watch_first);
    let ran = run_plain(steps, groups, watch_first);
    let plain = (ran.0.as_ref().ok(), ran.2, &ran.1.groups);
    assert_eq!((ahead.0.as_ref().ok(), ahead.2, &ahead.1.groups), plain);
    ran
}

/// A sink that holds what it takes until committed, as `cmd::Ahead` does.
#[derive(Default)]
struct Held {
    held: Vec<(u8, u8)>,
    shown: Vec<(u8, u8)>,
    committed: bool,
}

impl Sink<DumpError> for Held {
    fn take(&mut self, m: &NlMsg<&[u8]>) -> Result<(), DumpError> {
        let to = if self.committed {
            &mut self.shown
        } else {
            &mut self.held
        };
        to.push((m.payload()[0], m.payload()[1]));
        Ok(())
    }
    fn holding(&self) -> Option<usize> {
        Some(self.held.len())
    }
    fn commit(&mut self) -> Result<(), DumpError> {
        self.shown.append(&mut self.held);
        self.committed = true;
        Ok(())
    }
    fn rollback(&mut self) {
        assert!(!self.committed, "a rollback after a commit");
        self.held.clear();
    }
}

/// [`run_with`] into a speculative sink.
fn run_ahead(steps: Vec<Step>, groups: Option<Vec<u32>>, watch_first: bool) -> Ran {
    let mut t = Scripted::new(steps);
    t.groups = groups;
    let mut d = Dumper::new(DumpOptions::default());
    let mut sink = Held::default();
    let (check, ids) = (&mut KernelFlagOnly, &mut Ids);
    let r = d.consistent_into(
        &mut t,
        &[0; 20],
        &[7, 11],
        watch_first,
        check,
        ids,
        &mut sink,
    );
    assert!(sink.held.is_empty(), "output left held");
    (r.map(|_| sink.shown), t, d.take_inconsistent())
}

/// [`run_with`] into a closure.
fn run_plain(steps: Vec<Step>, groups: Option<Vec<u32>>, watch_first: bool) -> Ran {
    let mut t = Scripted::new(steps);
    t.groups = groups;
    let mut d = Dumper::new(DumpOptions::default());
    let mut got = Vec::new();
    let r = d.dump_consistent(
        &mut t,
        &[0; 20],
        &[7, 11],
        watch_first,
        &mut KernelFlagOnly,
        &mut Ids,
        |m| {
            got.push((m.payload()[0], m.payload()[1]));
            Ok(())
        },
    );
    (r.map(|_| got), t, d.take_inconsistent())
}

/// The first, plain try of dump 1: interrupted.
fn interrupted_first() -> Step {
    kernel(&[reply(1, 1, 0), reply(1, 2, 0), done(1, NLM_F_DUMP_INTR)])
}

#[test]
fn a_clean_first_dump_needs_no_subscription() {
    let (got, t, inconsistent) = run(vec![kernel(&[reply(1, 1, 0), done(1, 0)])]);
    assert_eq!(got.unwrap(), [(1, 0)]);
    assert_eq!(t.groups, Some(vec![]), "never subscribed");
    assert!(!inconsistent);
}

#[test]
fn events_before_during_and_after_their_objects_reply() {
    let (got, t, inconsistent) = run(vec![
        interrupted_first(),
        // Dump 2, subscribed: object 3 changes before its reply (the reply
        // carries the new version), object 1 after its reply, object 4 is
        // added and object 2 deleted after the dump sent it.
        kernel(&[event(NEW, 3, 1), reply(2, 1, 0)]),
        kernel(&[event(NEW, 1, 1), reply(2, 2, 0), event(DEL, 2, 0)]),
        kernel(&[reply(2, 3, 1), event(NEW, 4, 0), done(2, 0)]),
        // After DONE: not part of the answer.
        kernel(&[event(DEL, 1, 1)]),
    ]);
    // In the order first seen: 3's event came before any reply.
    assert_eq!(got.unwrap(), [(3, 1), (1, 1), (4, 0)]);
    assert!(!inconsistent, "a clean subscribed dump is exact");
    assert_eq!(t.groups, Some(vec![]), "left the groups again");
    assert_eq!(t.sent.len(), 2);
}

#[test]
fn an_interrupted_subscribed_dump_is_confirmed_by_a_later_one() {
    let (got, t, inconsistent) = run(vec![
        interrupted_first(),
        // Dump 2 skips object 2 (a position shifted): interrupted.
        kernel(&[reply(2, 1, 0), event(NEW, 5, 0), done(2, NLM_F_DUMP_INTR)]),
        // Dump 3 shows 2 again, which dump 2 skipped: not confirmed yet.
        kernel(&[reply(3, 1, 0), reply(3, 2, 0), reply(3, 5, 0)]),
        kernel(&[done(3, NLM_F_DUMP_INTR)]),
        // Dump 4 shows every object known and nothing new: confirmed.
        kernel(&[reply(4, 1, 0), reply(4, 2, 0), reply(4, 5, 0)]),
        kernel(&[done(4, NLM_F_DUMP_INTR)]),
    ]);
    assert_eq!(got.unwrap(), [(1, 0), (5, 0), (2, 0)]);
    assert!(!inconsistent);
    assert_eq!(t.sent.len(), 4);
}

#[test]
fn watching_first_a_subscribed_dump_with_events_is_not_clean() {
    // IPv6 routes: the kernel flags nothing, yet an event during the dump
    // may have made it skip an object.
    let (got, t, _) = run_watching_first(vec![
        kernel(&[reply(1, 1, 0), event(NEW, 9, 0), reply(1, 2, 0), done(1, 0)]),
        kernel(&[reply(2, 1, 0), event(DEL, 9, 0), done(2, 0)]), // skipped 2
        kernel(&[reply(3, 1, 0), reply(3, 2, 0), done(3, 0)]),
    ]);
    let keys: Vec<u8> = got.unwrap().into_iter().map(|(k, _)| k).collect();
    assert_eq!(
        keys,
        [1, 2],
        "2 kept: the dump that skipped it was not clean"
    );
    assert_eq!(t.sent.len(), 3);
}

#[test]
fn an_overrun_starts_the_state_afresh() {
    let (got, t, inconsistent) = run(vec![
        interrupted_first(),
        kernel(&[reply(2, 1, 0), reply(2, 9, 0)]),
        Step::Errno(libc::ENOBUFS), // the DEL of 9 was among the lost
        kernel(&[done(2, 0)]),
        kernel(&[reply(3, 1, 0), done(3, 0)]),
    ]);
    assert_eq!(got.unwrap(), [(1, 0)], "9 is not kept from the lost round");
    assert!(!inconsistent);
    assert_eq!(t.sent.len(), 3);
}

#[test]
fn a_table_that_never_settles_gives_its_best_answer_and_says_so() {
    let mut steps = vec![interrupted_first()];
    for seq in 2..=1 + ROUNDS {
        // Every dump is interrupted and shows an object that every dump
        // before it had skipped (none of them had shown it, and no event
        // named it): the union is never known to be whole.
        let found = 100 + seq as u8;
        steps.push(kernel(&[reply(seq, 1, 0), reply(seq, found, 0)]));
        steps.push(kernel(&[done(seq, NLM_F_DUMP_INTR)]));
    }
    let (got, t, inconsistent) = run(steps);
    let got = got.unwrap();
    assert_eq!(got.len() as u32, 1 + ROUNDS, "every object seen, once");
    assert!(inconsistent, "exit 3");
    assert_eq!(t.sent.len() as u32, 1 + ROUNDS);
}

#[test]
fn without_subscription_the_plain_retries_remain() {
    let steps = vec![interrupted_first(), kernel(&[reply(2, 1, 0), done(2, 0)])];
    let (got, t, _) = run_with(steps, None, false);
    assert_eq!(got.unwrap(), [(1, 0)]);
    assert_eq!(t.groups, None);
}

#[test]
fn a_forged_event_is_never_applied() {
    let (got, _, _) = run(vec![
        interrupted_first(),
        kernel(&[reply(2, 1, 0)]),
        Step::Datagram {
            sender: 999,
            bytes: event(NEW, 66, 0),
        },
        kernel(&[done(2, 0)]),
    ]);
    assert_eq!(got.unwrap(), [(1, 0)]);
    let _ = PORT;
}

#[test]
fn watching_first_an_event_during_a_clean_looking_try_interrupts_it() {
    // The first try carries no NLM_F_DUMP_INTR, but an event of the kind
    // came during it: the kernel may have skipped an object unflagged.
    let (got, t, _) = run_watching_first(vec![
        kernel(&[reply(1, 1, 0), event(DEL, 7, 0), reply(1, 2, 0), done(1, 0)]),
        kernel(&[reply(2, 1, 0), reply(2, 2, 0), reply(2, 3, 0), done(2, 0)]),
    ]);
    let keys: Vec<u8> = got.unwrap().into_iter().map(|(k, _)| k).collect();
    assert_eq!(keys, [1, 2, 3], "the subscribed dump's answer");
    assert_eq!(t.sent.len(), 2);
    assert_eq!(t.groups, Some(vec![]));
}

#[test]
fn watching_first_a_quiet_try_is_the_answer() {
    let (got, t, _) = run_watching_first(vec![kernel(&[reply(1, 1, 0), done(1, 0)])]);
    assert_eq!(got.unwrap(), [(1, 0)]);
    assert_eq!(t.sent.len(), 1);
    assert_eq!(t.groups, Some(vec![]), "subscribed, then left");
}

#[test]
fn a_replacement_event_takes_the_place_of_its_group() {
    let (got, _, _) = run(vec![
        interrupted_first(),
        kernel(&[reply(2, 11, 0), reply(2, 12, 0), reply(2, 21, 0)]),
        // `ip route replace`: 13 replaces 11 and 12 (one group), no DEL.
        kernel(&[obj(NEW, NLM_F_REPLACE, 777, 13, 0), done(2, 0)]),
    ]);
    assert_eq!(got.unwrap(), [(21, 0), (13, 0)]);
}

#[test]
fn a_dump_crowded_out_by_events_goes_on_and_counts_as_an_overrun() {
    // The kernel answers the request with ENOBUFS (the queue was full of
    // events), then goes on with the dump as the queue is read.
    // nlmsgerr: the error, then the request's header (16 bytes).
    let mut payload = (-libc::ENOBUFS).to_ne_bytes().to_vec();
    payload.extend_from_slice(&[0; 16]);
    let enobufs = message(NLMSG_ERROR, 0, 2, &payload);
    let (got, t, inconsistent) = run(vec![
        interrupted_first(),
        kernel(&[enobufs, reply(2, 1, 0), done(2, 0)]),
        kernel(&[reply(3, 1, 0), reply(3, 2, 0), done(3, 0)]),
    ]);
    assert_eq!(got.unwrap(), [(1, 0), (2, 0)]);
    assert!(!inconsistent);
    assert_eq!(t.sent.len(), 3, "the crowded round was not trusted");
}
