#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
The ng side of netns_li.sh's run "ng": calls made through srtpfwd's ng
listener, interception tasks started and stopped with the intercept-* keys
and the start/stop intercept commands. Each subcommand prints "check NAME:
ok|FAIL detail" lines (li_check.py's) and exits 1 if any failed.

  calls PORT OUT --ka HEX --kx HEX --kb HEX --xid X --cid C --mf NAME
      call "li-k": A offers RTP/SAVP audio (a=crypto 1 AES_CM_128_HMAC_SHA1_80 KA, 2 _32 KX) and
      RTP/AVP video, with the intercept-* keys (target from-tag); B answers a=crypto 1 KB: e2e
      SDES + e2e RTP, one task on both sessions. Call "li-k0": the same without the keys: the SDP
      each party gets is the same but for the box's ports. Call "li-l": plain RTP, no task.
      OUT: {"k": {"box_a": "IP:PORT", "box_b": ...}, "l": {...}} (the audio legs).
  start PORT --call ID --xid X --cid C --mf NAME --target T    "start intercept": ok
  stop PORT --call ID [--xid X]                                "stop intercept": ok
  delete PORT --call ID                                        "delete": ok
  errors PORT --mf NAME --used-xid X     malformed keys, unknown MF / call / task, an XID of
                                         another call: an error naming the problem, no call left
"""
import argparse
import json
import os
import re
import sys
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "ng"))
sys.path.insert(0, HERE)
from li_check import check, failed  # noqa: E402
from ngproto import NgClient, text  # noqa: E402

S80, S32 = "AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32"


def b64(hexkey):
    import base64
    return base64.b64encode(bytes.fromhex(hexkey)).decode()


def offer_sdp(ka, kx):
    return ("v=0\r\no=alice 1 1 IN IP4 198.18.0.2\r\ns=-\r\nc=IN IP4 198.18.0.2\r\nt=0 0\r\n"
            "m=audio 5000 RTP/SAVP 0\r\na=rtpmap:0 PCMU/8000\r\na=rtcp-mux\r\n"
            "a=crypto:1 %s inline:%s\r\na=crypto:2 %s inline:%s\r\n"
            "m=video 5002 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\na=rtcp-mux\r\n"
            % (S80, b64(ka), S32, b64(kx)))


def answer_sdp(kb):
    return ("v=0\r\no=bob 7 7 IN IP4 198.19.0.2\r\ns=-\r\nc=IN IP4 198.19.0.2\r\nt=0 0\r\n"
            "m=audio 6000 RTP/SAVP 0\r\na=rtpmap:0 PCMU/8000\r\na=rtcp-mux\r\n"
            "a=crypto:1 %s inline:%s\r\n"
            "m=video 6002 RTP/AVP 96\r\na=rtpmap:96 VP8/90000\r\na=rtcp-mux\r\n" % (S80, b64(kb)))


PLAIN_OFFER = ("v=0\r\no=alice 2 2 IN IP4 198.18.0.2\r\ns=-\r\nc=IN IP4 198.18.0.2\r\nt=0 0\r\n"
               "m=audio 5000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=rtcp-mux\r\n")
PLAIN_ANSWER = ("v=0\r\no=bob 8 8 IN IP4 198.19.0.2\r\ns=-\r\nc=IN IP4 198.19.0.2\r\nt=0 0\r\n"
                "m=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=rtcp-mux\r\n")
DIRECTION = ["access", "core"]


def ok(r):
    return text(r.get("result")) == "ok"


def audio_port(sdp):
    m = re.search(r"^m=audio (\d+) ", text(sdp), re.M)
    return int(m[1]) if m else 0


def without_ports(sdp):
    """The SDP with the box's m= ports (and a=rtcp ports) blanked: all that may differ."""
    s = re.sub(r"^(m=\w+) \d+ ", r"\1 PORT ", text(sdp), flags=re.M)
    return re.sub(r"^a=rtcp:\d+", "a=rtcp:PORT", s, flags=re.M)


def intercept(a, **more):
    keys = {"intercept_xid": a.xid, "intercept_correlation_id": str(a.cid), "intercept_mf": a.mf}
    keys.update(more)
    return keys


def cmd_calls(ng, a):
    out = {}
    replies = {}
    for call, li in (("li-k", True), ("li-k0", False)):
        o = ng("offer", call_id=call, from_tag="alice", sdp=offer_sdp(a.ka, a.kx), direction=DIRECTION,
               **(intercept(a, intercept_target="from-tag") if li else {}))
        an = ng("answer", call_id=call, from_tag="alice", to_tag="bob", sdp=answer_sdp(a.kb),
                **(intercept(a) if li else {}))
        check("ng %s: offer and answer%s ok" % (call, " with the intercept-* keys" if li else ""),
              ok(o) and ok(an), "%r / %r" % (o.get("error-reason"), an.get("error-reason")))
        replies[call] = (o, an)
    (ko, ka), (k0o, k0a) = replies["li-k"], replies["li-k0"]
    check("ng: the offer's SDP towards B with a task = without (but the box's ports)",
          without_ports(ko.get("sdp", b"")) == without_ports(k0o.get("sdp", b"")),
          "%r\nvs\n%r" % (ko.get("sdp"), k0o.get("sdp")))
    check("ng: the answer's SDP towards A with a task = without (but the box's ports)",
          without_ports(ka.get("sdp", b"")) == without_ports(k0a.get("sdp", b"")),
          "%r\nvs\n%r" % (ka.get("sdp"), k0a.get("sdp")))
    check("ng: the replies carry the same keys with and without a task (nothing tells of it)",
          sorted(ko.keys()) == sorted(k0o.keys()) and sorted(ka.keys()) == sorted(k0a.keys()),
          "%r / %r" % (list(ko.keys()), list(k0o.keys())))
    crypto = [l for l in text(ko.get("sdp", b"")).split("\r\n") if l.startswith("a=crypto:")]
    check("ng: e2e SDES: A's a=crypto pass to B untouched",
          crypto == ["a=crypto:1 %s inline:%s" % (S80, b64(a.ka)), "a=crypto:2 %s inline:%s" % (S32, b64(a.kx))],
          repr(crypto))
    # A repeat of the offer with the same keys (Kamailio's retransmission) changes nothing.
    rep = ng("offer", call_id="li-k", from_tag="alice", sdp=offer_sdp(a.ka, a.kx), direction=DIRECTION,
             **intercept(a, intercept_target="from-tag"))
    check("ng: the offer repeated with the same intercept keys: the same SDP", ok(rep) and
          rep.get("sdp") == ko.get("sdp"), repr(rep.get("error-reason")))
    lo = ng("offer", call_id="li-l", from_tag="alice", sdp=PLAIN_OFFER, direction=DIRECTION)
    la = ng("answer", call_id="li-l", from_tag="alice", to_tag="bob", sdp=PLAIN_ANSWER)
    check("ng li-l: plain RTP offer and answer ok", ok(lo) and ok(la), "%r / %r" % (lo, la))
    out["k"] = {"box_a": "198.18.0.1:%d" % audio_port(ka.get("sdp", b"")),
                "box_b": "198.19.0.1:%d" % audio_port(ko.get("sdp", b""))}
    out["l"] = {"box_a": "198.18.0.1:%d" % audio_port(la.get("sdp", b"")),
                "box_b": "198.19.0.1:%d" % audio_port(lo.get("sdp", b""))}
    with open(a.out, "w") as f:
        json.dump(out, f)


def cmd_start(ng, a):
    r = ng("start intercept", call_id=a.call, **intercept(a, intercept_target=a.target))
    check("ng: start intercept on %s (target %s)" % (a.call, a.target), ok(r), repr(r))
    r2 = ng("start intercept", call_id=a.call, **intercept(a, intercept_target=a.target))
    check("ng: the same start intercept again: an error naming the XID",
          text(r2.get("result")) == "error" and b"intercept-xid" in r2.get("error-reason", b""), repr(r2))


def cmd_stop(ng, a):
    keys = {"intercept_xid": a.xid} if a.xid else {}
    r = ng("stop intercept", call_id=a.call, **keys)
    check("ng: stop intercept on %s%s" % (a.call, " (its XID)" if a.xid else " (every task)"), ok(r), repr(r))


def cmd_delete(ng, a):
    r = ng("delete", call_id=a.call)
    check("ng: delete %s" % a.call, ok(r), repr(r))


def cmd_errors(ng, a):
    good = {"intercept_xid": str(uuid.uuid4()), "intercept_correlation_id": "7", "intercept_mf": a.mf}
    bad = [
        ("XID not a UUID", dict(good, intercept_xid="6f1c2d3e-0000-4000-8000-00000000000"), "intercept-xid"),
        ("no XID", {k: v for k, v in good.items() if k != "intercept_xid"}, "intercept-xid"),
        ("correlation id 0", dict(good, intercept_correlation_id="0"), "intercept-correlation-id"),
        ("correlation id -1 (integer)", dict(good, intercept_correlation_id=-1), "intercept-correlation-id"),
        ("correlation id a list", dict(good, intercept_correlation_id=["1"]), "intercept-correlation-id"),
        ("correlation id of 17 hex digits", dict(good, intercept_correlation_id="0x12345678901234567"),
         "intercept-correlation-id"),
        ("unknown mediation function", dict(good, intercept_mf="nosuchmf"), "mediation function"),
        ("no mediation function", {k: v for k, v in good.items() if k != "intercept_mf"}, "intercept-mf"),
        ("unknown target", dict(good, intercept_target="carol"), "intercept-target"),
        ("intercept-dtls maybe", dict(good, intercept_dtls="maybe"), "intercept-dtls"),
        ("XID of another call's task", dict(good, intercept_xid=a.used_xid), "exists"),
    ]
    for i, (what, keys, want) in enumerate(bad):
        r = ng("offer", call_id="li-bad%d" % i, from_tag="alice", sdp=PLAIN_OFFER, direction=DIRECTION, **keys)
        reason = r.get("error-reason", b"")
        check("ng errors: offer with %s: one-line error naming it ('%s')" % (what, text(reason)),
              text(r.get("result")) == "error" and want.encode() in reason and b"\n" not in reason, repr(r))
    calls = [text(c) for c in ng("list").get("calls", [])]
    check("ng errors: no call left behind by the refused offers",
          not any(c.startswith("li-bad") for c in calls), repr(calls))
    more = [
        ("start intercept on an unknown call", "start intercept", dict(good, call_id="nope"), "Unknown call-id"),
        ("start intercept without an XID", "start intercept",
         dict({k: v for k, v in good.items() if k != "intercept_xid"}, call_id="li-l"), "intercept-xid"),
        ("stop intercept of an XID the call lacks", "stop intercept",
         dict(call_id="li-l", intercept_xid=str(uuid.uuid4())), "intercept-xid"),
        ("stop intercept with a malformed XID", "stop intercept",
         dict(call_id="li-l", intercept_xid="zz"), "intercept-xid"),
    ]
    for what, cmd, keys, want in more:
        r = ng(cmd, **keys)
        reason = r.get("error-reason", b"")
        check("ng errors: %s: error naming it ('%s')" % (what, text(reason)),
              text(r.get("result")) == "error" and want.encode() in reason, repr(r))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ("calls", "start", "stop", "delete", "errors"):
        p = sub.add_parser(name)
        p.add_argument("port", type=int)
        p.add_argument("--call", default="")
        p.add_argument("--xid", default="")
        p.add_argument("--cid", default="1")
        p.add_argument("--mf", default="mf1")
        p.add_argument("--target", default="from-tag")
        if name == "calls":
            p.add_argument("out")
            for k in ("--ka", "--kx", "--kb"):
                p.add_argument(k, required=True)
        if name == "errors":
            p.add_argument("--used-xid", required=True)
    a = ap.parse_args()
    ng = NgClient(a.port)
    {"calls": cmd_calls, "start": cmd_start, "stop": cmd_stop, "delete": cmd_delete,
     "errors": cmd_errors}[a.cmd](ng, a)
    return 1 if failed() else 0


if __name__ == "__main__":
    sys.exit(main())
