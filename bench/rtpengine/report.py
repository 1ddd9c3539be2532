#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
bench/rtpengine/RESULTS.md from the run's results.csv (the summary rows of
search.py: phase capacity and overload) and what run.sh knows about the run.

usage: report.py --csv FILE --out FILE --command CMD --rtpengine-version V --srtpfwd BIN ...
"""
import argparse
import csv
import datetime
import os
import platform
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))

WHAT = {
    ("rtpengine", "rtp-rtp"): "relays RTP (userspace: recvmsg, RTP parse and stats, sendmsg)",
    ("srtpfwd", "rtp-rtp"): "e2e: relays RTP",
    ("rtpengine", "srtp-rtp"): "decrypts A's SRTP, sends RTP",
    ("srtpfwd", "srtp-rtp"): "e2ae: decrypts A's SRTP (cryptodev), sends RTP",
    ("rtpengine", "srtp-srtp"): "offers B A's own key, then passes A's SRTP through untouched",
    ("srtpfwd", "srtp-srtp"): "e2e: passes A's a=crypto and SRTP through untouched",
    ("rtpengine", "srtp-srtp-reencrypt"): "decrypts A's _80, encrypts _32 with its own key (ng)",
    ("srtpfwd", "srtp-srtp-reencrypt"): "e2ae console sessions: decrypts _80, encrypts _32 "
                                        "with its own key (its ng makes no such call)",
}


def sh(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=10).stdout.strip()
    except OSError:
        return "?"


def machine():
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                if line.startswith("model name")), "?")
    mem = next((line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")), "0")
    return "%s, %d CPUs, %.0f GiB, Linux %s (%s)" % (cpu, os.cpu_count(), int(mem) / 2**20,
                                                     platform.release(), platform.machine())


def commit():
    c = sh("git", "-C", ROOT, "rev-parse", "--short", "HEAD")
    dirty = subprocess.run(["git", "-C", ROOT, "diff", "--quiet", "HEAD"]).returncode != 0
    return c + (" (with uncommitted changes in the tree)" if dirty else "")


def kpps(v):
    return "%.1f" % (int(v) / 1000.0)


def main():
    ap = argparse.ArgumentParser()
    for k in ("csv", "out", "command", "rtpengine-version", "srtpfwd", "eal", "loss-max", "calls",
              "trial", "repeat", "steps", "cpus"):
        ap.add_argument("--" + k, required=True)
    a = ap.parse_args()
    every = list(csv.DictReader(open(a.csv)))
    rows = [r for r in every if r["phase"] in ("capacity", "overload")]
    cells = {}
    for r in rows:
        cells.setdefault((r["scenario"], r["box"]), {})[r["phase"]] = r
    # Each search's own capacity (its best passing trial), for the spread between searches.
    per_search = {}
    for r in every:
        if r["phase"] in ("probe", "search") and r["passed"] == "1":
            k = (r["scenario"], r["box"], r["repeat"])
            per_search[k] = max(per_search.get(k, 0), int(r["offered_pps"]))
    spread = {}
    for (sc, box, _), v in per_search.items():
        spread.setdefault((sc, box), []).append(v)
    scenarios = list(dict.fromkeys(r["scenario"] for r in rows))
    loss_pct = float(a.loss_max) * 100
    out = []
    w = out.append
    w("# rtpengine (userspace) and srtpfwd side by side\n")
    w("Written by `bench/rtpengine/run.sh` (see its header for the set-up); rerun it to "
      "reproduce. Every trial is a row of `bench/rtpengine/results.csv`.\n")
    w("* Command: `%s`" % a.command)
    w("* Date: %s; commit %s" % (datetime.datetime.now(datetime.timezone.utc)
                                .strftime("%Y-%m-%d %H:%M UTC"), commit()))
    w("* Machine: %s" % machine())
    w("* rtpengine: %s (Debian `rtpengine-daemon`), userspace only (`--table=-1`), "
      "`--num-threads=1`, all its threads on one CPU" % a.rtpengine_version)
    w("* srtpfwd: `%s`, DPDK %s, net_af_packet on the veths, EAL %s" %
      (os.path.relpath(a.srtpfwd, ROOT), sh("pkg-config", "--modversion", "libdpdk"), a.eal))
    w("* CPUs: %s; %s calls (one audio stream A -> B each, PCMU 20 ms frames, 160-byte "
      "payload); trials of %s (warm-up + measured window); %s searches of %s bisection "
      "steps after a first trial at the top rate; %s trials at 2x" %
      (a.cpus, a.calls, a.trial, a.repeat, a.steps, a.repeat))
    w("")
    w("## Results\n")
    w("Capacity: the highest offered rate with <= %g %% loss, median of the searches. "
      "At 2x: offered twice that (or what the generator could), median of the trials. "
      "kpps = thousand packets per second, A -> B.\n" % loss_pct)
    w("| scenario | box | what the box does | capacity kpps | searches kpps | at 2x: offered kpps | delivered kpps | loss |")
    w("|---|---|---|---|---|---|---|---|")
    for sc in scenarios:
        for box in ("rtpengine", "srtpfwd"):
            c = cells.get((sc, box))
            if not c or "capacity" not in c:
                continue
            cap, ov = c["capacity"], c.get("overload")
            capv = kpps(cap["offered_pps"])
            if cap["gen_bound"] == "1":
                # No loss at the generator's ceiling: the box can do at least the most that passed.
                floor = max(int(cap["offered_pps"]),
                            int(ov["offered_pps"]) if ov and ov["passed"] == "1" else 0)
                capv = ">= %s (generator's ceiling, no loss)" % kpps(floor)
            if ov:
                ovs = "%s%s | %s | %.1f %%" % (kpps(ov["offered_pps"]),
                                              " (generator ceiling)" if ov["gen_bound"] == "1" else "",
                                              kpps(ov["delivered_pps"]), float(ov["loss"]) * 100)
            else:
                ovs = "- | - | -"
            sp = sorted(spread.get((sc, box), []))
            spv = "%s-%s" % (kpps(sp[0]), kpps(sp[-1])) if sp else "-"
            w("| %s | %s | %s | %s | %s | %s |" % (sc, box, WHAT.get((box, sc), cap["towards_b"]), capv,
                                                spv, ovs))
    w("")
    w("Capacity ratio srtpfwd / rtpengine, same run:\n")
    for sc in scenarios:
        r, s = cells.get((sc, "rtpengine"), {}), cells.get((sc, "srtpfwd"), {})
        if "capacity" in r and "capacity" in s and int(r["capacity"]["offered_pps"]) > 0:
            ratio = int(s["capacity"]["offered_pps"]) / int(r["capacity"]["offered_pps"])
            if s["capacity"]["gen_bound"] == "1" and s.get("overload", {}).get("passed") == "1":
                ratio = max(ratio, int(s["overload"]["offered_pps"]) / int(r["capacity"]["offered_pps"]))
            w("* %s: %.1fx%s" % (sc, ratio, " (srtpfwd's number is the generator's ceiling: "
                                 "at least this)" if s["capacity"]["gen_bound"] == "1" else ""))
    w("")
    w(open(os.path.join(HERE, "METHOD.md")).read().rstrip())
    with open(a.out, "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
