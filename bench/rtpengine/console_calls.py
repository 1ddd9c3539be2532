# SPDX-License-Identifier: BSD-3-Clause
"""
srtpfwd's SDES -> SDES re-encryption, which its ng does not make (lib/ng/ng_plan.c:
the same protection on both sides is e2e, relayed untouched): the same N streams
as ng_calls.py's, as console sessions ("session add e2ae ... count=N", srtpfwd -i
on a FIFO). A's side AES_CM_128_HMAC_SHA1_80 with A's key (decrypted here), B's
side AES_CM_128_HMAC_SHA1_32 with the box's key (encrypted here): what rtpengine
does when B takes the _32 suite rtpengine offered it (scenario srtp-srtp-reencrypt).

setup() / delete() have ng_calls.setup() / delete()'s shape; search.py uses them
with --calls-via console.
"""
import os
import re
import time

from ng_calls import A_IP, A_PORT0, B_IP, B_PORT0, SUITE, new_key

BOX_A_IP = "198.18.0.1"
BOX_A_PORT0, BOX_B_PORT0 = 20000, 30000
SUITE_B = "AES_CM_128_HMAC_SHA1_32"


class Console:
    """Commands into srtpfwd's console FIFO; each one's answer read back from its log."""

    def __init__(self, fifo, log):
        self.fifo, self.log = fifo, log

    def run(self, line, answer, timeout=10.0):
        start = os.path.getsize(self.log)
        with open(self.fifo, "w") as f:
            f.write(line + "\n")
        deadline, out = time.time() + timeout, ""
        while time.time() < deadline:
            with open(self.log, errors="replace") as f:
                f.seek(start)
                out = f.read()
            if re.search(answer, out):
                return out
            time.sleep(0.05)
        raise RuntimeError("srtpfwd console: %r: no %r in %.0f s: %s" % (line[:40], answer, timeout, out[-300:]))


def setup(con, scenario, calls, tag):
    if scenario != "srtp-srtp-reencrypt":
        raise ValueError("console sessions are for srtp-srtp-reencrypt only")
    a_key = new_key()  # one key for all N: count=N gives each session the same keys
    out = con.run("session add e2ae access %d core %d a-rx=%s:inline:%s a-tx=%s:inline:%s "
            "b-rx=%s:inline:%s b-tx=%s:inline:%s a-latch=learn b-remote=%s:%d count=%d"
            % (BOX_A_PORT0, BOX_B_PORT0, SUITE, a_key, SUITE, new_key(), SUITE_B, new_key(),
               SUITE_B, new_key(), B_IP, B_PORT0, calls),
            r"sessions? \d* ?created|session add: .*")
    err = re.search(r"session add: .*", out)
    if err:
        raise RuntimeError("srtpfwd console: " + err[0])
    return [dict(call_id="console-%s-%d" % (tag, i), a=[A_IP, A_PORT0 + 2 * i],
                 box_a=[BOX_A_IP, BOX_A_PORT0 + i], b=[B_IP, B_PORT0], a_key=a_key,
                 towards_b="srtp-box-keys", ssrc=0x5000 + i) for i in range(calls)]


def delete(con, calls, tag):
    con.run("session del all", r"sessions deleted|session del: ")
