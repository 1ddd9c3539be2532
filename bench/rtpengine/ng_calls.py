#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
The calls of bench/rtpengine/run.sh, made the same way on either box (rtpengine
or srtpfwd) over the ng protocol (tests/ng/ngproto.py): N calls, each one audio
stream from party A (198.18.0.2, interface "access") to party B (198.19.0.2,
interface "core"), offer from A, answer from B.

Scenarios (what A offers / what B answers):
  rtp-rtp     RTP/AVP                 / RTP/AVP
  srtp-rtp    RTP/SAVP, SDES AES_CM_128_HMAC_SHA1_80 key of A's, transport-protocol RTP/AVP
              towards B               / RTP/AVP
  srtp-srtp   RTP/SAVP, SDES key of A's / RTP/SAVP, SDES key of B's, taking the tag of the
              AES_CM_128_HMAC_SHA1_80 line the box offered B
  srtp-srtp-reencrypt
              as srtp-srtp, but B takes the AES_CM_128_HMAC_SHA1_32 line the box offered: a
              box that offers its own keys (rtpengine) decrypts A's _80 and encrypts _32
              with them; one that relays A's a=crypto untouched (srtpfwd's e2e) offers B no
              _32, and setup fails saying so (console_calls.py makes srtpfwd's instead)

For each call: where A must send (the box's address and port in the answer A
got), the key A protects with, and what the box offered B: "rtp", "srtp-passthrough"
(A's own a=crypto lines reached B: the box relays A's SRTP untouched) or
"srtp-box-keys" (the box offered its own keys: it decrypts and re-encrypts).

  ng_calls.py setup HOST:PORT --calls N --scenario S --tag T --flows FILE [--json FILE]
      makes the calls; FILE gets srtpfwd-paced-gen's flows ("SRC_IP SRC_PORT DST_IP
      DST_PORT SSRC [SUITE inline:KEY]"); prints a JSON summary (and the calls to --json)
  ng_calls.py delete HOST:PORT --calls N --tag T        deletes them (delete-delay 0)
  ng_calls.py ping HOST:PORT [--wait S]                 until the box answers "pong" (exit 1: never)
"""
import argparse
import base64
import json
import os
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "ng"))
from ngproto import NgClient, text  # noqa: E402

SUITE = "AES_CM_128_HMAC_SHA1_80"
SUITE_B = {"srtp-srtp": SUITE, "srtp-srtp-reencrypt": "AES_CM_128_HMAC_SHA1_32"}
A_IP, B_IP = "198.18.0.2", "198.19.0.2"
A_PORT0, B_PORT0 = 10000, 40000
SCENARIOS = ("rtp-rtp", "srtp-rtp", "srtp-srtp", "srtp-srtp-reencrypt")


def sdp(ip, port, proto, crypto=None, sess=1):
    s = ("v=0\r\no=- %d 1 IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\n"
         "m=audio %d %s 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\na=rtcp-mux\r\n"
         % (sess, ip, ip, port, proto))
    if crypto:
        s += "a=crypto:%s\r\n" % crypto
    return s


def box_media(body):
    """(address, port, [a=crypto values]) of the first audio section of a box's SDP."""
    body = text(body)
    c = re.search(r"^c=IN IP4 (\S+)", body, re.M)
    m = re.search(r"^m=audio (\d+) ", body, re.M)
    if not c or not m:
        raise ValueError("no c=/m=audio in the box's SDP:\n" + body)
    return c[1], int(m[1]), re.findall(r"^a=crypto:(.+?)\r?$", body, re.M)


def new_key():
    return base64.b64encode(os.urandom(30)).decode()


def check(r, what):
    if text(r.get("result")) != "ok":
        raise RuntimeError("%s: %s %s" % (what, text(r.get("result")), text(r.get("error-reason", ""))))
    return r


def one_call(ng, scenario, tag, i):
    call_id, a_port, b_port = "bench-%s-%d" % (tag, i), A_PORT0 + 2 * i, B_PORT0 + 2 * i
    a_key = new_key() if scenario != "rtp-rtp" else None
    a_crypto = "1 %s inline:%s" % (SUITE, a_key) if a_key else None
    keys = dict(call_id=call_id, from_tag="a%d" % i, direction=["access", "core"])
    if scenario == "srtp-rtp":
        keys["transport_protocol"] = "RTP/AVP"
    offer = check(ng("offer", sdp=sdp(A_IP, a_port, "RTP/SAVP" if a_key else "RTP/AVP", a_crypto),
                     **keys), "offer " + call_id)
    b_box_ip, b_box_port, to_b = box_media(offer["sdp"])
    line = None
    if scenario in SUITE_B:
        suite = SUITE_B[scenario]
        line = next((c for c in to_b if c.split()[1:2] == [suite]), None)
        if line is None:
            raise RuntimeError("offer %s: the box offered B no %s: %s" % (call_id, suite, to_b))
        b_crypto = "%s %s inline:%s" % (line.split()[0], suite, new_key())
        b_proto = "RTP/SAVP"
    else:
        b_crypto, b_proto = None, "RTP/AVP"
    # No direction in the answer: rtpengine takes the offer's (ng docs, "answer" message).
    keys.pop("transport_protocol", None)
    keys.pop("direction")
    answer = check(ng("answer", to_tag="b%d" % i, sdp=sdp(B_IP, b_port, b_proto, b_crypto, 2),
                      **keys), "answer " + call_id)
    a_box_ip, a_box_port, _ = box_media(answer["sdp"])
    # What B receives: RTP, A's own SRTP (B took a line with A's key), or the box's.
    if line is None:
        towards_b = "rtp"
    elif a_key in line:
        towards_b = "srtp-passthrough"
    else:
        towards_b = "srtp-box-keys"
    return dict(call_id=call_id, a=[A_IP, a_port], box_a=[a_box_ip, a_box_port],
                box_b=[b_box_ip, b_box_port], b=[B_IP, b_port], a_key=a_key,
                towards_b=towards_b, ssrc=0x5000 + i)


def setup(ng, scenario, calls, tag):
    return [one_call(ng, scenario, tag, i) for i in range(calls)]


def delete(ng, calls, tag):
    for i in range(calls):
        # A call the box no longer knows is not an error here: teardown is best effort.
        ng("delete", call_id="bench-%s-%d" % (tag, i), from_tag="a%d" % i, delete_delay=0)


def write_flows(path, made):
    with open(path, "w") as f:
        for c in made:
            line = "%s %d %s %d %d" % (c["a"][0], c["a"][1], c["box_a"][0], c["box_a"][1], c["ssrc"])
            if c["a_key"]:
                line += " %s inline:%s" % (SUITE, c["a_key"])
            f.write(line + "\n")


def summary(made):
    kinds = sorted({c["towards_b"] for c in made})
    return dict(calls=len(made), towards_b=kinds[0] if len(kinds) == 1 else kinds,
                box_a_ports=[c["box_a"][1] for c in made[:3]])


def ping(ng, wait):
    deadline = time.time() + wait
    while time.time() < deadline:
        try:
            if text(ng("ping").get("result")) == "pong":
                return True
        except OSError:
            time.sleep(0.2)
    return False


def client(hostport):
    host, port = hostport.rsplit(":", 1)
    return NgClient(int(port), host=host, timeout=5.0)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("cmd", choices=("setup", "delete", "ping"))
    ap.add_argument("ng", help="HOST:PORT of the box's ng listener")
    ap.add_argument("--calls", type=int, default=50)
    ap.add_argument("--scenario", choices=SCENARIOS, default="rtp-rtp")
    ap.add_argument("--tag", default="t0")
    ap.add_argument("--flows")
    ap.add_argument("--json")
    ap.add_argument("--wait", type=float, default=20)
    a = ap.parse_args()
    ng = client(a.ng)
    if a.cmd == "ping":
        sys.exit(0 if ping(ng, a.wait) else 1)
    if a.cmd == "delete":
        delete(ng, a.calls, a.tag)
        return
    made = setup(ng, a.scenario, a.calls, a.tag)
    if a.flows:
        write_flows(a.flows, made)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(made, f, indent=1)
    print(json.dumps(summary(made)))


if __name__ == "__main__":
    main()
