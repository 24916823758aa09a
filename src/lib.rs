//! nlq: read a Linux machine's network state over rtnetlink.
//!
//! Data flows one way: CLI → request → socket or replay source → wire views
//! → model → render. [`wire`] is the codec (pure, zero-copy, checked),
//! `sock` the only `unsafe`, `dump` the kernel's dump contract, `model` the
//! owned objects every renderer sees.

pub mod dump;
pub mod names;
pub mod pcap;
pub mod sock;
pub mod wire;
