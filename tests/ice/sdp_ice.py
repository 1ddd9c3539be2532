# SPDX-License-Identifier: BSD-3-Clause
"""
The SDP the ICE tests need, and nothing more: read a peer's offer or answer
(one audio m-line), write the box's ICE-lite answer, and rewrite a peer's
description so that it names the box (its candidate, its credentials,
a=ice-lite) while keeping the peer's DTLS fingerprint and setup role (the
e2e relay: DTLS and SRTP pass through the box untouched).
"""
import re
import secrets
import string

ICE_CHARS = string.ascii_letters + string.digits + "+/"


def credentials():
    """Box credentials for session add: ufrag 8 chars (48 bits), pwd 24 chars (144 bits)."""
    pick = lambda n: "".join(secrets.choice(ICE_CHARS) for _ in range(n))  # noqa: E731
    return pick(8), pick(24)


def lines(sdp):
    return [line for line in sdp.replace("\r\n", "\n").split("\n") if line]


def _attr(sdp, name):
    m = re.search(r"^a=%s:(.*?)\s*$" % re.escape(name), sdp, re.M)
    return m.group(1) if m else None


def parse(sdp):
    """What the tests take from a peer's description (one audio section)."""
    d = {
        "ufrag": _attr(sdp, "ice-ufrag"),
        "pwd": _attr(sdp, "ice-pwd"),
        "setup": _attr(sdp, "setup"),
        "mid": _attr(sdp, "mid"),
        "candidates": [],
        "ssrc": None,
        "opus": None,
    }
    fp = _attr(sdp, "fingerprint")
    if fp is not None:
        algo, value = fp.split(None, 1)
        d["fingerprint"] = (algo.lower(), value.upper())
    for line in lines(sdp):
        m = re.match(r"a=rtpmap:(\d+) opus/48000/2", line, re.I)
        if m and d["opus"] is None:
            d["opus"] = int(m.group(1))
        m = re.match(r"a=ssrc:(\d+) ", line)
        if m and d["ssrc"] is None:
            d["ssrc"] = int(m.group(1))
        m = re.match(r"a=candidate:\S+ 1 udp \d+ (\S+) (\d+) typ (\S+)", line, re.I)
        if m:
            d["candidates"].append((m.group(1), int(m.group(2)), m.group(3)))
    return d


def box_answer(offer, ip, port, ufrag, pwd, fingerprint, ssrc=None):
    """The box's ICE-lite answer (e2ae: it terminates DTLS as the passive side) to a
    peer's audio offer: opus only, rtcp-mux, one host candidate, end-of-candidates."""
    o = parse(offer)
    pt = o["opus"]
    out = [
        "v=0",
        "o=srtpfwd 1 1 IN IP4 %s" % ip,
        "s=-",
        "t=0 0",
        "a=ice-lite",
        "a=group:BUNDLE %s" % o["mid"],
        "a=msid-semantic: WMS srtpfwd",
        "m=audio %d UDP/TLS/RTP/SAVPF %d" % (port, pt),
        "c=IN IP4 %s" % ip,
        "a=rtcp:%d IN IP4 %s" % (port, ip),
        "a=candidate:1 1 udp 2130706431 %s %d typ host" % (ip, port),
        "a=end-of-candidates",
        "a=ice-ufrag:%s" % ufrag,
        "a=ice-pwd:%s" % pwd,
        "a=fingerprint:sha-256 %s" % fingerprint,
        "a=setup:passive",
        "a=mid:%s" % o["mid"],
        "a=sendrecv",
        "a=msid:srtpfwd ims-audio",
        "a=rtcp-mux",
        "a=rtpmap:%d opus/48000/2" % pt,
        "a=fmtp:%d minptime=10;useinbandfec=1" % pt,
    ]
    if ssrc is not None:
        out.append("a=ssrc:%d cname:srtpfwd-ims" % ssrc)
    return "\r\n".join(out) + "\r\n"


_TRANSPORT = re.compile(r"a=(candidate|end-of-candidates|ice-ufrag|ice-pwd|ice-options|ice-lite|"
                        r"rtcp:)")


def via_box(sdp, ip, port, ufrag, pwd):
    """A peer's description as the other peer must see it through an e2e session:
    the box's candidate and credentials and a=ice-lite, everything else (codecs,
    fingerprint, setup, mid, ssrc) as the peer wrote it."""
    out, in_media = [], False
    for line in lines(sdp):
        if _TRANSPORT.match(line) or (in_media and line.startswith("c=")):
            continue    # the peer's transport: the box's stands in its place
        if line.startswith("m="):
            f = line.split(" ")
            line = " ".join([f[0], str(port)] + f[2:])
            in_media = True
        elif line.startswith("c="):
            line = "c=IN IP4 %s" % ip
        elif line.startswith("o="):
            line = " ".join(line.split(" ")[:-2] + ["IP4", ip])
        out.append(line)
        if line.startswith("t="):
            out.append("a=ice-lite")
        elif line.startswith("m="):
            out += ["c=IN IP4 %s" % ip,
                    "a=candidate:1 1 udp 2130706431 %s %d typ host" % (ip, port),
                    "a=end-of-candidates", "a=ice-ufrag:%s" % ufrag, "a=ice-pwd:%s" % pwd]
    return "\r\n".join(out) + "\r\n"
