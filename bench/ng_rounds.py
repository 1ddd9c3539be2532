#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""
ng offer + answer + delete rounds per second on the control lcore
(issue 12's benchmark, first part). srtpfwd runs on net_null ports (no
media); a Python client keeps WINDOW calls in flight, each going offer ->
answer -> delete (a SIP RTP/AVP call, e2e), and counts completed rounds.
The client is one Python process: on a 2-CPU host it shares the CPUs with
the control lcore and the busy-polling worker, so the figure is a floor for
the box, and the client's own rate (same loop against a UDP echo of the
same sizes) is measured in the same run as the ceiling of the method.

usage: bench/ng_rounds.py build/app/srtpfwd [seconds] [repeats]
Prints one line per run and the median; appends nothing by itself
(bench/RESULTS-ng.md records the command and its output).
"""
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "ng"))
from ngproto import encode  # noqa: E402

WINDOW = 64
CONFIG = """[general]
max-sessions = 4096
ng-listen = 127.0.0.1:%d
media-timeout = 0
[interface access]
exposed = no
port = net_null0
ipv4 = 198.18.0.1/24
media-ports = 20000-29999
[interface core]
exposed = no
port = net_null1
ipv4 = 198.19.0.1/24
media-ports = 30000-39999
"""
OFFER = ("v=0\r\no=a 1 1 IN IP4 198.18.0.2\r\ns=-\r\nc=IN IP4 198.18.0.2\r\nt=0 0\r\n"
         "m=audio 6000 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n")
ANSWER = ("v=0\r\no=b 1 1 IN IP4 198.19.0.2\r\ns=-\r\nc=IN IP4 198.19.0.2\r\nt=0 0\r\n"
          "m=audio 7000 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n")


def request(step, n):
    cid = "bench-%d" % n
    if step == 0:
        d = {"command": "offer", "call-id": cid, "from-tag": "a", "sdp": OFFER,
             "direction": ["access", "core"]}
    elif step == 1:
        d = {"command": "answer", "call-id": cid, "from-tag": "a", "to-tag": "b", "sdp": ANSWER}
    else:
        d = {"command": "delete", "call-id": cid, "from-tag": "a"}
    return b"%d.%d " % (n, step) + encode(d)


def run_rounds(addr, seconds):
    """Rounds completed per second with WINDOW calls in flight; errors counted."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(1.0)
    step = {}
    nxt = 0
    for _ in range(WINDOW):
        step[nxt] = 0
        s.sendto(request(0, nxt), addr)
        nxt += 1
    done = errors = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            r = s.recv(70000)
        except socket.timeout:
            errors += 1
            break
        cookie = r.split(b" ", 1)[0]
        n, st = (int(x) for x in cookie.split(b"."))
        if b"6:result5:error" in r:
            errors += 1
        if st == 2:
            done += 1
            del step[n]
            n = nxt
            nxt += 1
            step[n] = 0
        else:
            step[n] = st + 1
        s.sendto(request(step[n], n), addr)
    return done / seconds, errors


def echo_server(sock, stop):
    while not stop.is_set():
        try:
            data, peer = sock.recvfrom(70000)
        except socket.timeout:
            continue
        sock.sendto(data.split(b" ", 1)[0] + b" d6:result2:oke", peer)


def main():
    binary = os.path.abspath(sys.argv[1])
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 5
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    work = tempfile.mkdtemp(prefix="ng-bench-")
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    with open(os.path.join(work, "cfg"), "w") as f:
        f.write(CONFIG % port)
    proc = subprocess.Popen([binary, "--no-huge", "-m", "1024", "--no-pci", "--file-prefix",
                             "ngb%d" % os.getpid(), "-l", "0-1", "--vdev", "net_null0,no-rx=1",
                             "--vdev", "net_null1,no-rx=1", "--", "--config",
                             os.path.join(work, "cfg"), "--duration", "600"],
                            stdout=open(os.path.join(work, "log"), "w"), stderr=subprocess.STDOUT)
    time.sleep(4)
    box, ceiling = [], []
    try:
        for i in range(repeats):
            r, e = run_rounds(("127.0.0.1", port), seconds)
            box.append(r)
            es = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            es.bind(("127.0.0.1", 0))
            es.settimeout(0.2)
            stop = threading.Event()
            t = threading.Thread(target=echo_server, args=(es, stop))
            t.start()
            c, _ = run_rounds(es.getsockname(), seconds)
            stop.set()
            t.join()
            ceiling.append(c)
            print("run %d: srtpfwd %.0f rounds/s (%d errors); client vs a UDP echo %.0f rounds/s"
                  % (i + 1, r, e, c))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    print("median: srtpfwd %.0f rounds/s, client ceiling %.0f rounds/s, ratio %.2f"
          % (statistics.median(box), statistics.median(ceiling),
             statistics.median(box) / statistics.median(ceiling)))


if __name__ == "__main__":
    main()
