//! `struct fib_rule_hdr`: the policy routing rule header (RTM_NEWRULE /
//! RTM_GETRULE), with the FRA_* attribute types, FR_ACT_* actions and
//! FIB_RULE_* flags of linux/fib_rules.h.
//!
//! ```text
//!  0        1         2         3     4       5      6      7        8              12
//!  +--------+---------+---------+-----+-------+------+------+--------+--------------+
//!  | family | dst_len | src_len | tos | table | res1 | res2 | action |    flags     |
//!  +--------+---------+---------+-----+-------+------+------+--------+--------------+
//! ```
//!
//! The layout is the first twelve bytes of `struct rtmsg` with protocol,
//! scope and type renamed (iproute2 reads rules through `struct rtmsg`
//! too); `action` sits where rtmsg has `rtm_type`.

use super::{Error, ne_u32, need};

/// New rule / rule dump reply (RTM_NEWRULE, linux/rtnetlink.h).
pub const RTM_NEWRULE: u16 = 32;
/// Rule deleted (RTM_DELRULE).
pub const RTM_DELRULE: u16 = 33;
/// Rule dump request (RTM_GETRULE).
pub const RTM_GETRULE: u16 = 34;

/// Destination address (FRA_DST).
pub const FRA_DST: u16 = 1;
/// Source address (FRA_SRC).
pub const FRA_SRC: u16 = 2;
/// Input interface name, NUL-terminated (FRA_IIFNAME, alias FRA_IFNAME).
pub const FRA_IIFNAME: u16 = 3;
/// Target priority of a goto rule, u32 (FRA_GOTO).
pub const FRA_GOTO: u16 = 4;
/// Unused; iproute2 reads it as RTA_GATEWAY of a NAT rule (FRA_UNUSED2).
pub const FRA_UNUSED2: u16 = 5;
/// Priority / preference, u32; absent for 0 (FRA_PRIORITY).
pub const FRA_PRIORITY: u16 = 6;
/// Firewall mark, u32 (FRA_FWMARK).
pub const FRA_FWMARK: u16 = 10;
/// Realms, u32: from << 16 | to (FRA_FLOW).
pub const FRA_FLOW: u16 = 11;
/// Tunnel id, u64 in network byte order (FRA_TUN_ID).
pub const FRA_TUN_ID: u16 = 12;
/// Interface group whose routes are suppressed, u32; -1 for none
/// (FRA_SUPPRESS_IFGROUP).
pub const FRA_SUPPRESS_IFGROUP: u16 = 13;
/// Prefix length up to which routes are suppressed, u32; -1 for none
/// (FRA_SUPPRESS_PREFIXLEN).
pub const FRA_SUPPRESS_PREFIXLEN: u16 = 14;
/// 32-bit table id, wins over the 8-bit header field (FRA_TABLE).
pub const FRA_TABLE: u16 = 15;
/// Mask for the firewall mark, u32 (FRA_FWMASK).
pub const FRA_FWMASK: u16 = 16;
/// Output interface name, NUL-terminated (FRA_OIFNAME).
pub const FRA_OIFNAME: u16 = 17;
/// Alignment padding for FRA_TUN_ID (FRA_PAD).
pub const FRA_PAD: u16 = 18;
/// Look up the table of the l3mdev (VRF) device, u8 (FRA_L3MDEV).
pub const FRA_L3MDEV: u16 = 19;
/// `struct fib_rule_uid_range` (FRA_UID_RANGE).
pub const FRA_UID_RANGE: u16 = 20;
/// Who added the rule, RTPROT_*, u8 (FRA_PROTOCOL).
pub const FRA_PROTOCOL: u16 = 21;
/// IP protocol number, u8 (FRA_IP_PROTO).
pub const FRA_IP_PROTO: u16 = 22;
/// Source port range, `struct fib_rule_port_range` (FRA_SPORT_RANGE).
pub const FRA_SPORT_RANGE: u16 = 23;
/// Destination port range, `struct fib_rule_port_range` (FRA_DPORT_RANGE).
pub const FRA_DPORT_RANGE: u16 = 24;
/// One past the highest FRA_* type nlq indexes (__FRA_MAX).
pub const FRA_MAX: usize = 25;

/// No action (FR_ACT_UNSPEC).
pub const FR_ACT_UNSPEC: u8 = 0;
/// Look up a table (FR_ACT_TO_TBL).
pub const FR_ACT_TO_TBL: u8 = 1;
/// Jump to another rule (FR_ACT_GOTO).
pub const FR_ACT_GOTO: u8 = 2;
/// Do nothing (FR_ACT_NOP).
pub const FR_ACT_NOP: u8 = 3;
/// Drop silently (FR_ACT_BLACKHOLE).
pub const FR_ACT_BLACKHOLE: u8 = 6;
/// Drop with ENETUNREACH (FR_ACT_UNREACHABLE).
pub const FR_ACT_UNREACHABLE: u8 = 7;
/// Drop with EACCES (FR_ACT_PROHIBIT).
pub const FR_ACT_PROHIBIT: u8 = 8;

/// The rule cannot be deleted (FIB_RULE_PERMANENT).
pub const FIB_RULE_PERMANENT: u32 = 0x01;
/// The selector is inverted: `not` (FIB_RULE_INVERT).
pub const FIB_RULE_INVERT: u32 = 0x02;
/// A goto rule whose target does not exist (FIB_RULE_UNRESOLVED).
pub const FIB_RULE_UNRESOLVED: u32 = 0x04;
/// The input interface does not exist (FIB_RULE_IIF_DETACHED).
pub const FIB_RULE_IIF_DETACHED: u32 = 0x08;
/// The output interface does not exist (FIB_RULE_OIF_DETACHED).
pub const FIB_RULE_OIF_DETACHED: u32 = 0x10;
/// Try to find a source address in route lookups (FIB_RULE_FIND_SADDR).
pub const FIB_RULE_FIND_SADDR: u32 = 0x10000;

mod field {
    pub const FAMILY: usize = 0;
    pub const DST_LEN: usize = 1;
    pub const SRC_LEN: usize = 2;
    pub const TOS: usize = 3;
    pub const TABLE: usize = 4;
    pub const RES1: usize = 5;
    pub const RES2: usize = 6;
    pub const ACTION: usize = 7;
    pub const FLAGS: core::ops::Range<usize> = 8..12;
}

/// Size of `struct fib_rule_hdr`.
pub const FIB_RULE_HDR_LEN: usize = field::FLAGS.end;

/// A rule message payload: `struct fib_rule_hdr` then FRA_* attributes.
#[derive(Debug, Clone, Copy)]
pub struct FibRuleHdr<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> FibRuleHdr<T> {
    /// Wrap a payload nlq built itself.
    pub fn new_unchecked(buffer: T) -> Self {
        FibRuleHdr { buffer }
    }

    /// Wrap an untrusted payload; rejects one shorter than
    /// `struct fib_rule_hdr` (12 bytes).
    pub fn new_checked(buffer: T) -> Result<Self, Error> {
        need("fib_rule_hdr", buffer.as_ref(), FIB_RULE_HDR_LEN)?;
        Ok(FibRuleHdr { buffer })
    }

    fn byte(&self, at: usize) -> u8 {
        self.buffer.as_ref()[at]
    }

    /// Address family: AF_INET, AF_INET6, RTNL_FAMILY_IPMR, ... (family).
    pub fn family(&self) -> u8 {
        self.byte(field::FAMILY)
    }

    /// Destination prefix length, in bits (dst_len).
    pub fn dst_len(&self) -> u8 {
        self.byte(field::DST_LEN)
    }

    /// Source prefix length, in bits (src_len).
    pub fn src_len(&self) -> u8 {
        self.byte(field::SRC_LEN)
    }

    /// TOS / DS field byte to match, 0 for any (tos).
    pub fn tos(&self) -> u8 {
        self.byte(field::TOS)
    }

    /// Table id, 8 bits; RT_TABLE_COMPAT (252) when FRA_TABLE holds a
    /// larger one (table).
    pub fn table(&self) -> u8 {
        self.byte(field::TABLE)
    }

    /// Reserved, 0 (res1).
    pub fn res1(&self) -> u8 {
        self.byte(field::RES1)
    }

    /// Reserved, 0 (res2).
    pub fn res2(&self) -> u8 {
        self.byte(field::RES2)
    }

    /// What the rule does, FR_ACT_* (action).
    pub fn action(&self) -> u8 {
        self.byte(field::ACTION)
    }

    /// FIB_RULE_* flags (flags).
    pub fn flags(&self) -> u32 {
        ne_u32(self.buffer.as_ref(), field::FLAGS.start)
    }

    /// The attribute bytes after the fixed header.
    pub fn attr_bytes(&self) -> &[u8] {
        &self.buffer.as_ref()[FIB_RULE_HDR_LEN..]
    }
}

/// The fields of a `struct fib_rule_hdr` to put in a request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FibRuleHdrRepr {
    /// family.
    pub family: u8,
    /// dst_len.
    pub dst_len: u8,
    /// src_len.
    pub src_len: u8,
    /// tos.
    pub tos: u8,
    /// table.
    pub table: u8,
    /// action.
    pub action: u8,
    /// flags.
    pub flags: u32,
}

impl FibRuleHdrRepr {
    /// The header as bytes, in host byte order (res1 and res2 zero).
    pub fn emit(&self) -> [u8; FIB_RULE_HDR_LEN] {
        let mut b = [0u8; FIB_RULE_HDR_LEN];
        b[field::FAMILY] = self.family;
        b[field::DST_LEN] = self.dst_len;
        b[field::SRC_LEN] = self.src_len;
        b[field::TOS] = self.tos;
        b[field::TABLE] = self.table;
        b[field::ACTION] = self.action;
        b[field::FLAGS].copy_from_slice(&self.flags.to_ne_bytes());
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[rustfmt::skip]
    const RULE: [u8; 12 + 8] = [
        10,             // family = AF_INET6
        64,             // dst_len
        32,             // src_len
        0x28,           // tos = AF11
        252,            // table = RT_TABLE_COMPAT
        0, 0,           // res1, res2
        1,              // action = FR_ACT_TO_TBL
        0x0a, 0, 0, 0,  // flags = FIB_RULE_INVERT | FIB_RULE_IIF_DETACHED
        8, 0, 15, 0,    // rta_len 8, FRA_TABLE
        0xa0, 0x0f, 0, 0, // = 4000
    ];

    #[test]
    fn reads_fields() {
        let h = FibRuleHdr::new_checked(&RULE[..]).unwrap();
        assert_eq!(
            (h.family(), h.dst_len(), h.src_len(), h.tos(), h.table()),
            (10, 64, 32, 0x28, 252)
        );
        assert_eq!((h.res1(), h.res2(), h.action()), (0, 0, FR_ACT_TO_TBL));
        assert_eq!(h.flags(), FIB_RULE_INVERT | FIB_RULE_IIF_DETACHED);
        assert_eq!(h.attr_bytes(), &RULE[12..]);
    }

    #[test]
    fn rejects_short_payload() {
        assert_eq!(
            FibRuleHdr::new_checked(&RULE[..11]).unwrap_err(),
            Error::Truncated {
                what: "fib_rule_hdr",
                need: 12,
                have: 11
            }
        );
        let bare = FibRuleHdr::new_checked(&RULE[..12]).unwrap();
        assert!(bare.attr_bytes().is_empty());
    }

    #[test]
    fn emit_round_trips() {
        let repr = FibRuleHdrRepr {
            family: 2,
            dst_len: 24,
            src_len: 8,
            tos: 0x10,
            table: 254,
            action: FR_ACT_GOTO,
            flags: FIB_RULE_UNRESOLVED,
        };
        let b = repr.emit();
        #[rustfmt::skip]
        assert_eq!(b, [
            2, 24, 8, 0x10, // family AF_INET, dst_len, src_len, tos
            254, 0, 0, 2,   // table main, res1, res2, action FR_ACT_GOTO
            4, 0, 0, 0,     // flags = FIB_RULE_UNRESOLVED
        ]);
        let v = FibRuleHdr::new_checked(&b[..]).unwrap();
        assert_eq!((v.family(), v.action(), v.flags()), (2, 2, 4));
        assert_eq!(FibRuleHdrRepr::default().emit(), [0; 12], "a dump request");
    }
}
