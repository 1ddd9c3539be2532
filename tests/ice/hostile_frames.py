# SPDX-License-Identifier: BSD-3-Clause
"""
Frames for hostile.py, built by hand (struct, hmac, zlib): Ethernet, IPv4/IPv6
with correct checksums (so the box looks past them), and the payloads an
attacker on the internet would try against an ICE-lite media port: STUN
Binding requests that fail authentication in different ways, DTLS records
and ClientHellos, SRTP with a real stream's header, garbage, ICMPv6 and ARP.
"""
import hashlib
import hmac
import ipaddress
import os
import random
import struct
import zlib

ETH_IPV4, ETH_IPV6, ETH_ARP = 0x0800, 0x86DD, 0x0806
STUN_COOKIE = 0x2112A442


def mac_bytes(mac):
    return bytes(int(x, 16) for x in mac.split(":"))


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def eth(dst, src, ethertype, payload):
    return mac_bytes(dst) + mac_bytes(src) + struct.pack("!H", ethertype) + payload


def ipv4_udp(src, dst, sport, dport, payload):
    s, d = ipaddress.IPv4Address(src).packed, ipaddress.IPv4Address(dst).packed
    ulen = 8 + len(payload)
    ucs = csum(s + d + struct.pack("!BBH", 0, 17, ulen) + struct.pack("!HHHH", sport, dport, ulen, 0)
               + payload) or 0xffff
    udp = struct.pack("!HHHH", sport, dport, ulen, ucs) + payload
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + ulen, random.getrandbits(16), 0x4000, 64, 17,
                      0, s, d)
    return hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:] + udp


def ipv6_icmp6(src, dst, icmp, hop_limit=64):
    s, d = ipaddress.IPv6Address(src).packed, ipaddress.IPv6Address(dst).packed
    pseudo = s + d + struct.pack("!IxxxB", len(icmp), 58)
    icmp = icmp[:2] + struct.pack("!H", csum(pseudo + icmp[:2] + b"\0\0" + icmp[4:])) + icmp[4:]
    return struct.pack("!IHBB", 6 << 28, len(icmp), 58, hop_limit) + s + d + icmp


# ---- STUN (RFC 8489) ----

def _stun_attr(t, v):
    return struct.pack("!HH", t, len(v)) + v + b"\0" * (-len(v) % 4)


def stun_binding(username, key=None, use_candidate=True, fingerprint=True):
    """A Binding request like a controlling ICE agent's (RFC 8445 7.1.1): USERNAME,
    PRIORITY, ICE-CONTROLLING, USE-CANDIDATE, then MESSAGE-INTEGRITY keyed with key
    (none when key is None) and FINGERPRINT."""
    attrs = _stun_attr(0x0006, username.encode())
    attrs += _stun_attr(0x0024, struct.pack("!I", 0x6E7F1EFF))
    attrs += _stun_attr(0x802A, os.urandom(8))
    if use_candidate:
        attrs += _stun_attr(0x0025, b"")
    tid = os.urandom(12)

    def header(extra):
        return struct.pack("!HHI", 0x0001, len(attrs) + extra, STUN_COOKIE) + tid

    if key is not None:
        mac = hmac.new(key, header(24) + attrs, hashlib.sha1).digest()
        attrs += _stun_attr(0x0008, mac)
    if fingerprint:
        crc = (zlib.crc32(header(8) + attrs) ^ 0x5354554E) & 0xffffffff
        attrs += _stun_attr(0x8028, struct.pack("!I", crc))
    return header(0) + attrs


# ---- DTLS (RFC 6347) ----

def dtls_record(ctype, body, epoch=0, seq=0):
    return struct.pack("!BHH", ctype, 0xFEFD, epoch) + seq.to_bytes(6, "big") + \
        struct.pack("!H", len(body)) + body


def dtls_random_record():
    """A record header that parses (type 20-23, DTLS 1.2, a consistent length), random body."""
    return dtls_record(random.choice((20, 21, 22, 23)), os.urandom(random.randint(1, 300)),
                       epoch=random.getrandbits(16), seq=random.getrandbits(48))


def dtls_client_hello():
    """A well-formed DTLS 1.2 ClientHello offering use_srtp, as a browser's first flight."""
    exts = b""
    exts += struct.pack("!HHH", 0x000A, 4, 2) + struct.pack("!H", 0x0017)        # groups: P-256
    exts += struct.pack("!HHB", 0x000B, 2, 1) + b"\0"                           # ec_point_formats
    exts += struct.pack("!HHH", 0x000D, 4, 2) + struct.pack("!H", 0x0403)       # sig algs
    exts += struct.pack("!HHH", 0x000E, 5, 2) + struct.pack("!H", 0x0001) + b"\0"  # use_srtp
    exts += struct.pack("!HH", 0xFF01, 1) + b"\0"                               # reneg info
    suites = struct.pack("!HH", 0xC02B, 0xC02F)
    hello = struct.pack("!H", 0xFEFD) + os.urandom(32) + b"\0" + b"\0" + \
        struct.pack("!H", len(suites)) + suites + b"\x01\x00" + struct.pack("!H", len(exts)) + exts
    n = len(hello)
    hs = struct.pack("!B", 1) + n.to_bytes(3, "big") + struct.pack("!H", 0) + \
        (0).to_bytes(3, "big") + n.to_bytes(3, "big") + hello
    return dtls_record(22, hs, seq=random.getrandbits(16))


# ---- RTP / garbage ----

def rtp(pt, seq, ts, ssrc, payload, marker=False):
    return struct.pack("!BBHII", 0x80, pt | (0x80 if marker else 0), seq & 0xffff,
                       ts & 0xffffffff, ssrc) + payload


def srtp_like(pt, seq, ts, ssrc):
    """An SRTP packet as the stream's next one would look: its header, an opus-sized
    encrypted payload and a 10-byte tag (HMAC-SHA1-80) that cannot verify."""
    return rtp(pt, seq, ts, ssrc, os.urandom(random.randint(40, 120)) + os.urandom(10))


GARBAGE_FIRST = list(range(4, 16)) + list(range(80, 128)) + list(range(192, 256))


def garbage():
    """First byte in no RFC 7983 range, or a lone byte of any kind."""
    if random.random() < 0.2:
        return bytes([random.getrandbits(8)])
    return bytes([random.choice(GARBAGE_FIRST)]) + os.urandom(random.randint(0, 400))


# ---- ICMPv6, ARP ----

def icmp6_echo():
    return struct.pack("!BBHHH", 128, 0, 0, random.getrandbits(16), 1) + os.urandom(56)


def icmp6_ns(target, src_mac):
    return struct.pack("!BBHI", 135, 0, 0, 0) + ipaddress.IPv6Address(target).packed + \
        struct.pack("!BB", 1, 1) + mac_bytes(src_mac)


def icmp6_na(target, mac):
    """Solicited, override: the answer of a host that owns target."""
    return struct.pack("!BBHI", 136, 0, 0, 0x60000000) + ipaddress.IPv6Address(target).packed + \
        struct.pack("!BB", 2, 1) + mac_bytes(mac)


def solicited_node(addr):
    a = ipaddress.IPv6Address(addr).packed
    return str(ipaddress.IPv6Address(bytes.fromhex("ff0200000000000000000001ff") + a[13:]))


def arp(op, sha, spa, tha, tpa):
    return struct.pack("!HHBBH", 1, 0x0800, 6, 4, op) + mac_bytes(sha) + \
        ipaddress.IPv4Address(spa).packed + mac_bytes(tha) + ipaddress.IPv4Address(tpa).packed
