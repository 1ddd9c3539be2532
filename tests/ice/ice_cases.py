# SPDX-License-Identifier: BSD-3-Clause
"""
The cases of ice_peers.py. A "side" wraps one browser-side peer (Chromium or
aiortc) behind the same four calls, so the e2ae call is written once:
offer(), answer(sdp), state() -> {connected, in_pkts, in_bytes, out_pkts,
remote, detail}.
"""
import time

from checks import result
from peer_link import wait_for
from topology import BOX_A, BOX_B, IMS, IMS_SSRC, PEER_A
import ice_hostile
import sdp_ice

IMS_COUNT = 250          # IMS -> browser packets, at IMS_RATE
IMS_RATE = 50
CONNECT_TIMEOUT = 20


def stats_of(stats, kind):
    return [s for s in stats if s.get("type") == kind]


class ChromeSide:
    def __init__(self, peer):
        self.peer = peer

    def offer(self):
        return self.peer.call("offer", timeout=60)["sdp"]

    def answer(self, sdp):
        self.peer.call("answer", sdp=sdp)

    def state(self):
        r = self.peer.call("report")["report"]
        st = {s["id"]: s for s in r["stats"]}
        inb = [s for s in stats_of(r["stats"], "inbound-rtp") if s.get("kind") == "audio"]
        out = [s for s in stats_of(r["stats"], "outbound-rtp") if s.get("kind") == "audio"]
        remote = local = dtls = None
        for t in stats_of(r["stats"], "transport"):
            pair = st.get(t.get("selectedCandidatePairId"), {})
            rc, lc = st.get(pair.get("remoteCandidateId"), {}), st.get(pair.get("localCandidateId"), {})
            if rc:
                remote, local = "%s:%s" % (rc.get("address"), rc.get("port")), \
                    "%s:%s" % (lc.get("address"), lc.get("port"))
            dtls = t.get("dtlsState")
        return {"connected": r["conn"] == "connected",
                "in_pkts": sum(s.get("packetsReceived", 0) for s in inb),
                "in_bytes": sum(s.get("bytesReceived", 0) for s in inb),
                "in_lost": sum(s.get("packetsLost", 0) for s in inb),
                "out_pkts": sum(s.get("packetsSent", 0) for s in out),
                "remote": remote, "local": local,
                "detail": "ice %s, connection %s, dtls %s" % (r["ice"], r["conn"], dtls)}


class AiortcSide:
    def __init__(self, peer):
        self.peer = peer

    def offer(self):
        return self.peer.call("offer", timeout=30)["sdp"]

    def answer(self, sdp):
        self.peer.call("remote", type="answer", sdp=sdp)

    def state(self):
        r = self.peer.call("report")["report"]
        inb = stats_of(r["stats"], "inbound-rtp")
        out = stats_of(r["stats"], "outbound-rtp")
        nom, loc = r.get("nominated"), r.get("local")
        return {"connected": r["conn"] == "connected" and r["dtls"] == "connected",
                "in_pkts": sum(s.get("packetsReceived", 0) for s in inb),
                "in_bytes": None, "frames": r["frames"],
                "in_lost": sum(s.get("packetsLost", 0) for s in inb),
                "out_pkts": sum(s.get("packetsSent", 0) for s in out),
                "remote": "%s:%d" % tuple(nom) if nom else None,
                "local": "%s:%d" % tuple(loc) if loc else None,
                "detail": "ice %s, connection %s, dtls %s" % (r["ice"], r["conn"], r["dtls"])}


def offer_checks(name, offer):
    """What the box needs from the offer; None (after a failed check) if it is not there."""
    o = sdp_ice.parse(offer)
    hosts = [c for c in o["candidates"] if c[0] == PEER_A and c[2] == "host"]
    ok = bool(o["ufrag"] and o["pwd"] and o.get("fingerprint") and o["opus"] is not None and hosts)
    result("%s: offer has ice-ufrag, ice-pwd, fingerprint, opus and a host candidate %s"
           % (name, PEER_A), ok, "parsed %r" % {k: o.get(k) for k in
                                                  ("ufrag", "fingerprint", "opus", "candidates")})
    if not ok:
        return None
    o["addr"], o["sdp"] = "%s:%d" % hosts[0][:2], offer
    return o


def box_detail(box, sid):
    """What the box says when a call did not come up, for the log and the report."""
    text = "\n".join("---- %s\n%s" % (c, box.cmd(c)) for c in
                     ("show ice %d" % sid, "show session %d" % sid, "show worker stats",
                      "show dtls stats"))
    print(text)
    return "box state printed above"


def ims_stream(ims, ssrc):
    r = ims.call("report")["report"]
    return r, r["streams"].get(str(ssrc), {"packets": 0, "pts": []})


def media_to_ims(name, ims, o):
    """The browser side's audio comes out on the IMS leg as plain RTP with its opus PT."""
    r, s = wait_for(lambda: (lambda r, s: (r, s) if s["packets"] >= 100 else None)(
        *ims_stream(ims, o["ssrc"])), 10) or ims_stream(ims, o["ssrc"])
    result("%s: ns B got >= 100 plain RTP packets of the offer's SSRC %d within 10 s"
           % (name, o["ssrc"]), s["packets"] >= 100,
           "%d; streams %r, rtcp %d, other %d" % (s["packets"], list(r["streams"]), r["rtcp"],
                                                   r["other"]))
    result("%s: their payload type is the offer's opus %d" % (name, o["opus"]),
           s["pts"] == [o["opus"]], "payload types %r" % s["pts"])
    foreign = [k for k in r["streams"] if k != str(o["ssrc"])]
    result("%s: nothing else on the IMS leg (no other SSRC, nothing not RTP)" % name,
           not foreign and r["other"] == 0, "SSRCs %r, other %d" % (foreign, r["other"]))


def media_from_ims(name, ims, side, pt, dst):
    """RTP sent into the IMS leg reaches the browser side (its own counters)."""
    s0 = side.state()
    ims.call("send", dst=dst, pt=pt, ssrc=IMS_SSRC, count=IMS_COUNT, rate=IMS_RATE)
    want = s0["in_pkts"] + IMS_COUNT - IMS_COUNT // 100
    s1 = wait_for(lambda: (lambda s: s if s["in_pkts"] >= want else None)(side.state()),
                  IMS_COUNT / IMS_RATE + 5) or side.state()
    got = s1["in_pkts"] - s0["in_pkts"]
    result("%s: %d RTP packets sent into the IMS leg: the peer received >= 99%% (inbound-rtp)"
           % (name, IMS_COUNT), got >= IMS_COUNT - IMS_COUNT // 100, "received %d" % got)
    if s1["in_bytes"] is not None:
        b = s1["in_bytes"] - s0["in_bytes"]
        result("%s: ... and their bytes (bytesReceived +%d >= 3 a packet)" % (name, b),
               b >= 3 * got and got > 0, "bytesReceived +%d for %d packets" % (b, got))
    else:
        f = s1["frames"] - s0["frames"]
        result("%s: ... and decoded them to audio frames (+%d)" % (name, f), f >= got // 2 and got > 0,
               "frames +%d for %d packets" % (f, got))


def e2ae_call(env, name, side, a_port, b_port, ims_port, hostile=False):
    box = env.box
    ims = env.peer("ims-" + name, env.ns_b, "rtp_peer.py", IMS, str(ims_port))
    o = offer_checks(name, side.offer())
    if o is None:
        return
    ufrag, pwd = sdp_ice.credentials()
    sid = box.session_add(
        "e2ae access %d core %d a-ice=lite a-ice-ufrag=%s a-ice-pwd=%s a-ice-remote-ufrag=%s "
        "a-dtls=passive a-fingerprint=%s:%s b-remote=%s:%d b-latch=strict"
        % (a_port, b_port, ufrag, pwd, o["ufrag"], o["fingerprint"][0], o["fingerprint"][1],
           IMS, ims_port))
    result("%s: session %d added (e2ae, leg a ICE-lite + DTLS passive)" % (name, sid), True)
    side.answer(sdp_ice.box_answer(o["sdp"], BOX_A, a_port, ufrag, pwd, env.fp, IMS_SSRC))
    st = wait_for(lambda: (lambda s: s if s["connected"] else None)(side.state()),
                  CONNECT_TIMEOUT) or side.state()
    result("%s: ICE and DTLS connected within %d s" % (name, CONNECT_TIMEOUT), st["connected"],
           st["detail"] + "; " + ("" if st["connected"] else box_detail(box, sid)))
    if not st["connected"]:
        return
    result("%s: the peer's selected pair is %s -> %s:%d" % (name, o["addr"], BOX_A, a_port),
           st["remote"] == "%s:%d" % (BOX_A, a_port) and st["local"] == o["addr"],
           "%s -> %s" % (st["local"], st["remote"]))
    media_to_ims(name, ims, o)
    nom = box.nominated(sid, "a")
    result("%s: show ice %d: leg a's nominated pair is the peer's %s" % (name, sid, o["addr"]),
           nom == o["addr"], "nominated %s" % nom)
    media_from_ims(name, ims, side, o["opus"], "%s:%d" % (BOX_B, b_port))
    if hostile:
        ice_hostile.flood(env, name, side, ims, o, sid, ufrag, a_port, b_port)
    box.cmd("session del %d" % sid)


def case_chromium(env):
    side = ChromeSide(env.peer("chromium", env.ns_a, "chrome_peer.py", env.work))
    e2ae_call(env, "chromium", side, 20000, 30000, 6000, hostile=True)


def case_aiortc(env):
    side = AiortcSide(env.peer("aiortc", env.ns_a, "aiortc_peer.py"))
    e2ae_call(env, "aiortc", side, 20002, 30002, 6002)


def case_e2e(env):
    """Two aiortc peers through an e2e session, ICE-lite on both legs, DTLS end to end."""
    box, a_port, b_port = env.box, 20004, 30004
    dtls0 = box.dtls_stats()
    a = AiortcSide(env.peer("aiortc-a", env.ns_a, "aiortc_peer.py"))
    b = AiortcSide(env.peer("aiortc-b", env.ns_b, "aiortc_peer.py"))
    offer = a.offer()
    oa = sdp_ice.parse(offer)
    ua, pa = sdp_ice.credentials()
    ub, pb = sdp_ice.credentials()
    b.peer.call("remote", type="offer", sdp=sdp_ice.via_box(offer, BOX_B, b_port, ub, pb))
    answer = b.peer.call("create_answer")["sdp"]
    ob = sdp_ice.parse(answer)
    result("e2e: both peers' descriptions carry credentials and a fingerprint",
           all(o["ufrag"] and o["pwd"] and o.get("fingerprint") for o in (oa, ob)),
           "A %r, B %r" % (oa.get("ufrag"), ob.get("ufrag")))
    sid = box.session_add(
        "e2e access %d core %d a-ice=lite a-ice-ufrag=%s a-ice-pwd=%s a-ice-remote-ufrag=%s "
        "b-ice=lite b-ice-ufrag=%s b-ice-pwd=%s b-ice-remote-ufrag=%s"
        % (a_port, b_port, ua, pa, oa["ufrag"], ub, pb, ob["ufrag"]))
    result("e2e: session %d added (e2e, ICE-lite on both legs)" % sid, True)
    answer = b.peer.call("set_local")["sdp"]      # B gathers and starts its checks now
    a.answer(sdp_ice.via_box(answer, BOX_A, a_port, ua, pa))
    states = wait_for(lambda: (lambda s: s if all(x["connected"] for x in s) else None)(
        [a.state(), b.state()]), CONNECT_TIMEOUT) or [a.state(), b.state()]
    ok = all(x["connected"] for x in states)
    result("e2e: A and B completed ICE with the box and DTLS with each other (their own "
           "fingerprints) within %d s" % CONNECT_TIMEOUT, ok,
           "A: %s; B: %s; %s" % (states[0]["detail"], states[1]["detail"],
                                 "" if ok else box_detail(box, sid)))
    if not ok:
        return
    for leg, st, o, ns_ip in (("a", states[0], oa, PEER_A), ("b", states[1], ob, IMS)):
        nom = box.nominated(sid, leg)
        result("e2e: show ice %d: leg %s's nominated pair is the peer's %s" % (sid, leg, st["local"]),
               nom is not None and nom == st["local"] and nom.startswith(ns_ip + ":"),
               "nominated %s, peer uses %s" % (nom, st["local"]))
    s0 = [a.state(), b.state()]
    time.sleep(3)
    s1 = [a.state(), b.state()]
    for who, other, i in (("A", "B", 0), ("B", "A", 1)):
        got = s1[i]["in_pkts"] - s0[i]["in_pkts"]
        frames = s1[i]["frames"] - s0[i]["frames"]
        sent = s1[1 - i]["out_pkts"] - s0[1 - i]["out_pkts"]
        result("e2e: %s hears %s: in 3 s %d RTP packets received (%s sent %d), %d frames decoded"
               % (who, other, got, other, sent, frames),
               got >= 100 and got >= sent * 0.95 and frames >= 100, "")
    dtls1 = box.dtls_stats()
    keys = ("conns_created", "datagrams_rx", "datagrams_tx")
    result("e2e: the box terminated no DTLS (show dtls stats %s unchanged)" % "/".join(keys),
           all(dtls1.get(k) == dtls0.get(k) for k in keys),
           "%r -> %r" % ([dtls0.get(k) for k in keys], [dtls1.get(k) for k in keys]))
    box.cmd("session del %d" % sid)
