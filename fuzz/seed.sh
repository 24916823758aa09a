#!/usr/bin/env bash
# Seed fuzz/corpus/<target>/ from the real kernel captures in fixtures/*.pcap
# plus a few hand-made edge cases. Each input is stored as corpus/<target>/<sha1>,
# so re-running only adds what is new. Needs python3 (standard library only).
#
#   messages      every datagram, both directions
#   attributes    the attributes of every message (after its fixed header),
#                 and every RTA_MULTIPATH payload
#   decoders      every datagram, and every message as a datagram of its own
#   ext_ack       every NLMSG_ERROR / NLMSG_DONE payload behind a flags byte
#   dump_session  every dump of every capture as a script (nlq::fuzzing::script):
#                 its datagrams as raw steps, seq and port id rewritten to the
#                 scripted transport's (1, 4242)
#   replay        every capture file whole, and cut short after its header
#                 and in the middle of its first record
set -euo pipefail
cd "$(dirname "$0")"
exec python3 - <<'PY'
import glob, hashlib, os, struct

PORT = 4242
counts = {}

def save(target, data):
    d = os.path.join("corpus", target)
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, hashlib.sha1(data).hexdigest())
    if not os.path.exists(path):
        with open(path, "wb") as f:
            f.write(data)
        counts[target] = counts.get(target, 0) + 1

def align4(n):
    return (n + 3) & ~3

def nlmsg(kind, flags, seq, payload, pid=PORT, length=None):
    n = 16 + len(payload) if length is None else length
    m = struct.pack("<IHHII", n, kind, flags, seq, pid) + payload
    return m + b"\0" * (align4(len(m)) - len(m))

def rta(kind, payload, length=None):
    n = 4 + len(payload) if length is None else length
    a = struct.pack("<HH", n, kind) + payload
    return a + b"\0" * (align4(len(a)) - len(a))

def messages(datagram):
    """(offset, nlmsg_len, type, flags) of each well-formed message."""
    at = 0
    while at + 16 <= len(datagram):
        n, kind, flags = struct.unpack_from("<IHH", datagram, at)
        if n < 16 or at + n > len(datagram):
            return
        yield at, n, kind, flags
        at += align4(n)

def records(path):
    """(to_kernel, datagram) of each netlink record of a pcap file."""
    b = open(path, "rb").read()
    e = "<" if struct.unpack("<I", b[:4])[0] in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    at = 24
    while at + 16 <= len(b):
        incl = struct.unpack_from(e + "I", b, at + 8)[0]
        rec = b[at + 16 : at + 16 + incl]
        at += 16 + incl
        pkttype, hatype = struct.unpack_from(">HH", rec)
        if hatype == 824:  # ARPHRD_NETLINK
            yield pkttype == 4, rec[16:]

def retarget(datagram):
    """The datagram with every message's seq and port id set to the script's."""
    d = bytearray(datagram)
    for at, _, _, _ in messages(datagram):
        struct.pack_into("<II", d, at + 8, 1, PORT)
    return bytes(d)

FIXED = {16: 16, 17: 16, 18: 16, 20: 8, 21: 8, 22: 8, 24: 12, 25: 12, 26: 12}
CTRL_FLAGS = [0x100, 0x200, 0x02, 0x10]  # CAPPED, ACK_TLVS, MULTI, DUMP_INTR

def flag_byte(flags):
    return sum(1 << i for i, f in enumerate(CTRL_FLAGS) if flags & f)

def multipath(attrs):
    at = 0
    while at + 4 <= len(attrs):
        n, kind = struct.unpack_from("<HH", attrs, at)
        if n < 4 or at + n > len(attrs):
            return
        if kind & 0x3FFF == 9:  # RTA_MULTIPATH
            yield attrs[at + 4 : at + n]
        at += align4(n)

def from_captures():
    for path in sorted(glob.glob("../fixtures/*.pcap")):
        whole = open(path, "rb").read()
        for cut in (whole, whole[:24], whole[:24 + 16 + 8]):
            save("replay", cut)
        dump = []
        for to_kernel, d in records(path):
            save("messages", d)
            save("decoders", d)
            if to_kernel and dump:
                save_dump(dump)
                dump = []
            if not to_kernel:
                dump.append(retarget(d))
            for at, n, kind, flags in messages(d):
                msg, payload = d[at : at + n], d[at + 16 : at + n]
                save("decoders", msg)
                if kind in FIXED:
                    attrs = payload[align4(FIXED[kind]) :]
                    save("attributes", attrs)
                    for mp in multipath(attrs):
                        save("attributes", mp)
                if kind in (2, 3):
                    save("ext_ack", bytes([flag_byte(flags)]) + payload)
        if dump:
            save_dump(dump)

def raw_steps(datagrams):
    return b"".join(bytes([2]) + struct.pack("<H", len(d)) + d for d in datagrams)

def save_dump(datagrams):
    save("dump_session", bytes([255, 2]) + raw_steps(datagrams))  # held back
    save("dump_session", bytes([0, 2]) + raw_steps(datagrams))  # streamed

def structured(kind_sel, flag_sel, to, payload=b""):
    """One structured message of a script (see nlq::fuzzing::script)."""
    return bytes([kind_sel, flag_sel, to, len(payload)]) + payload

def hand_made():
    ok, intr = struct.pack("<i", 0), 1
    route = structured(7, 0, 1, b"\x02" + b"\0" * 11)
    done = structured(0, 0, 1, ok)
    # dump sessions: success; retried after DUMP_INTR; forged and stray
    # replies first; cut, EINTR, EPERM, EOF; an error with ext-ack.
    save("dump_session", bytes([255, 2, 0, 1]) + route + done)
    save("dump_session", bytes([255, 2, 0, 1]) + structured(7, intr, 1) + done
         + bytes([0, 1]) + structured(7, 0, 2) + structured(0, 0, 2, ok))
    save("dump_session", bytes([0, 0, 1, 1]) + route + done + bytes([0, 1])
         + structured(7, 0, 5) + structured(7, 0, 0x81) + bytes([0, 1]) + route + done)
    save("dump_session", bytes([255, 2, 3, 4, 0, 1]) + structured(7, 0, 2) + structured(0, 0, 2, ok))
    save("dump_session", bytes([1, 1, 0, 0]) + route + bytes([7]))
    save("dump_session", bytes([1, 1, 5]))
    err = struct.pack("<i", -22) + nlmsg(26, 0x301, 1, b"")[:16] + rta(1, b"bad\0")
    save("dump_session", bytes([255, 2, 0, 0]) + structured(1, 2 | 4, 1, err))

    # ext_ack: ERROR with text and offset, an offset outside the request,
    # no NUL, short; DONE of 16 bytes, with -EINVAL and text, positive.
    hdr = nlmsg(26, 0x301, 5, b"", pid=0, length=32)
    ext = rta(1, b"bad x\0") + rta(2, struct.pack("<I", 20))
    save("ext_ack", bytes([3]) + struct.pack("<i", -22) + hdr + ext)
    save("ext_ack", bytes([3]) + struct.pack("<i", -22) + hdr[:16].replace(b"\x20", b"\x14", 1) + ext)
    save("ext_ack", bytes([3]) + struct.pack("<i", -22) + hdr + rta(1, b"no nul"))
    save("ext_ack", bytes([2]) + struct.pack("<i", 0) + hdr + b"\0" * 16 + rta(1, b"warn\0"))
    save("ext_ack", bytes([1]) + struct.pack("<i", -1) + hdr[:15])
    save("ext_ack", bytes([6]))
    save("ext_ack", bytes([6]) + struct.pack("<i", -22) + rta(1, b"no\0"))
    save("ext_ack", bytes([0]) + struct.pack("<i", 7))

    # messages: nlmsg_len 0, 15, past the datagram, 0xFFFFFFFF; unpadded last.
    for n in (0, 15, 64, 0xFFFFFFFF):
        save("messages", nlmsg(16, 2, 1, b"\0" * 16, length=n))
    save("messages", nlmsg(3, 2, 1, b"") + nlmsg(16, 2, 1, b"abc")[:19])

    # attributes: rta_len 0, 1, 3, past the parent, 0xFFFF; a nested list
    # longer than its parent; flag bits; multipath rtnh_len 0, 7, 0xFFFF.
    for n in (0, 1, 3, 12, 0xFFFF):
        save("attributes", rta(3, b"eth0", length=n))
    save("attributes", rta(0x8000 | 18, rta(1, b"x" * 8, length=40)) + rta(0x4000 | 1, b"\x12\xb5"))
    for n in (0, 7, 0xFFFF):
        save("attributes", struct.pack("<HBBI", n, 0, 1, 2) + rta(5, b"\x0a\0\0\x01"))

    # decoders, by first byte (0 route, 1 link, 2 address): RTA_DST of 2
    # bytes and RTA_OIF of 3 for AF_INET; a name without NUL, over 16 bytes,
    # not UTF-8; IFA_LOCAL without IFA_ADDRESS; short fixed headers.
    rtm = bytes([2, 24, 0, 0, 254, 4, 0, 1, 0, 0, 0, 0])
    save("decoders", bytes([0]) + rtm + rta(1, b"\x0a\0") + rta(4, b"\1\0\0"))
    ifi = bytes([0, 0, 1, 0]) + struct.pack("<iII", 7, 0x1003, 0)
    save("decoders", bytes([1]) + ifi + rta(3, b"a-very-long-interface-name"))
    save("decoders", bytes([1]) + ifi + rta(3, b"\xff\xfe\0"))
    ifa = bytes([2, 24, 0, 0]) + struct.pack("<I", 7)
    save("decoders", bytes([2]) + ifa + rta(2, b"\x0a\0\0\x01"))
    for pick, short in ((0, 11), (1, 15), (2, 7)):
        save("decoders", bytes([pick]) + b"\0" * short)

from_captures()
hand_made()
for target, n in sorted(counts.items()):
    print(f"{target}: {n} new")
if not counts:
    print("nothing new: the corpus already holds every seed")
PY
