# SPDX-License-Identifier: BSD-3-Clause
"""Shared helpers for the e2ae tests: SRTP profiles (pylibsrtp), RTP/RTCP
packet builders, pcap I/O. Run with /usr/bin/python3 (Debian's scapy and
pylibsrtp)."""
import base64
import os
import random
import struct

from pylibsrtp import Policy, Session

# name as srtpfwd spells it -> (libsrtp profile id, key+salt bytes, RTP tag, SRTCP tag)
# libsrtp's srtp_profile_null_sha1_80 is 5; pylibsrtp exposes no constant for
# it, but passes the integer straight to srtp_crypto_policy_set_from_profile_*.
PROFILES = {
    "AES_CM_128_HMAC_SHA1_80": (Policy.SRTP_PROFILE_AES128_CM_SHA1_80, 30, 10, 10),
    "AES_CM_128_HMAC_SHA1_32": (Policy.SRTP_PROFILE_AES128_CM_SHA1_32, 30, 4, 10),
    "AEAD_AES_128_GCM": (Policy.SRTP_PROFILE_AEAD_AES_128_GCM, 28, 16, 16),
    "AEAD_AES_256_GCM": (Policy.SRTP_PROFILE_AEAD_AES_256_GCM, 44, 16, 16),
    "NULL_HMAC_SHA1_80": (5, 30, 10, 10),
}


def null_profile_usable():
    """True when libsrtp under pylibsrtp accepts profile 5 (null cipher, HMAC-SHA1-80)."""
    try:
        k = os.urandom(30)
        s = Session(Policy(key=k, ssrc_type=Policy.SSRC_ANY_OUTBOUND, srtp_profile=5))
        pkt = rtp(1, 1, 1, b"plaintext")
        out = s.protect(pkt)
        # null cipher: payload in clear, 10-byte tag
        return out[:len(pkt)] == pkt and len(out) == len(pkt) + 10
    except Exception:
        return False


def new_key(profile, rng=None):
    n = PROFILES[profile][1]
    return bytes(rng.getrandbits(8) for _ in range(n)) if rng else os.urandom(n)


def inline(profile, key):
    return "%s:inline:%s" % (profile, base64.b64encode(key).decode())


def sender(profile, key):
    return Session(Policy(key=key, ssrc_type=Policy.SSRC_ANY_OUTBOUND,
                          srtp_profile=PROFILES[profile][0]))


def receiver(profile, key):
    p = Policy(key=key, ssrc_type=Policy.SSRC_ANY_INBOUND, srtp_profile=PROFILES[profile][0])
    p.window_size = 1024
    return Session(p)


def rtp(ssrc, seq, ts, payload, pt=96, marker=0, csrcs=(), ext=None):
    """RTP header (RFC 3550) + payload; ext = (profile, bytes multiple of 4)."""
    b0 = 0x80 | (0x10 if ext else 0) | len(csrcs)
    hdr = struct.pack("!BBHII", b0, (marker << 7) | pt, seq & 0xFFFF, ts & 0xFFFFFFFF, ssrc)
    for c in csrcs:
        hdr += struct.pack("!I", c)
    if ext:
        prof, data = ext
        hdr += struct.pack("!HH", prof, len(data) // 4) + data
    return hdr + payload


def rtcp_compound(ssrc, rng, sr=True):
    """SR (or RR) with 0..2 report blocks, then SDES CNAME: a valid compound."""
    nblocks = rng.randint(0, 2)
    if sr:
        body = struct.pack("!IIIII", ssrc, rng.getrandbits(32), rng.getrandbits(32),
                           rng.getrandbits(32), rng.getrandbits(32)) + \
            struct.pack("!I", rng.getrandbits(32))
        pt = 200
    else:
        body = struct.pack("!I", ssrc)
        pt = 201
    for _ in range(nblocks):
        body += bytes(rng.getrandbits(8) for _ in range(24))
    first = struct.pack("!BBH", 0x80 | nblocks, pt, len(body) // 4) + body
    cname = b"e2ae-%08x@test" % ssrc
    item = struct.pack("!BB", 1, len(cname)) + cname + b"\x00"
    item += b"\x00" * ((-(4 + len(item))) % 4)
    chunk = struct.pack("!I", ssrc) + item
    sdes = struct.pack("!BBH", 0x81, 202, len(chunk) // 4) + chunk
    return first + sdes


# ---- pcap (classic libpcap format, Ethernet) ----

def write_pcap(path, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", 1700000000 + i // 1000000, i % 1000000, len(fr), len(fr)))
            f.write(fr)


def read_pcap(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        raise ValueError("%s: not a pcap file (%d bytes)" % (path, len(data)))
    magic = struct.unpack("<I", data[:4])[0]
    if magic in (0xA1B2C3D4, 0xA1B23C4D):
        endian = "<"
    elif magic in (0xD4C3B2A1, 0x4D3CB2A1):
        endian = ">"
    else:
        raise ValueError("%s: bad pcap magic %08x" % (path, magic))
    off, out = 24, []
    while off + 16 <= len(data):
        _, _, incl, _ = struct.unpack(endian + "IIII", data[off:off + 16])
        off += 16
        out.append(data[off:off + incl])
        off += incl
    return out


def udp_frame(src_mac, dst_mac, sip, sport, dip, dport, payload):
    from scapy.all import Ether, IP, UDP, Raw
    return bytes(Ether(src=src_mac, dst=dst_mac) / IP(src=sip, dst=dip, ttl=64, id=random.getrandbits(16)) /
                 UDP(sport=sport, dport=dport) / Raw(load=payload))


def check_udp_frame(fr):
    """(ok, detail, parsed): IPv4 header and UDP checksums recomputed with scapy."""
    from scapy.all import Ether, IP, UDP
    p = Ether(fr)
    if IP not in p or UDP not in p:
        return False, "not IPv4/UDP", p
    ip_ck, udp_ck = p[IP].chksum, p[UDP].chksum
    q = p.copy()
    del q[IP].chksum
    del q[UDP].chksum
    q = Ether(bytes(q))
    if q[IP].chksum != ip_ck:
        return False, "IP checksum %04x, expected %04x" % (ip_ck, q[IP].chksum), p
    if udp_ck != q[UDP].chksum:
        return False, "UDP checksum %04x, expected %04x" % (udp_ck, q[UDP].chksum), p
    if p[IP].len != len(fr) - 14 or p[UDP].len != p[IP].len - 4 * p[IP].ihl:
        return False, "IP/UDP length fields inconsistent", p
    return True, "", p
