//! nlq's library error: what went wrong, typed where it was born, with the
//! exit code the command line maps it to.

use std::io;

use crate::dump::DumpError;

/// Exit code: success.
pub const EXIT_OK: i32 = 0;
/// Exit code: a runtime error.
pub const EXIT_RUNTIME: i32 = 1;
/// Exit code: bad usage (unknown table name, conflicting options).
pub const EXIT_USAGE: i32 = 2;
/// Exit code: the table kept changing while it was read: the output is
/// the best answer nlq could give (a warning says why), or none at all.
pub const EXIT_INCONSISTENT: i32 = 3;
/// Exit code of `nlq diff` when the states differ (diff(1)'s 1; `nlq
/// diff` then reports its own runtime errors as [`EXIT_USAGE`]'s 2, so
/// that 2 and above mean "could not tell", as with diff(1)).
pub const EXIT_DIFFERENCES: i32 = 1;

/// Everything a command can fail with. Each message is complete on its own:
/// no variant repeats an inner error as its `source`.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A device name the kernel does not know.
    #[error("no such device: {0}")]
    NoSuchDevice(String),
    /// A device named as a VRF (`nlq routes --vrf NAME`) that is not one.
    #[error("not a VRF device: {0}")]
    NotVrf(String),
    /// A nexthop id the kernel does not know (`nlq nexthops --id N`).
    #[error("no such nexthop: {0}")]
    NoSuchNexthop(u32),
    /// A generic netlink family the kernel does not know (`nlq genl NAME`).
    #[error("no such generic netlink family: {0}")]
    NoSuchGenlFamily(String),
    /// A network namespace name with no file under /run/netns.
    #[error("no such network namespace: {0}")]
    NoSuchNetns(String),
    /// A file named as a network namespace that is not one.
    #[error("{0}: not a network namespace")]
    NotNetns(String),
    /// A network namespace that could not be entered or listed.
    #[error("{name}: {what}")]
    Netns {
        /// The namespace as the user named it.
        name: String,
        /// What went wrong ("not a network namespace").
        what: String,
    },
    /// The command failed in some of the namespaces of `--all-netns` (it
    /// ran in all the others): each with its name, in the order run.
    #[error("{}", netns_failures(.0))]
    InNetns(Vec<(String, Error)>),
    /// An argument that names nothing (a table name in no rt_tables file).
    #[error("{0}")]
    Usage(String),
    /// The netlink exchange failed.
    #[error(transparent)]
    Dump(DumpError),
    /// A request about one object failed (`nlq routes get 203.0.113.9`:
    /// "No route to host"); `what` names the object asked about.
    #[error("{what}: {error}")]
    Request {
        /// The object asked about, as the user wrote it.
        what: String,
        /// Why the kernel's answer is no answer.
        error: DumpError,
    },
    /// Opening the netlink socket failed.
    #[error("cannot open netlink socket: {}", os_text(.0))]
    Socket(io::Error),
    /// Reading or writing a capture file failed.
    #[error("{path}: {error}")]
    Capture {
        /// The capture file.
        path: String,
        /// What went wrong.
        error: crate::pcap::Error,
    },
    /// A capture does not match the command replayed over it.
    #[error("{path}: {what}")]
    Replay {
        /// The capture file.
        path: String,
        /// What did not match.
        what: String,
    },
    /// The kernel has no handler for the family asked for: it answered
    /// with every other family's objects instead (rtnetlink falls back to
    /// its PF_UNSPEC dumper).
    #[error("this kernel does not support address family {family} for {what}")]
    FamilyUnsupported {
        /// The family asked for, as `ip` names it (`mpls`).
        family: &'static str,
        /// What was dumped (`routes`).
        what: &'static str,
    },
    /// A signal (SIGINT, SIGTERM) ended a command that runs until stopped
    /// (`nlq links --rate`): not a failure to report, exit 128 + signal.
    #[error("stopped by signal {0}")]
    Signal(i32),
    /// A file named as a snapshot (`nlq diff OLD NEW`) that cannot be read
    /// or is not one.
    #[error("{path}: {what}")]
    Snapshot {
        /// The file as named (`-` for stdin).
        path: String,
        /// What went wrong.
        what: String,
    },
    /// `nlq diff` found differences (and printed them): not a failure,
    /// the run's [`crate::Report::differences`].
    #[error("the states differ")]
    Differences,
    /// A /proc file (`nlq maddrs`) that cannot be read, or a line of it
    /// that does not parse (`line` counts from 1).
    #[error("{path}{}: {what}", .line.map(|n| format!(":{n}")).unwrap_or_default())]
    Proc {
        /// The file read.
        path: String,
        /// The line that did not parse, if it was one line.
        line: Option<usize>,
        /// What went wrong.
        what: String,
    },
    /// Writing the output failed (a closed pipe, a full disk).
    #[error("write error: {}", os_text(.0))]
    Output(io::Error),
}

/// `netns a: <error>; netns b: <error>`: every failure on one line.
fn netns_failures(failed: &[(String, Error)]) -> String {
    let each = failed.iter().map(|(name, e)| format!("netns {name}: {e}"));
    each.collect::<Vec<_>>().join("; ")
}

/// An I/O error's text without Rust's " (os error N)" suffix: what a C
/// tool would print ("No space left on device").
pub fn os_text(e: &io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

/// A write error inside a dump's sink is an output error like any other.
impl From<DumpError> for Error {
    fn from(e: DumpError) -> Self {
        match e {
            DumpError::Sink(inner) => match inner.downcast::<io::Error>() {
                Ok(io) => Error::Output(*io),
                Err(other) => Error::Dump(DumpError::Sink(other)),
            },
            e => Error::Dump(e),
        }
    }
}

// Written out rather than `#[from]`, which would also make the inner error
// the `source` and print its text twice in `nlq: {err:#}`.
impl From<io::Error> for Error {
    fn from(e: io::Error) -> Self {
        Error::Output(e)
    }
}

impl Error {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Signal(s) => 128 + s,
            Error::InNetns(failed) => failed.first().map_or(EXIT_RUNTIME, |(_, e)| e.exit_code()),
            Error::Usage(_) => EXIT_USAGE,
            // The kernel was busy, never "failed": scripts retry on 3.
            Error::Dump(DumpError::Interrupted { .. }) => EXIT_INCONSISTENT,
            _ => EXIT_RUNTIME,
        }
    }

    /// Whether the error came after some of the output was written (a
    /// dump interrupted while it streamed): that output may be
    /// inconsistent.
    pub fn output_began(&self) -> bool {
        matches!(
            self,
            Error::Dump(DumpError::Interrupted {
                output_started: true
            })
        )
    }

    /// Whether this is a write to a closed pipe (`nlq routes | head -1`),
    /// which is a normal way for a reader to say it has seen enough.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Output(e) if e.kind() == io::ErrorKind::BrokenPipe)
    }
}
