#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
bench/RESULTS.md from a bench/run: the machine, the command and its
duration, the headline ratios (each against a peer measured in the same
run), every step's table with the command that made it, and the plots.

usage: report.py --csv CSV --steps STEPS --results DIR --command CMD --quick 0|1
                 --seconds N --build DIR          (writes the Markdown to stdout)
"""
import argparse
import collections
import csv
import datetime
import os
import re
import subprocess

STEP_TITLES = collections.OrderedDict([
    ("e2e", "e2e forwarding against testpmd (bench/e2e_forward.sh)"),
    ("timing", "What the worker timing costs, in one process (bench/timing_cost.sh)"),
    ("srtp", "The SRTP engine alone against libsrtp2 (bench/srtp/run.sh)"),
    ("e2ae", "SRTP through the forwarder, crypto ceiling, libsrtp2 back ends (bench/e2ae_forward.sh)"),
    ("dtls", "DTLS-SRTP handshakes (bench/dtls/run.sh)"),
    ("latency", "Latency inside the box at 50 % and 90 % load (bench/latency/run.sh)"),
    ("rtpengine", "srtpfwd and rtpengine on one generator (bench/rtpengine/run.sh)"),
    ("pktgen", "pktgen kit (bench/pktgen/)"),
])
PLOTS = [("e2e-flows.png", "e2e forwarding vs flows"), ("timing.png", "e2e rate per window, timing on and off"),
         ("srtp-engine.png", "SRTP engine alone"),
         ("latency.png", "latency vs load"), ("dtls.png", "DTLS-SRTP handshakes"),
         ("peers.png", "srtpfwd vs rtpengine and libsrtp2-OpenSSL")]


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=20).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def machine():
    cpu = sh("awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo")
    flags = sh("grep -m1 '^flags' /proc/cpuinfo").split()
    want = ["aes", "pclmulqdq", "avx2", "avx512f", "vaes", "vpclmulqdq", "sha_ni", "gfni"]
    have = [f for f in want if f in flags]
    pkg = lambda p: sh("dpkg-query -W -f='${Version}' %s 2>/dev/null" % p) or "not installed"  # noqa: E731
    return [
        "CPU: %s, %s CPUs; flags: %s (of %s)" % (cpu, sh("nproc"), " ".join(have) or "none", " ".join(want)),
        "Memory: %s; kernel %s; %s" % (sh("awk '/MemTotal/ { printf \"%.0f GiB\", $2 / 1048576 }' /proc/meminfo"),
                                       sh("uname -r"), sh(". /etc/os-release; echo $PRETTY_NAME")),
        "DPDK %s (Debian %s); intel-ipsec-mb %s; OpenSSL %s" % (
            sh("pkg-config --modversion libdpdk"), pkg("dpdk"), pkg("libipsec-mb1"), sh("openssl version")),
        "libsrtp2 (Debian, NSS) %s; rtpengine %s" % (pkg("libsrtp2-1"), pkg("rtpengine-daemon")),
    ]


def load_csv(path):
    d = collections.defaultdict(dict)     # (bench, case) -> {(series, x): value}
    with open(path) as f:
        for r in csv.DictReader(f):
            try:
                d[(r["bench"], r["case"])][(r["series"], float(r["x"]))] = float(r["value"])
            except (KeyError, ValueError):
                pass
    return d


def get(d, bench, case, series, x):
    return d.get((bench, case), {}).get((series, float(x)))


def ratio_line(text, a, b, fmt="%.2f"):
    if a is None or b is None or b == 0:
        return None
    return "* %s: **%s** (%s / %s)" % (text, fmt % (a / b), "%.3g" % a, "%.3g" % b)


def timing_headlines(d):
    """The timing step's figure (bench/timing_cost.sh): on/off windows of one process."""
    out = []
    for (bench, case), vals in sorted(d.items()):
        s = {k[0]: v for k, v in vals.items()}
        if bench != "timing" or "on/off" not in s:
            continue
        r, target = s["on/off"], s.get("target", 2.0)
        cost = 100 * (1 - r)
        iqr = ("IQR %.2f to %.2f %%" % (100 * (1 - s["on/off-q3"]), 100 * (1 - s["on/off-q1"]))
               if "on/off-q1" in s and "on/off-q3" in s else "no IQR")
        out.append("* Worker timing (latency histogram + stage cycles) costs **%.2f %%** of the e2e rate "
                   "(%s; paired on/off windows in one process, median of %d pairs, %s; <= %g %%: %s; "
                   "medians on %.2f / off %.2f Mpps)" % (
                       cost, case, s.get("pairs", 0), iqr, target, "met" if cost <= target else "**not met**",
                       s.get("on", 0), s.get("off", 0)))
    return out


def headlines(d):
    out = []
    sf, io = get(d, "e2e", "flows", "srtpfwd-verify", 1000), get(d, "e2e", "flows", "testpmd-io", 1000)
    out.append(ratio_line("e2e, 1000 flows: srtpfwd / testpmd io (Mpps)", sf, io, "%.3f"))
    out.append(ratio_line("e2e, 1000 flows: srtpfwd / testpmd 5tswap", sf,
                          get(d, "e2e", "flows", "testpmd-5tswap", 1000)))
    out += timing_headlines(d)
    t = get(d, "e2e", "ratio-to-io", "srtpfwd-verify", 1000)
    au = get(d, "e2e", "ratio-to-io", "srtpfwd-auto", 1000)
    if au and t:
        out.append("* udp-checksum = auto vs verify, e2e 1000 flows: **%.2f** (ratios to testpmd io %.3f / %.3f)"
                   % (au / t, au, t))
    for prof in ("AES_CM_128_HMAC_SHA1_80", "AEAD_AES_128_GCM"):
        case = "%s:reencrypt" % prof
        # The default engine first (ipsec-mb), then the cryptodev one, where measured.
        for eng in ("ipsec-mb", "cryptodev"):
            cd = get(d, "e2ae", case, "srtpfwd %s" % eng, 160)
            if cd is None:
                continue
            out.append(ratio_line("%s 160 B re-encrypt through the forwarder: srtpfwd %s / libsrtp2-OpenSSL "
                                  "back end" % (prof, eng), cd,
                                  get(d, "e2ae", case, "srtpfwd libsrtp (OpenSSL)", 160)))
            out.append(ratio_line("%s 160 B re-encrypt: srtpfwd %s / half the crypto ceiling" % (prof, eng), cd,
                                  get(d, "e2ae", case, "crypto ceiling / 2", 160)))
    for (bench, case), vals in sorted(d.items()):
        if bench != "peers":
            continue
        s = {k[0]: v for k, v in vals.items()}
        if "srtpfwd" in s and "rtpengine" in s:
            out.append(ratio_line("%s: srtpfwd / rtpengine (highest rate, <= 0.1 %% loss)" % case, s["srtpfwd"],
                                  s["rtpengine"]))
    for case in ("e2e", "e2ae"):
        p99 = get(d, "latency", case, "p99", 90)
        if p99 is not None:
            out.append("* Latency %s at 90 %% load: p99 **%.1f us** (p50 %.1f us)" % (
                case, p99, get(d, "latency", case, "p50", 90) or 0))
    return [o for o in out if o]


def read_steps(path):
    steps = []
    with open(path) as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) == 4:
                steps.append(p)
    return steps


def main():
    ap = argparse.ArgumentParser()
    for k in ("csv", "steps", "results", "command", "build"):
        ap.add_argument("--" + k, required=True)
    ap.add_argument("--quick", default="0")
    ap.add_argument("--seconds", type=int, default=0)
    a = ap.parse_args()
    d = load_csv(a.csv)
    steps = read_steps(a.steps)
    commit = sh("git rev-parse --short HEAD") + ("" if sh("git status --porcelain lib app") == "" else
                                                 " (lib/ or app/ modified in the working tree)")
    rel = os.path.relpath(os.path.abspath(a.results), os.path.dirname(os.path.abspath(a.results)))
    print("# Benchmark results\n")
    print("Generated by `bench/run`; do not edit by hand. Rerun: `%s` (root).\n" % a.command)
    print("* Run: %s, %s UTC, %d s in all; commit %s" % (
        "quick (`--quick`: fewer repeats and cells)" if a.quick == "1" else "full",
        datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M"), a.seconds, commit))
    for m in machine():
        print("* " + m)
    print("* Data: `%s/results.csv` (bench,case,series,x,value,unit); each step's log `%s/STEP.log`" % (rel, rel))
    print("\n## Headlines\n")
    print("Each ratio's two sides were measured in the same run, on the same ports and lcores.\n")
    for h in headlines(d) or ["* (no step produced figures)"]:
        print(h)
    print("\n## Steps\n")
    print("| step | status | seconds | command |\n|---|---|---:|---|")
    for name, rc, secs, cmd in steps:
        status = "ok" if rc == "0" else ("not in this checkout" if rc == "missing" else "failed (%s)" % rc)
        print("| %s | %s | %s | `%s` |" % (name, status, secs, cmd.replace("|", "\\|")))
    for name, rc, secs, cmd in steps:
        print("\n## %s\n" % STEP_TITLES.get(name, name))
        print("Command: `%s`\n" % cmd)
        md = os.path.join(a.results, name + ".md")
        text = open(md).read() if os.path.exists(md) else ""
        if rc != "0":
            print("%s: %s.\n" % ("Partial results" if text.strip() else "No results",
                                  "the script is not in this checkout" if rc == "missing" else
                                  "the step failed (status %s), see `%s/%s.log`" % (rc, rel, name)))
        if text.strip():
            text = re.sub(r"^# .*\n", "", text, count=1)      # the step's own title
            print(text.strip())
        if name == "e2ae":
            for f in sorted(os.listdir(a.results)):
                if f.startswith("e2ae-") and f.endswith(".png"):
                    print("\n![%s](%s/%s)" % (f[5:-4], rel, f))
        for f, title in PLOTS:
            if f.startswith(name) or (name == "rtpengine" and f == "peers.png") or \
                    (name == "srtp" and f == "srtp-engine.png"):
                if os.path.exists(os.path.join(a.results, f)):
                    print("\n![%s](%s/%s)" % (title, rel, f))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
