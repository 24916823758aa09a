//! The blocking `AF_NETLINK` socket: with [`crate::sys`], the only
//! `unsafe` in nlq.
//!
//! The socket binds with `nl_pid = 0` so the kernel assigns the port id,
//! asks for extended ACKs, capped ACKs and strict checking (each tolerated
//! when the kernel is too old to know it), sends requests to the kernel
//! (port 0) and reports the real size and sender of every datagram it
//! receives, so callers never lose a truncated datagram silently and can
//! drop datagrams that did not come from the kernel.
//!
//! For `nlq monitor` it also holds multicast group membership
//! (NETLINK_ADD_MEMBERSHIP, which reaches groups above 31 that the bind
//! mask cannot) and a forced receive buffer (SO_RCVBUFFORCE). `poll(2)`,
//! the signal self-pipe and the clock live in [`crate::sys`].

use std::io;
use std::mem;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd};

/// Netlink protocol of the routing subsystem (NETLINK_ROUTE).
pub const NETLINK_ROUTE: i32 = 0;
/// Netlink protocol of generic netlink (NETLINK_GENERIC).
pub const NETLINK_GENERIC: i32 = 16;

const SOL_NETLINK: i32 = 270;
const NETLINK_CAP_ACK: i32 = 10;
const NETLINK_EXT_ACK: i32 = 11;
const NETLINK_GET_STRICT_CHK: i32 = 12;
/// Join a multicast group by number (linux/netlink.h).
const NETLINK_ADD_MEMBERSHIP: i32 = 1;

/// What one receive delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recv {
    /// The datagram's real length; larger than the buffer if it was cut.
    pub len: usize,
    /// Sender's port id: 0 for the kernel.
    pub sender: u32,
}

impl Recv {
    /// Whether the datagram was longer than the buffer it was read into.
    pub fn truncated(&self, buf_len: usize) -> bool {
        self.len > buf_len
    }
}

/// A blocking netlink socket bound to a kernel-assigned port id.
///
/// Not `Clone`: it owns the file descriptor and closes it on drop.
#[derive(Debug)]
pub struct Socket {
    fd: OwnedFd,
    port_id: u32,
    protocol: i32,
    strict: bool,
}

impl Socket {
    /// Open and bind a socket of `protocol` (NETLINK_ROUTE, NETLINK_GENERIC).
    ///
    /// The kernel assigns the port id. A request goes to the kernel with
    /// [`Socket::send`]; [`Socket::recv`] says who sent the answer and how
    /// long it really was:
    ///
    /// ```
    /// use nlq::sock::{NETLINK_ROUTE, Socket};
    /// use nlq::wire::ifinfomsg::{IfInfoMsgRepr, RTM_GETLINK};
    /// use nlq::wire::nlmsg::{Messages, NLM_F_REQUEST, RequestBuilder};
    ///
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let sock = Socket::open(NETLINK_ROUTE)?;
    /// assert_ne!(sock.port_id(), 0);
    /// // One link, by index: loopback is 1 in every namespace.
    /// let lo = IfInfoMsgRepr { index: 1, ..Default::default() };
    /// let mut buf = [0u8; 32];
    /// let request = RequestBuilder::new(&mut buf, RTM_GETLINK, NLM_F_REQUEST, 1)
    ///     .fixed(&lo.emit())
    ///     .finish()?;
    /// sock.send(request)?;
    /// let mut answer = vec![0u8; 32 << 10];
    /// let got = sock.recv(&mut answer)?;
    /// assert_eq!(got.sender, 0, "from the kernel");
    /// assert!(!got.truncated(answer.len()));
    /// let first = Messages::new(&answer[..got.len]).next().unwrap()?;
    /// assert_eq!(first.seq(), 1);
    /// # Ok(())
    /// # }
    /// ```
    pub fn open(protocol: i32) -> io::Result<Socket> {
        // SAFETY: socket(2) with constant arguments; the result is checked
        // before it is wrapped, and OwnedFd becomes its only owner.
        let raw = unsafe {
            libc::socket(
                libc::AF_NETLINK,
                libc::SOCK_RAW | libc::SOCK_CLOEXEC,
                protocol,
            )
        };
        if raw < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `raw` is a fresh, valid descriptor that nothing else owns.
        let fd = unsafe { OwnedFd::from_raw_fd(raw) };
        let mut sock = Socket {
            fd,
            port_id: 0,
            protocol,
            strict: false,
        };
        sock.bind()?;
        // Extended ACK text and capped ACKs are courtesies: old kernels lack them.
        let _ = sock.set_opt(SOL_NETLINK, NETLINK_EXT_ACK, 1);
        let _ = sock.set_opt(SOL_NETLINK, NETLINK_CAP_ACK, 1);
        sock.strict = sock.set_opt(SOL_NETLINK, NETLINK_GET_STRICT_CHK, 1).is_ok();
        Ok(sock)
    }

    /// Open a socket of `protocol` inside the network namespace `netns`
    /// (an open `/run/netns/NAME` or `/proc/PID/ns/net`): this thread
    /// enters it, opens the socket, and returns to its own namespace. The
    /// socket stays in `netns` for its whole life; nothing else changes.
    pub fn open_in(protocol: i32, netns: BorrowedFd<'_>) -> Result<Socket, NetnsError> {
        let home = std::fs::File::open("/proc/thread-self/ns/net").map_err(NetnsError::Home)?;
        set_netns(netns).map_err(NetnsError::Enter)?;
        let sock = Socket::open(protocol);
        // Back home before anything else, whatever the socket did.
        set_netns(home.as_fd()).map_err(NetnsError::Return)?;
        sock.map_err(NetnsError::Socket)
    }

    /// The port id the kernel assigned at bind time (nl_pid).
    pub fn port_id(&self) -> u32 {
        self.port_id
    }

    /// The netlink protocol this socket speaks.
    pub fn protocol(&self) -> i32 {
        self.protocol
    }

    /// Whether the kernel accepted NETLINK_GET_STRICT_CHK (dump filtering).
    pub fn strict(&self) -> bool {
        self.strict
    }

    /// Set the receive buffer size (SO_RCVBUF; the kernel doubles it).
    pub fn set_recv_buffer(&self, bytes: usize) -> io::Result<()> {
        let bytes = i32::try_from(bytes).unwrap_or(i32::MAX);
        self.set_opt(libc::SOL_SOCKET, libc::SO_RCVBUF, bytes)
    }

    /// Set the receive buffer size past the `rmem_max` limit
    /// (SO_RCVBUFFORCE, needs CAP_NET_ADMIN), falling back to SO_RCVBUF.
    pub fn force_recv_buffer(&self, bytes: usize) -> io::Result<()> {
        let value = i32::try_from(bytes).unwrap_or(i32::MAX);
        self.set_opt(libc::SOL_SOCKET, libc::SO_RCVBUFFORCE, value)
            .or_else(|_| self.set_recv_buffer(bytes))
    }

    /// The receive buffer size the kernel granted (SO_RCVBUF), in bytes.
    pub fn recv_buffer(&self) -> io::Result<usize> {
        let mut value: i32 = 0;
        let mut len = mem::size_of::<i32>() as libc::socklen_t;
        // SAFETY: `value` and `len` describe a writable i32.
        let rc = unsafe {
            libc::getsockopt(
                self.fd.as_raw_fd(),
                libc::SOL_SOCKET,
                libc::SO_RCVBUF,
                (&mut value as *mut i32).cast(),
                &mut len,
            )
        };
        if rc < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(usize::try_from(value).unwrap_or(0))
    }

    /// Join multicast group `group` (RTNLGRP_*): events of that group are
    /// then delivered to this socket.
    pub fn join_group(&self, group: u32) -> io::Result<()> {
        let group =
            i32::try_from(group).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
        self.set_opt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, group)
    }

    /// Leave multicast group `group`: no more of its events are queued
    /// (those already queued stay).
    pub fn leave_group(&self, group: u32) -> io::Result<()> {
        let group =
            i32::try_from(group).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
        self.set_opt(SOL_NETLINK, libc::NETLINK_DROP_MEMBERSHIP, group)
    }

    /// Join (`join`) or leave multicast `groups`. Joining also grows the
    /// receive buffer to `rcvbuf` bytes (past net.core.rmem_max with
    /// CAP_NET_ADMIN, else up to it), so a burst of events does not
    /// overrun it while a dump is read between them.
    pub fn subscribe(&self, groups: &[u32], join: bool, rcvbuf: usize) -> io::Result<()> {
        if join && self.force_recv_buffer(rcvbuf).is_err() {
            self.set_recv_buffer(rcvbuf)?;
        }
        for &g in groups {
            match join {
                true => self.join_group(g)?,
                false => self.leave_group(g)?,
            }
        }
        Ok(())
    }

    /// Send one request datagram to the kernel, retrying on EINTR.
    pub fn send(&self, buf: &[u8]) -> io::Result<()> {
        let addr = kernel_addr();
        loop {
            // SAFETY: `buf` is valid for `buf.len()` bytes; `addr` is a
            // properly initialised sockaddr_nl whose size is passed with it.
            let n = unsafe {
                libc::sendto(
                    self.fd.as_raw_fd(),
                    buf.as_ptr().cast(),
                    buf.len(),
                    0,
                    (&addr as *const libc::sockaddr_nl).cast(),
                    mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t,
                )
            };
            if n >= 0 {
                return Ok(());
            }
            let err = io::Error::last_os_error();
            if err.kind() != io::ErrorKind::Interrupted {
                return Err(err);
            }
        }
    }

    /// Receive one datagram into `buf`, retrying on EINTR.
    ///
    /// MSG_TRUNC makes the kernel report the datagram's real length, so a
    /// datagram longer than `buf` shows as `len > buf.len()`: the caller
    /// must treat its contents as lost (the dump loop grows the buffer and
    /// restarts the dump).
    pub fn recv(&self, buf: &mut [u8]) -> io::Result<Recv> {
        loop {
            // SAFETY: all-zero is a valid sockaddr_nl.
            let mut addr: libc::sockaddr_nl = unsafe { mem::zeroed() };
            let mut addr_len = mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t;
            // SAFETY: `buf` is valid for writes of `buf.len()` bytes; `addr`
            // and `addr_len` describe a writable sockaddr_nl.
            let n = unsafe {
                libc::recvfrom(
                    self.fd.as_raw_fd(),
                    buf.as_mut_ptr().cast(),
                    buf.len(),
                    libc::MSG_TRUNC,
                    (&mut addr as *mut libc::sockaddr_nl).cast(),
                    &mut addr_len,
                )
            };
            if n >= 0 {
                return Ok(Recv {
                    len: n as usize,
                    sender: addr.nl_pid,
                });
            }
            let err = io::Error::last_os_error();
            if err.kind() != io::ErrorKind::Interrupted {
                return Err(err);
            }
        }
    }

    fn bind(&mut self) -> io::Result<()> {
        let mut addr = kernel_addr();
        let mut len = mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t;
        // SAFETY: `addr` is a valid sockaddr_nl of the size passed.
        let rc = unsafe {
            libc::bind(
                self.fd.as_raw_fd(),
                (&addr as *const libc::sockaddr_nl).cast(),
                len,
            )
        };
        if rc < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `addr` and `len` describe a writable sockaddr_nl.
        let rc = unsafe {
            libc::getsockname(
                self.fd.as_raw_fd(),
                (&mut addr as *mut libc::sockaddr_nl).cast(),
                &mut len,
            )
        };
        if rc < 0 {
            return Err(io::Error::last_os_error());
        }
        self.port_id = addr.nl_pid;
        Ok(())
    }

    fn set_opt(&self, level: i32, name: i32, value: i32) -> io::Result<()> {
        // SAFETY: `value` is a live i32 and its size is passed with it.
        let rc = unsafe {
            libc::setsockopt(
                self.fd.as_raw_fd(),
                level,
                name,
                (&value as *const i32).cast(),
                mem::size_of::<i32>() as libc::socklen_t,
            )
        };
        if rc < 0 {
            Err(io::Error::last_os_error())
        } else {
            Ok(())
        }
    }
}

impl AsFd for Socket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

/// Why a socket could not be opened in another network namespace.
#[derive(Debug, thiserror::Error)]
pub enum NetnsError {
    /// This thread's own namespace could not be opened to return to.
    #[error("cannot open this thread's network namespace: {0}")]
    Home(io::Error),
    /// setns(2) into the namespace failed: EINVAL for a file that is not a
    /// network namespace, EPERM without CAP_SYS_ADMIN.
    #[error("cannot enter the network namespace: {0}")]
    Enter(io::Error),
    /// The socket could not be opened inside the namespace.
    #[error("cannot open a netlink socket in the network namespace: {0}")]
    Socket(io::Error),
    /// setns(2) back home failed (the thread is still in the namespace).
    #[error("cannot return from the network namespace: {0}")]
    Return(io::Error),
}

/// Run `f` with this thread inside the network namespace `netns`, then
/// return home (for per-namespace files such as /proc/thread-self/net/igmp,
/// which show the namespace of the thread that reads them).
pub fn in_netns<R>(netns: BorrowedFd<'_>, f: impl FnOnce() -> R) -> Result<R, NetnsError> {
    let home = std::fs::File::open("/proc/thread-self/ns/net").map_err(NetnsError::Home)?;
    set_netns(netns).map_err(NetnsError::Enter)?;
    let result = f();
    set_netns(home.as_fd()).map_err(NetnsError::Return)?;
    Ok(result)
}

/// Move this thread into the network namespace `fd` (setns(2)).
fn set_netns(fd: BorrowedFd<'_>) -> io::Result<()> {
    // SAFETY: setns(2) on a descriptor the caller keeps open for the call;
    // CLONE_NEWNET makes the kernel refuse anything but a network namespace.
    let rc = unsafe { libc::setns(fd.as_raw_fd(), libc::CLONE_NEWNET) };
    if rc < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

/// The kernel's address: AF_NETLINK, port 0, no groups.
fn kernel_addr() -> libc::sockaddr_nl {
    // SAFETY: all-zero is a valid sockaddr_nl; the family is set below.
    let mut addr: libc::sockaddr_nl = unsafe { mem::zeroed() };
    addr.nl_family = libc::AF_NETLINK as libc::sa_family_t;
    addr
}
