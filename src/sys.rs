//! The small system calls nlq needs beside its socket: `poll(2)` over
//! several descriptors, SIGINT/SIGTERM as bytes on a self-pipe (so a
//! `poll` wakes at once), and `localtime_r(3)` for event timestamps.
//! With [`crate::sock`], the only `unsafe` in nlq: each block says why
//! it is sound in a `// SAFETY:` line.

use std::fmt;
use std::io;
use std::mem;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd};

/// Which of the descriptors given to [`poll`] are ready.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Ready {
    /// Readable (or in error: a read then says why).
    pub readable: bool,
    /// The other end is gone: a pipe's reader closed it (POLLERR/POLLHUP).
    pub hangup: bool,
}

/// Wait until one of `read` is readable or one of `watch` hangs up, or
/// `timeout` has passed (`poll(2)`; `None` waits for ever; retried on
/// EINTR). Returns one [`Ready`] per descriptor, `read` first; all false
/// after a timeout.
pub fn poll(
    read: &[BorrowedFd<'_>],
    watch: &[BorrowedFd<'_>],
    timeout: Option<std::time::Duration>,
) -> io::Result<Vec<Ready>> {
    let ms = timeout.map_or(-1, |t| i32::try_from(t.as_millis()).unwrap_or(i32::MAX));
    let mut fds: Vec<libc::pollfd> = read
        .iter()
        .map(|fd| (fd, libc::POLLIN))
        .chain(watch.iter().map(|fd| (fd, 0)))
        .map(|(fd, events)| libc::pollfd {
            fd: fd.as_raw_fd(),
            events,
            revents: 0,
        })
        .collect();
    loop {
        // SAFETY: `fds` is a live array of `fds.len()` pollfd structures,
        // each naming a descriptor the caller keeps open for the call.
        let rc = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, ms) };
        if rc >= 0 {
            break;
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
    let gone = libc::POLLERR | libc::POLLHUP | libc::POLLNVAL;
    Ok(fds
        .iter()
        .map(|p| Ready {
            readable: p.revents & (libc::POLLIN | gone) != 0,
            hangup: p.revents & gone != 0,
        })
        .collect())
}

/// The write end of the signal self-pipe, for the handler (-1: none).
static SIGNAL_PIPE: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(-1);

extern "C" fn on_signal(signo: libc::c_int) {
    let fd = SIGNAL_PIPE.load(std::sync::atomic::Ordering::Relaxed);
    if fd < 0 {
        return;
    }
    let byte = signo as u8;
    // SAFETY: write(2) is async-signal-safe; `byte` is a live local. A full
    // pipe loses the byte, which is fine: one byte already wakes the reader.
    unsafe {
        libc::write(fd, (&byte as *const u8).cast(), 1);
    }
}

/// SIGINT and SIGTERM delivered as bytes on a pipe, so a `poll` over the
/// socket and this pipe wakes at once (a handler with SA_RESTART alone
/// would leave a blocking receive asleep until the next event).
pub struct SignalPipe {
    read: OwnedFd,
    _write: OwnedFd,
    /// The actions SIGINT and SIGTERM had before, put back on drop.
    previous: [libc::sigaction; 2],
}

impl fmt::Debug for SignalPipe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignalPipe")
            .field("read", &self.read)
            .finish()
    }
}

/// The signals the pipe carries, in the order of `SignalPipe::previous`.
const SIGNALS: [libc::c_int; 2] = [libc::SIGINT, libc::SIGTERM];

impl SignalPipe {
    /// Make the pipe and install the handler for SIGINT and SIGTERM. Only
    /// one pipe should exist at a time: the handler writes to the newest.
    pub fn install() -> io::Result<SignalPipe> {
        let mut fds = [0i32; 2];
        // SAFETY: `fds` is a writable array of two ints, as pipe2(2) needs.
        let rc = unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC | libc::O_NONBLOCK) };
        if rc < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: both descriptors are fresh and owned by nothing else.
        let (read, write) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
        SIGNAL_PIPE.store(write.as_raw_fd(), std::sync::atomic::Ordering::Relaxed);
        // SAFETY: all-zero is a valid sigaction; the handler is set below.
        let mut act: libc::sigaction = unsafe { mem::zeroed() };
        act.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
        act.sa_flags = libc::SA_RESTART;
        // SAFETY: as above; sigaction(2) overwrites these with the old actions.
        let mut previous: [libc::sigaction; 2] = unsafe { mem::zeroed() };
        for (signo, old) in SIGNALS.iter().zip(&mut previous) {
            // SAFETY: `act` is initialised and `old` is writable.
            let rc = unsafe { libc::sigaction(*signo, &act, old) };
            if rc < 0 {
                return Err(io::Error::last_os_error());
            }
        }
        Ok(SignalPipe {
            read,
            _write: write,
            previous,
        })
    }

    /// The first signal waiting on the pipe, if any (never blocks).
    pub fn take(&self) -> Option<i32> {
        let mut byte = 0u8;
        // SAFETY: `byte` is a writable byte; the pipe is non-blocking.
        let n = unsafe { libc::read(self.read.as_raw_fd(), (&mut byte as *mut u8).cast(), 1) };
        (n == 1).then_some(i32::from(byte))
    }
}

impl Drop for SignalPipe {
    /// Put back the actions SIGINT and SIGTERM had before the pipe was
    /// made (not the defaults: an embedding program keeps its own), and
    /// stop the handler writing before the pipe closes, so no later signal
    /// writes to a reused descriptor.
    fn drop(&mut self) {
        SIGNAL_PIPE.store(-1, std::sync::atomic::Ordering::Relaxed);
        for (signo, old) in SIGNALS.iter().zip(&self.previous) {
            // SAFETY: `old` is what sigaction(2) returned at install.
            unsafe {
                libc::sigaction(*signo, old, std::ptr::null_mut());
            }
        }
    }
}

impl AsFd for SignalPipe {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.read.as_fd()
    }
}

/// A moment in local time, as `localtime_r(3)` breaks it down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalTime {
    /// The year, e.g. 2026.
    pub year: i32,
    /// The month, 1 to 12.
    pub month: u32,
    /// The day of the month, 1 to 31.
    pub day: u32,
    /// The hour, 0 to 23.
    pub hour: u32,
    /// The minute, 0 to 59.
    pub minute: u32,
    /// The second, 0 to 60 (a leap second).
    pub second: u32,
    /// The offset from UTC, in seconds east.
    pub offset: i64,
}

impl LocalTime {
    /// The epoch in UTC, for when the C library cannot convert a time.
    pub const EPOCH: LocalTime = LocalTime {
        year: 1970,
        month: 1,
        day: 1,
        hour: 0,
        minute: 0,
        second: 0,
        offset: 0,
    };
}

/// Local time of `secs` since the epoch, by `localtime_r(3)`.
pub fn local_time(secs: i64) -> Option<LocalTime> {
    let t: libc::time_t = secs;
    // SAFETY: all-zero is a valid tm.
    let mut tm: libc::tm = unsafe { mem::zeroed() };
    // SAFETY: `t` and `tm` are live; localtime_r writes only into `tm`.
    let ok = unsafe { !libc::localtime_r(&t, &mut tm).is_null() };
    ok.then(|| {
        let u = |v: i32| u32::try_from(v).unwrap_or(0);
        LocalTime {
            year: tm.tm_year + 1900,
            month: u(tm.tm_mon + 1),
            day: u(tm.tm_mday),
            hour: u(tm.tm_hour),
            minute: u(tm.tm_min),
            second: u(tm.tm_sec),
            offset: tm.tm_gmtoff,
        }
    })
}

/// What `uname(2)` says of the running system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uname {
    /// The kernel release (utsname.release, "6.1.0-18-amd64").
    pub release: String,
    /// The host name (utsname.nodename) of nlq's UTS namespace.
    pub nodename: String,
}

/// The kernel release and host name, by `uname(2)`.
pub fn uname() -> Option<Uname> {
    // SAFETY: all-zero is a valid utsname.
    let mut u: libc::utsname = unsafe { mem::zeroed() };
    // SAFETY: `u` is live; uname writes only into it.
    let rc = unsafe { libc::uname(&mut u) };
    // Each field is NUL-terminated within its array: read up to the NUL
    // as bytes, never past the array.
    let text = |field: &[libc::c_char]| {
        let bytes: Vec<u8> = field
            .iter()
            .map(|&c| c as u8)
            .take_while(|&b| b != 0)
            .collect();
        String::from_utf8_lossy(&bytes).into_owned()
    };
    (rc == 0).then(|| Uname {
        release: text(&u.release),
        nodename: text(&u.nodename),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uname_reads_the_release_proc_reads() {
        let u = uname().expect("uname(2)");
        let proc = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap();
        assert_eq!(u.release, proc.trim());
        assert!(!u.nodename.is_empty());
    }

    /// The action installed for `signo` now.
    fn action(signo: libc::c_int) -> libc::sighandler_t {
        // SAFETY: all-zero is a valid sigaction for sigaction(2) to fill.
        let mut old: libc::sigaction = unsafe { mem::zeroed() };
        // SAFETY: a null new action only reads the current one into `old`.
        let rc = unsafe { libc::sigaction(signo, std::ptr::null(), &mut old) };
        assert_eq!(rc, 0);
        old.sa_sigaction
    }

    /// The only test in the library that touches signal dispositions
    /// (they are process-wide): SIGTERM ignored by the embedding program
    /// is ignored again once the pipe is gone, not reset to the default.
    #[test]
    #[allow(unsafe_code)]
    fn dropping_the_pipe_restores_the_previous_actions() {
        // SAFETY: SIG_IGN is always a valid disposition.
        unsafe { libc::signal(libc::SIGTERM, libc::SIG_IGN) };
        let pipe = SignalPipe::install().unwrap();
        assert_eq!(
            action(libc::SIGTERM),
            on_signal as extern "C" fn(libc::c_int) as usize
        );
        drop(pipe);
        assert_eq!(action(libc::SIGTERM), libc::SIG_IGN);
        // SAFETY: as above.
        unsafe { libc::signal(libc::SIGTERM, libc::SIG_DFL) };
    }
}
