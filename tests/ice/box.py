# SPDX-License-Identifier: BSD-3-Clause
"""
The forwarder under test, seen from ice_peers.py: started with its console on
a pipe (-i) and its output in a log; console commands answered in order (each
followed by an unknown marker command, whose echo ends the answer), and the
counters the tests compare before and after: drops by name, port stats,
neighbours, mempools, sessions, DPDK heap (telemetry).
"""
import json
import os
import re
import socket
import subprocess
import time

from peer_link import reap

PROMPT = "srtpfwd> "


class BoxError(Exception):
    pass


class Box:
    def __init__(self, binary, work, prefix, vdevs, config_text, extra=()):
        self.work, self.prefix = work, prefix
        cfg = os.path.join(work, "fwd.ini")
        with open(cfg, "w") as f:
            f.write(config_text)
        self.log_path = os.path.join(work, "fwd.log")
        self.log = open(self.log_path, "w")
        argv = [binary, "--no-huge", "-m", "1024", "--no-pci", "--file-prefix", prefix,
                "-l", "0-1", "--log-level=*:warning"]
        for v in vdevs:
            argv += ["--vdev", v]
        argv += ["--", "--config", cfg, "--duration", "600", "-i"] + list(extra)
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=self.log,
                                     stderr=subprocess.STDOUT, bufsize=0)
        with open(os.path.join(work, "fwd.pid"), "w") as f:
            f.write("%d\n" % self.proc.pid)
        self.n = 0
        self.tel = None

    def text(self, since=0):
        with open(self.log_path, errors="replace") as f:
            f.seek(since)
            return f.read()

    def wait_log(self, pattern, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if re.search(pattern, self.text(), re.M):
                return True
            if self.proc.poll() is not None:
                return False
            time.sleep(0.1)
        return False

    def cmd(self, line, timeout=5.0):
        """One console command; what it printed."""
        self.n += 1
        marker = "zz-end-%d" % self.n
        off = os.path.getsize(self.log_path)
        try:
            self.proc.stdin.write(("%s\n%s\n" % (line, marker)).encode())
        except OSError as e:
            raise BoxError("console: %s: %s" % (line, e))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            out = self.text(off)
            end = out.find(PROMPT + marker)
            if end >= 0:
                start = out.find(PROMPT + line)
                start = out.find("\n", start) + 1 if start >= 0 else 0
                return out[start:end]
            if self.proc.poll() is not None:
                raise BoxError("srtpfwd exited (rc %s) during '%s'" % (self.proc.returncode, line))
            time.sleep(0.05)
        raise BoxError("console: no answer to '%s' in %.0f s" % (line, timeout))

    # ---- what the tests read ----

    def fingerprint(self):
        m = re.search(r"dtls fingerprint: sha-256 ([0-9A-Fa-f:]+)", self.cmd("show dtls fingerprint"))
        return m.group(1).upper() if m else None

    def dtls_stats(self):
        """show dtls stats as name -> number."""
        return {k: int(v) for k, v in re.findall(r"([a-z_]+) (\d+)", self.cmd("show dtls stats"))}

    def session_add(self, args):
        out = self.cmd("session add " + args)
        m = re.search(r"^session (\d+) created$", out, re.M)
        if m is None:
            raise BoxError("session add refused: %s" % out.strip())
        return int(m.group(1))

    def nominated(self, sid, leg):
        """show ice: the nominated pair's remote address on leg a|b, or None."""
        out = self.cmd("show ice %d" % sid)
        part = re.split(r"^\s*leg b\b", out, maxsplit=1, flags=re.M)
        text = part[0] if leg == "a" else (part[1] if len(part) > 1 else "")
        m = re.search(r"^\s*ice pair (\S+) nominated\b", text, re.M)
        return m.group(1) if m else None

    def leg_remote(self, sid, leg):
        """show session: leg a|b's remote ("-" when it has none)."""
        m = re.search(r"^\s*leg %s .*? remote (\S+)" % leg, self.cmd("show session %d" % sid), re.M)
        return m.group(1) if m else None

    def drops(self):
        out = self.cmd("show worker stats")
        res, on = {}, False
        for line in out.splitlines():
            if "drops by reason" in line:
                on = True
            elif on and re.match(r"^\s+\w+\s+\d+$", line):
                name, v = line.split()
                res[name] = int(v)
        return res

    def port_stats(self):
        out = self.cmd("show port stats all")
        return [dict(zip(("rx", "missed", "rx_bytes", "tx", "tx_bytes"), map(int, m)))
                for m in re.findall(r"RX-packets: (\d+)\s+RX-missed: (\d+)\s+RX-bytes: (\d+).*?"
                                    r"TX-packets: (\d+)\s+TX-errors: \d+\s+TX-bytes: (\d+)", out, re.S)]

    def neighbours(self):
        m = re.search(r"(\d+) neighbours", self.cmd("show neigh all"))
        return int(m.group(1)) if m else None

    def sessions(self):
        m = re.search(r"(\d+) sessions \(max", self.cmd("show session all"))
        return int(m.group(1)) if m else None

    def mempools(self):
        """name -> in use, from 'show mempool all' (None where the box has no such command)."""
        out = self.cmd("show mempool all")
        res = {m.group(1): int(m.group(2)) for m in re.finditer(r"^\s*(\S+)\s.*\bin use (\d+)", out, re.M)}
        return res or None

    def heap(self):
        """DPDK heap 0 (telemetry): allocations and bytes in use."""
        try:
            d = self.telemetry("/eal/heap_info,0").get("/eal/heap_info", {})
            return {"count": d.get("Alloc_count"), "bytes": d.get("Alloc_size")}
        except (OSError, ValueError):
            return None

    def telemetry(self, cmd):
        if self.tel is None:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            s.settimeout(5)
            s.connect("/var/run/dpdk/%s/dpdk_telemetry.v2" % self.prefix)
            self.max_len = json.loads(s.recv(16384).decode()).get("max_output_len", 16384)
            self.tel = s
        self.tel.send(cmd.encode())
        return json.loads(self.tel.recv(self.max_len).decode())

    def snapshot(self):
        return {"drops": self.drops(), "ports": self.port_stats(), "neigh": self.neighbours(),
                "sessions": self.sessions(), "mempools": self.mempools(), "heap": self.heap()}

    def stop(self, timeout=10.0):
        """quit; the final counters it printed ('' if it had to be killed)."""
        if self.tel is not None:
            self.tel.close()
        if self.proc.poll() is None:
            try:
                self.proc.stdin.write(b"quit\n")
                self.proc.stdin.close()
            except OSError:
                pass
            reap(self.proc, timeout)
        self.log.close()
        out = self.text()
        return out[out.find("final counters"):] if "final counters" in out else ""
