#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""
ng calls on a running srtpfwd (net_null ports; media is tests/sip's and
tests/gateway's): rtpengine-ng-client's offer / answer / query / delete get
well-formed replies; the SDP the box writes for each side (addresses, ports,
profile, ICE-lite, DTLS and SDES attributes) for a SIP call, a WebRTC -> SIP
call and an SDES call; an answer repeated with a new cookie changes nothing;
delete-delay; media timeout; and the errors Kamailio fails over on.
"""
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
from checks import result, summary  # noqa: E402
from ngproto import NgClient, text  # noqa: E402
from ng_ping import free_port  # noqa: E402

CONFIG = """[general]
max-sessions = 12
ng-listen = 127.0.0.1:%d
media-timeout = 3
[interface access]
exposed = no
port = net_null0
ipv4 = 198.18.0.1/24
media-ports = 20000-20999
[interface core]
exposed = no
port = net_null1
ipv4 = 198.19.0.1/24
media-ports = 30000-30005
[interface spare]
exposed = no
port = net_null2
ipv4 = 198.18.9.1/24
media-ports = 40000-40999
"""

SIP_OFFER = ("v=0\r\no=alice 1 1 IN IP4 198.18.0.2\r\ns=-\r\nc=IN IP4 198.18.0.2\r\n"
             "t=0 0\r\nm=audio 6000 RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\n"
             "a=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n")
SIP_ANSWER = ("v=0\r\no=bob 7 7 IN IP4 198.19.0.2\r\ns=-\r\nc=IN IP4 198.19.0.2\r\n"
              "t=0 0\r\nm=audio 7000 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n")
WEBRTC_TO_SIP = dict(ICE="remove", DTLS="off", SDES=["off"], transport_protocol="RTP/AVP",
                     rtcp_mux=["demux"], replace=["origin", "session-connection"],
                     direction=["access", "core"])


def lines(sdp):
    return text(sdp).split("\r\n")


def attr(sdp, name):
    return [l for l in lines(sdp) if l.startswith("a=%s" % name)]


def m_ports(sdp):
    return [int(l.split()[1]) for l in lines(sdp) if l.startswith("m=")]


def client(port, *args):
    return subprocess.run(["rtpengine-ng-client", "--proxy-address=127.0.0.1",
                           "--proxy-port=%d" % port] + list(args),
                          capture_output=True, timeout=10, text=True)


def ng_client_cases(port):
    off = client(port, "offer", "--call-id=cli1", "--from-tag=ft1", "--trust-address",
                 "--direction=access,core", "--sdp=" + SIP_OFFER)
    result("rtpengine-ng-client offer: ok with the core address and a core port",
           off.returncode == 0 and "New SDP:" in off.stdout and
           "c=IN IP4 198.19.0.1" in off.stdout and re.search(r"m=audio 3000[0-5] RTP/AVP 8 101",
                                                            off.stdout) is not None,
           off.stdout + off.stderr)
    ans = client(port, "answer", "--call-id=cli1", "--from-tag=ft1", "--to-tag=tt1",
                 "--sdp=" + SIP_ANSWER)
    result("rtpengine-ng-client answer: ok with the access address and an access port",
           ans.returncode == 0 and "c=IN IP4 198.18.0.1" in ans.stdout and
           re.search(r"m=audio 20\d\d\d RTP/AVP 8", ans.stdout) is not None,
           ans.stdout + ans.stderr)
    q = client(port, "query", "--call-id=cli1", "--from-tag=ft1")
    result("rtpengine-ng-client query: totals RTP and RTCP, both tags",
           q.returncode == 0 and "totals =>" in q.stdout and "RTCP =>" in q.stdout and
           "ft1 =>" in q.stdout and "tt1 =>" in q.stdout, q.stdout + q.stderr)
    d = client(port, "delete", "--call-id=cli1", "--from-tag=ft1")
    result("rtpengine-ng-client delete: ok", d.returncode == 0 and "totals =>" in d.stdout and "error-reason" not in d.stdout,
           d.stdout + d.stderr)
    q = client(port, "query", "--call-id=cli1")
    result("rtpengine-ng-client query after delete: Unknown call-id",
           "Unknown call-id" in q.stdout + q.stderr, (q.stdout, q.stderr))


def sip_call_cases(ng):
    r = ng("offer", call_id="s1", from_tag="a", sdp=SIP_OFFER, direction=["access", "core"])
    out = r.get("sdp", b"")
    result("SIP offer: c= the box's core address, even core port, codecs untouched",
           text(r["result"]) == "ok" and "c=IN IP4 198.19.0.1" in lines(out) and
           m_ports(out)[0] % 2 == 0 and 30000 <= m_ports(out)[0] <= 30005 and
           "a=rtpmap:101 telephone-event/8000" in lines(out) and "198.18.0.2" not in
           text(out).split("o=")[1].split("\r\n", 1)[1], r)
    result("SIP offer: o= kept without replace origin",
           "o=alice 1 1 IN IP4 198.18.0.2" in lines(out), out)
    again = ng("offer", call_id="s1", from_tag="a", sdp=SIP_OFFER, direction=["access", "core"])
    result("offer repeated with a new cookie: the same SDP, the same ports",
           again.get("sdp") == out, again)
    a1 = ng("answer", call_id="s1", from_tag="a", to_tag="b", sdp=SIP_ANSWER)
    a2 = ng("answer", call_id="s1", from_tag="a", to_tag="b", sdp=SIP_ANSWER)
    result("answer: c= the box's access address; repeated answer gets the same SDP",
           text(a1["result"]) == "ok" and "c=IN IP4 198.18.0.1" in lines(a1["sdp"]) and
           a1.get("sdp") == a2.get("sdp"), (a1, a2))
    q = ng("query", call_id="s1")
    tags = q.get("tags", {})
    eps = [tags[t]["medias"][0]["streams"][0]["endpoint"] for t in ("a", "b") if t in tags]
    result("query: each tag's stream latched to its party's signalled address",
           [text(e.get("address")) for e in eps] == ["198.18.0.2", "198.19.0.2"] and
           [e.get("port") for e in eps] == [6000, 7000], q)
    lst = ng("list")
    result("list: the call", [text(c) for c in lst.get("calls", [])] == ["s1"], lst)
    d = ng("delete", call_id="s1", from_tag="a", delete_delay=1)
    still = ng("list")
    time.sleep(2.5)
    gone = ng("list")
    result("delete with delete-delay 1: there for a second, then gone",
           text(d["result"]) == "ok" and len(still["calls"]) == 1 and gone["calls"] == [],
           (d, still, gone))


def webrtc_cases(ng):
    with open(os.path.join(HERE, "data", "chromium_offer.sdp")) as f:
        offer = f.read()
    r = ng("offer", call_id="w1", from_tag="browser", sdp=offer, **WEBRTC_TO_SIP)
    out = r.get("sdp", b"")
    result("WebRTC -> SIP offer: two RTP/AVP sections, no ICE, DTLS, candidates, BUNDLE",
           text(r.get("result")) == "ok" and
           len([l for l in lines(out) if re.match(r"m=(audio|video) \d+ RTP/AVP ", l)]) == 2 and
           not any(attr(out, n) for n in ("ice-", "candidate", "fingerprint", "setup",
                                           "group:BUNDLE", "rtcp-mux", "end-of-candidates")),
           out)
    result("WebRTC -> SIP offer: o= and c= the box's core address, a=rtcp on each port + 1",
           "o=- 4215883542127467113 2 IN IP4 198.19.0.1" in lines(out) and
           lines(out).count("c=IN IP4 198.19.0.1") == 2 and
           sorted(attr(out, "rtcp:")) == sorted("a=rtcp:%d" % (p + 1) for p in m_ports(out)), out)
    ans = ("v=0\r\no=phone 5 5 IN IP4 198.19.0.2\r\ns=-\r\nc=IN IP4 198.19.0.2\r\nt=0 0\r\n"
           "m=audio 7000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\nm=video 0 RTP/AVP 96\r\n")
    a = ng("answer", call_id="w1", from_tag="browser", to_tag="phone", sdp=ans, **WEBRTC_TO_SIP)
    out = a.get("sdp", b"")
    ls = lines(out)
    result("answer to the browser: UDP/TLS/RTP/SAVPF, a=ice-lite, the box's candidate",
           text(a.get("result")) == "ok" and "a=ice-lite" in ls and
           re.search(r"m=audio (\d+) UDP/TLS/RTP/SAVPF 0", text(out)) is not None and
           any(re.match(r"a=candidate:1 1 udp \d+ 198\.18\.0\.1 %d typ host" % m_ports(out)[0], l)
               for l in ls) and "a=end-of-candidates" in ls, out)
    result("answer to the browser: the box's fingerprint, setup:passive, rtcp-mux, mid 0",
           any(re.match(r"a=fingerprint:sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}$", l) for l in ls) and
           "a=setup:passive" in ls and "a=rtcp-mux" in ls and "a=mid:0" in ls and
           len(attr(out, "ice-ufrag:")) == 1 and len(attr(out, "ice-pwd:")[0]) >= 8 + 22, out)
    result("answer to the browser: the video the phone refused stays refused (port 0)",
           re.search(r"m=video 0 UDP/TLS/RTP/SAVPF 96", text(out)) is not None and
           "a=mid:1" in ls, out)
    ng("delete", call_id="w1")


def sdes_cases(ng):
    offers = []
    for cid in ("k1", "k2"):
        r = ng("offer", call_id=cid, from_tag="a", sdp=SIP_OFFER, direction=["access", "spare"],
               transport_protocol="RTP/SAVP", SDES=["no-AEAD_AES_256_GCM"])
        offers.append(r.get("sdp", b""))
    cr = [attr(o, "crypto:") for o in offers]
    result("RTP/AVP -> RTP/SAVP offer: the box's a=crypto, one per suite the SDES list allows",
           [len(c) for c in cr] == [3, 3] and all("inline:" in l for l in cr[0]) and
           not any("AES_256_GCM" in l for l in cr[0]) and
           re.search(r"m=audio \d+ RTP/SAVP 8 101", text(offers[0])) is not None, cr)
    keys = [l.split("inline:")[1] for c in cr for l in c]
    result("SDES keys: every one different (CSPRNG), 30 bytes of AES-CM key and salt",
           len(set(keys)) == len(keys) and len(keys[0]) == 40, keys)
    bob = SIP_ANSWER.replace("RTP/AVP", "RTP/SAVP").replace("198.19.0.2", "198.18.9.2") + \
        "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\n"
    a = ng("answer", call_id="k1", from_tag="a", to_tag="b", sdp=bob)
    result("SDES answer with the box's tag 1: ok, plain RTP/AVP back to the offerer",
           text(a.get("result")) == "ok" and not attr(a.get("sdp", b""), "crypto") and
           re.search(r"m=audio \d+ RTP/AVP 8", text(a.get("sdp", b""))) is not None, a)
    bad = ng("answer", call_id="k2", from_tag="a", to_tag="b",
             sdp=bob.replace("crypto:1 ", "crypto:9 "))
    result("SDES answer with a tag the box never offered: error",
           text(bad.get("result")) == "error" and b"a=crypto" in bad.get("error-reason", b""), bad)
    ng("delete", call_id="k1")
    ng("delete", call_id="k2")


def error_cases(ng):
    cases = [
        ("offer without call-id", dict(cmd="offer", from_tag="a", sdp=SIP_OFFER), "No call-id"),
        ("offer without sdp", dict(cmd="offer", call_id="e1", from_tag="a"), "No SDP"),
        ("offer with bad SDP", dict(cmd="offer", call_id="e2", from_tag="a", sdp="v=1\r\n"), "line 1"),
        ("offer to an interface the box lacks",
         dict(cmd="offer", call_id="e3", from_tag="a", sdp=SIP_OFFER, direction=["access", "x"]),
         "direction"),
        ("answer to an unknown call", dict(cmd="answer", call_id="nope", from_tag="a", to_tag="b",
                                           sdp=SIP_ANSWER), "Unknown call-id"),
        ("ICE with an unknown value", dict(cmd="offer", call_id="e4", from_tag="a", sdp=SIP_OFFER,
                                           ICE="sometimes"), "ICE"),
        ("flags not a list", dict(cmd="offer", call_id="e5", from_tag="a", sdp=SIP_OFFER, flags=3),
         "flags"),
    ]
    for name, d, want in cases:
        cmd = d.pop("cmd")
        r = ng(cmd, **d)
        result("%s: error naming it" % name, text(r.get("result")) == "error" and
               want.encode() in r.get("error-reason", b""), r)
    result("no call left behind by the failed offers", ng("list")["calls"] == [], ng("list"))
    # core has 6 ports, 3 even ones: the fourth call runs out.
    rs = [ng("offer", call_id="p%d" % i, from_tag="a", sdp=SIP_OFFER, direction=["access", "core"])
          for i in range(4)]
    result("out of media ports: 'Ran out of ports' (Kamailio fails over on it)",
           [text(r["result"]) for r in rs] == ["ok"] * 3 + ["error"] and
           rs[3].get("error-reason") == b"Ran out of ports", rs[3])
    rs = [ng("offer", call_id="q%d" % i, from_tag="a", sdp=SIP_OFFER, direction=["access", "spare"])
          for i in range(4)]
    # A SIP call without rtcp-mux takes two sessions (RTP, and RTCP on ports + 1).
    result("out of sessions (12, two a call): 'Parallel session limit reached'",
           [text(r["result"]) for r in rs] == ["ok"] * 3 + ["error"] and
           rs[3].get("error-reason") == b"Parallel session limit reached", rs[3])
    for i in range(3):
        ng("delete", call_id="p%d" % i)
        ng("delete", call_id="q%d" % i)


def timeout_case(ng):
    # The calls just deleted give their legs back after an RCU grace period.
    deadline = time.time() + 5
    while text(ng("offer", call_id="t1", from_tag="a", sdp=SIP_OFFER,
                  direction=["access", "spare"])["result"]) != "ok" and time.time() < deadline:
        time.sleep(0.2)
    result("offer t1 (for the timeout)", ng("list")["calls"] == [b"t1"], ng("list"))
    before = ng("statistics")["statistics"]["totalstatistics"]["timeoutsessions"]
    time.sleep(5)
    st = ng("statistics")["statistics"]
    result("a call with no media for media-timeout (3 s) ends by itself",
           ng("list")["calls"] == [] and st["totalstatistics"]["timeoutsessions"] == before + 1,
           st)


def main():
    binary = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="srtpfwd-ngcalls-")
    port = free_port()
    with open(os.path.join(work, "cfg"), "w") as f:
        f.write(CONFIG % port)
    log = open(os.path.join(work, "log"), "w")
    proc = subprocess.Popen(
        [binary, "--no-huge", "-m", "256", "--no-pci", "--file-prefix", "ngc%d" % os.getpid(),
         "-l", "0-1"] + sum([["--vdev", "net_null%d,no-rx=1" % i] for i in range(3)], []) +
        ["--", "--config", os.path.join(work, "cfg"), "--duration", "50"],
        stdout=log, stderr=subprocess.STDOUT)
    try:
        ng = NgClient(port)
        deadline = time.time() + 15
        while time.time() < deadline and proc.poll() is None:
            try:
                ng("ping")
                break
            except OSError:
                time.sleep(0.2)
        ng_client_cases(port)
        sip_call_cases(ng)
        webrtc_cases(ng)
        sdes_cases(ng)
        error_cases(ng)
        timeout_case(ng)
        result("srtpfwd still running", proc.poll() is None, open(os.path.join(work, "log")).read())
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return summary("ng-calls")


if __name__ == "__main__":
    sys.exit(main())
