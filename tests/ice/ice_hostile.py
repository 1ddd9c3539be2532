# SPDX-License-Identifier: BSD-3-Clause
"""
The hostile phase of a running e2ae call (ice_cases.e2ae_call): hostile.py
floods the access port from spoofed sources in ns A and the core port from
spoofed sources in ns B while the call's media flows both ways; then the
call, the box's counters and what went back to each spoofed source are
checked.
"""
import json
import os
import subprocess
import time

from checks import result
from peer_link import reap, wait_for
from topology import BOX_A, BOX_B, IMS, IMS_SSRC

A_KINDS = ("stun_no_mi,stun_wrong_mi,stun_wrong_ufrag,stun_bad_fp,dtls_record,dtls_hello,"
           "srtp,garbage,icmp6_echo,icmp6_ns,arp")
B_KINDS = "rtp_jump,garbage,stun_no_mi,dtls_hello,arp"
DURATION = float(os.environ.get("ICE_HOSTILE_DURATION", "20"))
RATE = float(os.environ.get("ICE_HOSTILE_RATE", "100"))     # per kind; >= the media's 50
MIN_RATE = 50
MEDIA_RATE = 50
MEMPOOL_SLACK = 300          # mbufs in flight or in per-lcore caches at either snapshot


def start(env, ns, iface, tag, args):
    out = os.path.join(env.work, "hostile-%s.json" % tag)
    log = open(os.path.join(env.work, "hostile-%s.log" % tag), "w")
    argv = ["ip", "netns", "exec", ns, "/usr/bin/python3",
            os.path.join(os.path.dirname(os.path.abspath(__file__)), "hostile.py"),
            "--iface", iface, "--duration", str(DURATION), "--rate", str(RATE), "--out", out] + args
    return subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT), out, log


def finish(proc, out, log):
    reap(proc, DURATION + 30)
    log.close()
    try:
        with open(out) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def flood(env, name, side, ims, o, sid, ufrag, a_port, b_port):
    box, tag = env.box, name + ": hostile"
    before, st0 = box.snapshot(), side.state()
    sent0 = ims.call("report")["report"]["sent"]
    ims.call("send", dst="%s:%d" % (BOX_B, b_port), pt=o["opus"], ssrc=IMS_SSRC,
             count=int(MEDIA_RATE * (DURATION + 1)), rate=MEDIA_RATE)
    t0 = time.time()
    ha = start(env, env.ns_a, env.peer_a, "a", [
        "--box-mac", env.mac[env.veth_a], "--box-ip", BOX_A, "--port", str(a_port),
        "--kinds", A_KINDS, "--ufrag", ufrag, "--remote-ufrag", o["ufrag"], "--pt", str(o["opus"]),
        "--ssrc", str(o["ssrc"] or 0), "--watch", o["addr"]])
    hb = start(env, env.ns_b, env.peer_b, "b", [
        "--box-mac", env.mac[env.veth_b], "--box-ip", BOX_B, "--port", str(b_port),
        "--kinds", B_KINDS, "--src4", "198.19.0.16", "--offlink4", "198.19.1.16",
        "--pt", str(o["opus"]), "--ssrc", str(IMS_SSRC), "--watch", "%s:%d" % (IMS, 6000)])
    time.sleep(DURATION / 2)
    mid_nom = box.nominated(sid, "a")
    ra, rb = finish(*ha), finish(*hb)
    t1 = time.time()
    # the IMS stream ends a second after the floods; then what is in flight lands
    want = lambda: ims.call("report")["report"]["sent"] - sent0  # noqa: E731
    wait_for(lambda: want() >= int(MEDIA_RATE * (DURATION + 1)), 5)
    time.sleep(1)
    after, st1 = box.snapshot(), side.state()
    result("%s: hostile.py ran in ns A and ns B" % tag, ra is not None and rb is not None,
           "results %s %s (logs in the work directory)" % (ra is not None, rb is not None))
    if ra is None or rb is None:
        return
    check_rates(tag, ra, rb)
    check_call(tag, ims, side, o, st0, st1, sent0, t0, t1)
    nom = box.nominated(sid, "a")
    result("%s: show ice: the nominated pair stayed the peer's %s (mid-flood %s, after %s)"
           % (tag, o["addr"], mid_nom, nom), mid_nom == o["addr"] and nom == o["addr"], "")
    rem = box.leg_remote(sid, "a"), box.leg_remote(sid, "b")
    result("%s: show session: leg a's remote is still %s, leg b's %s:6000" % (tag, o["addr"], IMS),
           rem == (o["addr"], "%s:6000" % IMS), "remotes %r" % (rem,))
    check_replies(tag, ra, rb)
    check_counters(tag, before, after, ra, rb)


def check_rates(tag, ra, rb):
    slow = ["%s %.0f pps" % (k, v["pps"]) for r in (ra, rb) for k, v in r["kinds"].items()
            if v["pps"] < MIN_RATE]
    n = sum(v["sent_pkts"] for r in (ra, rb) for v in r["kinds"].values())
    result("%s: %d kinds from %d spoofed sources, each at >= %d pps (%d packets in all)"
           % (tag, len(ra["kinds"]) + len(rb["kinds"]), len(ra["sources"]) + len(rb["sources"]),
              MIN_RATE, n), not slow, ", ".join(slow))
    result("%s: the SRTP kind copied the genuine stream's live header (SSRC %s, %d packets seen)"
           % (tag, ra["ssrc"], ra["watch_seen"]), ra["watch_seen"] > 0, "never saw the stream")


def check_call(tag, ims, side, o, st0, st1, sent0, t0, t1):
    r = ims.call("report", t0=t0, t1=t1)["report"]
    s = r["streams"].get(str(o["ssrc"]), {"expected": 0, "lost": 0, "dups": 0, "window": 0})
    result("%s: IMS side: the peer's stream kept its media, loss %d of %d (<= 0.1%%), no duplicates"
           % (tag, s["lost"], s["expected"]),
           s["expected"] >= MEDIA_RATE * DURATION * 0.9 and s["lost"] * 1000 <= s["expected"]
           and s["dups"] == 0, "window %d, dups %d" % (s["window"], s["dups"]))
    foreign = {k: v["packets"] for k, v in r["streams"].items() if k != str(o["ssrc"])}
    result("%s: nothing from the spoofed sources reached ns B (only the peer's SSRC, nothing "
           "not RTP)" % tag, not foreign and r["other"] == 0,
           "other SSRCs %r, other %d" % (foreign, r["other"]))
    sent = ims.call("report")["report"]["sent"] - sent0
    got = st1["in_pkts"] - st0["in_pkts"]
    result("%s: browser side: it received %d of the %d packets sent into the IMS leg (>= 99.9%%)"
           % (tag, got, sent), sent > 0 and got * 1000 >= sent * 999,
           "packetsLost %s -> %s" % (st0["in_lost"], st1["in_lost"]))
    result("%s: the peer is still connected" % tag, st1["connected"], st1["detail"])


def check_replies(tag, ra, rb):
    srcs = dict(ra["sources"], **rb["sources"])
    over = ["%s (%s) %d B back for %d B" % (ip, s["kind"], s["back_bytes"], s["sent_bytes"])
            for ip, s in srcs.items() if s["back_bytes"] > s["sent_bytes"]]
    back = {k: (v["back_pkts"], v["back_bytes"], v["sent_bytes"])
            for r in (ra, rb) for k, v in r["kinds"].items() if v["back_pkts"]}
    result("%s: no spoofed source got more bytes back than it sent (%d sources)" % (tag, len(srcs)),
           not over, "; ".join(over[:8]))
    print("  info  replies per kind (packets, bytes back, bytes sent): %r" % back)
    many = ["%s (%s) %d" % (ip, s["kind"], s["lookups"]) for ip, s in srcs.items()
            if s["lookups"] > 3]
    n = sum(s["lookups"] for s in srcs.values())
    result("%s: the box's ARP/ND lookups of spoofed sources are bounded (%d in all, <= 3 each)"
           % (tag, n), not many, "; ".join(many[:8]))


# Where each kind's packets must be counted (the box's drop names): (names,
# kinds from ns A, kinds from ns B, share). Garbage is a lone byte of any
# class a fifth of the time, so only most of it is demux_unknown.
EXPECTED_DROPS = (
    # Forged checks beyond a leg's budget of strangers' checks are not even
    # parsed (stun_check_rate): the four kinds are counted together.
    (("stun_no_credentials", "stun_integrity", "stun_username", "stun_fingerprint",
      "stun_check_rate"), ("stun_no_mi", "stun_wrong_mi", "stun_wrong_ufrag", "stun_bad_fp"),
     (), 1.0),
    (("ice_unchecked",), ("dtls_record", "dtls_hello", "srtp"), (), 1.0),
    (("icmp6_other",), ("icmp6_echo",), (), 1.0),
    (("demux_unknown",), ("garbage",), ("garbage",), 0.7),
    (("source_mismatch",), (), ("rtp_jump", "stun_no_mi", "dtls_hello"), 1.0),
)


def delta(before, after):
    return {k: after.get(k, 0) - before.get(k, 0) for k in after if after.get(k, 0) != before.get(k, 0)}


def check_counters(tag, before, after, ra, rb):
    d = delta(before["drops"], after["drops"])
    print("  info  drops during the flood: %s" % ", ".join("%s +%d" % kv for kv in sorted(d.items())))
    missed = sum(a["missed"] - b["missed"] for a, b in zip(after["ports"], before["ports"]))
    result("%s: the box's ports missed nothing (RX-missed +%d)" % (tag, missed), missed == 0, "")
    for names, kinds_a, kinds_b, share in EXPECTED_DROPS:
        sent = sum(ra["kinds"].get(k, {}).get("sent_pkts", 0) for k in kinds_a) + \
            sum(rb["kinds"].get(k, {}).get("sent_pkts", 0) for k in kinds_b)
        got = sum(d.get(n, 0) for n in names)
        result("%s: %s +%d for the %d packets of %s" % (tag, "/".join(names), got, sent,
               ", ".join(["A " + k for k in kinds_a] + ["B " + k for k in kinds_b])),
               sent > 0 and got >= int(sent * share), "expected >= %d" % int(sent * share))
    mp0, mp1 = before["mempools"], after["mempools"]
    grew = {k: (mp0.get(k), v) for k, v in (mp1 or {}).items()
            if mp0 and v > mp0.get(k, 0) + MEMPOOL_SLACK}
    result("%s: mempools in use before ~ after (slack %d): %r -> %r" % (tag, MEMPOOL_SLACK, mp0, mp1),
           mp0 is not None and mp1 is not None and not grew, "grew %r" % grew if mp0 else
           "the box has no 'show mempool all'")
    h0, h1 = before["heap"], after["heap"]
    result("%s: DPDK heap allocations unchanged: %r -> %r" % (tag, h0, h1),
           h0 is not None and h1 is not None and h1["count"] <= h0["count"], "")
    result("%s: neighbours %s -> %s, sessions %s -> %s: no entry for a spoofed source"
           % (tag, before["neigh"], after["neigh"], before["sessions"], after["sessions"]),
           after["neigh"] is not None and after["neigh"] <= before["neigh"]
           and after["sessions"] == before["sessions"], "")
