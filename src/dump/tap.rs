//! A transport with an observer: everything goes to the wrapped transport
//! unchanged, and the observer sees each request sent and each datagram
//! received. `--capture` records a session this way; tests and the floor
//! benchmark count or disturb one without writing a transport of their own.

use std::io;

use super::Transport;
use crate::sock::Recv;

/// Watches a transport's traffic. Both methods do nothing by default; an
/// error from either ends the exchange with that error.
pub trait Observer {
    /// `request` is about to be sent.
    fn sent(&mut self, _request: &[u8]) -> io::Result<()> {
        Ok(())
    }

    /// A datagram arrived: `datagram` is what the buffer holds of it (less
    /// than `got.len` bytes when it was cut), `got` its real size and sender.
    fn received(&mut self, _datagram: &[u8], _got: Recv) -> io::Result<()> {
        Ok(())
    }

    /// The kernel said it dropped events here (ENOBUFS).
    fn lost(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// `inner`, watched by `observer`.
#[derive(Debug)]
pub struct Tap<T, O> {
    /// The transport that does the work.
    pub inner: T,
    /// What watches it.
    pub observer: O,
}

impl<T: Transport, O: Observer> Transport for Tap<T, O> {
    fn port_id(&self) -> u32 {
        self.inner.port_id()
    }
    fn next_seq(&mut self) -> u32 {
        self.inner.next_seq()
    }
    fn strict(&self) -> bool {
        self.inner.strict()
    }
    fn send(&mut self, request: &[u8]) -> io::Result<()> {
        self.observer.sent(request)?;
        self.inner.send(request)
    }
    fn subscribe(&mut self, groups: &[u32], join: bool) -> io::Result<()> {
        self.inner.subscribe(groups, join)
    }
    fn recv(&mut self, buf: &mut Vec<u8>) -> io::Result<Recv> {
        let got = match self.inner.recv(buf) {
            Err(e) if e.raw_os_error() == Some(libc::ENOBUFS) => {
                self.observer.lost()?;
                return Err(e);
            }
            got => got?,
        };
        self.observer
            .received(&buf[..got.len.min(buf.len())], got)?;
        Ok(got)
    }
}

#[cfg(test)]
mod tests {
    use super::super::script::{Scripted, Step};
    use super::*;

    #[derive(Default)]
    struct Count {
        sent: usize,
        bytes: Vec<usize>,
    }

    impl Observer for Count {
        fn sent(&mut self, _: &[u8]) -> io::Result<()> {
            self.sent += 1;
            Ok(())
        }
        fn received(&mut self, datagram: &[u8], got: Recv) -> io::Result<()> {
            assert_eq!(datagram.len(), got.len.min(64));
            self.bytes.push(got.len);
            Ok(())
        }
    }

    #[test]
    fn observes_without_changing_anything() {
        let script = Scripted::new([
            Step::Datagram {
                sender: 0,
                bytes: vec![1; 20],
            },
            Step::Cut(100),
        ]);
        let mut t = Tap {
            inner: script,
            observer: Count::default(),
        };
        t.send(&[0; 16]).unwrap();
        let mut buf = vec![0; 64];
        assert_eq!(t.recv(&mut buf).unwrap(), Recv { len: 20, sender: 0 });
        assert_eq!(t.recv(&mut buf).unwrap().len, 100);
        assert_eq!((t.observer.sent, t.observer.bytes), (1, vec![20, 100]));
        assert_eq!(t.inner.sent, vec![vec![0; 16]]);
    }
}
