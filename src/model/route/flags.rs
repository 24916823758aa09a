//! Route and nexthop flags (rtm_flags, rtnh_flags) and their names:
//! RTNH_F_* and RTM_F_* (linux/rtnetlink.h), and the RTCF_* cache flags of
//! IPv4 cloned routes (linux/in_route.h).

use crate::wire::rtmsg::RTM_F_CLONED;

/// Nexthop flag: dead (RTNH_F_DEAD).
pub const RTNH_F_DEAD: u32 = 0x1;
/// Nexthop flag: pervasive (RTNH_F_PERVASIVE).
pub const RTNH_F_PERVASIVE: u32 = 0x2;
/// Nexthop flag: gateway is forced on link (RTNH_F_ONLINK).
pub const RTNH_F_ONLINK: u32 = 0x4;
/// Nexthop flag: offloaded (RTNH_F_OFFLOAD).
pub const RTNH_F_OFFLOAD: u32 = 0x8;
/// Nexthop flag: carrier down (RTNH_F_LINKDOWN).
pub const RTNH_F_LINKDOWN: u32 = 0x10;
/// Nexthop flag: unresolved (RTNH_F_UNRESOLVED).
pub const RTNH_F_UNRESOLVED: u32 = 0x20;
/// Nexthop flag: trapped (RTNH_F_TRAP).
pub const RTNH_F_TRAP: u32 = 0x40;
/// Route flag: notify on change (RTM_F_NOTIFY).
pub const RTM_F_NOTIFY: u32 = 0x100;
/// Route flag: offloaded (RTM_F_OFFLOAD).
pub const RTM_F_OFFLOAD: u32 = 0x4000;
/// Route flag: trapped (RTM_F_TRAP).
pub const RTM_F_TRAP: u32 = 0x8000;
/// Route flag: offload failed (RTM_F_OFFLOAD_FAILED).
pub const RTM_F_OFFLOAD_FAILED: u32 = 0x2000_0000;

/// The flags `ip` prints in `"flags"`, in its order (print_rt_flags).
pub const IP_FLAG_NAMES: [(u32, &str); 11] = [
    (RTNH_F_DEAD, "dead"),
    (RTNH_F_ONLINK, "onlink"),
    (RTNH_F_PERVASIVE, "pervasive"),
    (RTNH_F_OFFLOAD, "offload"),
    (RTNH_F_TRAP, "trap"),
    (RTM_F_NOTIFY, "notify"),
    (RTNH_F_LINKDOWN, "linkdown"),
    (RTNH_F_UNRESOLVED, "unresolved"),
    (RTM_F_OFFLOAD, "rt_offload"),
    (RTM_F_TRAP, "rt_trap"),
    (RTM_F_OFFLOAD_FAILED, "rt_offload_failed"),
];

/// Further RTM_F_* flags nlq names (`ip` shows none of them in "flags").
pub const MORE_FLAG_NAMES: [(u32, &str); 5] = [
    (RTM_F_CLONED, "cloned"),
    (0x400, "equalize"),
    (0x800, "prefix"),
    (0x1000, "lookup_table"),
    (0x2000, "fib_match"),
];

/// RTCF_* cache flags of IPv4 cloned routes (rtm_flags & ~0xFFFF), in
/// `ip`'s order (print_cache_flags).
pub const CACHE_FLAG_NAMES: [(u32, &str); 14] = [
    (0x8000_0000, "local"),
    (0x4000_0000, "reject"),
    (0x2000_0000, "mc"),
    (0x1000_0000, "brd"),
    (0x0800_0000, "dst-nat"),
    (0x0080_0000, "src-nat"),
    (0x0040_0000, "masq"),
    (0x0002_0000, "dst-direct"),
    (0x0400_0000, "src-direct"),
    (0x0004_0000, "redirected"),
    (0x0100_0000, "redirect"),
    (0x0020_0000, "fastroute"),
    (0x0001_0000, "notify"),
    (0x0008_0000, "proxy"),
];
