#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
e2ae pipeline tests: srtpfwd terminates SRTP and re-protects it, captures in
and out through net_pcap, one worker lcore, every profile that pylibsrtp
(libsrtp2) can produce, with every SRTP engine (cryptodev, ipsec-mb, cpu-crypto, libsrtp).

Per engine and profile, four forwarder runs:
  forward  7 sessions at once:
           s0..s2 SRTP->RTP (learning leg a), s0 with three interleaved SSRCs,
           s1 with an SSRC change mid-stream, s2 with CSRCs and a header
           extension; sequence numbers cross 65535->0; payloads 0..1200
           bytes; SRTCP compounds among them. Core output must be the
           original RTP/RTCP, byte for byte, in order.
           s3 SRTP->SRTP, new keys (unprotected here with b-tx's key).
           s4 RTP->SRTP (a-rx=rtp, b-tx=SRTP).
           s5 reverse: core RTP in -> access SRTP out (a-tx), static remotes.
           s6 reverse: core SRTP in (b-rx) -> access SRTP out (a-tx).
  bad      tampered tag, tampered ciphertext, truncated, replayed, too old,
           wrong key, plain RTP, and SRTCP tampered/replayed/truncated, each
           between good packets: nothing of them forwarded, every good one
           is (a failed packet must not move the replay window), drop
           counters srtp_auth/srtp_replay/srtp_length exact.
  latch    learning leg a: a forged first packet from another source must
           not latch; the genuine source's packets go through, and the
           forged source's later packets (forged, and even validly
           protected ones) are dropped as source_mismatch.
  trailer  lengths come from the UDP header, not the frame: short packets (a
           12-byte header and 0..4 bytes of payload) padded to the 60-byte
           Ethernet minimum, and packets followed by bytes after the UDP
           datagram (IP total length shorter than the frame), SRTP and
           SRTCP, SRTP->RTP, RTP->SRTP, SRTP->SRTP and RTP->RTP: every one
           accepted, none dropped, the output exactly the datagram (SRTP
           output byte for byte what libsrtp makes of the plain packet),
           never the padding or the trailer.
Every output frame: MACs, addresses, ports, IPv4 and UDP checksums (scapy).
Prints "e2ae-pipeline: N passed, M failed"; exit status 1 on any failure.

usage: pipeline_srtp.py SRTPFWD [--engines cryptodev,ipsec-mb,cpu-crypto,libsrtp] [--profiles P,...]
                        [--cases forward,bad,latch,trailer] [--keep]
"""
import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from checks import failed, result, summary  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from srtp_common import (PROFILES, check_udp_frame, inline, new_key, null_profile_usable,  # noqa: E402
                         read_pcap, receiver, rtcp_compound, rtp, sender, udp_frame, write_pcap)
from pylibsrtp import Error as SrtpError  # noqa: E402

ACC_MAC, ACC_PEER_MAC = "02:00:00:00:00:01", "02:00:00:00:00:02"
CORE_MAC, CORE_PEER_MAC = "02:00:00:00:01:01", "02:00:00:00:01:02"
ACC_IP, ACC_PEER = "198.18.0.1", "198.18.0.2"
CORE_IP, CORE_PEER = "198.19.0.1", "198.19.0.2"
FORGED_IP = "198.18.0.66"

CONFIG = """[interface access]
exposed = no
port = net_pcap0
mac = %s
ipv4 = %s/24
neighbour = %s %s
neighbour = %s 02:00:00:00:00:66
media-ports = 20000-29999
[interface core]
exposed = no
port = net_pcap1
mac = %s
ipv4 = %s/24
neighbour = %s %s
media-ports = 30000-39999
""" % (ACC_MAC, ACC_IP, ACC_PEER, ACC_PEER_MAC, FORGED_IP, CORE_MAC, CORE_IP, CORE_PEER, CORE_PEER_MAC)

console_checked = []


def is_rtcp(b):
    return len(b) >= 2 and 192 <= b[1] <= 223


# ---------------------------------------------------------------- forwarder

class Fwd:
    seq = 0

    def __init__(self, binary, workdir, keep):
        self.binary, self.workdir, self.keep = binary, workdir, keep

    def run(self, tag, engine, cmds, acc_in, core_in, duration=2):
        """Run srtpfwd once. Returns (ok, stdout, drops, acc_out, core_out)."""
        Fwd.seq += 1
        d = os.path.join(self.workdir, "%02d-%s" % (Fwd.seq, tag))
        os.makedirs(d)
        p = lambda n: os.path.join(d, n)  # noqa: E731
        write_pcap(p("acc_in.pcap"), acc_in)
        write_pcap(p("core_in.pcap"), core_in)
        with open(p("fwd.ini"), "w") as f:
            f.write(CONFIG)
        with open(p("cmds.txt"), "w") as f:
            f.write("\n".join(cmds + ["show session all"]) + "\n")
        argv = [self.binary, "--no-huge", "-m", "1024", "--no-pci",
                "--file-prefix", "e2aep%d_%d" % (os.getpid(), Fwd.seq), "-l", "0-1",
                "--log-level=*:warning",
                "--vdev", "net_pcap0,rx_pcap=%s,tx_pcap=%s,tx_pcap=%s" %
                (p("acc_in.pcap"), p("w0.pcap"), p("c0.pcap")),
                "--vdev", "net_pcap1,rx_pcap=%s,tx_pcap=%s,tx_pcap=%s" %
                (p("core_in.pcap"), p("w1.pcap"), p("c1.pcap")),
                "--", "--config", p("fwd.ini"), "--cmdline-file", p("cmds.txt"),
                "--duration", str(duration), "--srtp-engine", engine]
        try:
            cp = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                timeout=duration + 30, text=True, errors="replace")
            out, rc = cp.stdout, cp.returncode
        except subprocess.TimeoutExpired as e:
            out, rc = (e.stdout or b"").decode(errors="replace") if isinstance(e.stdout, bytes) \
                else (e.stdout or ""), -1
        with open(p("stdout.txt"), "w") as f:
            f.write(out)
        ok = rc == 0 and "final counters" in out
        if not ok:
            print("    srtpfwd rc=%s, output in %s; tail:\n%s" % (rc, d, out[-2000:]))
        for line in out.splitlines():
            if line.startswith("session add:"):
                print("    console: %s" % line)
        drops = {}
        final = out.split("final counters:", 1)[-1]
        m = re.search(r"drops by reason \(all lcores\):\n((?:    \S+\s+\d+\n?)*)", final)
        if m:
            for line in m.group(1).splitlines():
                k, v = line.split()
                drops[k] = int(v)
        acc_out, core_out = [], []
        for name, lst in (("w0.pcap", acc_out), ("c0.pcap", acc_out),
                          ("w1.pcap", core_out), ("c1.pcap", core_out)):
            try:
                lst.extend(read_pcap(p(name)))
            except (OSError, ValueError) as e:
                ok = False
                print("    %s: %s" % (name, e))
        if not self.keep and ok:
            shutil.rmtree(d, ignore_errors=True)
        return ok, out, drops, acc_out, core_out


def acc_frame(sport, dport, payload, src=ACC_PEER):
    return udp_frame(ACC_PEER_MAC, ACC_MAC, src, sport, ACC_IP, dport, payload)


def core_frame(sport, dport, payload):
    return udp_frame(CORE_PEER_MAC, CORE_MAC, CORE_PEER, sport, CORE_IP, dport, payload)


def split_output(frames, side):
    """UDP payloads of output frames, by our source port; checks headers and checksums.
    Returns (dict sport -> [payload], list of problems)."""
    flows, problems = {}, []
    if side == "core":
        smac, dmac, sip, dip = CORE_MAC, CORE_PEER_MAC, CORE_IP, CORE_PEER
    else:
        smac, dmac, sip, dip = ACC_MAC, ACC_PEER_MAC, ACC_IP, ACC_PEER
    for fr in frames:
        if len(fr) >= 14 and fr[12:14] in (b"\x08\x06", b"\x86\xdd"):
            continue  # ARP / IPv6 from the control lcore: not media
        ok, why, p = check_udp_frame(fr)
        if not ok:
            problems.append(why)
            if len(problems) > 5:
                break
            continue
        from scapy.all import IP, UDP
        if (p.src, p.dst, p[IP].src) != (smac, dmac, sip) or \
                (p[IP].dst != dip and p[IP].dst != FORGED_IP):
            problems.append("%s frame %s %s -> %s %s" % (side, p.src, p[IP].src, p.dst, p[IP].dst))
            continue
        flows.setdefault(p[UDP].sport, []).append((p[IP].dst, p[UDP].dport, bytes(p[UDP].payload)))
    return flows, problems


def compare(name, got, expected, rx=None, dst=None):
    """got: [(dip, dport, payload)]; expected: [plain bytes]; rx: receiver session
    (payloads are SRTP/SRTCP to unprotect first)."""
    if dst is not None:
        bad = [(a, b) for a, b, _ in got if (a, b) != dst]
        if bad:
            result(name, False, "sent to %s, expected %s" % (bad[0], dst))
            return
    pl = [x[2] for x in got]
    if rx is not None:
        plain = []
        for i, b in enumerate(pl):
            try:
                plain.append(rx.unprotect_rtcp(b) if is_rtcp(b) else rx.unprotect(b))
            except SrtpError as e:
                result(name, False, "output packet %d does not unprotect: %s (%s)" % (i, e, b[:16].hex()))
                return
        pl = plain
    if pl == expected:
        result(name, True)
        return
    detail = "%d packets out, %d expected" % (len(pl), len(expected))
    for i, (a, b) in enumerate(zip(pl, expected)):
        if a != b:
            detail += "; first difference at %d: got %s... expected %s..." % (i, a[:24].hex(), b[:24].hex())
            break
    result(name, False, detail)


# ---------------------------------------------------------------- streams

def gen_stream(rng, ssrcs, n, change_at=None, fancy=False, rtcp_every=9):
    """Plain RTP/RTCP packets in send order. ssrcs interleave; change_at: index at
    which the (single) stream switches to ssrcs[1]. Sequence numbers start just
    below 65535 so they wrap; payloads 0..1200 bytes (the first ones 0 and 1200)."""
    state = {s: [65535 - rng.randint(3, 40), rng.getrandbits(32)] for s in ssrcs}
    out = []
    sizes = [0, 1200, 1, 0] + [rng.randint(0, 1200) for _ in range(n)]
    for i in range(n):
        if change_at is not None:
            s = ssrcs[0] if i < change_at else ssrcs[1]
        else:
            s = ssrcs[i % len(ssrcs)]
        seq, ts = state[s]
        payload = bytes(rng.getrandbits(8) for _ in range(sizes[i]))
        kw = {}
        if fancy and i % 3 == 0:
            kw["csrcs"] = [rng.getrandbits(32) for _ in range(rng.randint(1, 3))]
        if fancy and i % 2 == 0:
            kw["ext"] = (0xBEDE, bytes([0x10, rng.getrandbits(8), 0, 0]) +
                         bytes(rng.getrandbits(8) for _ in range(4 * rng.randint(0, 2))))
        out.append(rtp(s, seq, ts, payload, pt=96 + (i % 3 == 0), marker=i % 7 == 0, **kw))
        state[s] = [(seq + 1) & 0xFFFF, (ts + 960) & 0xFFFFFFFF]
        if i % rtcp_every == rtcp_every - 1:
            out.append(rtcp_compound(s, rng, sr=rng.random() < 0.7))
    return out


def protect_all(sess, plain):
    return [sess.protect_rtcp(b) if is_rtcp(b) else sess.protect(b) for b in plain]


def wrapped(plain):
    """Every SSRC of the stream crosses 65535 -> 0."""
    seqs = {}
    for b in plain:
        if not is_rtcp(b):
            seqs.setdefault(b[8:12], []).append(int.from_bytes(b[2:4], "big"))
    return all(any(a == 65535 and b == 0 for a, b in zip(v, v[1:])) for v in seqs.values())


# ---------------------------------------------------------------- cases

def case_forward(fwd, engine, prof, rng):
    tag = "%s/%s/forward" % (engine, prof)
    k = {n: new_key(prof, rng) for n in ("a0", "a1", "a2", "a3", "b3", "b4", "t5", "b6", "t6")}
    junk = lambda: new_key(prof, rng)  # noqa: E731  keys of directions not exercised
    cmds = []
    acc_in, core_in = [], []
    exp = {}
    # s0..s2: SRTP -> RTP, learning leg a
    streams = [gen_stream(rng, [0x11110000, 0x11110001, 0x11110002], 150),
               gen_stream(rng, [0x22220000, 0x2222FFFF], 120, change_at=55),
               gen_stream(rng, [0x33330000], 100, fancy=True)]
    for i in range(3):
        cmds.append("session add e2ae access %d core %d a-rx=%s a-tx=%s b-rx=rtp b-tx=rtp "
                    "b-remote=%s:%d" % (20000 + i, 30000 + i, inline(prof, k["a%d" % i]),
                                        inline(prof, junk()), CORE_PEER, 6000 + i))
        exp[i] = streams[i]
    # s3: SRTP -> SRTP, new keys
    streams.append(gen_stream(rng, [0x44440000, 0x44440001], 120))
    cmds.append("session add e2ae access 20003 core 30003 a-rx=%s a-tx=%s b-rx=%s b-tx=%s "
                "b-remote=%s:6003" % (inline(prof, k["a3"]), inline(prof, junk()), inline(prof, junk()),
                                      inline(prof, k["b3"]), CORE_PEER))
    # s4: RTP -> SRTP
    streams.append(gen_stream(rng, [0x55550000], 120, fancy=True))
    cmds.append("session add e2ae access 20004 core 30004 a-rx=rtp a-tx=rtp b-rx=rtp b-tx=%s "
                "b-remote=%s:6004" % (inline(prof, k["b4"]), CORE_PEER))
    senders = [sender(prof, k["a0"]), sender(prof, k["a1"]), sender(prof, k["a2"]), sender(prof, k["a3"]), None]
    per_flow = []
    for i in range(5):
        wire = protect_all(senders[i], streams[i]) if senders[i] else list(streams[i])
        per_flow.append([acc_frame(5000 + i, 20000 + i, b) for b in wire])
    # s5: core RTP -> access SRTP (a-tx); s6: core SRTP (b-rx) -> access SRTP (a-tx)
    streams.append(gen_stream(rng, [0x66660000, 0x66660001], 120))
    streams.append(gen_stream(rng, [0x77770000], 120, fancy=True))
    cmds.append("session add e2ae access 20005 core 30005 a-remote=%s:5005 a-latch=strict "
                "b-remote=%s:6005 b-latch=strict a-rx=rtp a-tx=%s b-rx=rtp b-tx=rtp"
                % (ACC_PEER, CORE_PEER, inline(prof, k["t5"])))
    cmds.append("session add e2ae access 20006 core 30006 a-remote=%s:5006 a-latch=strict "
                "b-remote=%s:6006 b-latch=strict a-rx=%s a-tx=%s b-rx=%s b-tx=%s"
                % (ACC_PEER, CORE_PEER, inline(prof, junk()), inline(prof, k["t6"]),
                   inline(prof, k["b6"]), inline(prof, junk())))
    core_flows = [[core_frame(6005, 30005, b) for b in streams[5]],
                  [core_frame(6006, 30006, b) for b in protect_all(sender(prof, k["b6"]), streams[6])]]
    # interleave flows (each keeps its order)
    for flows, dst in ((per_flow, acc_in), (core_flows, core_in)):
        idx = [0] * len(flows)
        while any(idx[j] < len(flows[j]) for j in range(len(flows))):
            j = rng.choice([j for j in range(len(flows)) if idx[j] < len(flows[j])])
            dst.append(flows[j][idx[j]])
            idx[j] += 1

    ok, out, drops, acc_out, core_out = fwd.run("fwd-%s-%s" % (engine, prof), engine, cmds, acc_in, core_in)
    result(tag + " srtpfwd ran, 7 sessions provisioned", ok and "  7 sessions (max" in out,
           "srtpfwd failed or a session was refused")
    if not console_checked:
        console_checked.append(1)
        said = re.findall(r"^session add.*$|^session \d+ created$", out, re.M)
        result("console: 'session add' answers 'session N created' (7 adds)",
               said == ["session %d created" % i for i in range(7)],
               "it answered %r" % said[:2])
    cflows, cprob = split_output(core_out, "core")
    aflows, aprob = split_output(acc_out, "access")
    result(tag + " output frames: MACs, addresses, IPv4/UDP checksums", not cprob and not aprob,
           "; ".join((cprob + aprob)[:3]))
    wrap_ok = all(wrapped(s) for s in streams)
    result(tag + " streams cross seq 65535->0 (test self-check)", wrap_ok, "generator did not wrap")
    for i, what in ((0, "3 SSRCs"), (1, "SSRC change"), (2, "CSRC+ext")):
        compare("%s s%d SRTP->RTP %s byte-identical" % (tag, i, what), cflows.get(30000 + i, []),
                streams[i], dst=(CORE_PEER, 6000 + i))
    compare(tag + " s3 SRTP->SRTP re-keyed, unprotects with b-tx key", cflows.get(30003, []),
            streams[3], rx=receiver(prof, k["b3"]), dst=(CORE_PEER, 6003))
    compare(tag + " s4 RTP->SRTP, unprotects with b-tx key", cflows.get(30004, []),
            streams[4], rx=receiver(prof, k["b4"]), dst=(CORE_PEER, 6004))
    compare(tag + " s5 core RTP->access SRTP (a-tx)", aflows.get(20005, []),
            streams[5], rx=receiver(prof, k["t5"]), dst=(ACC_PEER, 5005))
    compare(tag + " s6 core SRTP->access SRTP (b-rx, a-tx)", aflows.get(20006, []),
            streams[6], rx=receiver(prof, k["t6"]), dst=(ACC_PEER, 5006))
    stray = {p: len(v) for p, v in list(cflows.items()) + list(aflows.items())
             if p not in (30000, 30001, 30002, 30003, 30004, 20005, 20006)}
    result(tag + " no drops, no stray output", not drops and not stray,
           "drops %s stray %s" % (drops, stray))


def case_bad(fwd, engine, prof, rng):
    tag = "%s/%s/bad" % (engine, prof)
    tag_len, tcp_len = PROFILES[prof][2], PROFILES[prof][3]
    key = new_key(prof, rng)
    wrong = new_key(prof, rng)
    snd = sender(prof, key)
    ssrc = 0xBAD00001
    seq = [1000]
    wire, good = [], []          # what is sent; plain of what must come out
    exp = {"srtp_auth": 0, "srtp_replay": 0, "srtp_length": 0}
    notes = []

    def next_plain(size=None):
        p = rtp(ssrc, seq[0], seq[0] * 160, bytes(rng.getrandbits(8) for _ in range(
            rng.randint(20, 300) if size is None else size)))
        seq[0] += 1
        return p

    def send_good(n=1):
        for _ in range(n):
            p = next_plain()
            wire.append(snd.protect(p))
            good.append(p)

    def send_good_rtcp():
        p = rtcp_compound(ssrc, rng)
        w = snd.protect_rtcp(p)
        wire.append(w)
        good.append(p)
        return w

    def bad(reason, pkt, what):
        wire.append(pkt)
        exp[reason] += 1
        notes.append(what)

    send_good(5)
    first_five = list(wire)
    # tampered tag, then the genuine packet with that sequence number
    p = next_plain()
    w = snd.protect(p)
    bad("srtp_auth", w[:-1] + bytes([w[-1] ^ 0x01]), "tampered tag")
    wire.append(w)
    good.append(p)
    # tampered ciphertext (payload byte), then the genuine one
    p = next_plain(64)
    w = snd.protect(p)
    bad("srtp_auth", w[:20] + bytes([w[20] ^ 0x80]) + w[21:], "tampered payload")
    wire.append(w)
    good.append(p)
    # truncated below header+tag
    p = next_plain()
    w = snd.protect(p)
    bad("srtp_length", w[:12 + tag_len - 1], "truncated to header+tag-1")
    wire.append(w)
    good.append(p)
    # replays: an earlier packet byte for byte, twice
    bad("srtp_replay", first_five[2], "replayed packet")
    bad("srtp_replay", first_five[4], "replayed packet")
    # wrong key, same sequence number as the next genuine one
    p = next_plain()
    bad("srtp_auth", sender(prof, wrong).protect(p), "wrong key")
    wire.append(snd.protect(p))
    good.append(p)
    # plain RTP on an SRTP leg (long enough to hold a tag)
    p = next_plain(100)
    bad("srtp_auth", p, "plain RTP")
    wire.append(snd.protect(p))
    good.append(p)
    send_good(200)
    # too old: seq 300 behind the newest, validly protected (fresh sender, same key)
    old = rtp(ssrc, seq[0] - 300, 1, b"old" * 10)
    bad("srtp_replay", sender(prof, key).protect(old), "older than the replay window")
    send_good(3)
    # SRTCP: good, tampered, replayed, truncated
    w1 = send_good_rtcp()
    w2p = rtcp_compound(ssrc, rng)
    w2 = snd.protect_rtcp(w2p)
    bad("srtp_auth", w2[:-1] + bytes([w2[-1] ^ 0x40]), "SRTCP tampered tag")
    wire.append(w2)
    good.append(w2p)
    bad("srtp_replay", w1, "SRTCP replayed")
    w3p = rtcp_compound(ssrc, rng)
    w3 = snd.protect_rtcp(w3p)
    bad("srtp_length", w3[:8 + 4 + tcp_len - 1], "SRTCP truncated")
    wire.append(w3)
    good.append(w3p)
    send_good(3)

    cmds = ["session add e2ae access 20000 core 30000 a-remote=%s:5000 a-latch=strict "
            "a-rx=%s a-tx=%s b-rx=rtp b-tx=rtp b-remote=%s:6000"
            % (ACC_PEER, inline(prof, key), inline(prof, new_key(prof, rng)), CORE_PEER)]
    ok, out, drops, acc_out, core_out = fwd.run("bad-%s-%s" % (engine, prof), engine, cmds,
                                                [acc_frame(5000, 20000, b) for b in wire], [])
    result(tag + " srtpfwd ran", ok and "  1 sessions (max" in out, "srtpfwd failed")
    cflows, cprob = split_output(core_out, "core")
    result(tag + " output checksums", not cprob, "; ".join(cprob[:3]))
    compare(tag + " only the genuine packets forwarded (%d bad dropped)" % len(notes),
            cflows.get(30000, []), good, dst=(CORE_PEER, 6000))
    for r in ("srtp_auth", "srtp_replay", "srtp_length"):
        result("%s %s == %d" % (tag, r, exp[r]), drops.get(r, 0) == exp[r],
               "got %d (drops: %s)" % (drops.get(r, 0), drops))
    others = {k: v for k, v in drops.items() if k not in exp}
    result(tag + " no other drops", not others, "unexpected %s" % others)


def case_latch(fwd, engine, prof, rng):
    tag = "%s/%s/latch" % (engine, prof)
    key = new_key(prof, rng)
    snd = sender(prof, key)
    ssrc = 0x1A7C0001
    frames, good = [], []
    s = [40000]

    def plain(n=None):
        p = rtp(ssrc, s[0], s[0] * 160, bytes(rng.getrandbits(8) for _ in range(rng.randint(10, 200) if n is None else n)))
        s[0] += 1
        return p

    # 1. forged first packet from another source: right SSRC, wrong key
    frames.append(acc_frame(7000, 20000, sender(prof, new_key(prof, rng)).protect(plain()), src=FORGED_IP))
    # 2. the genuine source (many packets, so that the control lcore has latched
    #    the leg long before the forged source speaks again)
    for _ in range(3000):
        p = plain(rng.randint(0, 40))
        frames.append(acc_frame(5000, 20000, snd.protect(p)))
        good.append(p)
    # 3. the forged source again: forged, then validly protected packets
    for _ in range(3):
        frames.append(acc_frame(7000, 20000, sender(prof, new_key(prof, rng)).protect(plain()), src=FORGED_IP))
    for _ in range(2):
        frames.append(acc_frame(7000, 20000, snd.protect(plain()), src=FORGED_IP))
    # 4. the genuine source still goes through
    for _ in range(5):
        p = plain()
        frames.append(acc_frame(5000, 20000, snd.protect(p)))
        good.append(p)
    cmds = ["session add e2ae access 20000 core 30000 a-rx=%s a-tx=%s b-rx=rtp b-tx=rtp "
            "b-remote=%s:6000" % (inline(prof, key), inline(prof, new_key(prof, rng)), CORE_PEER)]
    ok, out, drops, acc_out, core_out = fwd.run("latch-%s-%s" % (engine, prof), engine, cmds, frames, [])
    result(tag + " srtpfwd ran", ok and "  1 sessions (max" in out, "srtpfwd failed")
    cflows, cprob = split_output(core_out, "core")
    aflows, aprob = split_output(acc_out, "access")
    result(tag + " output checksums", not cprob and not aprob, "; ".join((cprob + aprob)[:3]))
    compare(tag + " genuine source forwarded, forged never", cflows.get(30000, []), good,
            dst=(CORE_PEER, 6000))
    result(tag + " forged first packet: srtp_auth == 1", drops.get("srtp_auth", 0) == 1,
           "drops %s" % drops)
    result(tag + " forged source later: source_mismatch == 5", drops.get("source_mismatch", 0) == 5,
           "drops %s" % drops)
    to_forged = sum(1 for fl in aflows.values() for d in fl if d[0] == FORGED_IP)
    result(tag + " nothing sent towards the forged source", to_forged == 0, "%d frames" % to_forged)


def case_seqjump(fwd, engine, prof, rng):
    """
    Plain RTP from the core side, protected towards access: one packet far
    ahead in sequence (spoofed with the core peer's own address, or a single
    stray one) is not taken on its word, so the sender's packets after it
    still leave (before: the protect context's index had moved and they were
    refused as replays). Two in a row after a jump: the sender restarted,
    followed from the second on (RFC 3550 A.1).
    """
    tag = "%s/%s/seqjump" % (engine, prof)
    key = new_key(prof, rng)
    ssrc = 0x5E9A0001
    body = lambda: bytes(rng.getrandbits(8) for _ in range(rng.randint(20, 160)))  # noqa: E731
    genuine = [rtp(ssrc, 1000 + i, (1000 + i) * 160, body()) for i in range(40)]
    jump = rtp(ssrc, 31020, 31020 * 160, body())
    # Another SSRC first (a new stream: it passes) must not reset the guard of this one.
    other = rtp(ssrc + 1, 31020, 0, body())
    restart = [rtp(ssrc, 50000 + i, 7 * i, body()) for i in range(3)]
    wire = genuine[:20] + [other, jump] + genuine[20:] + restart
    cmds = ["session add e2ae access 20000 core 30000 a-remote=%s:5000 b-remote=%s:6000 "
            "a-rx=rtp a-tx=%s b-rx=rtp b-tx=rtp" % (ACC_PEER, CORE_PEER, inline(prof, key))]
    ok, out, drops, acc_out, core_out = fwd.run("seqjump-%s-%s" % (engine, prof), engine, cmds, [],
                                                [core_frame(6000, 30000, b) for b in wire])
    result(tag + " srtpfwd ran", ok and "  1 sessions (max" in out, "srtpfwd failed")
    aflows, aprob = split_output(acc_out, "access")
    result(tag + " output checksums", not aprob, "; ".join(aprob[:3]))
    compare(tag + " the sender's packets all protected, the jump not", aflows.get(20000, []),
            genuine[:20] + [other] + genuine[20:] + restart[1:], rx=receiver(prof, key),
            dst=(ACC_PEER, 5000))
    result(tag + " rtp_seq_jump == 2 (the stray one, the restart's first)",
           drops.get("rtp_seq_jump", 0) == 2 and len(drops) == 1, "drops %s" % drops)


def with_trailer(frame, rng, i):
    """frame followed by bytes that are not the datagram's: Ethernet padding to
    60 bytes (zeros, or garbage: padding is not always zero) or a trailer of
    1..40 random bytes. Every frame gets at least one."""
    if i % 3 == 0:
        n = max(60 - len(frame), 4)
        fill = bytes(n) if i % 2 == 0 else bytes([0x5a]) * n
    else:
        n = rng.randint(1, 40)
        fill = bytes(rng.getrandbits(8) for _ in range(n))
    return frame + fill


def case_trailer(fwd, engine, prof, rng):
    tag = "%s/%s/trailer" % (engine, prof)
    k = {n: new_key(prof, rng) for n in ("a0", "b1", "a2", "b2")}
    junk = lambda: new_key(prof, rng)  # noqa: E731  keys of directions not exercised
    # (a-rx, b-tx): keys, or None for plain RTP
    legs = [("a0", None, "SRTP->RTP"), (None, "b1", "RTP->SRTP"), ("a2", "b2", "SRTP->SRTP"),
            (None, None, "RTP->RTP")]
    cmds, flows, streams = [], [], []
    for i, (rx, tx, _) in enumerate(legs):
        ssrc = 0x7A110000 + i
        seq, plain = 65530 - 5 * i, []
        for j in range(60):
            size = rng.choice((0, 1, 2, 3, 4)) if j % 10 else rng.choice((40, 500, 1200))
            plain.append(rtp(ssrc, seq + j, (seq + j) * 160, bytes(rng.getrandbits(8) for _ in range(size))))
            if j % 7 == 6:
                plain.append(rtcp_compound(ssrc, rng, sr=j % 2 == 0))
        streams.append(plain)
        wire = protect_all(sender(prof, k[rx]), plain) if rx else plain
        flows.append([with_trailer(acc_frame(5000 + i, 20000 + i, b), rng, j) for j, b in enumerate(wire)])
        cmds.append("session add e2ae access %d core %d a-remote=%s:%d a-latch=strict "
                    "b-remote=%s:%d b-latch=strict a-rx=%s a-tx=%s b-rx=%s b-tx=%s"
                    % (20000 + i, 30000 + i, ACC_PEER, 5000 + i, CORE_PEER, 6000 + i,
                       inline(prof, k[rx]) if rx else "rtp", inline(prof, junk()),
                       inline(prof, junk()) if tx else "rtp", inline(prof, k[tx]) if tx else "rtp"))
    acc_in, idx = [], [0] * len(flows)
    while any(idx[j] < len(flows[j]) for j in range(len(flows))):
        j = rng.choice([j for j in range(len(flows)) if idx[j] < len(flows[j])])
        acc_in.append(flows[j][idx[j]])
        idx[j] += 1
    short = sum(1 for fr in acc_in if len(fr) == 60)
    result(tag + " input: %d frames, %d of them padded to 60 bytes (test self-check)"
           % (len(acc_in), short), short > 0 and all(len(fr) > 14 + 20 + 8 for fr in acc_in),
           "no padded frame built")

    ok, out, drops, acc_out, core_out = fwd.run("trailer-%s-%s" % (engine, prof), engine, cmds, acc_in, [])
    result(tag + " srtpfwd ran, 4 sessions provisioned", ok and "  4 sessions (max" in out,
           "srtpfwd failed or a session was refused")
    cflows, cprob = split_output(core_out, "core")
    result(tag + " output frames: MACs, addresses, lengths, IPv4/UDP checksums", not cprob,
           "; ".join(cprob[:3]))
    for i, (rx, tx, what) in enumerate(legs):
        got = cflows.get(30000 + i, [])
        name = "%s s%d %s padded/trailed input, output exactly the datagram" % (tag, i, what)
        if tx is None:
            compare(name, got, streams[i], dst=(CORE_PEER, 6000 + i))
            continue
        compare(name + " (unprotects with b-tx key)", got, streams[i], rx=receiver(prof, k[tx]),
                dst=(CORE_PEER, 6000 + i))
        # SRTP is deterministic: libsrtp protecting the plain stream with b-tx's key
        # makes the very bytes srtpfwd must send.
        oracle = sender(prof, k[tx])
        want = [oracle.protect(b) for b in streams[i] if not is_rtcp(b)]
        sent = [x[2] for x in got if not is_rtcp(x[2])]
        compare(name + " (SRTP byte for byte as libsrtp protects it)",
                [(None, None, b) for b in sent], want)
    stray = {p: len(v) for p, v in cflows.items() if p not in (30000, 30001, 30002, 30003)}
    result(tag + " every packet accepted: no drops, no stray output", not drops and not stray,
           "drops %s stray %s" % (drops, stray))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--engines", default="cryptodev,ipsec-mb,cpu-crypto,libsrtp")
    ap.add_argument("--profiles", default=",".join(PROFILES))
    ap.add_argument("--cases", default="forward,bad,latch,trailer,seqjump")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    a = ap.parse_args()
    binary = os.path.abspath(a.binary)
    if not os.access(binary, os.X_OK):
        print("e2ae-pipeline: %s is not executable" % binary)
        return 2
    seed = a.seed if a.seed is not None else random.randrange(1 << 30)
    print("e2ae-pipeline: seed %d (--seed %d to repeat)" % (seed, seed))
    profiles = a.profiles.split(",")
    if "NULL_HMAC_SHA1_80" in profiles and not null_profile_usable():
        print("  note: pylibsrtp cannot make NULL_HMAC_SHA1_80 here; profile skipped")
        profiles.remove("NULL_HMAC_SHA1_80")
    workdir = tempfile.mkdtemp(prefix="e2ae-pipeline-")
    fwd = Fwd(binary, workdir, a.keep)
    cases = {"forward": case_forward, "bad": case_bad, "latch": case_latch,
             "trailer": case_trailer, "seqjump": case_seqjump}
    try:
        for engine in a.engines.split(","):
            for prof in profiles:
                for c in a.cases.split(","):
                    rng = random.Random("%d/%s/%s/%s" % (seed, engine, prof, c))
                    print("== %s %s %s" % (engine, prof, c))
                    try:
                        cases[c](fwd, engine, prof, rng)
                    except Exception as e:  # a crash in the test is a failure, not an abort
                        import traceback
                        traceback.print_exc()
                        result("%s/%s/%s" % (engine, prof, c), False, "exception %r" % e)
    finally:
        if a.keep or failed():
            print("e2ae-pipeline: work directory kept: %s" % workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return summary("e2ae-pipeline")


if __name__ == "__main__":
    sys.exit(main())
