# SPDX-License-Identifier: BSD-3-Clause
"""
The line between the test (ice_peers.py) and one peer process it runs inside
a network namespace: one JSON object a line each way. The test sends
{"cmd": NAME, ...}; the peer answers {"ok": true, ...} or {"ok": false,
"error": TEXT}. Peers write their logs to stderr, never to stdout.

Test side: Peer(argv, log).call(cmd, timeout, **args) (every wait bounded).
Peer side: serve(handlers) for synchronous peers; reply() for the others.
"""
import json
import os
import select
import subprocess
import sys
import time


class PeerError(Exception):
    pass


def reap(proc, timeout):
    """Wait at most timeout s for proc to exit; kill it if it has not."""
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class Peer:
    """One peer process (argv usually starts with ip netns exec NS)."""

    def __init__(self, name, argv, log_path):
        self.name = name
        self.log_path = log_path
        self.log = open(log_path, "w")
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.log, bufsize=0)
        self.buf = b""

    def call(self, cmd, timeout=10.0, **args):
        """Send one command, wait at most timeout s for its answer; PeerError otherwise."""
        args["cmd"] = cmd
        try:
            self.proc.stdin.write((json.dumps(args) + "\n").encode())
        except (BrokenPipeError, OSError) as e:
            raise PeerError("%s: %s: %s (log %s)" % (self.name, cmd, e, self.tail()))
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise PeerError("%s: %s: no answer in %.0f s (log: %s)"
                                % (self.name, cmd, timeout, self.tail()))
            r, _, _ = select.select([fd], [], [], left)
            if r:
                chunk = os.read(fd, 65536)
                if not chunk:
                    raise PeerError("%s: %s: peer exited (rc %s, log: %s)"
                                    % (self.name, cmd, self.proc.poll(), self.tail()))
                self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        ans = json.loads(line)
        if not ans.get("ok"):
            raise PeerError("%s: %s: %s" % (self.name, cmd, ans.get("error")))
        return ans

    def tail(self, n=5):
        self.log.flush()
        try:
            with open(self.log_path, errors="replace") as f:
                return " | ".join(f.read().strip().splitlines()[-n:])
        except OSError:
            return "-"

    def stop(self, timeout=10.0):
        """Ask it to quit; kill it if it has not gone within timeout s."""
        if self.proc.poll() is None:
            try:
                self.call("quit", timeout=timeout)
            except PeerError:
                pass
        reap(self.proc, timeout)
        self.log.close()


def wait_for(fn, timeout, step=0.5):
    """fn() until it returns something true or timeout s passed; its last value."""
    deadline = time.monotonic() + timeout
    while True:
        v = fn()
        if v or time.monotonic() >= deadline:
            return v
        time.sleep(step)


def reply(**ans):
    """Peer side: one answer line."""
    ans.setdefault("ok", True)
    sys.stdout.write(json.dumps(ans, default=str) + "\n")
    sys.stdout.flush()


def serve(handlers):
    """Peer side, synchronous: answer commands until quit or end of input."""
    for line in sys.stdin:
        req = json.loads(line)
        cmd = req.pop("cmd")
        if cmd == "quit":
            reply()
            return
        try:
            reply(**(handlers[cmd](**req) or {}))
        except Exception as e:  # the test decides what a failed command means
            reply(ok=False, error="%s: %s" % (type(e).__name__, e))
