#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
Telemetry through DPDK's own socket while the forwarder runs: every
/srtpfwd/* command answered (by the control lcore, which telemetry asks:
app/telemetry.c), the answers right (sessions, legs, drop names, the DTLS
fingerprint), a bad parameter refused, hundreds of requests in a row while
sessions are added and removed, and a clean exit afterwards.

Prints "telemetry: N passed, M failed"; exit status 1 on any failure.
usage: telemetry_check.py SRTPFWD
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from checks import result, summary  # noqa: E402

CONFIG = """[general]
max-sessions = 64
[interface access]
exposed = no
port = net_null0
ipv4 = 198.18.0.1/24
media-ports = 20000-20999
[interface core]
exposed = no
port = net_null1
ipv4 = 198.19.0.1/24
media-ports = 30000-30999
"""

class Telemetry:
    def __init__(self, prefix, timeout=10.0):
        path = "/var/run/dpdk/%s/dpdk_telemetry.v2" % prefix
        if os.geteuid() != 0:
            path = os.path.join(os.environ.get("XDG_RUNTIME_DIR", "/tmp"), "dpdk", prefix,
                                "dpdk_telemetry.v2")
        deadline = time.time() + timeout
        while True:
            try:
                self.s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
                self.s.connect(path)
                break
            except OSError:
                self.s.close()
                if time.time() > deadline:
                    raise
                time.sleep(0.1)
        self.s.settimeout(5)
        info = json.loads(self.s.recv(16384).decode())
        self.max_len = info.get("max_output_len", 16384)

    def wait_registered(self, cmd, timeout=15.0):
        """The socket is up from EAL init; srtpfwd registers its commands later."""
        deadline = time.time() + timeout
        while cmd not in (self.ask("/").get("/") or []):
            if time.time() > deadline:
                raise TimeoutError("%s never registered" % cmd)
            time.sleep(0.1)

    def ask(self, cmd):
        self.s.send(cmd.encode())
        return json.loads(self.s.recv(self.max_len).decode())


def main():
    binary = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="srtpfwd-tel-")
    prefix = "tel%d" % os.getpid()
    with open(os.path.join(work, "cfg"), "w") as f:
        f.write(CONFIG)
    # Sessions made before the first packet; more come and go from the console below.
    with open(os.path.join(work, "cmds"), "w") as f:
        f.write("session add e2e access 20000 core 30000 a-remote=198.18.0.2:5000 "
                "b-remote=198.19.0.2:6000\n")
        f.write("session add e2ae access 20002 core 30002 a-dtls=passive "
                "b-remote=198.19.0.2:6002\n")
    proc = subprocess.Popen(
        [binary, "--no-huge", "-m", "256", "--no-pci", "--file-prefix", prefix, "-l", "0-1",
         "--vdev", "net_null0,no-rx=1", "--vdev", "net_null1,no-rx=1", "--",
         "--config", os.path.join(work, "cfg"), "--cmdline-file", os.path.join(work, "cmds"),
         "-i", "--duration", "8"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        tel = Telemetry(prefix)
        tel.wait_registered("/srtpfwd/dtls")
        stats = tel.ask("/srtpfwd/stats")["/srtpfwd/stats"]
        result("/srtpfwd/stats: 2 sessions, 1 worker", stats.get("sessions") == 2 and
               stats.get("workers") == 1 and "handed_off" in stats, stats)
        sessions = tel.ask("/srtpfwd/sessions")["/srtpfwd/sessions"]
        result("/srtpfwd/sessions: [0, 1]", sessions == [0, 1], sessions)
        s0 = tel.ask("/srtpfwd/session,0")["/srtpfwd/session"]
        result("/srtpfwd/session,0: e2e, leg a 198.18.0.1:20000 <-> 198.18.0.2:5000",
               s0.get("mode") == "e2e" and s0["leg_a"].get("local") == "198.18.0.1:20000" and
               s0["leg_a"].get("remote") == "198.18.0.2:5000" and
               s0["leg_b"].get("remote") == "198.19.0.2:6000", s0)
        result("/srtpfwd/session,0: every per-leg drop counter, zero",
               all(s0["leg_a"].get(k) == 0 for k in
                   ("source_mismatch", "no_headroom", "handoff_full", "dtls_peer")), s0)
        bad = tel.ask("/srtpfwd/session,99")
        result("/srtpfwd/session,99: refused, no answer", bad.get("/srtpfwd/session") is None,
               bad)
        drops = tel.ask("/srtpfwd/drops")["/srtpfwd/drops"]
        result("/srtpfwd/drops: every reason, zero", "handoff_full" in drops and
               "udp_checksum" in drops and not any(drops.values()), drops)
        dtls = tel.ask("/srtpfwd/dtls")["/srtpfwd/dtls"]
        fp = dtls.get("fingerprint_sha256", "")
        result("/srtpfwd/dtls: the certificate's fingerprint (32 bytes), failures by reason",
               len(fp.split(":")) == 32 and dtls.get("fingerprint_mismatch") == 0 and
               dtls.get("handshake_timeout") == 0, dtls)
        pools = tel.ask("/srtpfwd/mempools")["/srtpfwd/mempools"]
        result("/srtpfwd/mempools: every pool's elements in use; mbufs: a few bursts at most",
               "mbufs" in pools and pools["mbufs"] < 1024 and len(pools) >= 2, pools)
        calls = tel.ask("/srtpfwd/calls")["/srtpfwd/calls"]
        result("/srtpfwd/calls: ng call counters, none yet",
               calls.get("current") == 0 and calls.get("offers") == 0 and "timeout" in calls,
               calls)
        # Sessions come and go on the control lcore while telemetry keeps asking.
        for i in range(20):
            proc.stdin.write(("session add e2e access %d core %d b-remote=198.19.0.2:7000\n"
                              % (20100 + i, 30100 + i)).encode())
        proc.stdin.write(b"session del 1\n")
        proc.stdin.flush()
        answers, errors, t0 = 0, [], time.time()
        for i in range(300):
            cmd = ("/srtpfwd/stats", "/srtpfwd/sessions", "/srtpfwd/session,0",
                   "/srtpfwd/dtls")[i % 4]
            try:
                if tel.ask(cmd).get(cmd.split(",")[0]) is not None:
                    answers += 1
            except (OSError, ValueError) as e:
                errors.append(str(e))
        result("300 requests in a row while sessions change: all answered (%.2f s)" %
               (time.time() - t0), answers == 300, "%d answered; %s" % (answers, errors[:3]))
        # The console reads its input every 10 ms: give it the time to.
        for _ in range(50):
            n = tel.ask("/srtpfwd/stats")["/srtpfwd/stats"].get("sessions")
            if n == 21:
                break
            time.sleep(0.1)
        result("/srtpfwd/stats after 20 adds and one del: 21 sessions", n == 21, n)
        proc.stdin.write(b"quit\n")
        proc.stdin.flush()
        out = proc.communicate(timeout=30)[0].decode(errors="replace")
        result("srtpfwd exited cleanly", proc.returncode == 0,
               "exit %s: %s" % (proc.returncode, out[-600:]))
    except Exception as e:  # a broken check is a failure, not a crash
        result("telemetry session", False, repr(e))
        proc.kill()
        print(proc.communicate()[0].decode(errors="replace")[-1500:])
    shutil.rmtree(work, ignore_errors=True)
    return summary("telemetry")


if __name__ == "__main__":
    sys.exit(main())
