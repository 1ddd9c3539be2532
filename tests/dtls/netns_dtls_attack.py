#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
The attacker of netns_dtls.sh, run inside namespace A (ip netns exec), plain
sockets only. Addresses are IPv4 "IP:PORT"; every wait is bounded.

  netns_dtls_attack.py capture BIND OUT SECONDS
      Wait on UDP BIND for the first datagram (an openssl s_client's first
      ClientHello, without a cookie) and write it to OUT.
  netns_dtls_attack.py spoof SRC DST WHAT [COUNT]
      Send COUNT (1) UDP datagrams from the spoofed source SRC to DST through
      a raw socket. WHAT: a file (its bytes), "junk-hello" (a DTLS handshake
      record of epoch 0 holding handshake type client_hello and random
      bytes: ClientHello-shaped, but none) or "junk" (first byte 32: DTLS
      to the RFC 7983 demux, but no DTLS record at all).
  netns_dtls_attack.py sniff IFACE FROM TO SECONDS
      Count the IPv4 UDP datagrams from FROM to TO seen on IFACE for SECONDS
      (an AF_PACKET socket: also those for addresses no one here owns).
      Prints "answers N bytes B first_type T" (T: the first record's content
      type and handshake type, e.g. 22/3 for a HelloVerifyRequest).
  netns_dtls_attack.py half-open BIND DST HELLO SECONDS
      From UDP BIND send the ClientHello in file HELLO; answer a
      HelloVerifyRequest once with the same ClientHello carrying its cookie
      (message_seq 1), as a real client does; then say nothing more and
      listen for SECONDS. Prints "hvr N other M" (datagrams received).
"""
import os
import random
import select
import socket
import struct
import sys
import time


def endpoint(s):
    ip, port = s.rsplit(":", 1)
    return ip, int(port)


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def udp_ipv4(src, dst, payload):
    (sip, sport), (dip, dport) = src, dst
    s, d = socket.inet_aton(sip), socket.inet_aton(dip)
    length = 8 + len(payload)
    pseudo = s + d + struct.pack("!BBH", 0, 17, length)
    udp = struct.pack("!HHHH", sport, dport, length, 0) + payload
    c = csum(pseudo + udp) or 0xFFFF
    udp = udp[:6] + struct.pack("!H", c) + udp[8:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + length, random.randrange(1, 65535), 0, 64,
                     17, 0, s, d)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return ip + udp


def record(ctype, epoch, body):
    return struct.pack("!BBBH", ctype, 0xFE, 0xFD, epoch) + b"\0\0\0\0\0\1" + \
        struct.pack("!H", len(body)) + body


def payload_of(what, rng):
    if what == "junk-hello":
        # Handshake header type 1 with lengths that add up to nothing sane.
        return record(22, 0, b"\x01" + bytes(rng.randrange(256) for _ in range(99)))
    if what == "junk":
        return record(32, 0, bytes(rng.randrange(256) for _ in range(80)))
    with open(what, "rb") as f:
        return f.read()


def received(sock, secs):
    """What sock receives for secs seconds (recvfrom results), then nothing more."""
    end = time.time() + float(secs)
    while True:
        left = end - time.time()
        if left <= 0:
            return
        r, _, _ = select.select([sock], [], [], left)
        if r:
            yield sock.recvfrom(65535)


def cmd_capture(bind, out, secs):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(endpoint(bind))
    s.settimeout(float(secs))
    data, _ = s.recvfrom(4096)
    with open(out, "wb") as f:
        f.write(data)
    print("captured %d bytes" % len(data))


def cmd_spoof(src, dst, what, count="1"):
    rng = random.Random(os.getpid())
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    d = endpoint(dst)
    for _ in range(int(count)):
        pkt = udp_ipv4(endpoint(src), d, payload_of(what, rng))
        s.sendto(pkt, (d[0], 0))
    print("sent %s x%s" % (what, count))


def cmd_sniff(iface, frm, to, secs):
    (fip, fport), (tip, tport) = endpoint(frm), endpoint(to)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
    s.bind((iface, 0))
    n = size = 0
    first = "-"
    for frame, addr in received(s, secs):
        if addr[2] == socket.PACKET_OUTGOING or len(frame) < 42 or frame[12:14] != b"\x08\x00":
            continue
        ip = frame[14:]
        ihl = (ip[0] & 15) * 4
        if ip[9] != 17 or socket.inet_ntoa(ip[12:16]) != fip or socket.inet_ntoa(ip[16:20]) != tip:
            continue
        sport, dport, ulen = struct.unpack("!HHH", ip[ihl:ihl + 6])
        if sport != fport or dport != tport:
            continue
        n += 1
        size += ulen - 8
        pl = ip[ihl + 8:]
        if first == "-" and len(pl) > 13:
            first = "%d/%d" % (pl[0], pl[13])
    print("answers %d bytes %d first_type %s" % (n, size, first))


def with_cookie(ch, cookie):
    """The ClientHello again: the cookie in, message_seq 1, record sequence + 1."""
    body = ch[25:]
    sid = body[34]
    at = 35 + sid
    old = body[at]
    body = body[:at] + bytes([len(cookie)]) + cookie + body[at + 1 + old:]
    hs = bytes([1]) + len(body).to_bytes(3, "big") + struct.pack("!H", 1) + b"\0\0\0" + \
        len(body).to_bytes(3, "big")
    seq = int.from_bytes(ch[5:11], "big") + 1
    return ch[:5] + seq.to_bytes(6, "big") + struct.pack("!H", len(hs) + len(body)) + hs + body


def cmd_half_open(bind, dst, hello, secs):
    with open(hello, "rb") as f:
        ch = f.read()
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(endpoint(bind))
    s.sendto(ch, endpoint(dst))
    hvr = other = 0
    for data, _ in received(s, secs):
        if len(data) > 27 and data[0] == 22 and data[13] == 3 and hvr == 0:
            hvr += 1
            s.sendto(with_cookie(ch, data[28:28 + data[27]]), endpoint(dst))
        else:
            other += 1
    print("hvr %d other %d" % (hvr, other))


def main():
    cmds = {"capture": cmd_capture, "spoof": cmd_spoof, "sniff": cmd_sniff,
            "half-open": cmd_half_open}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds:
        print(__doc__)
        return 2
    cmds[sys.argv[1]](*sys.argv[2:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
