#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
The ng control protocol's transport on a running srtpfwd (net_null ports):
Debian's rtpengine-ng-client gets "pong"; a retransmitted cookie gets the
first reply byte for byte and shows in cached_replies; malformed bencode,
an unknown command and a body that is no dictionary get `result: error`
with a reason; a cookie-less datagram is dropped unanswered; 2000 garbage
datagrams leave the box up and answering the next ping. At most ~30 s.

Prints "ng: N passed, M failed"; exit status 1 on any failure.
usage: ng_ping.py SRTPFWD
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from checks import result, summary  # noqa: E402

CONFIG = """[general]
max-sessions = 16
ng-listen = 127.0.0.1:%d
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


def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Ng:
    def __init__(self, port):
        self.addr = ("127.0.0.1", port)
        self.s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.s.settimeout(1.0)

    def ask(self, data, tries=1):
        for _ in range(tries):
            self.s.sendto(data, self.addr)
            try:
                return self.s.recv(70000)
            except socket.timeout:
                pass
        return None

    def silent(self, data, wait=0.3):
        """True when data gets no answer within wait seconds."""
        self.s.sendto(data, self.addr)
        self.s.settimeout(wait)
        try:
            self.s.recv(70000)
            return False
        except socket.timeout:
            return True
        finally:
            self.s.settimeout(1.0)


def ng_stats(proc_out):
    m = re.findall(rb"ng: received (\d+) replied (\d+) cached_replies (\d+) errors (\d+) "
                   rb"dropped (\d+)", proc_out)
    return tuple(int(x) for x in m[-1]) if m else None


def main():
    binary = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="srtpfwd-ng-")
    prefix = "ng%d" % os.getpid()
    port = free_port()
    with open(os.path.join(work, "cfg"), "w") as f:
        f.write(CONFIG % port)
    proc = subprocess.Popen(
        [binary, "--no-huge", "-m", "256", "--no-pci", "--file-prefix", prefix, "-l", "0-1",
         "--vdev", "net_null0,no-rx=1", "--vdev", "net_null1,no-rx=1", "--",
         "--config", os.path.join(work, "cfg"), "-i", "--duration", "20"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = b""
    try:
        ng = Ng(port)
        first = None
        deadline = time.time() + 15
        while first is None and time.time() < deadline and proc.poll() is None:
            first = ng.ask(b"up1 d7:command4:pinge")
        result("python client: ping -> pong", first == b"up1 d6:result4:ponge", first)

        cli = subprocess.run(["rtpengine-ng-client", "--proxy-address=127.0.0.1",
                              "--proxy-port=%d" % port, "ping"],
                             capture_output=True, timeout=10)
        result("rtpengine-ng-client ping: pong", cli.returncode == 0 and
               b"pong" in cli.stdout, (cli.returncode, cli.stdout, cli.stderr))

        a = ng.ask(b"rep7 d7:command4:pinge")
        b = ng.ask(b"rep7 d7:command4:pinge")
        # The cached reply is the first one, even for a different body now.
        c = ng.ask(b"rep7 d7:command5:bogose")
        result("repeated cookie: the same reply byte for byte, command not run again",
               a == b"rep7 d6:result4:ponge" and b == a and c == a, (a, b, c))

        r = ng.ask(b"bad1 d7:command4:pin")
        result("malformed bencode: error with a reason",
               r is not None and r.startswith(b"bad1 d6:result5:error12:error-reason")
               and b" at offset " in r, r)
        r = ng.ask(b"unk1 d7:command7:frobnic3:fooi1ee")
        result("unknown command: error 'unknown command'",
               r == b"unk1 d6:result5:error12:error-reason15:unknown commande", r)
        r = ng.ask(b"nocmd d3:fooi1ee")
        result("no command key: error 'no command'",
               r == b"nocmd d6:result5:error12:error-reason10:no commande", r)
        r = ng.ask(b"lst1 l4:pinge")
        result("body not a dictionary: error",
               r == b"lst1 d6:result5:error12:error-reason27:request is not a dictionarye", r)
        r = ng.ask(b"key1 d7:command4:ping5:extra3:xyze")
        result("unknown keys ignored: pong", r == b"key1 d6:result4:ponge", r)
        result("no cookie: dropped, no answer", ng.silent(b"d7:command4:pinge") and
               ng.silent(b"nobody "), None)

        junk = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        rnd = open("/dev/urandom", "rb")
        for i in range(2000):
            junk.sendto(rnd.read(1 + i % 300), ("127.0.0.1", port))
        junk.close()
        rnd.close()
        r = ng.ask(b"after d7:command4:pinge", tries=5)
        result("2000 garbage datagrams: still up, next ping answered",
               r == b"after d6:result4:ponge" and proc.poll() is None, r)

        out, _ = proc.communicate(b"show ng stats\nquit\n", timeout=15)
        st = ng_stats(out)
        # received >= what we sent that reached it; replied: up1, cli, rep7, 4 errors, key1, after.
        result("show ng stats: cached_replies 2, errors >= 4, dropped >= 2",
               st is not None and st[2] == 2 and st[3] >= 4 and st[4] >= 2 and
               st[1] >= 9 and st[0] >= st[1] + st[2] + st[4], st)
        result("clean exit", proc.returncode == 0, proc.returncode)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        shutil.rmtree(work, ignore_errors=True)
    return summary("ng")


if __name__ == "__main__":
    sys.exit(main())
