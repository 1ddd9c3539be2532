#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
A minimal SIP UAC over UDP for tests/gateway: the browser's side of the SIP
call, run inside the phone's namespace (ip netns exec) next to SIPp's UAS.
One dialog, peer_link commands (one JSON object a line, see
tests/ice/peer_link.py):
  invite sdp=S call_id=C from_tag=T -> {"status", "reason", "responses", "to_tag",
                         "contact", "sdp", "messages"}: INVITE with S (retransmitted
                         as RFC 3261 timer A says until a response), provisional
                         responses taken, the final one returned; a non-2xx final
                         response is ACKed at once (same branch)
  ack                 -> {}: the ACK of the 2xx (new branch, to the Contact)
  bye                 -> {"status", "reason"}: BYE (retransmitted until answered)
Retransmitted 2xx responses to the INVITE that arrive later are ACKed again.
usage: sip_uac.py LOCAL_IP LOCAL_PORT TARGET_IP TARGET_PORT
"""
import os
import re
import secrets
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "ice"))
from peer_link import serve  # noqa: E402

T1 = 0.5           # RFC 3261 timer T1
FINAL_TIMEOUT = 20  # seconds to wait for a final response


def parse(data):
    """A SIP message -> (first line, {lower-case header: [values]}, body)."""
    text = data.decode(errors="replace")
    head, _, body = text.partition("\r\n\r\n")
    lines = head.split("\r\n")
    hdrs = {}
    for ln in lines[1:]:
        if ":" in ln:
            k, v = ln.split(":", 1)
            hdrs.setdefault(k.strip().lower(), []).append(v.strip())
    return lines[0], hdrs, body


def hdr(hdrs, name):
    v = hdrs.get(name.lower())
    return v[0] if v else ""


class Uac:
    def __init__(self, local_ip, local_port, target_ip, target_port):
        self.local = (local_ip, int(local_port))
        self.target = (target_ip, int(target_port))
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(self.local)
        self.call_id = self.from_tag = self.to_tag = None
        self.remote_uri = "sip:phone@%s:%d" % self.target
        self.request_uri = self.remote_uri
        self.cseq = 0
        self.ok_200 = None          # the 2xx we ACK (and ACK again on its retransmissions)
        self.log = []

    def note(self, what, data):
        first = data.decode(errors="replace").split("\r\n", 1)[0]
        sys.stderr.write("sip %s %s\n" % (what, first))
        self.log.append("%s %s" % (what, first))

    def send(self, msg, dst=None):
        data = msg.encode()
        self.sock.sendto(data, dst or self.target)
        self.note(">>", data)

    def request(self, method, cseq, branch, body="", ctype=None, uri=None):
        to = "<%s>" % self.remote_uri + (";tag=%s" % self.to_tag if self.to_tag else "")
        lines = [
            "%s %s SIP/2.0" % (method, uri or self.request_uri),
            "Via: SIP/2.0/UDP %s:%d;branch=%s;rport" % (self.local + (branch,)),
            "Max-Forwards: 70",
            "From: <sip:browser@%s:%d>;tag=%s" % (self.local + (self.from_tag,)),
            "To: %s" % to,
            "Call-ID: %s" % self.call_id,
            "CSeq: %d %s" % (cseq, method),
            "Contact: <sip:browser@%s:%d>" % self.local,
            "User-Agent: srtpfwd-tests-gateway",
        ]
        if ctype:
            lines.append("Content-Type: %s" % ctype)
        lines.append("Content-Length: %d" % len(body.encode()))
        return "\r\n".join(lines) + "\r\n\r\n" + body

    def recv(self, timeout):
        """One SIP message within timeout s, or None. 2xx retransmissions to the INVITE
        are ACKed here and not returned once the ACK went out."""
        self.sock.settimeout(max(timeout, 0.001))
        try:
            data, src = self.sock.recvfrom(65535)
        except socket.timeout:
            return None
        self.note("<<", data)
        first, hdrs, body = parse(data)
        if (self.ok_200 is not None and first.startswith("SIP/2.0 2") and
                hdr(hdrs, "cseq").endswith("INVITE")):
            self.send(self.ok_200)       # the ACK again (RFC 3261 13.2.2.4)
            return self.recv(timeout)
        return first, hdrs, body

    def transaction(self, msg, method, cseq):
        """Send a request, retransmit it (T1, doubling, up to 4 s) until a response; take
        provisional responses; return the final (first line, headers, body) and the list
        of status codes seen, or (None, codes) after FINAL_TIMEOUT."""
        self.send(msg)
        codes = []
        interval, next_tx = T1, time.monotonic() + T1
        deadline = time.monotonic() + FINAL_TIMEOUT
        while time.monotonic() < deadline:
            wait = min(deadline, next_tx if not codes else deadline) - time.monotonic()
            got = self.recv(wait)
            if got is None:
                if not codes and time.monotonic() >= next_tx:
                    self.send(msg)
                    interval = min(interval * 2, 4.0)
                    next_tx = time.monotonic() + interval
                continue
            first, hdrs, body = got
            m = re.match(r"SIP/2\.0 (\d{3})", first)
            if not m or hdr(hdrs, "cseq") != "%d %s" % (cseq, method):
                continue          # a request or another transaction's response: not ours
            code = int(m.group(1))
            codes.append(code)
            if code >= 200:
                return got, codes
        return None, codes

    def invite(self, sdp, call_id, from_tag):
        self.call_id, self.from_tag = call_id, from_tag
        self.cseq += 1
        branch = "z9hG4bK-" + secrets.token_hex(6)
        msg = self.request("INVITE", self.cseq, branch, sdp, "application/sdp")
        got, codes = self.transaction(msg, "INVITE", self.cseq)
        if got is None:
            return {"status": None, "responses": codes, "messages": self.log}
        first, hdrs, body = got
        code = int(first.split()[1])
        m = re.search(r";\s*tag=([^;>\s]+)", hdr(hdrs, "to"))
        self.to_tag = m.group(1) if m else None
        contact = re.search(r"<([^>]+)>", hdr(hdrs, "contact"))
        if contact:
            self.request_uri = contact.group(1)
        if code >= 300:           # ACK of a failure: same branch, To with the tag
            self.send(self.request("ACK", self.cseq, branch, uri=self.remote_uri))
        return {"status": code, "reason": first.split(" ", 2)[-1], "responses": codes,
                "to_tag": self.to_tag, "contact": self.request_uri, "sdp": body,
                "messages": self.log}

    def ack(self):
        branch = "z9hG4bK-" + secrets.token_hex(6)
        self.ok_200 = self.request("ACK", self.cseq, branch)
        self.send(self.ok_200)
        return {}

    def bye(self):
        self.cseq += 1
        branch = "z9hG4bK-" + secrets.token_hex(6)
        got, codes = self.transaction(self.request("BYE", self.cseq, branch), "BYE", self.cseq)
        if got is None:
            return {"status": None, "responses": codes, "messages": self.log}
        return {"status": int(got[0].split()[1]), "reason": got[0].split(" ", 2)[-1],
                "responses": codes, "messages": self.log}


def main():
    uac = Uac(*sys.argv[1:5])
    serve({"invite": uac.invite, "ack": uac.ack, "bye": uac.bye})


if __name__ == "__main__":
    main()
