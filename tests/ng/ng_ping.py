#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
The ng control protocol's transport on a running srtpfwd (net_null ports):
Debian's rtpengine-ng-client gets "pong"; a retransmitted cookie gets the
first reply byte for byte and shows in cached_replies; malformed bencode,
an unknown command and a body that is no dictionary get `result: error`
with a reason; a cookie-less datagram is dropped unanswered; 2000 garbage
datagrams leave the box up and answering the next ping. JSON bodies
(rtpengine-ng-client --json, and Python): answered in JSON as rtpengine
mr10.5 does, errors too. TCP (ng-listen-tcp, rtpengine's listen-tcp-ng):
bencode and JSON pings answered on the connection, a message sent a few
bytes at a time, two messages in one segment answered in order, the reply
cache, garbage and a message past 64 KiB closing the connection, the 65th
connection refused while 64 are open. At most ~40 s.

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
ng-listen-tcp = 127.0.0.1:%d
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


def free_port(kind=socket.SOCK_DGRAM):
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class TcpNg:
    """One ng-over-TCP connection: messages back to back, no length prefix."""

    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=2.0)
        self.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def read(self, n, wait=2.0):
        """Up to n bytes, within wait seconds."""
        got = b""
        deadline = time.time() + wait
        while len(got) < n and time.time() < deadline:
            self.s.settimeout(max(0.01, deadline - time.time()))
            try:
                chunk = self.s.recv(n - len(got))
            except socket.timeout:
                break
            if not chunk:
                break
            got += chunk
        return got

    def ask(self, data, want_len):
        self.s.sendall(data)
        return self.read(want_len)

    def closed_by_peer(self, wait=2.0):
        """True when the box closes the connection within wait seconds."""
        deadline = time.time() + wait
        while time.time() < deadline:
            self.s.settimeout(max(0.01, deadline - time.time()))
            try:
                if self.s.recv(65536) == b"":
                    return True
            except socket.timeout:
                return False
            except ConnectionResetError:
                return True
        return False

    def close(self):
        self.s.close()


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


def json_checks(ng, port):
    """JSON bodies over UDP: answered in JSON (rtpengine mr10.5), errors too."""
    cli = subprocess.run(["rtpengine-ng-client", "--json", "--proxy-address=127.0.0.1",
                          "--proxy-port=%d" % port, "ping"],
                         capture_output=True, timeout=10)
    result("rtpengine-ng-client --json ping: pong (it decodes the reply as JSON)",
           cli.returncode == 0 and b"pong" in cli.stdout, (cli.returncode, cli.stdout, cli.stderr))
    r = ng.ask(b'j1 {"command":"ping","flags":["trust-address"],"n":-3,"t":true}')
    result("JSON ping: JSON pong", r == b'j1 {"result":"pong"}', r)
    r = ng.ask(b'j2 {"command":"frobnicate"}')
    result("JSON unknown command: JSON error with its reason",
           r == b'j2 {"result":"error","error-reason":"unknown command"}', r)
    r = ng.ask(b'j3 {"command":"ping"')
    result("JSON truncated: JSON error 'truncated object at offset 17'",
           r == b'j3 {"result":"error","error-reason":"truncated object at offset 17"}', r)
    r = ng.ask(b'j4 {"command":"ping","x":null}')
    result("JSON null: error (rtpengine refuses null too)",
           r is not None and r.startswith(b'j4 {"result":"error","error-reason":"null'), r)
    a = ng.ask(b'jrep {"command":"ping"}')
    b = ng.ask(b'jrep {"command":"ping"}')
    result("JSON repeated cookie: the same JSON reply from the cache",
           a == b'jrep {"result":"pong"}' and b == a, (a, b))


def tcp_checks(tcp_port):
    """ng over TCP: framing, replies on the connection, closing on garbage."""
    c = TcpNg(tcp_port)
    r = c.ask(b"t1 d7:command4:pinge", len(b"t1 d6:result4:ponge"))
    result("TCP: bencode ping -> pong on the connection", r == b"t1 d6:result4:ponge", r)
    r = c.ask(b't2 {"command":"ping"}', len(b't2 {"result":"pong"}'))
    result("TCP: JSON ping -> JSON pong", r == b't2 {"result":"pong"}', r)
    msg = b"t3 d7:command4:ping5:extra3:e}{e"
    for i in range(0, len(msg), 3):
        c.s.sendall(msg[i:i + 3])
        time.sleep(0.02)
    r = c.read(len(b"t3 d6:result4:ponge"))
    result("TCP: a message in 3-byte pieces -> one reply", r == b"t3 d6:result4:ponge", r)
    want = b"t4 d6:result4:ponget5 d6:result5:error12:error-reason15:unknown commande"
    r = c.ask(b"t4 d7:command4:pinge\r\nt5 d7:command3:fooe", len(want))
    result("TCP: two messages in one segment -> two replies in order", r == want, r)
    a = c.ask(b"trep d7:command4:pinge", len(b"trep d6:result4:ponge"))
    b = c.ask(b"trep d7:command5:bogose", len(b"trep d6:result4:ponge"))
    result("TCP: repeated cookie -> the cached reply", a == b"trep d6:result4:ponge" and b == a,
           (a, b))
    r = c.ask(b't6 {"command":"ping",}', 200)
    result("TCP: bad JSON that frames -> JSON error, connection stays",
           r.startswith(b't6 {"result":"error","error-reason":"object key is not a string'), r)
    r = c.ask(b"t7 d7:command4:pinge", len(b"t7 d6:result4:ponge"))
    result("TCP: still answering after the error", r == b"t7 d6:result4:ponge", r)
    c.s.sendall(b"GET / HTTP/1.1\r\n\r\n")
    result("TCP: garbage -> connection closed", c.closed_by_peer(), None)
    c.close()

    c = TcpNg(tcp_port)
    big = b"t8 d3:sdpl" + b"i1e" * 23000
    try:
        c.s.sendall(big)
    except (BrokenPipeError, ConnectionResetError):
        pass
    result("TCP: a message past 64 KiB -> connection closed", c.closed_by_peer(), None)
    c.close()

    conns = [TcpNg(tcp_port) for _ in range(64)]
    extra = TcpNg(tcp_port)
    result("TCP: the 65th connection is closed while 64 are open", extra.closed_by_peer(), None)
    extra.close()
    r = conns[63].ask(b"t9 d7:command4:pinge", len(b"t9 d6:result4:ponge"))
    result("TCP: the 64th connection answers", r == b"t9 d6:result4:ponge", r)
    for k in conns:
        k.close()
    time.sleep(0.2)
    c = TcpNg(tcp_port)
    r = c.ask(b"t10 d7:command4:pinge", len(b"t10 d6:result4:ponge"))
    result("TCP: slots come back once connections close", r == b"t10 d6:result4:ponge", r)
    c.close()


def main():
    binary = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="srtpfwd-ng-")
    prefix = "ng%d" % os.getpid()
    port = free_port()
    tcp_port = free_port(socket.SOCK_STREAM)
    with open(os.path.join(work, "cfg"), "w") as f:
        f.write(CONFIG % (port, tcp_port))
    proc = subprocess.Popen(
        [binary, "--no-huge", "-m", "256", "--no-pci", "--file-prefix", prefix, "-l", "0-1",
         "--vdev", "net_null0,no-rx=1", "--vdev", "net_null1,no-rx=1", "--",
         "--config", os.path.join(work, "cfg"), "-i", "--duration", "30"],
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

        json_checks(ng, port)
        tcp_checks(tcp_port)
        r = ng.ask(b"end d7:command4:pinge", tries=3)
        result("UDP still answers after the TCP checks", r == b"end d6:result4:ponge", r)

        out, _ = proc.communicate(b"show ng stats\nquit\n", timeout=15)
        st = ng_stats(out)
        # cached: rep7 x2, jrep x1, trep x1; errors: 4 bencode, 3 JSON, 1 JSON over TCP.
        result("show ng stats: cached_replies 4, errors >= 8, dropped >= 2",
               st is not None and st[2] == 4 and st[3] >= 8 and st[4] >= 2 and
               st[1] >= 20 and st[0] >= st[1] + st[2] + st[4], st)
        result("clean exit", proc.returncode == 0, proc.returncode)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        shutil.rmtree(work, ignore_errors=True)
    return summary("ng")


if __name__ == "__main__":
    sys.exit(main())
