#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
Pipeline tests with two worker lcores: captures in and out through net_pcap,
two RX queues per port (one rx_pcap= file per queue), so that every packet's
queue, and with it its worker, is chosen by the test: srtpfwd spreads queue q
of every port over worker q % 2 (app/main.c, setup_workers), worker w sends
on TX queue w, the control lcore on TX queue 2 (one tx_pcap= file each).

  port 0 (access): RX q0 -> worker 0, RX q1 -> worker 1
  port 1 (core):   RX q0 -> worker 0, RX q1 -> worker 1

Scenarios (--only NAME,...):
  e2e_split      two e2e sessions with static remotes; session 0 A->B on
                 worker 0 and B->A on worker 1, session 1 the other way
                 round: every frame out byte for byte as scapy builds it,
                 each direction sent by the worker that read it, no drops,
                 per-worker rx/tx exact.
  e2ae_split     two e2ae SDES sessions (AES_CM_128_HMAC_SHA1_80 on access,
                 plain RTP/RTCP on core, sequence numbers crossing 65535),
                 directions split over the workers as above: core gets the
                 original RTP/RTCP byte for byte, access gets SRTP/SRTCP
                 that libsrtp2 (pylibsrtp) unprotects to the original; no
                 replay or auth drops. Each SRTP engine.
  e2e_prelatch   an e2e learning leg not latched yet, packets from the
                 genuine source G and a spoofed source S (198.18.0.3):
                 (a) interleaved in one queue, the first 32 packets one RX
                 burst; (b) G on worker 0, S on worker 1. Exactly one
                 source's packets forwarded (all of them, in order), none of
                 the other's; drops add up to the other's packet count.
  e2ae_prelatch  an e2ae SDES learning leg (SRTP in, plain RTP out), S
                 sending copies of genuine packets: (a) one burst, S's copy
                 of the next packet ahead of the genuine one, replays of
                 earlier ones, a copy of one far ahead; (b) G on worker 0,
                 S on worker 1 sending copies of all of G's packets (blocks
                 of 8 reversed, so the output tells who won). Exactly one
                 source's packets forwarded, the winner's stream complete (no
                 genuine packet dropped as srtp_replay: S's copies moved no
                 SRTP state). And a plain-RTP-in learning leg re-protected
                 towards core (b-tx SRTP): S's plain RTP with a sequence
                 number far ahead must not move the b-tx state: (c) one
                 burst, (d) two workers; the winner's packets all forwarded,
                 none dropped as srtp_replay. Each SRTP engine.

The workers are mapped on CPUs of their own where there are enough
(--lcores 0@c0,1@c1,2@c2; on two CPUs worker 1 shares the control lcore's),
so that both really run at once; --lcores MAP overrides.

Prints "pipeline-workers: N passed, M failed"; exit status 1 on any failure.
usage: pipeline_workers.py SRTPFWD [--only NAME,...] [--engines E,...] [--lcores MAP]
                                   [--seed N] [--keep]
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

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "e2ae"))
from pipeline_e2e import (ACC4, ACC4_PEER, ACC_MAC, ACC_PEER_MAC, CORE4, CORE4_PEER,  # noqa: E402
                          CORE_MAC, CORE_PEER_MAC, STRANGER4, STRANGER_MAC, checksums_ok,
                          config, expected, first_diff, frame, media_mix, parse_final,
                          read_pcap, rtp as e2e_rtp, write_pcap)
from srtp_common import (inline, new_key, receiver, rtcp_compound, rtp,  # noqa: E402
                         sender)
from pylibsrtp import Error as SrtpError  # noqa: E402
from scapy.all import Ether, IP, UDP  # noqa: E402

PROF = "AES_CM_128_HMAC_SHA1_80"
N_WORKERS = 2
CTL_TXQ = N_WORKERS          # the control lcore's TX queue
BURST = 32                   # srtpfwd's default RX burst (config 'burst')



def default_lcores():
    cpus = sorted(os.sched_getaffinity(0))
    c = [cpus[i % len(cpus)] for i in range(3)]
    if len(cpus) == 2:
        c = [cpus[0], cpus[0], cpus[1]]
    return "0@%d,1@%d,2@%d" % tuple(c)


# ------------------------------------------------------------------ forwarder

class Run:
    """One srtpfwd run, 2 workers: rx {(port, queue): [frame]} in; per port and
    TX queue (0, 1: workers, 2: control) frames out; final counters."""
    seq = 0
    binary = None
    workdir = None
    keep = False
    lcores = None

    def __init__(self, tag, cmds, rx, engine=None, duration=2):
        Run.seq += 1
        self.failed_before = failed()
        d = os.path.join(Run.workdir, "%02d-%s" % (Run.seq, tag))
        os.makedirs(d)
        p = lambda n: os.path.join(d, n)  # noqa: E731
        self.rx = {(port, q): list(rx.get((port, q), [])) for port in (0, 1)
                   for q in range(N_WORKERS)}
        vdevs = []
        for port in (0, 1):
            args = ["net_pcap%d" % port]
            for q in range(N_WORKERS):
                write_pcap(p("rx%d_%d.pcap" % (port, q)), self.rx[(port, q)])
                args.append("rx_pcap=" + p("rx%d_%d.pcap" % (port, q)))
            for q in range(N_WORKERS + 1):
                args.append("tx_pcap=" + p("tx%d_%d.pcap" % (port, q)))
            vdevs += ["--vdev", ",".join(args)]
        with open(p("fwd.ini"), "w") as f:
            f.write(config())
        with open(p("cmds.txt"), "w") as f:
            f.write("\n".join(cmds + ["show session all"]) + "\n")
        argv = [Run.binary, "--no-huge", "-m", "1024", "--no-pci",
                "--file-prefix", "pwrk%d_%d" % (os.getpid(), Run.seq), "--lcores", Run.lcores,
                "--log-level=*:warning"] + vdevs + [
                "--", "--config", p("fwd.ini"), "--cmdline-file", p("cmds.txt"),
                "--rxq", str(N_WORKERS), "--duration", str(duration)]
        if engine:
            argv += ["--srtp-engine", engine]
        try:
            cp = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                timeout=duration + 30)
            out, rc = cp.stdout.decode(errors="replace"), cp.returncode
        except subprocess.TimeoutExpired as e:
            out, rc = (e.stdout or b"").decode(errors="replace"), "timeout"
        with open(p("stdout.txt"), "w") as f:
            f.write(out)
        self.dir, self.out = d, out
        self.ok = rc == 0 and "final counters:" in out
        self.problem = "" if self.ok else "srtpfwd rc=%s, output in %s" % (rc, d)
        if not self.ok:
            print("    srtpfwd rc=%s; output tail:\n%s" % (rc, out[-2500:]))
        for port in (0, 1):
            if self.ok and "port %d (net_pcap%d): %d RX queue(s)" % (port, port, N_WORKERS) \
                    not in out:
                self.ok = False
                self.problem = "port %d does not have %d RX queues" % (port, N_WORKERS)
        for line in out.splitlines():
            if line.startswith("session add:"):
                print("    console: %s" % line)
        self.tx = {}
        for port in (0, 1):
            for q in range(N_WORKERS + 1):
                try:
                    self.tx[(port, q)] = read_pcap(p("tx%d_%d.pcap" % (port, q)))
                except (OSError, ValueError) as e:
                    self.ok = False
                    self.problem = str(e)
                    self.tx[(port, q)] = []
        self.drops, self.lcores, self.ports = parse_final(out)

    def out_frames(self, port):
        """Frames out of port, ARP aside: the control lcore's queue first (it
        forwards a learning leg's first packets), then worker 0's, worker 1's;
        each as (txq, frame)."""
        res = []
        for q in (CTL_TXQ,) + tuple(range(N_WORKERS)):
            res += [(q, fr) for fr in self.tx[(port, q)] if fr[12:14] != b"\x08\x06"]
        return res

    def worker_rx_expected(self, w):
        return sum(len(self.rx[(port, w)]) for port in (0, 1))

    def cleanup(self):
        if not Run.keep and failed() == self.failed_before:
            shutil.rmtree(self.dir, ignore_errors=True)


def total_drops(run):
    return sum(run.drops.values())


def drops_str(run):
    return ", ".join("%s %d" % kv for kv in sorted(run.drops.items()) if kv[1]) or "none"


# ------------------------------------------------------------------ frames

def acc_in(sport, dport, payload, rng, src=ACC4_PEER, smac=ACC_PEER_MAC):
    return frame(smac, ACC_MAC, src, ACC4, sport, dport, payload, rng=rng)


def core_in(sport, dport, payload, rng):
    return frame(CORE_PEER_MAC, CORE_MAC, CORE4_PEER, CORE4, sport, dport, payload, rng=rng)


def out_payloads(run, port, sport, dport):
    """[(txq, payload)] of the frames out of port from our sport to the peer's
    dport; every frame must be exactly what the rules give for its payload
    (MACs, addresses, TTL 64, DF, ID 0, checksums). Returns (list, problems)."""
    if port == 1:
        smac, dmac, sip, dip = CORE_MAC, CORE_PEER_MAC, CORE4, CORE4_PEER
    else:
        smac, dmac, sip, dip = ACC_MAC, ACC_PEER_MAC, ACC4, ACC4_PEER
    got, problems = [], []
    for q, fr in run.out_frames(port):
        p = Ether(fr)
        if UDP not in p or IP not in p:
            problems.append("txq %d: not IPv4/UDP: %s" % (q, p.summary()))
            continue
        if (p[UDP].sport, p[UDP].dport) != (sport, dport):
            continue
        pl = bytes(p[UDP].payload)
        want = expected(smac, dmac, sip, dip, sport, dport, pl)
        if fr != want:
            problems.append("txq %d: %s (%s)" % (q, first_diff(fr, want), p.summary()))
            continue
        why = checksums_ok(fr)
        if why:
            problems.append("txq %d: %s" % (q, why))
            continue
        got.append((q, pl))
    return got, problems


def stray(run, port, allowed):
    """Frames out of port not in the allowed (sport, dport) set."""
    n = 0
    for _, fr in run.out_frames(port):
        p = Ether(fr)
        if UDP not in p or (p[UDP].sport, p[UDP].dport) not in allowed:
            n += 1
    return n


def check_workers(name, run):
    """Each worker received exactly what its queues held, both did work."""
    if not run.ok:
        result(name, False, run.problem)
        return
    problems = []
    for w in range(N_WORKERS):
        have = run.lcores.get("worker %d" % w, {}).get("rx")
        want = run.worker_rx_expected(w)
        if have != want:
            problems.append("worker %d rx %s, its queues held %d" % (w, have, want))
    result(name, not problems, "; ".join(problems) + " (lcores %s)" % run.lcores)


def protect_all(snd, plains):
    return [snd.protect_rtcp(p) if p[1] in range(192, 224) else snd.protect(p) for p in plains]


def unprotect_all(rx, payloads):
    """Plain payloads, or (None, problem) at the first that does not unprotect."""
    out = []
    for i, b in enumerate(payloads):
        try:
            out.append(rx.unprotect_rtcp(b) if 192 <= b[1] <= 223 else rx.unprotect(b))
        except SrtpError as e:
            return None, "output packet %d does not unprotect (%s): %s" % (i, e, b[:16].hex())
    return out, ""


def same_list(got, want):
    if got == want:
        return ""
    detail = "%d packets, expected %d" % (len(got), len(want))
    for i, (a, b) in enumerate(zip(got, want)):
        if a != b:
            return detail + "; first difference at %d: %s... expected %s..." % (
                i, a[:16].hex(), b[:16].hex())
    return detail


def gen_rtp_stream(rng, ssrc, n, first_seq, rtcp_every=0, max_size=400):
    st = [first_seq, rng.getrandbits(32)]
    out = []
    for i in range(n):
        if rtcp_every and i % rtcp_every == rtcp_every - 1:
            out.append(rtcp_compound(ssrc, rng))
            continue
        out.append(rtp(ssrc, st[0], st[1], bytes(rng.getrandbits(8)
                                                 for _ in range(rng.randint(0, max_size)))))
        st[0] = (st[0] + 1) & 0xFFFF
        st[1] = (st[1] + 160) & 0xFFFFFFFF
    return out


# ------------------------------------------------------------------ scenarios

def sc_e2e_split(rng, engines):
    # Session s: access port 20700+s, core 30700+s; peers 5700+s / 6700+s.
    # s0: A->B read by worker 0, B->A by worker 1; s1 the other way round.
    cmds, rx = [], {}
    exp = {}
    for s in range(2):
        ap, bp, pa, pb = 20700 + s, 30700 + s, 5700 + s, 6700 + s
        cmds.append("session add e2e access %d core %d a-remote=%s:%d b-remote=%s:%d" % (
            ap, bp, ACC4_PEER, pa, CORE4_PEER, pb))
        wa, wb = (0, 1) if s == 0 else (1, 0)
        pl_ab = media_mix(0x7A00 + s, rng) * 3
        pl_ba = media_mix(0x7B00 + s, rng) * 3
        rx.setdefault((0, wa), []).extend(acc_in(pa, ap, pl, rng) for pl in pl_ab)
        rx.setdefault((1, wb), []).extend(core_in(pb, bp, pl, rng) for pl in pl_ba)
        exp[(1, bp, pb)] = (wa, pl_ab)
        exp[(0, ap, pa)] = (wb, pl_ba)
    run = Run("e2e-split", cmds, rx)
    for (port, sport, dport), (w, pls) in sorted(exp.items()):
        what = "s%d %s" % (sport % 10, "A->B" if port == 1 else "B->A")
        got, problems = out_payloads(run, port, sport, dport) if run.ok else ([], [run.problem])
        detail = "; ".join(problems[:3]) or same_list([g for _, g in got], pls)
        result("e2e_split: %s read by worker %d: %d frames out byte for byte, in order" % (
            what, w, len(pls)), run.ok and not problems and [g for _, g in got] == pls, detail)
        qs = sorted(set(q for q, _ in got))
        result("e2e_split: %s sent by worker %d (TX queue %d)" % (what, w, w),
               run.ok and qs == [w], "sent on TX queues %s" % qs)
    result("e2e_split: no stray frames", run.ok and stray(run, 0, {(k[1], k[2]) for k in exp}) == 0
           and stray(run, 1, {(k[1], k[2]) for k in exp}) == 0, "stray frames")
    result("e2e_split: no drops", run.ok and total_drops(run) == 0, drops_str(run))
    check_workers("e2e_split: worker 0 and worker 1 each received exactly their queues", run)
    tx = [run.lcores.get("worker %d" % w, {}).get("tx") for w in range(N_WORKERS)]
    want = [run.worker_rx_expected(w) for w in range(N_WORKERS)]
    result("e2e_split: each worker sent what it received (tx %s)" % want, run.ok and tx == want,
           "tx %s" % tx)
    run.cleanup()


def sc_e2ae_split(rng, engines):
    for engine in engines:
        tag = "e2ae_split/%s" % engine
        cmds, rx, checks = [], {}, []
        for s in range(2):
            ap, bp, pa, pb = 20800 + s, 30800 + s, 5800 + s, 6800 + s
            k_in, k_out = new_key(PROF, rng), new_key(PROF, rng)
            cmds.append("session add e2ae access %d core %d a-remote=%s:%d a-latch=strict "
                        "b-remote=%s:%d b-latch=strict a-rx=%s a-tx=%s b-rx=rtp b-tx=rtp" % (
                            ap, bp, ACC4_PEER, pa, CORE4_PEER, pb, inline(PROF, k_in),
                            inline(PROF, k_out)))
            wa, wb = (0, 1) if s == 0 else (1, 0)
            ab = gen_rtp_stream(rng, 0xAB000000 + s, 80, 65535 - 30, rtcp_every=10)
            ba = gen_rtp_stream(rng, 0xBA000000 + s, 80, 65535 - 25, rtcp_every=10)
            rx.setdefault((0, wa), []).extend(
                acc_in(pa, ap, w, rng) for w in protect_all(sender(PROF, k_in), ab))
            rx.setdefault((1, wb), []).extend(core_in(pb, bp, pl, rng) for pl in ba)
            checks.append(("s%d A->B (SRTP in, RTP out)" % s, 1, bp, pb, wa, ab, None))
            checks.append(("s%d B->A (RTP in, SRTP out)" % s, 0, ap, pa, wb, ba,
                           receiver(PROF, k_out)))
        run = Run("e2ae-split-" + engine, cmds, rx, engine=engine)
        for what, port, sport, dport, w, plains, rcv in checks:
            got, problems = out_payloads(run, port, sport, dport) if run.ok else ([], [run.problem])
            pls = [g for _, g in got]
            detail = "; ".join(problems[:3])
            if not detail and rcv is not None:
                pls, detail = unprotect_all(rcv, pls)
            if not detail:
                detail = same_list(pls, plains)
            result("%s: %s read by worker %d: %d packets, %s" % (
                tag, what, w, len(plains), "byte for byte" if rcv is None else
                "libsrtp2 unprotects them to the original"), run.ok and not detail, detail)
            qs = sorted(set(q for q, _ in got))
            result("%s: %s sent by worker %d" % (tag, what, w), run.ok and qs == [w],
                   "sent on TX queues %s" % qs)
        result(tag + ": no drops (no srtp_replay, srtp_auth)", run.ok and total_drops(run) == 0,
               drops_str(run))
        check_workers(tag + ": worker 0 and worker 1 each received exactly their queues", run)
        run.cleanup()


def one_source_check(tag, run, port, sport, dport, streams, decode=None):
    """streams: {source name: (expected payloads out if it won, its packet count)}.
    Exactly one source's payloads (all of them, in order) must leave, and the
    drops add up to the other sources' packets. Returns the winner or None."""
    if not run.ok:
        result(tag + ": srtpfwd ran", False, run.problem)
        return None
    got, problems = out_payloads(run, port, sport, dport)
    pls = [g for _, g in got]
    if not problems and decode is not None:
        pls, why = decode(pls)
        if pls is None:
            problems.append(why)
    winner = None
    for name, (want, _) in streams.items():
        if not problems and pls == want:
            winner = name
    if winner is None:
        detail = "; ".join(problems[:3]) or "; ".join(
            "vs %s's: %s" % (n, same_list(pls, w)) for n, (w, _) in streams.items())
        detail += " (TX queues used: %s)" % sorted(set(q for q, _ in got))
    else:
        detail = ""
    result(tag + ": exactly one source's packets forwarded, all of them, in order", winner,
           detail)
    if winner is not None:
        print("    (source %s latched; its packets left on TX queues %s)" % (
            winner, sorted(set(q for q, _ in got))))
        lost = sum(n for name, (_, n) in streams.items() if name != winner)
        result(tag + ": drops add up to the other source's %d packets" % lost,
               total_drops(run) == lost, "drops: %s (total %d)" % (drops_str(run),
                                                                   total_drops(run)))
    else:
        print("    drops: %s" % drops_str(run))
    result(tag + ": nothing sent back towards access", stray(run, 0, set()) == 0,
           "%d frames" % stray(run, 0, set()))
    return winner


def sc_e2e_prelatch(rng, engines):
    # One learning e2e leg: access 20900 (learn), core 30900 -> 198.19.0.2:6900.
    cmds = ["session add e2e access 20900 core 30900 b-remote=%s:6900" % CORE4_PEER]
    g_pl = [e2e_rtp(100 + i, 0x600D, rng.randint(12, 300), rng) for i in range(60)]
    s_pl = [e2e_rtp(100 + i, 0x5B00F, rng.randint(12, 300), rng) for i in range(30)]

    def g(pl):
        return acc_in(5900, 20900, pl, rng)

    def s(pl):
        return acc_in(5900, 20900, pl, rng, src=STRANGER4, smac=STRANGER_MAC)

    # (a) one queue: the first 32 frames (one RX burst) alternate G, S; then
    # G's stream with S's remaining packets among it.
    q0 = []
    for i in range(BURST // 2):
        q0 += [g(g_pl[i]), s(s_pl[i])]
    rest_s = list(s_pl[BURST // 2:])
    for i in range(BURST // 2, len(g_pl)):
        q0.append(g(g_pl[i]))
        if rest_s and i % 3 == 0:
            q0.append(s(rest_s.pop(0)))
    q0 += [s(pl) for pl in rest_s]
    run = Run("e2e-prelatch-burst", cmds, {(0, 0): q0})
    one_source_check("e2e_prelatch (a) one burst, G and S interleaved", run, 1, 30900, 6900,
                     {"G 198.18.0.2:5900": (g_pl, len(g_pl)),
                      "S 198.18.0.3:5900": (s_pl, len(s_pl))})
    result("e2e_prelatch (a): worker 0 read them all (%d)" % len(q0),
           run.ok and run.lcores.get("worker 0", {}).get("rx") == len(q0),
           "lcores %s" % run.lcores)
    result("e2e_prelatch (a): control lcore latched the leg once",
           run.ok and run.lcores.get("control 0", {}).get("latched") == 1, "lcores %s" % run.lcores)
    run.cleanup()

    # (b) G on worker 0, S on worker 1, both from the first poll on.
    run = Run("e2e-prelatch-2w", cmds, {(0, 0): [g(pl) for pl in g_pl],
                                        (0, 1): [s(pl) for pl in s_pl]})
    one_source_check("e2e_prelatch (b) G on worker 0, S on worker 1", run, 1, 30900, 6900,
                     {"G 198.18.0.2:5900": (g_pl, len(g_pl)),
                      "S 198.18.0.3:5900": (s_pl, len(s_pl))})
    check_workers("e2e_prelatch (b): worker 0 and worker 1 each received exactly their queues",
                  run)
    result("e2e_prelatch (b): control lcore latched the leg once",
           run.ok and run.lcores.get("control 0", {}).get("latched") == 1, "lcores %s" % run.lcores)
    run.cleanup()


def prelatch_run(tag, engine, cmds, rx, streams, port, sport, dport, decode=None):
    run = Run(re.sub(r"[^A-Za-z0-9]+", "-", tag)[:60], cmds, rx, engine=engine)
    one_source_check(tag, run, port, sport, dport, streams, decode=decode)
    result(tag + ": no srtp_replay / srtp_auth drops (no genuine packet refused, "
           "the other source's moved no SRTP state)",
           run.ok and not run.drops.get("srtp_replay") and not run.drops.get("srtp_auth"),
           "drops: %s" % drops_str(run) if run.ok else run.problem)
    if (0, 1) in rx and rx[(0, 1)]:
        check_workers(tag + ": worker 0 and worker 1 each received exactly their queues", run)
    run.cleanup()


def sc_e2ae_prelatch(rng, engines):
    for engine in engines:
        # ---- SRTP in (learning leg a, SDES), plain RTP out to core.
        k, junk = new_key(PROF, rng), new_key(PROF, rng)
        cmds = ["session add e2ae access 20950 core 30950 a-rx=%s a-tx=%s b-rx=rtp b-tx=rtp "
                "b-remote=%s:6950" % (inline(PROF, k), inline(PROF, junk), CORE4_PEER)]
        plains = gen_rtp_stream(rng, 0x5DE5, 200, 30000, max_size=160)
        wire = protect_all(sender(PROF, k), plains)

        def g(b):
            return acc_in(5950, 20950, b, rng)

        def s(b):
            return acc_in(5950, 20950, b, rng, src=STRANGER4, smac=STRANGER_MAC)

        # (a) one queue; the first burst: G0, S(copy of G1), G1, S(copy of G2),
        # G2, S(replay of G0), G3, S(copy of G150), G4 ... ; later S copies
        # of G100 just ahead of it and a replay of G50.
        s_idx = []
        q0 = [g(wire[0])]
        for i in (1, 2):
            q0 += [s(wire[i]), g(wire[i])]
            s_idx.append(i)
        q0 += [s(wire[0]), g(wire[3]), s(wire[150])]
        s_idx += [0, 150]
        for i in range(4, 200):
            if i == 100:
                q0.append(s(wire[100]))
                s_idx.append(100)
            q0.append(g(wire[i]))
            if i == 60:
                q0.append(s(wire[50]))
                s_idx.append(50)
        s_plain = [plains[i] for i in s_idx]
        prelatch_run("e2ae_prelatch/%s (a) SRTP leg, one burst, S sends copies" % engine, engine,
                     cmds, {(0, 0): q0},
                     {"G": (plains, len(plains)), "S": (s_plain, len(s_plain))}, 1, 30950, 6950)

        # (b) G on worker 0; S on worker 1: copies of all of G's packets, in
        # blocks of 8 in reverse (all within the replay window: a stream that
        # would pass whole if S won, and one that tells which source did).
        s_idx = [b + 7 - j for b in range(0, 200, 8) for j in range(8)]
        prelatch_run("e2ae_prelatch/%s (b) SRTP leg, G on worker 0, S (copies) on worker 1" %
                     engine, engine, cmds,
                     {(0, 0): [g(b) for b in wire], (0, 1): [s(wire[i]) for i in s_idx]},
                     {"G": (plains, len(plains)),
                      "S": ([plains[i] for i in s_idx], len(s_idx))}, 1, 30950, 6950)
        # (b') the same with the queues swapped: G is on the worker that is not
        # the leg's home (leg a is leg 0, home worker 0), so its packets are
        # handed over until latched, then taken back without a reorder.
        prelatch_run("e2ae_prelatch/%s (b') SRTP leg, G on worker 1 (not the leg's home), "
                     "S (copies) on worker 0" % engine, engine, cmds,
                     {(0, 1): [g(b) for b in wire], (0, 0): [s(wire[i]) for i in s_idx]},
                     {"G": (plains, len(plains)),
                      "S": ([plains[i] for i in s_idx], len(s_idx))}, 1, 30950, 6950)

        # (e) G alone on worker 1, not the leg's home: handed over until the
        # leg is latched, and after it for as long as the home worker still
        # has some of it (a back-to-back capture: all of it; the take-back
        # itself is tested in tests/unit/test_fwd_worker.c): all of it out,
        # in order, no drop.
        run_e = Run("e2ae-prelatch-takeback-%s" % engine, cmds,
                    {(0, 1): [g(b) for b in wire]}, engine=engine)
        tag = "e2ae_prelatch/%s (e) SRTP leg, G alone on worker 1 (not the leg's home)" % engine
        one_source_check(tag, run_e, 1, 30950, 6950, {"G": (plains, len(plains))})
        w1 = run_e.lcores.get("worker 1", {})
        result(tag + ": worker 1 handed the unlatched leg's packets to worker 0",
               run_e.ok and w1.get("handed_off", 0) > 0, "lcores %s" % run_e.lcores)
        result(tag + ": no srtp_replay / srtp_auth drops",
               run_e.ok and not run_e.drops, "drops: %s" % drops_str(run_e))
        run_e.cleanup()

        # ---- plain RTP in (learning leg a), re-protected towards core (b-tx).
        kb = new_key(PROF, rng)
        cmds = ["session add e2ae access 20960 core 30960 a-rx=rtp a-tx=rtp b-rx=rtp b-tx=%s "
                "b-remote=%s:6960" % (inline(PROF, kb), CORE4_PEER)]
        ssrc = 0x9A11
        gp = gen_rtp_stream(rng, ssrc, 150, 2000, max_size=160)
        ahead = [rtp(ssrc, 2000 + 5000 + i, 1, bytes(rng.getrandbits(8) for _ in range(40)))
                 for i in range(60)]

        def g2(b):
            return acc_in(5960, 20960, b, rng)

        def s2(b):
            return acc_in(5960, 20960, b, rng, src=STRANGER4, smac=STRANGER_MAC)

        def decoder():
            return lambda pls: unprotect_all(receiver(PROF, kb), pls)

        q0 = [g2(gp[0]), g2(gp[1]), s2(ahead[0]), g2(gp[2]), s2(ahead[1])] + \
            [g2(b) for b in gp[3:100]] + [s2(ahead[2])] + [g2(b) for b in gp[100:]]
        prelatch_run("e2ae_prelatch/%s (c) plain-RTP-in leg, one burst, S seq +5000" % engine,
                     engine, cmds, {(0, 0): q0},
                     {"G": (gp, len(gp)), "S": (ahead[:3], 3)}, 1, 30960, 6960,
                     decode=decoder())
        prelatch_run("e2ae_prelatch/%s (d) plain-RTP-in leg, G on worker 0, S seq +5000 on "
                     "worker 1" % engine, engine, cmds,
                     {(0, 0): [g2(b) for b in gp], (0, 1): [s2(b) for b in ahead]},
                     {"G": (gp, len(gp)), "S": (ahead, len(ahead))}, 1, 30960, 6960,
                     decode=decoder())
        prelatch_run("e2ae_prelatch/%s (d') plain-RTP-in leg, G on worker 1 (not the leg's "
                     "home), S seq +5000 on worker 0" % engine, engine, cmds,
                     {(0, 1): [g2(b) for b in gp], (0, 0): [s2(b) for b in ahead]},
                     {"G": (gp, len(gp)), "S": (ahead, len(ahead))}, 1, 30960, 6960,
                     decode=decoder())


SCENARIOS = [("e2e_split", sc_e2e_split), ("e2ae_split", sc_e2ae_split),
             ("e2e_prelatch", sc_e2e_prelatch), ("e2ae_prelatch", sc_e2ae_prelatch)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--only", default="", help="comma-separated scenario names")
    ap.add_argument("--engines", default="cryptodev,ipsec-mb,cpu-crypto,libsrtp")
    ap.add_argument("--lcores", default=None, help="EAL --lcores map (control, 2 workers)")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--keep", action="store_true", help="keep captures and logs")
    args = ap.parse_args()
    Run.binary = os.path.abspath(args.binary)
    Run.keep = args.keep
    Run.lcores = args.lcores or default_lcores()
    Run.workdir = tempfile.mkdtemp(prefix="srtpfwd-workers-")
    only = set(x for x in args.only.split(",") if x)
    unknown = only - set(n for n, _ in SCENARIOS)
    if unknown:
        print("pipeline-workers: unknown scenario(s) %s; have %s" % (
            ",".join(sorted(unknown)), ",".join(n for n, _ in SCENARIOS)))
        return 2
    engines = [e for e in args.engines.split(",") if e]
    print("pipeline-workers: 2 workers, --lcores %s, seed %d" % (Run.lcores, args.seed))
    try:
        for name, fn in SCENARIOS:
            if only and name not in only:
                continue
            print("pipeline-workers %s" % name)
            sys.stdout.flush()
            rng = random.Random("%d/%s" % (args.seed, name))
            try:
                fn(rng, engines)
            except Exception as e:  # a broken scenario is a failure, not a crash
                import traceback
                traceback.print_exc()
                result("%s: scenario raised %s" % (name, type(e).__name__), False, str(e))
    finally:
        if args.keep or failed():
            print("captures and logs kept in %s" % Run.workdir)
        else:
            shutil.rmtree(Run.workdir, ignore_errors=True)
    return summary("pipeline-workers")


if __name__ == "__main__":
    sys.exit(main())
