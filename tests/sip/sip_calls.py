#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
SIP calls through srtpfwd with Kamailio as the signalling side (run by
run.sh, which makes the namespaces and cleans up). Two srtpfwd instances
(ng on 127.0.0.1:2223 and :2224) in one Kamailio rtpengine set, weight 1
each; SIPp's UAC in ns A calls SIPp's UAS in ns B through Kamailio, which
calls rtpengine_offer (direction=access direction=core) on the INVITE,
rtpengine_answer on the 200 OK and rtpengine_delete on the BYE. The UAC
plays g711a.pcap (236 RTP packets) into the call, the UAS echoes it.

  both    both instances up, CALLS calls at once. Kamailio picks an instance
          by call-id (its sum of bytes modulo the weights: the call-ids are
          chosen so both get some). Asserted: SIPp's successful calls and exit
          status on both sides; mid-call, each box lists exactly the calls
          Kamailio gave it (ng list), ng query shows media from both parties,
          show call all counts them; the SDP the UAS got has the box's core
          address and a port of its core media range (never A's address),
          the 200 OK the UAC got the box's access address; RTP counted in the
          namespaces (tcpdump): the UAC's 236 a call to the box's access
          address, about as many from the box's core address at the UAS, its
          echo back to the core address, and from the box's access address
          at the UAC; the boxes' port counters carry at least that; after the
          BYEs no call is left (ng list, show call all) and ng statistics
          counts each call managed and ended by delete.
  failover instance 1 is stopped (SIGINT: it exits cleanly); CALLS new calls,
          some of whose call-ids Kamailio would give instance 1: all complete,
          all through instance 2 (its statistics and ng list, RTP at its
          addresses only, nothing on instance 1's veths), Kamailio's log
          shows it tried instance 1 and moved on.

usage: sip_calls.py SRTPFWD WORKDIR ID NS_A NS_B R1A R1B R2A R2B P1A P1B P2A P2B
Prints "sip: N passed, M failed"; exit status 1 on any failure.
"""
import csv
import os
import re
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "ice"))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
from box import Box, BoxError  # noqa: E402
from checks import result, summary  # noqa: E402
from ng_client import Ng, NgError  # noqa: E402
from peer_link import reap, wait_for  # noqa: E402

CALLS = 4                    # calls a phase, all at once
PCAP = "/usr/share/sip-tester/g711a.pcap"
PCAP_PKTS = 236              # RTP packets in it (30 ms PCMA, 7 s)
MIN_SHARE = 0.97             # what of a hop's packets the next hop must see (ARP, latching)
UAC_SIP, KAM_A, KAM_B, UAS_SIP = "198.18.1.2", "198.18.1.1", "198.19.1.1", "198.19.1.2"
UAC_MEDIA, UAS_MEDIA, MEDIA_PORT = "198.18.0.2", "198.19.0.2", 6000

# Per instance: ng port, access and core address (and gateway), media port ranges.
BOXES = [
    {"name": "box1", "ng": 2223, "access": "198.18.0.1", "core": "198.19.0.1",
     "access_gw": None, "core_gw": None, "access_ports": (20000, 20999),
     "core_ports": (30000, 30999)},
    {"name": "box2", "ng": 2224, "access": "198.18.2.1", "core": "198.19.2.1",
     "access_gw": "198.18.2.2", "core_gw": "198.19.2.2", "access_ports": (22000, 22999),
     "core_ports": (32000, 32999)},
]


def box_config(b):
    gw = lambda g: "gateway4 = %s\n" % g if g else ""  # noqa: E731
    return ("[general]\nmbufs = 8191\nng-listen = 127.0.0.1:%d\n\n"
            "[interface access]\nport = net_af_packet0\nipv4 = %s/24\n%smedia-ports = %d-%d\n\n"
            "[interface core]\nport = net_af_packet1\nipv4 = %s/24\n%smedia-ports = %d-%d\n"
            % (b["ng"], b["access"], gw(b["access_gw"]), b["access_ports"][0],
               b["access_ports"][1], b["core"], gw(b["core_gw"]), b["core_ports"][0],
               b["core_ports"][1]))


def kamailio_node(call_id):
    """Which set member (0 or 1) Kamailio's rtpengine module picks for a new call
    when both are up: the sum of the call-id's bytes, & 0xff, modulo the weights."""
    return (sum(call_id.encode()) & 0xFF) % 2


class Env:
    def __init__(self, argv):
        (self.binary, self.work, self.id, self.ns_a, self.ns_b, r1a, r1b, r2a, r2b,
         p1a, p1b, p2a, p2b) = argv[:13]
        self.root = [(r1a, r1b), (r2a, r2b)]
        self.veths = {self.ns_a: (p1a, p2a), self.ns_b: (p1b, p2b)}
        self.boxes = [None, None]
        self.ng = [Ng("127.0.0.1", b["ng"]) for b in BOXES]
        self.kam = None
        self.uas = None

    def path(self, *p):
        return os.path.join(self.work, *p)


# ---- processes ----

def start_box(env, i):
    b = BOXES[i]
    work = env.path(b["name"])
    os.makedirs(work, exist_ok=True)
    ra, rb = env.root[i]
    env.boxes[i] = Box(env.binary, work, "sip%d-%s" % (i + 1, env.id),
                       ["net_af_packet0,iface=%s,qpairs=2" % ra,
                        "net_af_packet1,iface=%s,qpairs=2" % rb],
                       box_config(b))


def ng_ping(env, i):
    try:
        return env.ng[i].ask("ping", tries=1).get("result") == "pong"
    except NgError:
        return False


def start_kamailio(env):
    log = open(env.path("kamailio.log"), "w")
    pidfile = env.path("kamailio.pid")
    p = subprocess.Popen(["kamailio", "-f", os.path.join(HERE, "kamailio.cfg"), "-P", pidfile,
                          "-E", "-w", env.work], stdout=log, stderr=subprocess.STDOUT,
                         stdin=subprocess.DEVNULL)
    rc = p.wait(timeout=20)   # the main process forks and goes; its children stay
    up = rc == 0 and wait_for(lambda: os.path.exists(pidfile) and os.path.getsize(pidfile) > 0,
                              10, 0.2)
    env.kam = int(open(pidfile).read().strip()) if up else None
    if env.kam is None:
        return False
    time.sleep(1)   # its children bind and ping the ng nodes
    try:
        os.kill(env.kam, 0)
    except ProcessLookupError:
        return False
    return True


def kam_log(env, since=0):
    with open(env.path("kamailio.log"), errors="replace") as f:
        f.seek(since)
        return f.read()


def stop_kamailio(env):
    if env.kam is None:
        return
    try:
        os.kill(env.kam, signal.SIGTERM)
    except ProcessLookupError:
        return
    for _ in range(50):
        try:
            os.kill(env.kam, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.kill(env.kam, signal.SIGKILL)


def sipp(env, ns, name, args):
    """SIPp in a namespace, its screen output in WORK/NAME.out (a Popen)."""
    out = open(env.path(name + ".out"), "w")
    argv = ["ip", "netns", "exec", ns, "sipp"] + args + [
        "-nostdin", "-trace_msg", "-message_file", env.path(name + "_messages.log"),
        "-trace_err", "-error_file", env.path(name + "_errors.log"),
        "-trace_stat", "-stf", env.path(name + "_stat.csv"), "-fd", "1"]
    return subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            cwd=env.work)


def start_uas(env, calls):
    env.uas = sipp(env, env.ns_b, "uas", [
        "-sf", os.path.join(HERE, "uas.xml"), "-i", UAS_SIP, "-p", "5060",
        "-mi", UAS_MEDIA, "-mp", str(MEDIA_PORT), "-rtp_echo", "-m", str(calls),
        "-timeout", "130s"])


def sipp_stats(path):
    """SIPp's last -trace_stat line: SuccessfulCall(C), FailedCall(C) (None if none)."""
    try:
        with open(path, newline="") as f:
            rows = list(csv.reader(f, delimiter=";"))
    except OSError:
        return None
    if len(rows) < 2:
        return None
    head, last = rows[0], rows[-1]
    try:
        return (int(last[head.index("SuccessfulCall(C)")]), int(last[head.index("FailedCall(C)")]))
    except (ValueError, IndexError):
        return None


class Capture:
    """tcpdump on the namespace ends of the media veths (af_packet's own TX bypasses the
    taps of the root end)."""

    def __init__(self, env, tag):
        self.files, self.procs = [], []
        for ns, ifs in env.veths.items():
            for ifn in ifs:
                f = env.path("%s-%s.pcap" % (tag, ifn))
                err = open(f + ".err", "w")
                self.procs.append((subprocess.Popen(
                    ["ip", "netns", "exec", ns, "tcpdump", "-i", ifn, "-n", "-s", "128", "-U",
                     "-w", f, "udp"], stdout=subprocess.DEVNULL, stderr=err), f))
                self.files.append(f)
        wait_for(lambda: all("listening on" in read(f + ".err") for f in self.files), 10, 0.2)

    def stop(self):
        time.sleep(0.5)
        for p, _ in self.procs:
            p.send_signal(signal.SIGINT)
        for p, _ in self.procs:
            reap(p, 5)

    def flows(self):
        """(src addr, dst addr) -> RTP-sized UDP packets, over all the captures."""
        n = {}
        addr = r"(\d+\.\d+\.\d+\.\d+)\.\d+"
        pat = re.compile(r"IP %s > %s: UDP, length (\d+)" % (addr, addr))
        for f in self.files:
            out = subprocess.run(["tcpdump", "-r", f, "-n"], capture_output=True, text=True).stdout
            for m in pat.finditer(out):
                if int(m.group(3)) >= 12:
                    k = (m.group(1), m.group(2))
                    n[k] = n.get(k, 0) + 1
        return n


# ---- what the boxes say ----

def ng_calls(env, i):
    r = env.ng[i].ask("list")
    return sorted(r.get("calls", [])) if r.get("result") == "ok" else None


def ng_statistics(env, i):
    r = env.ng[i].ask("statistics")
    return r.get("statistics", {}).get("totalstatistics", {}) if r.get("result") == "ok" else None


def tag_packets(q):
    """ng query -> {tag: packets its streams received} and the totals' RTP packets."""
    per = {}
    for tag, d in (q.get("tags") or {}).items():
        per[tag] = sum(s.get("stats", {}).get("packets", 0) for m in d.get("medias", [])
                       for s in m.get("streams", []))
    return per, q.get("totals", {}).get("RTP", {}).get("packets", 0)


def show_calls(box):
    out = box.cmd("show call all")
    m = re.search(r"^(\d+) calls$", out, re.M)
    return (int(m.group(1)) if m else None), out


def sdp_of(messages, first_line_re):
    """SIPp's message log -> {call-id: (c= address, m=audio port)} of the messages whose first
    line matches (e.g. the INVITEs it received)."""
    res = {}
    for block in re.split(r"\n-{10,}[^\n]*\n", messages):
        lines = [ln.strip() for ln in block.strip().splitlines()]
        start = next((k for k, ln in enumerate(lines) if re.match(first_line_re, ln)), None)
        if start is None:
            continue
        text = "\n".join(lines[start:])
        cid = re.search(r"^Call-ID:\s*(\S+)", text, re.M | re.I)
        c = re.search(r"^c=IN IP4 (\S+)", text, re.M)
        mm = re.search(r"^m=audio (\d+) ", text, re.M)
        if cid and c and mm:
            res[cid.group(1)] = (c.group(1), int(mm.group(1)))
    return res


def read(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


# ---- a phase: CALLS calls at once from the UAC ----

def run_calls(env, tag, up):
    """Place CALLS calls (call-ids TAG-N@a.test); returns what the checks need."""
    ports0 = {i: env.boxes[i].port_stats() for i in up}
    stats0 = {i: ng_statistics(env, i) for i in up}
    cap = Capture(env, tag)
    uac = sipp(env, env.ns_a, "uac-" + tag, [
        "%s:5060" % KAM_A, "-sf", os.path.join(HERE, "uac.xml"), "-i", UAC_SIP, "-p", "5060",
        "-mi", UAC_MEDIA, "-mp", str(MEDIA_PORT), "-m", str(CALLS), "-l", str(CALLS),
        "-r", str(CALLS), "-cid_str", tag + "-%u@a.test", "-timeout", "60s", "-timeout_error"])
    # Mid-call: every call answered on some box, media flowing.
    lists = {}

    def answered():
        for i in up:
            lists[i] = ng_calls(env, i) or []
        return sum(len(v) for v in lists.values()) == CALLS and all(
            len((env.ng[i].ask("query", call_id=c).get("tags") or {})) == 2
            for i in up for c in lists[i])
    ok = wait_for(answered, 30, 0.5)
    time.sleep(2.5)
    mid = {"lists": dict(lists), "answered": bool(ok), "query": {}, "show": {}}
    for i in up:
        for c in lists[i]:
            mid["query"][c] = (i, env.ng[i].ask("query", call_id=c))
        mid["show"][i] = show_calls(env.boxes[i])
    try:
        rc = uac.wait(timeout=60)
    except subprocess.TimeoutExpired:
        uac.kill()
        rc = uac.wait()
    cap.stop()
    time.sleep(1)  # BYE's delete, the last echoes
    after = {i: (ng_calls(env, i), show_calls(env.boxes[i])) for i in up}
    return {"tag": tag, "rc": rc, "stat": sipp_stats(env.path("uac-%s_stat.csv" % tag)),
            "mid": mid, "after": after, "flows": cap.flows(),
            "ports": {i: (ports0[i], env.boxes[i].port_stats()) for i in up},
            "stats": {i: (stats0[i], ng_statistics(env, i)) for i in up},
            "uac_msgs": read(env.path("uac-%s_messages.log" % tag))}


def check_media(r, i, n_calls, label):
    """RTP through box i in phase r: counted in the namespaces and on the box's ports."""
    b = BOXES[i]
    fl = r["flows"]
    a_in = fl.get((UAC_MEDIA, b["access"]), 0)      # UAC -> box access
    b_out = fl.get((b["core"], UAS_MEDIA), 0)       # box core -> UAS
    b_in = fl.get((UAS_MEDIA, b["core"]), 0)        # UAS echo -> box core
    a_out = fl.get((b["access"], UAC_MEDIA), 0)     # box access -> UAC
    want = PCAP_PKTS * n_calls
    result("%s: %s: the UAC sent %d RTP packets (%d calls x %d) to %s" %
           (r["tag"], label, want, n_calls, PCAP_PKTS, b["access"]), a_in == want, a_in)
    result("%s: %s: the UAS got them from %s (%d)" % (r["tag"], label, b["core"], b_out),
           want * MIN_SHARE <= b_out <= want, (b_out, want))
    result("%s: %s: the UAS echoed them to %s (%d)" % (r["tag"], label, b["core"], b_in),
           b_out * MIN_SHARE <= b_in <= b_out, (b_in, b_out))
    result("%s: %s: the echo came back to the UAC from %s (%d)" %
           (r["tag"], label, b["access"], a_out),
           b_in * MIN_SHARE <= a_out <= b_in, (a_out, b_in))
    p0, p1 = r["ports"][i]
    if len(p0) == 2 and len(p1) == 2:
        d = [{k: p1[p][k] - p0[p][k] for k in p1[p]} for p in (0, 1)]
        slack = 60   # ARP and whatever else the kernel says on the veth
        result("%s: %s: port counters: access rx %d tx %d, core rx %d tx %d (captured %d/%d/%d/%d)"
               % (r["tag"], label, d[0]["rx"], d[0]["tx"], d[1]["rx"], d[1]["tx"],
                  a_in, a_out, b_in, b_out),
               a_in <= d[0]["rx"] <= a_in + slack and a_out <= d[0]["tx"] <= a_out + slack and
               b_in <= d[1]["rx"] <= b_in + slack and b_out <= d[1]["tx"] <= b_out + slack, d)
    else:
        result("%s: %s: show port stats all: two ports" % (r["tag"], label), False, (p0, p1))
    return a_in, b_out, b_in, a_out


def check_phase(env, r, up, expect):
    """Checks common to both phases. expect: call-id -> box index that must carry it."""
    tag = r["tag"]
    ids = sorted(expect)
    result("%s: SIPp UAC: %d calls successful, none failed, exit 0" % (tag, CALLS),
           r["rc"] == 0 and r["stat"] == (CALLS, 0), (r["rc"], r["stat"]))
    mid = r["mid"]
    result("%s: mid-call, every call answered on a box (ng list, query with both tags)" % tag,
           mid["answered"], mid["lists"])
    for i in up:
        mine = sorted(c for c in ids if expect[c] == i)
        result("%s: %s lists exactly the calls Kamailio gave it: %s" %
               (tag, BOXES[i]["name"], mine),
               mid["lists"].get(i) == mine, mid["lists"].get(i))
        n, out = mid["show"][i]
        result("%s: %s: show call all counts %d calls, each with RTP" %
               (tag, BOXES[i]["name"], len(mine)),
               n == len(mine) and all(re.search(r"^call %s: answered, 1 media, .* rtp [1-9]" %
                                                re.escape(c), out, re.M) for c in mine), out)
    for c in ids:
        i, q = mid["query"].get(c, (None, {}))
        per, rtp = tag_packets(q)
        result("%s: ng query %s on %s: media from both parties (%s), RTP totals %d" %
               (tag, c, BOXES[i]["name"] if i is not None else "-", per, rtp),
               q.get("result") == "ok" and len(per) == 2 and all(v > 0 for v in per.values()) and
               rtp >= sum(per.values()) > 0, q)
    # The SDP each side got.
    uas = sdp_of(read(env.path("uas_messages.log")), r"^INVITE ")
    uac = sdp_of(r["uac_msgs"], r"^SIP/2\.0 200 ")
    for c in ids:
        b = BOXES[expect[c]]
        got = uas.get(c)
        result("%s: the INVITE at the UAS (%s) offers %s, a port of its core range, not A's address"
               % (tag, c, b["core"]), got is not None and got[0] == b["core"] and
               b["core_ports"][0] <= got[1] <= b["core_ports"][1], got)
        got = uac.get(c)
        result("%s: the 200 OK at the UAC (%s) answers with %s, a port of its access range"
               % (tag, c, b["access"]), got is not None and got[0] == b["access"] and
               b["access_ports"][0] <= got[1] <= b["access_ports"][1], got)
    # After the BYEs.
    for i in up:
        lst, (n, out) = r["after"][i]
        result("%s: %s: rtpengine_delete left no call (ng list empty, show call all: 0 calls)" %
               (tag, BOXES[i]["name"]), lst == [] and n == 0, (lst, out))
        s0, s1 = r["stats"][i]
        mine = sum(1 for c in ids if expect[c] == i)
        d = {k: (s1 or {}).get(k, 0) - (s0 or {}).get(k, 0)
             for k in ("managedsessions", "regularterminatedsessions", "rejectedsessions")}
        result("%s: %s: ng statistics: %d managed, %d ended by delete, none rejected" %
               (tag, BOXES[i]["name"], mine, mine),
               d == {"managedsessions": mine, "regularterminatedsessions": mine,
                     "rejectedsessions": 0}, d)


def main():
    env = Env(sys.argv[1:])
    up = True
    for i in (0, 1):
        # DPDK's af_packet joins a PACKET_FANOUT group numbered pid ^ ifindex: a second
        # process can hit the first one's number (EINVAL). Another pid is another number.
        for _ in range(3):
            start_box(env, i)
            if env.boxes[i].wait_log(r"srtpfwd: \d+ worker", 30):
                break
            if "PACKET_FANOUT" not in env.boxes[i].text():
                up = False
                break
            env.boxes[i].stop()
            print("  (%s: af_packet fanout group taken, started again)" % BOXES[i]["name"])
        else:
            up = False
    up = up and all(wait_for(lambda i=i: ng_ping(env, i), 10, 0.3) for i in (0, 1))
    result("two srtpfwd instances up, ng ping answered on 127.0.0.1:2223 and :2224", up,
           [b.text()[-300:] for b in env.boxes])
    try:
        if up:
            phases(env)
    except (BoxError, NgError) as e:
        result("ran to the end", False, str(e))
    finally:
        stop_kamailio(env)
        if env.uas is not None and env.uas.poll() is None:
            env.uas.kill()
            env.uas.wait()
        for b in env.boxes:
            if b is not None:
                b.stop()
    return summary("sip")


def phases(env):
    # Call-ids whose hash gives each instance some calls in both phases.
    both = ["p1-%d@a.test" % n for n in range(1, CALLS + 1)]
    fail = ["p2-%d@a.test" % n for n in range(1, CALLS + 1)]
    to_box1 = [c for c in fail if kamailio_node(c) == 0]
    result("call-ids: %s split over both instances; %s would go to instance 1" %
           (both, to_box1), len({kamailio_node(c) for c in both}) == 2 and to_box1, None)

    start_uas(env, 2 * CALLS)
    kam = start_kamailio(env)
    result("kamailio started (pid %s)" % env.kam, kam, kam_log(env)[-1000:])
    if not kam:
        return
    time.sleep(1)

    print("== both instances up: %d calls" % CALLS)
    r = run_calls(env, "p1", (0, 1))
    check_phase(env, r, (0, 1), {c: kamailio_node(c) for c in both})
    for i in (0, 1):
        n = sum(1 for c in both if kamailio_node(c) == i)
        check_media(r, i, n, BOXES[i]["name"])

    print("== instance 1 stopped: %d new calls" % CALLS)
    b1 = env.boxes[0]
    b1.proc.send_signal(signal.SIGINT)
    reap(b1.proc, 15)
    result("instance 1 stopped on SIGINT, cleanly (final counters, exit 0)",
           b1.proc.returncode == 0 and "final counters" in b1.text(), (b1.proc.returncode,
                                                                      b1.text()[-300:]))
    log_at = len(kam_log(env))
    r = run_calls(env, "p2", (1,))
    check_phase(env, r, (1,), {c: 1 for c in fail})
    check_media(r, 1, CALLS, BOXES[1]["name"])
    b = BOXES[0]
    stray = {k: v for k, v in r["flows"].items() if b["access"] in k or b["core"] in k}
    result("p2: no packet to or from instance 1's addresses", stray == {}, stray)
    klog = kam_log(env, log_at)
    tried = re.findall(r"^.*ERROR.*127\.0\.0\.1:2223.*$", klog, re.M)
    result("p2: Kamailio tried instance 1 (ng error logged) and moved on to instance 2",
           len(tried) >= 1, klog[-1500:])
    for ln in tried[:3]:
        print("        kamailio: %s" % ln.strip()[:200])

    try:
        rc = env.uas.wait(timeout=20)
    except subprocess.TimeoutExpired:
        env.uas.kill()
        rc = env.uas.wait()
    st = sipp_stats(env.path("uas_stat.csv"))
    result("SIPp UAS: %d calls successful, none failed, exit 0" % (2 * CALLS),
           rc == 0 and st == (2 * CALLS, 0), (rc, st))
    errs = re.findall(r"^.*(?:ERROR|CRITICAL).*$", kam_log(env)[:log_at], re.M)
    result("Kamailio logged no error while both instances were up", errs == [], errs[:5])


if __name__ == "__main__":
    sys.exit(main())
