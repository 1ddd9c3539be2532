#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
A browser calls a SIP phone through srtpfwd (run by run.sh, which makes the
namespaces and cleans up). One srtpfwd on net_af_packet ports over the root
ends of the veths, ng on 127.0.0.1; per case, in this order:

  headless Chromium (ns browser, tests/ice/chrome_peer.py) makes its offer
  (audio; for "video" audio plus the fake camera's video, bundled: the page
  asks for bundlePolicy max-bundle, rtcpMuxPolicy require);
  ng offer (from-tag browser) with the WebRTC -> SIP flags of
  tests/ng/ng_calls.py (ICE remove, DTLS off, SDES off, RTP/AVP, rtcp-mux
  demux, replace origin and session-connection, direction access -> core);
  sip_uac.py (ns phone) INVITEs SIPp's UAS (ns phone, 198.19.0.2:5060) with
  the box's SDP; SIPp answers RTP/AVP (PCMA, and VP8 for video) in its 200 OK;
  ng answer (to-tag from the 200's To) with the same flags: srtpfwd maps it
  back to the browser's profile; Chromium takes that answer; the ACK starts
  SIPp's g711a.pcap; media flows; then BYE, ng delete.

Checks, per case (each a named ok/FAIL line):
  the offer towards SIPp: RTP/AVP only, no ICE/DTLS/BUNDLE/rtcp-mux/crypto
    attributes, o= and c= the box's core address, an even port of its core
    range per m-line (video: one port per m-line, all different);
  the answer to Chromium: UDP/TLS/RTP/SAVPF with the phone's codec,
    a=ice-lite, the box's host candidate on its access address, its
    fingerprint, a=setup, a=rtcp-mux; a=group:BUNDLE naming the offer's mids
    (Chromium with max-bundle refuses an answer without it); video: the
    bundled sections share one port, one candidate, one ufrag;
  Chromium took the answer, its ICE and DTLS transport connected
    (getStats), inbound-rtp audio packetsReceived > 50 (SIPp's PCMA),
    outbound-rtp audio (and video) packetsSent > 50;
  tcpdump in ns phone: > 50 RTP packets from the box's core address to the
    phone's audio port (PT 8), video: > 50 to its video port (PT 96); RTCP
    from the box's core address to each answered RTP port + 1 (the phone's
    answer has no rtcp-mux and no a=rtcp: RFC 3605's default);
  the box: ng query shows packets from both parties, show worker stats no
    srtp_auth drops during the call;
  signalling: 180 and 200 to the INVITE, 200 to the BYE, SIPp's UAS exits
    0 with one successful call, ng delete ok, ng list no longer has the call.

usage: gateway.py SRTPFWD WORKDIR ID NS_BROWSER NS_PHONE VETH_ACCESS VETH_CORE
                  PEER_BROWSER PEER_PHONE [audio] [video]
env: GW_PREFIX (the EAL file prefix)
Prints "gateway: N passed, M failed"; exit status 1 on any failure.
"""
import csv
import os
import re
import signal
import struct
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "ice"))
sys.path.insert(0, os.path.join(HERE, "..", "ng"))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
from box import Box, BoxError  # noqa: E402
from checks import result, summary  # noqa: E402
from ng_calls import WEBRTC_TO_SIP  # noqa: E402
from ng_ping import free_port  # noqa: E402
from ngproto import NgClient  # noqa: E402
from peer_link import Peer, PeerError, reap, wait_for  # noqa: E402

PY = "/usr/bin/python3"
CASES = ("audio", "video")
BROWSER, BOX_A, BOX_C, PHONE = "198.18.0.2", "198.18.0.1", "198.19.0.1", "198.19.0.2"
SIP_PORT, UAC_PORT, MEDIA_PORT = 5060, 5070, 6000    # SIPp, sip_uac.py, SIPp's audio port
ACCESS_PORTS, CORE_PORTS = (20000, 20999), (30000, 30999)
MIN_PKTS = 50            # what "media flows" means, each way
MEDIA_WAIT = 15          # s: the most we wait for it once connected
RTCP_WAIT = 7            # s after connect: Chromium's audio RTCP comes every few seconds
CONNECT_TIMEOUT = 20
RTCP_PT = range(200, 205)   # SR RR SDES BYE APP: RTCP by its second byte (RFC 5761 4)

CONFIG = """[general]
mbufs = 8191
ng-listen = 127.0.0.1:%d

[interface access]
port = net_af_packet0
ipv4 = %s/24
media-ports = %d-%d

[interface core]
port = net_af_packet1
ipv4 = %s/24
media-ports = %d-%d
"""


class NgFailed(Exception):
    pass


def plain(v):
    """A bencode reply with its byte strings as text, for the log."""
    if isinstance(v, bytes):
        return v.decode(errors="replace")
    if isinstance(v, list):
        return [plain(x) for x in v]
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    return v


class Env:
    def __init__(self, argv):
        (self.binary, self.work, self.id, self.ns_browser, self.ns_phone, self.veth_a,
         self.veth_c, self.peer_a, self.peer_c) = argv[:9]
        self.cases = argv[9:] or list(CASES)
        self.box = None
        self.ng = None
        self.procs = []     # (Popen, timeout) of SIPp and tcpdump, stopped at the end
        self.peers = []

    def path(self, *p):
        return os.path.join(self.work, *p)

    def ngcall(self, command, **keys):
        try:
            return plain(self.ng(command, **keys))
        except OSError as e:
            raise NgFailed("ng %s: %s" % (command, e))

    def peer(self, name, ns, script, *args):
        p = Peer(name, ["ip", "netns", "exec", ns, PY, os.path.join(HERE, script)] + list(args),
                 self.path(name + ".log"))
        self.peers.append(p)
        return p

    def stop_peers(self):
        for p in self.peers:
            p.stop()
        self.peers = []


# ---- SDP ----

def sdp_lines(sdp):
    return [ln for ln in sdp.replace("\r\n", "\n").split("\n") if ln]


def sections(sdp):
    """[session lines, then one list of lines per m= section]"""
    out = [[]]
    for ln in sdp_lines(sdp):
        if ln.startswith("m="):
            out.append([])
        out[-1].append(ln)
    return out


def media(sdp):
    """Per m= section: kind, port, proto, payload types and its a= lines."""
    res = []
    for sec in sections(sdp)[1:]:
        f = sec[0][2:].split()
        res.append({"kind": f[0], "port": int(f[1]), "proto": f[2], "pts": f[3:],
                    "lines": sec, "attrs": [ln for ln in sec if ln.startswith("a=")]})
    return res


def attr_values(lines, name):
    return [ln.split(":", 1)[1].strip() if ":" in ln else "" for ln in lines
            if ln == "a=" + name or ln.startswith("a=%s:" % name)]


def show_sdp(title, sdp):
    """The SDP, indented, for a failed check's detail."""
    return "\n      %s:\n        %s" % (title, "\n        ".join(sdp_lines(sdp or "(none)")))


# ---- captures (tcpdump in a namespace, read back here) ----

class Capture:
    """tcpdump on a namespace end of a veth (af_packet's own TX bypasses the taps of the
    root end); packets() reads the file back (Ethernet, IPv4, UDP) as it grows."""

    def __init__(self, env, ns, ifname, name):
        self.file = env.path(name + ".pcap")
        err = open(self.file + ".err", "w")
        self.proc = subprocess.Popen(
            ["ip", "netns", "exec", ns, "tcpdump", "-i", ifname, "-n", "-s", "192", "-U",
             "-w", self.file, "udp"], stdout=subprocess.DEVNULL, stderr=err)
        env.procs.append((self.proc, 5))
        self.up = wait_for(lambda: "listening on" in read(self.file + ".err"), 10, 0.1)

    def stop(self):
        if self.proc.poll() is None:
            time.sleep(0.3)
            self.proc.send_signal(signal.SIGINT)
        reap(self.proc, 5)

    def packets(self):
        """[(src ip, src port, dst ip, dst port, UDP payload)] so far."""
        try:
            with open(self.file, "rb") as f:
                data = f.read()
        except OSError:
            return []
        if len(data) < 24:
            return []
        magic = data[:4]
        end = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
        out, off = [], 24
        while off + 16 <= len(data):
            incl = struct.unpack(end + "IIII", data[off:off + 16])[2]
            frame = data[off + 16:off + 16 + incl]
            off += 16 + incl
            if len(frame) < incl or len(frame) < 14 + 20 + 8 or frame[12:14] != b"\x08\x00":
                continue
            ip = frame[14:]
            ihl = (ip[0] & 0x0F) * 4
            if ip[9] != 17 or len(ip) < ihl + 8:
                continue
            sport, dport = struct.unpack("!HH", ip[ihl:ihl + 4])
            out.append((".".join(map(str, ip[12:16])), sport, ".".join(map(str, ip[16:20])), dport,
                        ip[ihl + 8:]))
        return out


def rtp_kind(payload):
    """'rtp' (version 2, not an RTCP type), 'rtcp', or None."""
    if len(payload) < 8 or payload[0] >> 6 != 2:
        return None
    return "rtcp" if payload[1] in RTCP_PT else "rtp"


def phone_rx(cap, port):
    """What the phone got from the box's core address on port: RTP packets, their payload
    types, RTCP packets; and the same by destination port, for the detail."""
    rtp, pts, rtcp, by_port = 0, {}, 0, {}
    for src, _, dst, dport, pl in cap.packets():
        if src != BOX_C or dst != PHONE:
            continue
        k = rtp_kind(pl)
        if k is None:
            continue
        by_port.setdefault((dport, k), 0)
        by_port[(dport, k)] += 1
        if dport == port and k == "rtp":
            rtp += 1
            pt = pl[1] & 0x7F
            pts[pt] = pts.get(pt, 0) + 1
        elif dport == port and k == "rtcp":
            rtcp += 1
    return {"rtp": rtp, "pts": pts, "rtcp": rtcp,
            "by_port": {"%d/%s" % k: v for k, v in sorted(by_port.items())}}


def read(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


# ---- Chromium ----

def chrome_state(peer):
    r = peer.call("report", timeout=15)["report"]
    stats = r["stats"]
    by_id = {s["id"]: s for s in stats}

    def rtp(kind, direction):
        return [s for s in stats if s.get("type") == direction and s.get("kind") == kind]
    transports = [s for s in stats if s.get("type") == "transport"]
    pairs = []
    for t in transports:
        p = by_id.get(t.get("selectedCandidatePairId"), {})
        rc = by_id.get(p.get("remoteCandidateId"), {})
        if rc:
            pairs.append("%s:%s" % (rc.get("address"), rc.get("port")))
    return {
        "ice": r["ice"], "conn": r["conn"],
        "dtls": [t.get("dtlsState") for t in transports],
        "ice_transport": [t.get("iceState") for t in transports],
        "pairs": pairs,
        "in_audio": sum(s.get("packetsReceived", 0) for s in rtp("audio", "inbound-rtp")),
        "out_audio": sum(s.get("packetsSent", 0) for s in rtp("audio", "outbound-rtp")),
        "in_video": sum(s.get("packetsReceived", 0) for s in rtp("video", "inbound-rtp")),
        "out_video": sum(s.get("packetsSent", 0) for s in rtp("video", "outbound-rtp")),
    }


def connected(st):
    return (st["ice"] in ("connected", "completed") and st["dtls"] != [] and
            all(d == "connected" for d in st["dtls"]))


# ---- SIPp ----

def start_sipp(env, case):
    name = "sipp-" + case
    out = open(env.path(name + ".out"), "w")
    argv = ["ip", "netns", "exec", env.ns_phone, "sipp", "-sf",
            os.path.join(HERE, "uas_%s.xml" % case), "-i", PHONE, "-p", str(SIP_PORT),
            "-mi", PHONE, "-mp", str(MEDIA_PORT), "-m", "1", "-timeout", "60s", "-nostdin",
            "-trace_msg", "-message_file", env.path(name + "_messages.log"),
            "-trace_err", "-error_file", env.path(name + "_errors.log"),
            "-trace_stat", "-stf", env.path(name + "_stat.csv"), "-fd", "1"]
    p = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                         cwd=env.work)
    env.procs.append((p, 5))
    return p


def sipp_stats(path):
    """SIPp's last -trace_stat line: (SuccessfulCall(C), FailedCall(C)), None if none."""
    try:
        with open(path, newline="") as f:
            rows = list(csv.reader(f, delimiter=";"))
        head, last = rows[0], rows[-1]
        return (int(last[head.index("SuccessfulCall(C)")]), int(last[head.index("FailedCall(C)")]))
    except (OSError, ValueError, IndexError):
        return None


def sip_listening(env):
    """SIPp's UDP socket on PHONE:SIP_PORT is bound (ss in its namespace)."""
    out = subprocess.run(["ip", "netns", "exec", env.ns_phone, "ss", "-Hlun"],
                         capture_output=True, text=True).stdout
    return "%s:%d" % (PHONE, SIP_PORT) in out


# ---- the box ----

def start_box(env):
    port = free_port()
    cfg = CONFIG % (port, BOX_A, ACCESS_PORTS[0], ACCESS_PORTS[1], BOX_C, CORE_PORTS[0],
                    CORE_PORTS[1])
    prefix = os.environ.get("GW_PREFIX", "gw%d" % os.getpid())
    vdevs = ["net_af_packet0,iface=%s,qpairs=2" % env.veth_a,
             "net_af_packet1,iface=%s,qpairs=2" % env.veth_c]
    # DPDK's af_packet joins a PACKET_FANOUT group numbered pid ^ ifindex: another process
    # can hold that number (EINVAL); another pid is another number (as tests/sip does).
    for _ in range(3):
        env.box = Box(env.binary, env.work, prefix, vdevs, cfg)
        if env.box.wait_log(r"srtpfwd: \d+ worker", 30):
            break
        if "PACKET_FANOUT" not in env.box.text():
            return False
        env.box.stop()
        print("  (af_packet fanout group taken, started again)")
    else:
        return False
    env.ng = NgClient(port)

    def pong():
        try:
            return env.ng("ping").get("result") == b"pong"
        except OSError:
            return False
    return wait_for(pong, 10, 0.3)


def tag_packets(q):
    """ng query -> {tag: RTP+RTCP packets its streams received}."""
    return {tag: sum(s.get("stats", {}).get("packets", 0) for m in d.get("medias", [])
                     for s in m.get("streams", []))
            for tag, d in (q.get("tags") or {}).items()}


# ---- one call ----

def run_case(env, case):
    video = case == "video"
    kinds = ["audio", "video"] if video else ["audio"]
    call_id = "gw-%s-%s@browser.test" % (case, env.id)
    work = env.path(case)
    os.makedirs(work, exist_ok=True)
    box = env.box
    drops0 = box.drops()

    cap = Capture(env, env.ns_phone, env.peer_c, case + "-phone")
    cap_b = Capture(env, env.ns_browser, env.peer_a, case + "-browser")   # for debugging
    sipp = start_sipp(env, case)
    uac = env.peer("sip-uac-" + case, env.ns_phone, "sip_uac.py", PHONE, str(UAC_PORT), PHONE,
                   str(SIP_PORT))
    chrome = env.peer("chromium-" + case, env.ns_browser, os.path.join("..", "ice",
                                                                         "chrome_peer.py"), work)
    result("%s: tcpdump listening in both namespaces, SIPp's UAS on %s:%d" %
           (case, PHONE, SIP_PORT), cap.up and cap_b.up and wait_for(lambda: sip_listening(env),
                                                                     10, 0.2),
           read(env.path("sipp-%s.out" % case))[-500:])

    # Chromium's offer -> ng offer -> the SDP towards SIPp.
    offer = (chrome.call("offer", timeout=60, video=True) if video else
             chrome.call("offer", timeout=60))["sdp"]
    save(env, case + "-1-chromium-offer.sdp", offer)
    om = media(offer)
    group = attr_values(sections(offer)[0], "group")
    result("%s: Chromium's offer: %s, one BUNDLE group of all its mids (max-bundle)" %
           (case, "+".join(kinds)),
           [m["kind"] for m in om] == kinds and len(group) == 1 and
           group[0].split()[1:] == [attr_values(m["lines"], "mid")[0] for m in om if
                                     attr_values(m["lines"], "mid")],
           show_sdp("offer", offer))
    r = env.ngcall("offer", call_id=call_id, from_tag="browser", sdp=offer, **WEBRTC_TO_SIP)
    sip_offer = r.get("sdp", "")
    save(env, case + "-2-offer-to-phone.sdp", sip_offer)
    check_sip_offer(case, kinds, r, sip_offer)

    inv = uac.call("invite", timeout=30, sdp=sip_offer, call_id=call_id, from_tag="browser")
    phone_sdp = inv.get("sdp") or ""
    save(env, case + "-3-phone-answer.sdp", phone_sdp)
    result("%s: SIPp's UAS: 180, then 200 OK with an RTP/AVP answer (to-tag %s)" %
           (case, inv.get("to_tag")),
           inv.get("status") == 200 and 180 in inv.get("responses", []) and
           inv.get("to_tag") and [m["proto"] for m in media(phone_sdp)] == ["RTP/AVP"] * len(kinds),
           "%s %s; %s%s" % (inv.get("status"), inv.get("responses"), inv.get("messages"),
                            show_sdp("200 OK SDP", phone_sdp)))
    if inv.get("status") != 200:
        env.ngcall("delete", call_id=call_id, from_tag="browser")
        return
    pm = media(phone_sdp)
    ports = {m["kind"]: m["port"] for m in pm}

    a = env.ngcall("answer", call_id=call_id, from_tag="browser", to_tag=inv["to_tag"],
                   sdp=phone_sdp, **WEBRTC_TO_SIP)
    answer = a.get("sdp", "")
    save(env, case + "-4-answer-to-chromium.sdp", answer)
    check_answer(case, kinds, a, answer, offer)

    try:
        chrome.call("answer", timeout=15, sdp=answer)
        applied, why = True, ""
    except PeerError as e:
        applied, why = False, str(e)
    result("%s: Chromium took the answer (setRemoteDescription)" % case, applied,
           why + " (the answer as printed above)")
    uac.call("ack")

    # Media, both ways.
    t_conn = time.monotonic()
    st = None
    if applied:
        st = wait_for(lambda: (lambda s: s if connected(s) else None)(chrome_state(chrome)),
                      CONNECT_TIMEOUT) or chrome_state(chrome)
        t_conn = time.monotonic()
        if connected(st):
            def flowing():
                s = chrome_state(chrome)
                rx = phone_rx(cap, ports["audio"])
                ok = (s["in_audio"] > MIN_PKTS and s["out_audio"] > MIN_PKTS and
                      rx["rtp"] > MIN_PKTS and rx["rtcp"] + rx["by_port"].get(
                          "%d/rtcp" % (ports["audio"] + 1), 0) > 0 and
                      (not video or s["out_video"] > MIN_PKTS) and
                      time.monotonic() - t_conn >= 3)
                return s if ok else None
            st = wait_for(flowing, MEDIA_WAIT) or chrome_state(chrome)
            # RTCP on its own schedule (audio: every few seconds)
            while time.monotonic() - t_conn < RTCP_WAIT and not phone_rx(
                    cap, ports["audio"] + 1)["rtcp"]:
                time.sleep(0.5)
            st = chrome_state(chrome)
    not_reached = "" if applied else "(not reached: Chromium refused the answer)"
    if st is None:
        st = {"ice": "-", "conn": "-", "dtls": [], "ice_transport": [], "pairs": [],
              "in_audio": 0, "out_audio": 0, "in_video": 0, "out_video": 0}
    result("%s: Chromium: ICE connected and DTLS connected (getStats transport), its selected "
           "pair to the box's %s" % (case, BOX_A),
           connected(st) and st["pairs"] != [] and
           all(p.startswith(BOX_A + ":") for p in st["pairs"]), "%s; ice %s, connection %s, transport ice %s dtls %s, pairs %s" %
           (not_reached, st["ice"], st["conn"], st["ice_transport"], st["dtls"], st["pairs"]))
    result("%s: Chromium: inbound-rtp audio packetsReceived %d > %d (SIPp's PCMA)" %
           (case, st["in_audio"], MIN_PKTS), st["in_audio"] > MIN_PKTS, not_reached)
    result("%s: Chromium: outbound-rtp audio packetsSent %d > %d" %
           (case, st["out_audio"], MIN_PKTS), st["out_audio"] > MIN_PKTS, not_reached)
    if video:
        result("%s: Chromium: outbound-rtp video packetsSent %d > %d" %
               (case, st["out_video"], MIN_PKTS), st["out_video"] > MIN_PKTS, not_reached)

    q = env.ngcall("query", call_id=call_id)
    show = box.cmd("show call %s" % call_id)
    drops1 = box.drops()
    bye = uac.call("bye", timeout=25)
    try:
        sipp_rc = sipp.wait(timeout=10)
    except subprocess.TimeoutExpired:
        sipp.kill()
        sipp_rc = sipp.wait()
    cap.stop()
    cap_b.stop()

    # What the phone got (tcpdump in its namespace).
    rx = phone_rx(cap, ports["audio"])
    result("%s: the phone got %d PCMA (PT 8) RTP packets from %s on its audio port %d > %d" %
           (case, rx["pts"].get(8, 0), BOX_C, ports["audio"], MIN_PKTS),
           rx["pts"].get(8, 0) > MIN_PKTS,
           "payload types %s; from %s by port/kind %s %s" % (rx["pts"], BOX_C, rx["by_port"],
                                                             not_reached))
    result("%s: nothing but PCMA reached the phone's audio port (payload types %s)" %
           (case, sorted(rx["pts"])), set(rx["pts"]) == {8},
           "payload types and packets %s; from %s by port/kind %s %s" %
           (rx["pts"], BOX_C, rx["by_port"], not_reached))
    if video:
        vx = phone_rx(cap, ports["video"])
        result("%s: the phone got %d RTP packets from %s on its video port %d > %d, all VP8 (PT 96)"
               % (case, vx["rtp"], BOX_C, ports["video"], MIN_PKTS),
               vx["rtp"] > MIN_PKTS and set(vx["pts"]) == {96},
               "payload types %s; from %s by port/kind %s %s" % (vx["pts"], BOX_C, vx["by_port"],
                                                                 not_reached))
    for k in kinds:
        rc = phone_rx(cap, ports[k] + 1)
        result("%s: RTCP from the browser reached the phone on its %s RTP port + 1 (%d): %d "
               "packets from %s (answer without rtcp-mux or a=rtcp: RFC 3605's default)" %
               (case, k, ports[k] + 1, rc["rtcp"], BOX_C, ), rc["rtcp"] > 0,
               "RTCP/RTP from %s by destination port/kind: %s %s" %
               (BOX_C, rx["by_port"], not_reached))

    # The box's counters.
    per = tag_packets(q)
    result("%s: ng query: packets from both parties (%s)" % (case, per),
           q.get("result") == "ok" and set(per) == {"browser", inv["to_tag"]} and
           all(v > 0 for v in per.values()), "%s (show call printed below)" % q)
    d = {k: drops1.get(k, 0) - drops0.get(k, 0) for k in drops1 if
         drops1.get(k, 0) != drops0.get(k, 0)}
    result("%s: show worker stats: no srtp_auth drop during the call (drops: %s)" % (case, d),
           drops1 != {} and d.get("srtp_auth", 0) == 0, "%s (show call printed below)" % d)
    print("      show call %s:\n        %s" % (call_id, "\n        ".join(
        ln for ln in show.strip().splitlines() if not ln.startswith("show call"))))

    # The end of the call.
    st_sipp = sipp_stats(env.path("sipp-%s_stat.csv" % case))
    result("%s: BYE answered 200; SIPp's UAS: 1 call successful, none failed, exit 0" % case,
           bye.get("status") == 200 and sipp_rc == 0 and st_sipp == (1, 0),
           "BYE %s, SIPp rc %s, stats %s: %s" % (bye.get("status"), sipp_rc, st_sipp,
                                                 read(env.path("sipp-%s_errors.log" % case))[-500:]))
    dl = env.ngcall("delete", call_id=call_id, from_tag="browser")
    lst = env.ngcall("list")
    result("%s: ng delete ok; ng list no longer has the call" % case,
           dl.get("result") == "ok" and call_id not in lst.get("calls", []), (dl, lst))


def check_sip_offer(case, kinds, r, sdp):
    ms = media(sdp)
    bad = [ln for ln in sdp_lines(sdp) if re.match(
        r"a=(ice-|candidate|end-of-candidates|fingerprint|setup|group:BUNDLE|rtcp-mux|crypto|"
        r"ice-lite)", ln)]
    result("%s: offer towards SIPp: RTP/AVP %s, no ICE/DTLS/BUNDLE/rtcp-mux/SDES attributes" %
           (case, "+".join(kinds)),
           r.get("result") == "ok" and [m["kind"] for m in ms] == kinds and
           all(m["proto"] == "RTP/AVP" for m in ms) and bad == [],
           "%s; attributes that must not be there: %s%s" % (r.get("error-reason"), bad,
                                                             show_sdp("offer towards SIPp", sdp)))
    cs = [ln for ln in sdp_lines(sdp) if ln.startswith("c=")]
    o = [ln for ln in sdp_lines(sdp) if ln.startswith("o=")]
    ports = [m["port"] for m in ms]
    result("%s: offer towards SIPp: o= and c= the box's core address %s, even ports of its core "
           "range, one per m-line (%s)" % (case, BOX_C, ports),
           cs != [] and all(c == "c=IN IP4 " + BOX_C for c in cs) and len(o) == 1 and
           o[0].endswith("IN IP4 " + BOX_C) and len(ports) == len(kinds) and
           len(set(ports)) == len(ports) and
           all(p % 2 == 0 and CORE_PORTS[0] <= p <= CORE_PORTS[1] for p in ports),
           show_sdp("offer towards SIPp", sdp))


def check_answer(case, kinds, a, sdp, offer):
    ms = media(sdp)
    sess = sections(sdp)[0] if sdp else []
    ok = a.get("result") == "ok" and [m["kind"] for m in ms] == kinds
    audio = ms[0] if ms else {"proto": None, "pts": [], "lines": [], "attrs": []}
    result("%s: answer to Chromium: UDP/TLS/RTP/SAVPF, the phone's PCMA (8) on audio" % case,
           ok and all(m["proto"] == "UDP/TLS/RTP/SAVPF" for m in ms) and audio["pts"] == ["8"],
           "%s%s" % (a.get("error-reason"), show_sdp("answer to Chromium", sdp)))
    every = lambda name: all(attr_values(sess + m["lines"], name) for m in ms)  # noqa: E731
    cands = [attr_values(m["lines"], "candidate") for m in ms]
    host_ok = all(any(re.match(r"\S+ 1 udp \d+ %s %d typ host" % (re.escape(BOX_A), m["port"]), c)
                      for c in cs) for m, cs in zip(ms, cands))
    fps = [attr_values(sess + m["lines"], "fingerprint") for m in ms]
    result("%s: answer to Chromium: a=ice-lite, the box's candidate %s:<port>, fingerprint, "
           "setup, rtcp-mux" % (case, BOX_A),
           ok and attr_values(sess, "ice-lite") != [] and host_ok and
           all(f and re.match(r"sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}$", f[0]) for f in fps) and
           every("setup") and every("rtcp-mux") and
           all(ACCESS_PORTS[0] <= m["port"] <= ACCESS_PORTS[1] for m in ms),
           show_sdp("answer to Chromium", sdp))
    mids = [attr_values(m["lines"], "mid")[0] if attr_values(m["lines"], "mid") else None
            for m in ms]
    group = attr_values(sess, "group")
    result("%s: answer to Chromium: a=group:BUNDLE %s (Chromium with max-bundle refuses an "
           "answer without it)" % (case, " ".join(str(x) for x in mids)),
           ok and group == ["BUNDLE " + " ".join(str(x) for x in mids)],
           "session-level a=group: %s; the offer had %s%s" %
           (group, attr_values(sections(offer)[0], "group"), show_sdp("answer to Chromium", sdp)))
    if len(ms) > 1:
        ports = [m["port"] for m in ms]
        ufrags = [tuple(attr_values(sess + m["lines"], "ice-ufrag")) for m in ms]
        cports = [tuple(sorted(set(re.findall(r" %s (\d+) typ host" % re.escape(BOX_A),
                                              " ".join(c))))) for c in cands]
        result("%s: answer to Chromium: the bundled sections share one port, candidate and "
               "ufrag (ports %s, candidate ports %s, ufrags %s)" % (case, ports, cports, ufrags),
               ok and len(set(ports)) == 1 and len(set(cports)) == 1 and cports[0] != () and
               len(set(ufrags)) == 1 and ufrags[0] != (), "(the answer as printed above)")


def save(env, name, text):
    with open(env.path(name), "w") as f:
        f.write(text or "")


def main():
    env = Env(sys.argv[1:])
    up = start_box(env)
    result("srtpfwd up on %s (access %s) and %s (core %s), ng ping answered" %
           (env.veth_a, BOX_A, env.veth_c, BOX_C), up, env.box.text()[-500:] if env.box else "")
    try:
        if up:
            for case in env.cases:
                print("== %s" % case)
                try:
                    run_case(env, case)
                except (PeerError, BoxError, NgFailed) as e:
                    result("%s: ran to the end" % case, False, str(e))
                finally:
                    env.stop_peers()
                    for p, t in env.procs:
                        if p.poll() is None:
                            p.send_signal(signal.SIGINT)
                            reap(p, t)
                    env.procs = []
    finally:
        env.stop_peers()
        if env.box is not None:
            final = env.box.stop()
            if up:
                result("srtpfwd stopped cleanly on quit (final counters)", final != "",
                       env.box.text()[-300:])
    return summary("gateway")


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:   # run.sh's time limit (SIGINT): everything above was stopped
        print("gateway: interrupted")
        sys.exit(1)
