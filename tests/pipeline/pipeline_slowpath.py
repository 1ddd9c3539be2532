#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
Pipeline tests of the slow path under attack: captures in and out through
net_pcap, one worker lcore, the real binary (pipeline_e2e.py's Run).

Scenarios (--only NAME,...):
  arp_dtls_flood  100k one-byte DTLS datagrams to a DTLS-SRTP leg, from many
                  source ports, with 100 ARP requests for the box's address
                  (from 100 on-link hosts) spread among them: >= 95 ARP
                  replies, each to its host; the flood limited by the DTLS
                  and per-source budgets (punt_rate_dtls/_source counted).
  arp_icmp6_flood the same with 100k ICMPv6 echo requests to the box: dropped
                  on the worker (icmp6_other 100000, no echo reply), >= 95
                  ARP replies.
  neigh_fill      a small neighbour table (neigh-max 16, 5 static); 200
                  spoofed on-link IPv6 sources each send a ClientHello the
                  DTLS endpoint refuses (no shared cipher: it fails, the next
                  source takes over, an alert to each). Then a genuine
                  on-link source latches an e2e learning leg: its packets
                  are forwarded, neigh_table_full stays 0, and no spoofed
                  address is probed more than neigh-probes (3) times.
  martians        sources that are the box's own addresses, a subnet
                  broadcast, IPv4-mapped: dropped before any lookup and
                  counted (src_martian, ipv6_source), nothing forwarded, no
                  latch; session add with such remotes: one-line errors.

Each fails on the code before per-class punt budgets, worker-side ICMPv6
filtering, neighbour pins and martian checks (checked against it).
Prints "pipeline-slowpath: N passed, M failed"; exit status 1 on any failure.
usage: pipeline_slowpath.py SRTPFWD [--only NAME,...] [--keep]
"""
import os
import re
import socket
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
sys.path.insert(0, HERE)
from checks import result  # noqa: E402
import pipeline_e2e  # noqa: E402
from pipeline_e2e import (ACC4, ACC4_PEER, ACC6, ACC6_PEER, ACC_MAC, ACC_PEER_MAC,  # noqa: E402
                          CORE4, CORE4_PEER, CORE6, CORE6_PEER, Run, acc_in, config, rtp)
from scapy.all import ARP, Ether, ICMPv6EchoRequest, IPv6, Raw  # noqa: E402

FLOOD = 100000
N_ARP = 100


def fingerprint(rng):
    return ":".join("%02X" % rng.getrandbits(8) for _ in range(32))


def arp_request(i):
    """Host i (198.18.0.100+i, its own MAC) asks who has the box's access address."""
    mac = "02:00:00:00:0a:%02x" % i
    return bytes(Ether(src=mac, dst="ff:ff:ff:ff:ff:ff") /
                 ARP(op=1, hwsrc=mac, psrc="198.18.0.%d" % (100 + i), pdst=ACC4)), mac


def interleave(flood, extra):
    """extra spread evenly through flood (first one after the first stretch)."""
    out, step = [], len(flood) // (len(extra) + 1)
    for i, fr in enumerate(extra):
        out.extend(flood[i * step:(i + 1) * step])
        out.append(fr)
    out.extend(flood[len(extra) * step:])
    return out


def arp_replies(run):
    """{requesting MAC: replies to it} among the ARP replies for ACC4 leaving access."""
    got = {}
    for fr in run.all_tx(0):
        if fr[12:14] != b"\x08\x06" or fr[20:22] != b"\x00\x02":
            continue
        if socket.inet_ntoa(fr[28:32]) != ACC4:
            continue
        mac = ":".join("%02x" % b for b in fr[0:6])
        got[mac] = got.get(mac, 0) + 1
    return got


def check_arp(name, run, macs):
    if not run.ok:
        result(name, False, run.problem)
        return
    got = arp_replies(run)
    answered = sum(1 for m in macs if got.get(m, 0) == 1)
    extra = sum(v for m, v in got.items() if m not in macs or v > 1)
    result(name, answered >= 95 and extra == 0,
           "%d of %d ARP requests answered once, %d unexpected replies; drops %s" % (
               answered, len(macs), extra,
               {k: v for k, v in run.drops.items() if k.startswith(("punt", "arp", "icmp"))}))


def sc_arp_dtls_flood(rng):
    cmds = ["session add e2ae access 20400 core 30400 a-dtls=passive a-fingerprint=sha-256:%s "
            "b-remote=%s:6400" % (fingerprint(rng), CORE4_PEER)]
    # One template, the source port patched (UDP checksum 0: allowed on IPv4).
    tmpl = bytearray(acc_in(ACC4_PEER, 1024, 20400, b"\x16", udp_cksum=0))
    flood = []
    for i in range(FLOOD):
        struct.pack_into("!H", tmpl, 34, 1024 + i % 20000)
        flood.append(bytes(tmpl))
    reqs = [arp_request(i) for i in range(N_ARP)]
    run = Run("arp-dtls-flood", cmds, interleave(flood, [r for r, _ in reqs]), [], duration=3)
    check_arp("arp under a DTLS flood: >= 95 of 100 ARP requests answered", run,
              [m for _, m in reqs])
    limited = run.drops.get("punt_rate_dtls", 0) + run.drops.get("punt_rate_source", 0)
    result("arp under a DTLS flood: the flood limited by its own budgets (punt_rate_dtls/_source)",
           run.ok and limited > FLOOD // 2 and run.drops.get("punt_rate_arp_nd", 0) == 0,
           "drops %s" % {k: v for k, v in run.drops.items() if k.startswith("punt")})
    run.cleanup()


def sc_arp_icmp6_flood(rng):
    echo = bytes(Ether(src=ACC_PEER_MAC, dst=ACC_MAC) / IPv6(src=ACC6_PEER, dst=ACC6) /
                 ICMPv6EchoRequest(id=7, seq=1, data=b"x" * 16))
    reqs = [arp_request(i) for i in range(N_ARP)]
    run = Run("arp-icmp6-flood", [], interleave([echo] * FLOOD, [r for r, _ in reqs]), [],
              duration=3)
    check_arp("arp under an ICMPv6 echo flood: >= 95 of 100 ARP requests answered", run,
              [m for _, m in reqs])
    v6_out = [fr for fr in run.all_tx(0) if fr[12:14] == b"\x86\xdd"]
    result("icmpv6 echo flood: all dropped on the worker (icmp6_other %d), never answered" % FLOOD,
           run.ok and run.drops.get("icmp6_other", 0) == FLOOD and not v6_out and
           run.lcores.get("worker 0", {}).get("punted", -1) <= N_ARP,
           "icmp6_other %d, %d IPv6 frames out, worker %s" % (
               run.drops.get("icmp6_other", 0), len(v6_out), run.lcores.get("worker 0")))
    run.cleanup()


def client_hello_no_shared_cipher(rng):
    """A well-formed DTLS 1.2 ClientHello offering only TLS_NULL_WITH_NULL_NULL."""
    body = struct.pack("!H", 0xFEFD) + bytes(rng.getrandbits(8) for _ in range(32))
    body += b"\x00" + b"\x00" + struct.pack("!HH", 2, 0x0000) + b"\x01\x00"
    hs = struct.pack("!B", 1) + len(body).to_bytes(3, "big") + struct.pack("!H", 0) + \
        (0).to_bytes(3, "big") + len(body).to_bytes(3, "big") + body
    return struct.pack("!BHHHIH", 22, 0xFEFF, 0, 0, 0, len(hs)) + hs


def ns_targets(run):
    """{target: NS frames for it} leaving access (the box's probes)."""
    got = {}
    for fr in run.all_tx(0):
        p = Ether(fr)
        if IPv6 in p and p[IPv6].nh == 58 and len(bytes(p[IPv6].payload)) >= 24 and \
                bytes(p[IPv6].payload)[0] == 135:
            tgt = socket.inet_ntop(socket.AF_INET6, bytes(p[IPv6].payload)[8:24])
            got[tgt] = got.get(tgt, 0) + 1
    return got


def sc_neigh_fill(rng):
    cfg = config().replace("max-sessions = 64\n", "max-sessions = 64\nneigh-max = 16\n")
    genuine, gport = "2001:2::77", 5077
    cmds = ["session add e2ae access 20400 core 30400 a-ip=%s a-dtls=passive "
            "a-fingerprint=sha-256:%s b-remote=%s:6400" % (ACC6, fingerprint(rng), CORE4_PEER),
            "session add e2e access 20500 core 30500 a-ip=%s b-ip=%s b-remote=[%s]:6500" % (
                ACC6, CORE6, CORE6_PEER)]
    spoofed = ["2001:2::1:%x" % i for i in range(200)]
    ain = [acc_in(s, 4000 + i, 20400, client_hello_no_shared_cipher(rng))
           for i, s in enumerate(spoofed)]
    media = [rtp(10 + i, 0x7700, 60, rng) for i in range(10)]
    # The genuine source's packets spread among the second half of the spoofing.
    ain = ain[:100] + interleave(ain[100:], [acc_in(genuine, gport, 20500, pl) for pl in media])
    run = Run("neigh-fill", cmds, ain, [], cfg=cfg, duration=9)
    if not run.ok:
        result("neigh fill: run", False, run.problem)
        return
    fwd = [fr for fr in run.all_tx(1) if len(fr) > 62 and fr[12:14] == b"\x86\xdd" and
           struct.unpack("!HH", fr[54:58]) == (30500, 6500)]
    result("neigh fill: 200 spoofed ClientHellos, then a genuine latch: all 10 packets forwarded",
           len(fwd) == len(media), "%d forwarded; drops %s" % (len(fwd), run.drops))
    result("neigh fill: neigh_table_full 0", run.drops.get("neigh_table_full", 0) == 0,
           "neigh_table_full %d" % run.drops.get("neigh_table_full", 0))
    ns = ns_targets(run)
    worst = max((ns.get(s, 0) for s in spoofed), default=0)
    result("neigh fill: no spoofed address probed more than 3 times in 9 s (%d probed)" %
           sum(1 for s in spoofed if s in ns), worst <= 3,
           "at most %d NS for one spoofed address" % worst)
    result("neigh fill: the handshakes did run (alerts sent, so next hops were wanted)",
           sum(1 for s in spoofed if s in ns) >= 100,
           "%d spoofed addresses probed" % sum(1 for s in spoofed if s in ns))
    run.cleanup()


def sc_martians(rng):
    cmds = ["session add e2e access 20600 core 30600 b-remote=%s:6600" % CORE4_PEER,
            "session add e2e access 20602 core 30602 a-ip=%s b-ip=%s b-remote=[%s]:6602" % (
                ACC6, CORE6, CORE6_PEER)]
    refused = [("224.0.0.1:5000", "multicast"), ("198.18.0.255:5000", "a subnet broadcast address"),
               ("%s:5000" % ACC4, "an address of this box"),
               ("%s:5000" % CORE4, "an address of this box"),
               ("255.255.255.255:5000", "the limited broadcast address"),
               ("127.0.0.1:5000", "loopback"),
               ("[::ffff:198.18.0.2]:5000", "IPv4-mapped (use the IPv4 address)"),
               ("[%s]:5000" % ACC6, "an address of this box")]
    for i, (remote, _) in enumerate(refused):
        ip = "a-ip=%s " % ACC6 if remote.startswith("[") else ""
        cmds.append("session add e2e access %d core %d %sa-remote=%s" % (
            20700 + 2 * i, 30700 + 2 * i, ip, remote))
    pl = rtp(1, 0x6600, 40, rng)
    bad = {"src_martian": [acc_in(ACC4, 5600, 20600, pl), acc_in("198.18.0.255", 5600, 20600, pl),
                           acc_in(CORE4, 5600, 20600, pl), acc_in(ACC6, 5602, 20602, pl),
                           acc_in(CORE6, 5602, 20602, pl)],
           "ipv6_source": [acc_in("::ffff:198.18.0.2", 5602, 20602, pl),
                           acc_in("::198.18.0.2", 5602, 20602, pl)]}
    ain = [fr for frs in bad.values() for fr in frs]
    good = acc_in(ACC4_PEER, 5600, 20600, pl)
    run = Run("martians", cmds, ain + [good], [])
    if not run.ok:
        result("martians: run", False, run.problem)
        return
    for reason, frs in bad.items():
        result("martians: %d sources dropped as %s" % (len(frs), reason),
               run.drops.get(reason, 0) == len(frs),
               "counted %d; drops %s" % (run.drops.get(reason, 0), run.drops))
    out = [fr for fr in run.all_tx(1) if fr[12:14] in (b"\x08\x00", b"\x86\xdd") and len(fr) > 42]
    result("martians: nothing latched from them; the genuine source latched afterwards",
           len(out) == 1 and socket.inet_ntoa(out[0][30:34]) == CORE4_PEER,
           "%d frames out on core" % len(out))
    for remote, why in refused:
        line = "session add: remote %s is %s" % (remote, why)
        result("martians: session add a-remote=%s refused: '%s'" % (remote, why), line in run.out,
               "no such line")
    result("martians: only the 2 valid sessions created", " 2 sessions (max" in run.out,
           re.findall(r" \d+ sessions \(max", run.out))
    run.cleanup()


SCENARIOS = [("arp_dtls_flood", sc_arp_dtls_flood), ("arp_icmp6_flood", sc_arp_icmp6_flood),
             ("neigh_fill", sc_neigh_fill), ("martians", sc_martians)]


if __name__ == "__main__":
    sys.exit(pipeline_e2e.main(SCENARIOS, "pipeline-slowpath", seed=11))
