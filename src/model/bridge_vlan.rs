//! A bridge port's VLAN table (`bridge vlan show`, `bridge vlan
//! tunnelshow`): [`PortVlans`], decoded from one AF_BRIDGE RTM_NEWLINK
//! message dumped with RTEXT_FILTER_BRVLAN(_COMPRESSED).
//!
//! IFLA_AF_SPEC holds a list of IFLA_BRIDGE_VLAN_INFO entries and
//! IFLA_BRIDGE_VLAN_TUNNEL_INFO nests, in the kernel's order; a range is
//! sent as two entries, RANGE_BEGIN then RANGE_END, folded here into one
//! as iproute2 6.1's `print_vlan_info` does. An entry of the wrong size is
//! skipped on its own; a malformed attribute ends the walk, keeping what
//! came before.

use crate::wire::Error as WireError;
use crate::wire::attr::{Attr, AttrIndex, Attrs};
use crate::wire::bridge::*;
use crate::wire::ifinfomsg::{
    IFLA_AF_SPEC, IFLA_IFNAME, IFLA_MASTER, IFLA_MAX, IfInfoMsg, RTM_NEWLINK,
};
use crate::wire::nlmsg::NlMsg;

/// One port's (or the bridge's own) VLANs and VLAN-to-tunnel mappings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PortVlans {
    /// The port's interface index (ifi_index).
    pub ifindex: u32,
    /// The port's name (IFLA_IFNAME).
    pub name: Option<String>,
    /// The bridge the port belongs to (IFLA_MASTER); `None` for the
    /// bridge itself, which the kernel sends as its own master.
    pub master: Option<u32>,
    /// The VLANs, in the kernel's order (IFLA_BRIDGE_VLAN_INFO).
    pub vlans: Vec<VlanRange>,
    /// The VLAN-to-tunnel-id mappings of a VXLAN port with `vlan_tunnel
    /// on` (IFLA_BRIDGE_VLAN_TUNNEL_INFO).
    pub tunnels: Vec<TunnelRange>,
}

/// One VLAN, or a range of VLANs with the same flags.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct VlanRange {
    /// First VLAN id (bridge_vlan_info.vid of the range's first entry).
    pub vid: u16,
    /// Last VLAN id; `vid` for a single VLAN (bridge_vlan_info.vid).
    pub vid_end: u16,
    /// The last entry's flags, BRIDGE_VLAN_INFO_* (bridge_vlan_info.flags).
    pub flags: u16,
}

impl VlanRange {
    /// The port's PVID: untagged frames in join it (BRIDGE_VLAN_INFO_PVID).
    pub fn pvid(&self) -> bool {
        self.flags & BRIDGE_VLAN_INFO_PVID != 0
    }
    /// Frames leave untagged (BRIDGE_VLAN_INFO_UNTAGGED).
    pub fn untagged(&self) -> bool {
        self.flags & BRIDGE_VLAN_INFO_UNTAGGED != 0
    }
}

/// VLANs mapped one to one onto tunnel ids (VNIs), `vid..=vid_end` onto
/// `id..=id_end`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct TunnelRange {
    /// First VLAN id (IFLA_BRIDGE_VLAN_TUNNEL_VID).
    pub vid: u16,
    /// Last VLAN id (IFLA_BRIDGE_VLAN_TUNNEL_VID of the range's end).
    pub vid_end: u16,
    /// First tunnel id (IFLA_BRIDGE_VLAN_TUNNEL_ID).
    pub id: u32,
    /// Last tunnel id (IFLA_BRIDGE_VLAN_TUNNEL_ID of the range's end).
    pub id_end: u32,
}

impl TunnelRange {
    /// The tunnel id VLAN `vid` maps to, if it is in this range.
    pub fn id_of(&self, vid: u16) -> Option<u32> {
        (self.vid..=self.vid_end)
            .contains(&vid)
            .then(|| self.id.wrapping_add(u32::from(vid - self.vid)))
    }
}

impl PortVlans {
    /// Decode an AF_BRIDGE RTM_NEWLINK message: `Ok(None)` for another
    /// message type or family, an error for a payload too short for
    /// `struct ifinfomsg`.
    pub fn try_from_msg(msg: &NlMsg<&[u8]>) -> Result<Option<PortVlans>, WireError> {
        if msg.kind() != RTM_NEWLINK {
            return Ok(None);
        }
        let hdr = IfInfoMsg::new_checked(msg.payload())?;
        if hdr.family() != AF_BRIDGE {
            return Ok(None);
        }
        Ok(Some(PortVlans::decode(&hdr)))
    }

    /// Decode a checked AF_BRIDGE `ifinfomsg` and its attributes. Never
    /// panics.
    pub fn decode<T: AsRef<[u8]>>(hdr: &IfInfoMsg<T>) -> PortVlans {
        let tb = AttrIndex::<IFLA_MAX>::parse(hdr.attr_bytes());
        let mut port = PortVlans {
            ifindex: hdr.index(),
            name: tb
                .get(IFLA_IFNAME)
                .and_then(|a| a.str().ok())
                .map(str::to_string),
            master: tb
                .get(IFLA_MASTER)
                .and_then(|a| a.u32().ok())
                .filter(|&m| m != hdr.index()),
            ..PortVlans::default()
        };
        if let Some(spec) = tb.get(IFLA_AF_SPEC) {
            port.read_spec(spec);
        }
        port
    }

    /// Whether there is anything to show: `bridge vlan show` leaves a port
    /// without VLANs out.
    pub fn is_empty(&self) -> bool {
        self.vlans.is_empty() && self.tunnels.is_empty()
    }

    /// Keep only the VLANs and tunnel mappings whose range holds `vid`, as
    /// `bridge vlan show vid VID` prints them (`filter_vlan_check`).
    pub fn retain_vid(&mut self, vid: u16) {
        self.vlans.retain(|v| (v.vid..=v.vid_end).contains(&vid));
        self.tunnels.retain(|t| (t.vid..=t.vid_end).contains(&vid));
    }

    /// Walk IFLA_AF_SPEC's entries, folding ranges.
    fn read_spec(&mut self, spec: Attr<'_>) {
        let (mut vid_start, mut tun_start) = (0u16, 0u32);
        let mut tunnel_vid_start = 0u16;
        for attr in Attrs::new(spec.payload()).map_while(Result::ok) {
            match attr.kind() {
                IFLA_BRIDGE_VLAN_INFO => {
                    let Ok(b) = attr.fixed::<4>() else { continue };
                    let flags = u16::from_ne_bytes([b[0], b[1]]);
                    let vid = u16::from_ne_bytes([b[2], b[3]]);
                    if flags & BRIDGE_VLAN_INFO_RANGE_END == 0 {
                        vid_start = vid;
                    }
                    if flags & BRIDGE_VLAN_INFO_RANGE_BEGIN == 0 {
                        let vid = vid.max(vid_start);
                        self.vlans.push(VlanRange {
                            vid: vid_start,
                            vid_end: vid,
                            flags,
                        });
                    }
                }
                IFLA_BRIDGE_VLAN_TUNNEL_INFO => {
                    let Some((vid, id, flags)) = tunnel_entry(attr) else {
                        continue;
                    };
                    if flags & BRIDGE_VLAN_INFO_RANGE_END == 0 {
                        (tunnel_vid_start, tun_start) = (vid, id);
                    }
                    if flags & BRIDGE_VLAN_INFO_RANGE_BEGIN == 0 {
                        self.tunnels.push(TunnelRange {
                            vid: tunnel_vid_start,
                            vid_end: vid.max(tunnel_vid_start),
                            id: tun_start,
                            id_end: id.max(tun_start),
                        });
                    }
                }
                _ => {}
            }
        }
    }
}

/// One IFLA_BRIDGE_VLAN_TUNNEL_INFO nest: (vid, tunnel id, flags); `None`
/// without a VLAN id, which `bridge` skips too; a missing id or flags is 0.
fn tunnel_entry(attr: Attr<'_>) -> Option<(u16, u32, u16)> {
    let t = AttrIndex::<IFLA_BRIDGE_VLAN_TUNNEL_MAX>::parse(attr.payload());
    let vid = t.get(IFLA_BRIDGE_VLAN_TUNNEL_VID)?.u16().ok()?;
    let id = t.get(IFLA_BRIDGE_VLAN_TUNNEL_ID).and_then(|a| a.u32().ok());
    let flags = t
        .get(IFLA_BRIDGE_VLAN_TUNNEL_FLAGS)
        .and_then(|a| a.u16().ok());
    Some((vid, id.unwrap_or(0), flags.unwrap_or(0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An AF_BRIDGE ifinfomsg for index 3, then IFLA_IFNAME and IFLA_MASTER.
    #[rustfmt::skip]
    const HEAD: [u8; 16 + 8 + 8] = [
        7, 0, 1, 0,     // AF_BRIDGE, pad, ARPHRD_ETHER
        3, 0, 0, 0,     // ifi_index = 3
        0, 0, 0, 0,     // ifi_flags
        0, 0, 0, 0,     // ifi_change
        7, 0, 3, 0, b'v', b'0', 0, 0, // IFLA_IFNAME = "v0"
        8, 0, 10, 0, 4, 0, 0, 0,      // IFLA_MASTER = 4
    ];

    fn with_spec(spec: &[u8]) -> PortVlans {
        let mut b = HEAD.to_vec();
        b.extend_from_slice(&((4 + spec.len()) as u16).to_ne_bytes());
        b.extend_from_slice(&(IFLA_AF_SPEC | 0x8000).to_ne_bytes());
        b.extend_from_slice(spec);
        PortVlans::decode(&IfInfoMsg::new_checked(&b[..]).unwrap())
    }

    #[test]
    fn single_vlans_and_their_flags() {
        #[rustfmt::skip]
        let p = with_spec(&[
            8, 0, 2, 0, 0, 0, 10, 0,  // VLAN_INFO: flags 0, vid 10
            8, 0, 2, 0, 6, 0, 20, 0,  // VLAN_INFO: PVID|UNTAGGED, vid 20
        ]);
        assert_eq!(
            (p.ifindex, p.name.as_deref(), p.master),
            (3, Some("v0"), Some(4))
        );
        assert_eq!(p.vlans.len(), 2);
        assert_eq!(
            (p.vlans[0].vid, p.vlans[0].vid_end, p.vlans[0].flags),
            (10, 10, 0)
        );
        assert!(p.vlans[1].pvid() && p.vlans[1].untagged());
    }

    #[test]
    fn a_range_is_folded_with_the_end_entrys_flags() {
        #[rustfmt::skip]
        let p = with_spec(&[
            8, 0, 2, 0, 8, 0, 10, 0,   // VLAN_INFO: RANGE_BEGIN, vid 10
            8, 0, 2, 0, 16, 0, 12, 0,  // VLAN_INFO: RANGE_END, vid 12
        ]);
        assert_eq!(
            p.vlans,
            [VlanRange {
                vid: 10,
                vid_end: 12,
                flags: 16
            }]
        );
    }

    #[test]
    fn retain_vid_keeps_the_ranges_that_hold_it() {
        #[rustfmt::skip]
        let mut p = with_spec(&[
            8, 0, 2, 0, 0, 0, 1, 0,    // VLAN_INFO: vid 1
            8, 0, 2, 0, 8, 0, 10, 0,   // VLAN_INFO: RANGE_BEGIN, vid 10
            8, 0, 2, 0, 16, 0, 12, 0,  // VLAN_INFO: RANGE_END, vid 12
        ]);
        p.retain_vid(11);
        assert_eq!(
            (p.vlans.len(), p.vlans[0].vid, p.vlans[0].vid_end),
            (1, 10, 12)
        );
        p.retain_vid(13);
        assert!(p.is_empty());
    }

    #[test]
    fn tunnel_ranges_map_vlans_onto_ids() {
        #[rustfmt::skip]
        let p = with_spec(&[
            28, 0, 3, 0x80,             // TUNNEL_INFO nest:
                8, 0, 1, 0, 0xe8, 3, 0, 0, //   TUNNEL_ID = 1000
                6, 0, 2, 0, 100, 0, 0, 0,  //   TUNNEL_VID = 100
                6, 0, 3, 0, 8, 0, 0, 0,    //   TUNNEL_FLAGS = RANGE_BEGIN
            28, 0, 3, 0x80,
                8, 0, 1, 0, 0xea, 3, 0, 0, //   TUNNEL_ID = 1002
                6, 0, 2, 0, 102, 0, 0, 0,  //   TUNNEL_VID = 102
                6, 0, 3, 0, 16, 0, 0, 0,   //   TUNNEL_FLAGS = RANGE_END
        ]);
        let t = p.tunnels[0];
        assert_eq!((t.vid, t.vid_end, t.id, t.id_end), (100, 102, 1000, 1002));
        assert_eq!((t.id_of(101), t.id_of(103)), (Some(1001), None));
    }

    #[test]
    fn a_short_entry_is_skipped_and_a_bad_length_ends_the_walk() {
        #[rustfmt::skip]
        let p = with_spec(&[
            6, 0, 2, 0, 0, 0, 0, 0,    // VLAN_INFO of 2 bytes: skipped
            8, 0, 2, 0, 0, 0, 30, 0,   // VLAN_INFO: vid 30
            12, 0, 3, 0x80, 6, 0, 2, 0, 1, 0, 0, 0, // a tunnel nest without id: id 0
            64, 0, 2, 0, 0, 0, 40, 0,  // a length past the end
        ]);
        assert_eq!(p.vlans.len(), 1);
        assert_eq!(p.vlans[0].vid, 30);
        assert_eq!(p.tunnels[0].id, 0);
    }

    #[test]
    fn other_families_are_not_bridge_vlans() {
        let mut b = vec![16 + 16, 0, 0, 0, 16, 0, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0];
        b.extend_from_slice(&[0u8; 16]); // AF_UNSPEC ifinfomsg
        let msg = NlMsg::new_checked(&b[..]).unwrap();
        assert_eq!(PortVlans::try_from_msg(&msg), Ok(None));
    }
}
