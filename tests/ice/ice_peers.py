#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
Real ICE peers against the box's ICE-lite legs (run by run.sh, which makes
the namespaces and cleans up). One forwarder; per case a session added on
its console from what the peers' SDP says, and the peers' own reports:

  chromium   e2ae: headless Chromium in ns A offers audio; the box answers
             (a=ice-lite, its credentials and certificate fingerprint,
             setup:passive); Chromium completes ICE and DTLS, its opus comes
             out as plain RTP in ns B (count, payload type), RTP from ns B
             reaches it (getStats inbound packets and bytes); show ice names
             Chromium's address as the nominated pair.
  hostile    (inside the chromium call) hostile.py floods the access port
             from spoofed sources in ns A, and the core port from ns B, with
             every kind of unauthenticated packet: the call keeps its media
             (loss <= 0.1% by sequence number, both ways), nothing
             unauthenticated is latched or reaches ns B, no spoofed source
             gets more bytes back than it sent, the drops are counted by
             name, mempools, neighbours and sessions are as before.
  aiortc     e2ae: the same call with aiortc in ns A.
  e2e        two aiortc peers (ns A, ns B) through an e2e session whose legs
             are both ICE-lite: the test relays their SDP with the box's
             candidate and credentials per side; they complete DTLS with each
             other through the box and hear each other.

usage: ice_peers.py SRTPFWD WORKDIR NS_A NS_B VETH_A VETH_B PEER_A PEER_B [case ...]
Prints "ice-peers: N passed, M failed"; exit status 1 on any failure.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
from box import Box, BoxError  # noqa: E402
from checks import result, summary  # noqa: E402
from peer_link import Peer, PeerError  # noqa: E402
import ice_cases  # noqa: E402

PY = "/usr/bin/python3"
CASES = ("chromium", "aiortc", "e2e")

CONFIG = """[general]
mbufs = 8191

[interface access]
port = net_af_packet0
ipv4 = 198.18.0.1/24
ipv6 = 2001:2::1/64
media-ports = 20000-29999

[interface core]
port = net_af_packet1
ipv4 = 198.19.0.1/24
media-ports = 30000-39999
"""


class Env:
    """What every case needs: the box, the namespaces, a way to start peers."""

    def __init__(self, argv):
        self.binary, self.work, self.ns_a, self.ns_b, self.veth_a, self.veth_b, \
            self.peer_a, self.peer_b = argv[:8]
        self.cases = argv[8:] or list(CASES)
        self.mac = {v: open("/sys/class/net/%s/address" % v).read().strip()
                    for v in (self.veth_a, self.veth_b)}
        self.box = None
        self.peers = []

    def peer(self, name, ns, script, *args):
        p = Peer(name, ["ip", "netns", "exec", ns, PY, os.path.join(HERE, script)] + list(args),
                 os.path.join(self.work, name + ".log"))
        self.peers.append(p)
        return p

    def stop_peers(self):
        for p in self.peers:
            p.stop()
        self.peers = []


def main():
    env = Env(sys.argv[1:])
    prefix = os.environ.get("ICE_PEERS_PREFIX", "icep%d" % os.getpid())
    env.box = Box(env.binary, env.work, prefix,
                  ["net_af_packet0,iface=%s,qpairs=2" % env.veth_a,
                   "net_af_packet1,iface=%s,qpairs=2" % env.veth_b], CONFIG)
    up = env.box.wait_log(r"srtpfwd: \d+ worker", 20)
    result("srtpfwd up on %s (access) and %s (core)" % (env.veth_a, env.veth_b), up,
           env.box.text()[-500:])
    if up:
        env.fp = env.box.fingerprint()
        result("show dtls fingerprint: sha-256 of 32 bytes", env.fp is not None and len(env.fp) == 95,
               repr(env.fp))
        for case in env.cases:
            print("== %s" % case)
            try:
                getattr(ice_cases, "case_" + case)(env)
            except (PeerError, BoxError) as e:
                result("%s: ran to the end" % case, False, str(e))
            finally:
                env.stop_peers()
    final = env.box.stop()
    result("srtpfwd stopped cleanly on quit (final counters)", final != "",
           env.box.text()[-300:])
    with open(os.path.join(env.work, "final.txt"), "w") as f:
        f.write(final)
    return summary("ice-peers")


if __name__ == "__main__":
    sys.exit(main())
