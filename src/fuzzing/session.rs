//! [`dump_session`]: whole dumps against a scripted kernel, judged by a
//! witness that keeps what the kernel really said.

use std::cell::RefCell;
use std::collections::HashSet;
use std::io;
use std::ops::Range;

use super::flags_from;
use crate::dump::script::{PORT, Scripted, Step, message};
use crate::dump::{Consistency, DumpError, DumpOptions, DumpStats, Dumper, Sink, Transport};
use crate::sock::Recv;
use crate::wire::ifaddrmsg::RTM_NEWADDR;
use crate::wire::ifinfomsg::RTM_NEWLINK;
use crate::wire::nlmsg::{
    HDRLEN, Messages, NLM_F_ACK_TLVS, NLM_F_CAPPED, NLM_F_DUMP, NLM_F_DUMP_FILTERED,
    NLM_F_DUMP_INTR, NLM_F_MULTI, NLM_F_REQUEST, NLMSG_DONE, NLMSG_ERROR, NLMSG_MIN_TYPE,
    NLMSG_NOOP, NLMSG_OVERRUN, NlMsg,
};
use crate::wire::rtmsg::{RTM_GETROUTE, RTM_NEWROUTE};

/// A whole dump against a scripted kernel: [`script`] turns the bytes into
/// options and steps, [`session`] runs and judges it.
pub fn dump_session(data: &[u8]) {
    let (options, steps) = script(data);
    let _ = session(steps, options);
}

/// Message types a structured message in a [`script`] picks from.
const SCRIPT_KINDS: [u16; 8] = [
    NLMSG_DONE,
    NLMSG_ERROR,
    NLMSG_NOOP,
    NLMSG_OVERRUN,
    9, // reserved for control messages
    RTM_NEWLINK,
    RTM_NEWADDR,
    RTM_NEWROUTE,
];

/// Header flags a structured message in a [`script`] turns on, bit by bit
/// (NLM_F_MULTI is always on).
const SCRIPT_FLAGS: [u16; 4] = [
    NLM_F_DUMP_INTR,
    NLM_F_ACK_TLVS,
    NLM_F_CAPPED,
    NLM_F_DUMP_FILTERED,
];

/// A sender other than the kernel.
pub const FORGER: u32 = 0x6666;

/// Decode fuzz bytes into dump options and a script of receive steps.
///
/// ```text
/// byte 0   hold limit, in 16-byte units (0: stream from the first message)
/// byte 1   tries: 1 + b % 4
/// then steps, each led by a tag byte (tag % 8):
///   0, 6   a datagram from the kernel of 1 + (next byte % 4) structured
///          messages: [kind, flags, seq|port, payload length, payload...]
///          (kind % 8 into SCRIPT_KINDS; flags bit by bit into SCRIPT_FLAGS;
///          seq = low 3 bits, so 1.. are the first tries' own; bit 7 = a
///          foreign port id)
///   1      the same from a forger (sender port id FORGER)
///   2      a raw datagram from the kernel: u16 length (LE), bytes
///   3      a datagram cut by MSG_TRUNC
///   4, 5   a receive interrupted by a signal (EINTR) / failing (EPERM)
///   7      a 0-byte read (end of file)
/// ```
/// The script ends with the input; the transport then reads end of file.
pub fn script(data: &[u8]) -> (DumpOptions, Vec<Step>) {
    let mut c = Cursor(data);
    let options = DumpOptions {
        hold_limit: usize::from(c.byte().unwrap_or(0)) * 16,
        tries: 1 + u32::from(c.byte().unwrap_or(0) % 4),
    };
    let mut steps = Vec::new();
    while let Some(tag) = c.byte() {
        steps.push(match tag % 8 {
            0 | 6 => Step::Datagram {
                sender: 0,
                bytes: c.messages(),
            },
            1 => Step::Datagram {
                sender: FORGER,
                bytes: c.messages(),
            },
            2 => {
                let len = u16::from_le_bytes([c.byte().unwrap_or(0), c.byte().unwrap_or(0)]);
                Step::Datagram {
                    sender: 0,
                    bytes: c.take(len.into()).to_vec(),
                }
            }
            3 => Step::Cut(0),
            4 => Step::Fail(io::ErrorKind::Interrupted),
            5 => Step::Fail(io::ErrorKind::PermissionDenied),
            _ => Step::Datagram {
                sender: 0,
                bytes: Vec::new(),
            },
        });
    }
    (options, steps)
}

/// Reads a [`script`] from the front of the input; past the end, bytes are 0.
struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
    fn byte(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }

    fn take(&mut self, n: usize) -> &'a [u8] {
        let (head, rest) = self.0.split_at(n.min(self.0.len()));
        self.0 = rest;
        head
    }

    fn messages(&mut self) -> Vec<u8> {
        let count = 1 + self.byte().unwrap_or(0) % 4;
        (0..count).flat_map(|_| self.message()).collect()
    }

    fn message(&mut self) -> Vec<u8> {
        let [kind, flags, to, len] = [(); 4].map(|()| self.byte().unwrap_or(0));
        let kind = SCRIPT_KINDS[usize::from(kind) % SCRIPT_KINDS.len()];
        let flags = NLM_F_MULTI | flags_from(flags, &SCRIPT_FLAGS);
        let msg = message(kind, flags, u32::from(to & 7), self.take(len.into()));
        if to & 0x80 != 0 {
            with_port(msg, PORT + 1)
        } else {
            msg
        }
    }
}

/// nlmsg_pid in a message built by [`message`].
const PID: Range<usize> = 12..16;

/// `msg` (from [`message`]) addressed to port id `port` instead of ours.
pub fn with_port(mut msg: Vec<u8>, port: u32) -> Vec<u8> {
    if let Some(pid) = msg.get_mut(PID) {
        pid.copy_from_slice(&port.to_ne_bytes());
    }
    msg
}

thread_local! {
    /// One dumper per thread, reused as nlq reuses one for every dump of a
    /// run: a new one zeroes a 64 KiB buffer, which in a debug build costs
    /// more than the rest of a test case.
    static DUMPER: RefCell<Dumper> = RefCell::new(Dumper::default());
}

/// Run `f` with this thread's dumper set to `options`, or with a new one
/// if the script `grows` the buffer (a cut datagram does, for good).
pub(super) fn with_dumper<R>(
    options: DumpOptions,
    grows: bool,
    f: impl FnOnce(&mut Dumper) -> R,
) -> R {
    if grows {
        return f(&mut Dumper::new(options));
    }
    DUMPER.with_borrow_mut(|d| {
        d.options = options;
        d.take_warnings(); // left behind by a run that panicked
        f(d)
    })
}

/// The dump request every session sends (an RTM_GETROUTE dump).
pub(super) fn request() -> Vec<u8> {
    message(RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, 0, &[0; 12])
}

/// Run `steps` through [`Dumper::dump`] with `options`, through
/// [`Dumper::dump_checked`] with a check that rejects repeated messages,
/// and into a speculative [`Sink`] with `options`; judge all three, and
/// return their results.
///
/// The judgement: the loop ends within the script; it succeeds only after
/// the kernel's DONE for its last request, with no DUMP_INTR on that try;
/// the sink sees only messages the kernel (sender 0) sent for that request
/// to our port, in order, each once, and on success all of them (none
/// repeated, with the check); an interrupted dump says whether output had
/// started; tries are bounded.
pub fn session(steps: Vec<Step>, options: DumpOptions) -> [Result<DumpStats, DumpError>; 3] {
    let plain = run_session(steps.clone(), options, None);
    let ahead = run_speculative(steps.clone(), options);
    let options = DumpOptions {
        tries: options.tries,
        ..DumpOptions::default()
    };
    let checked = run_session(steps, options, Some(&mut NoRepeats::default()));
    [plain, checked, ahead]
}

/// A speculative sink that keeps messages: held until committed, then
/// shown; a rollback forgets the held ones.
#[derive(Default)]
struct Speculating {
    held: Vec<Vec<u8>>,
    shown: Vec<Vec<u8>>,
    committed: bool,
}

impl Sink<DumpError> for Speculating {
    fn take(&mut self, msg: &NlMsg<&[u8]>) -> Result<(), DumpError> {
        let to = if self.committed {
            &mut self.shown
        } else {
            &mut self.held
        };
        to.push(msg.as_bytes().to_vec());
        Ok(())
    }
    fn holding(&self) -> Option<usize> {
        Some(self.held.iter().map(Vec::len).sum())
    }
    fn commit(&mut self) -> Result<(), DumpError> {
        self.shown.append(&mut self.held);
        self.committed = true;
        Ok(())
    }
    fn rollback(&mut self) {
        assert!(!self.committed, "a rollback after output was committed");
        self.held.clear();
    }
}

/// One speculative run of [`session`]: what was shown is judged as a plain
/// sink's messages are, and nothing is left held at the end (it was
/// committed or rolled back).
fn run_speculative(steps: Vec<Step>, options: DumpOptions) -> Result<DumpStats, DumpError> {
    let grows = steps.iter().any(|s| matches!(s, Step::Cut(_)));
    let mut w = Witness::new(steps);
    let mut sink = Speculating::default();
    let result = with_dumper(options, grows, |d| {
        d.checked_with(
            &mut w,
            &request(),
            &mut crate::dump::KernelFlagOnly,
            &mut sink,
        )
    });
    judge(&result, &sink.shown, &w, options);
    assert!(
        sink.held.is_empty(),
        "output left held after the dump ended"
    );
    result
}

/// One run of [`session`]: `steps` through the dump loop, with `check` if
/// given, judged.
fn run_session(
    steps: Vec<Step>,
    options: DumpOptions,
    check: Option<&mut NoRepeats>,
) -> Result<DumpStats, DumpError> {
    let repeats_rejected = check.is_some();
    let grows = steps.iter().any(|s| matches!(s, Step::Cut(_)));
    let mut w = Witness::new(steps);
    let mut sink = Vec::new();
    let collect = |m: &NlMsg<&[u8]>| {
        sink.push(m.as_bytes().to_vec());
        Ok(())
    };
    let result = with_dumper(options, grows, |d| match check {
        None => d.dump(&mut w, &request(), collect),
        Some(check) => d.dump_checked(&mut w, &request(), check, collect),
    });
    judge(&result, &sink, &w, options);
    if repeats_rejected && result.is_ok() {
        let payloads: HashSet<_> = sink.iter().map(|m| &m[HDRLEN..]).collect();
        assert_eq!(payloads.len(), sink.len(), "the check let a repeat through");
    }
    result
}

/// Judge one dump's `result` and what reached its `sink` against what the
/// witness `w` saw the kernel send.
fn judge(
    result: &Result<DumpStats, DumpError>,
    sink: &[Vec<u8>],
    w: &Witness,
    options: DumpOptions,
) {
    let said = w.tries.last().expect("a dump sends its request first");
    assert!(
        said.data.get(..sink.len()) == Some(sink),
        "the sink got only the kernel's messages for the last request, in order, once"
    );
    assert!(
        w.tries.len() <= options.tries as usize + 2,
        "retries are bounded"
    );
    match result {
        Ok(stats) => {
            assert!(said.done, "success without the kernel's DONE");
            assert!(!said.intr, "success with NLM_F_DUMP_INTR");
            assert_eq!(sink.len(), said.data.len(), "success held messages back");
            assert_eq!(stats.tries as usize, w.tries.len());
        }
        Err(DumpError::Interrupted { output_started }) => {
            assert_eq!(*output_started, !sink.is_empty());
        }
        Err(e) => {
            let _ = e.to_string(); // Display never panics
        }
    }
}

/// What the kernel sent during one try (one sequence number) to our port.
#[derive(Debug, Default)]
struct Said {
    /// Data messages, in order, up to the try's DONE.
    data: Vec<Vec<u8>>,
    /// Whether the try's DONE arrived.
    done: bool,
    /// Whether any of its messages, DONE included, carried NLM_F_DUMP_INTR.
    intr: bool,
}

/// A scripted transport that also keeps what a correct dump loop may pass
/// on, and fails if the loop reads past the end of its script.
struct Witness {
    script: Scripted,
    reads_left: usize,
    tries: Vec<Said>,
}

impl Witness {
    fn new(steps: Vec<Step>) -> Self {
        Witness {
            reads_left: steps.len() + 1,
            script: Scripted::new(steps),
            tries: Vec::new(),
        }
    }

    /// Record what a whole datagram from the kernel says to this try.
    fn note(&mut self, datagram: &[u8]) {
        let seq = self.script.seq;
        let Some(said) = self.tries.last_mut() else {
            return;
        };
        for msg in Messages::new(datagram).map_while(Result::ok) {
            if said.done {
                break;
            }
            if msg.seq() != seq || msg.port_id() != PORT {
                continue;
            }
            said.intr |= msg.flags() & NLM_F_DUMP_INTR != 0;
            match msg.kind() {
                NLMSG_DONE => said.done = true,
                k if k >= NLMSG_MIN_TYPE => said.data.push(msg.as_bytes().to_vec()),
                _ => {}
            }
        }
    }
}

impl Transport for Witness {
    fn port_id(&self) -> u32 {
        self.script.port_id()
    }
    fn next_seq(&mut self) -> u32 {
        self.tries.push(Said::default());
        self.script.next_seq()
    }
    fn strict(&self) -> bool {
        self.script.strict()
    }
    fn send(&mut self, request: &[u8]) -> io::Result<()> {
        let seq = NlMsg::new_checked(request).map(|m| m.seq());
        assert_eq!(
            seq,
            Ok(self.script.seq),
            "each request carries its own sequence number"
        );
        self.script.send(request)
    }
    fn recv(&mut self, buf: &mut Vec<u8>) -> io::Result<Recv> {
        self.reads_left = self
            .reads_left
            .checked_sub(1)
            .expect("the dump loop read past the end of its script");
        let got = self.script.recv(buf)?;
        if got.sender == 0 && !got.truncated(buf.len()) {
            self.note(&buf[..got.len]);
        }
        Ok(got)
    }
}

/// Rejects a data message whose payload it has seen before in this try,
/// as nlq's route dumps reject repeated routes.
#[derive(Default)]
struct NoRepeats(HashSet<Vec<u8>>);

impl Consistency for NoRepeats {
    fn restart(&mut self) {
        self.0.clear();
    }
    fn admit(&mut self, msg: &NlMsg<&[u8]>) -> bool {
        self.0.insert(msg.payload().to_vec())
    }
}
