#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
bench/rtpengine/RESULTS.md from the run's results.csv and what run.sh knows about
the run. The CSV's summary rows are derived from its trial rows again
(summary.py) and written back with them.

usage: report.py --csv FILE --out FILE --command CMD --rtpengine-version V --srtpfwd BIN ...
"""
import argparse
import csv
import datetime
import os
import platform
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import summary  # noqa: E402

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


def write_csv(path, trials, summary_rows):
    """The trials as they were, each cell's summary rows derived from them again."""
    fields = list(trials[0].keys())
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        w.writeheader()
        w.writerows(trials)
        w.writerows({k: r.get(k, "") for k in fields} for r in summary_rows)


def main():
    ap = argparse.ArgumentParser()
    for k in ("csv", "out", "command", "rtpengine-version", "srtpfwd", "eal", "loss-max", "calls",
              "trial", "repeat", "steps", "cpus"):
        ap.add_argument("--" + k, required=True)
    ap.add_argument("--date", help="when the run started (default: now)")
    ap.add_argument("--commit", help="the run's commit (default: this tree's)")
    a = ap.parse_args()
    trials = [r for r in csv.DictReader(open(a.csv)) if r["phase"] in summary.TRIALS]
    if not trials:
        raise SystemExit("report.py: no trials in " + a.csv)
    summ = summary.summaries(trials)
    write_csv(a.csv, trials, summ)
    cells = {}
    for r in summ:
        cells.setdefault((r["scenario"], r["box"]), {})[r["phase"]] = r
    spread = {}
    for r in trials:
        if r["phase"] in ("probe", "search") and r["passed"] == "1":
            k = (r["scenario"], r["box"])
            spread.setdefault(k, {})[r["repeat"]] = max(spread.get(k, {}).get(r["repeat"], 0),
                                                        int(r["offered_pps"]))
    scenarios = list(dict.fromkeys(r["scenario"] for r in trials))
    loss_pct = float(a.loss_max) * 100
    out = []
    w = out.append
    w("# rtpengine (userspace) and srtpfwd side by side\n")
    w("Written by `bench/rtpengine/run.sh` (see its header for the set-up); rerun it to "
      "reproduce. Every trial is a row of `bench/rtpengine/results.csv`, followed by each "
      "cell's summary rows (`summary.py`).\n")
    w("* Command: `%s`" % a.command)
    w("* Date: %s; commit %s" % (a.date or datetime.datetime.now(datetime.timezone.utc)
                                .strftime("%Y-%m-%d %H:%M UTC"), a.commit or commit()))
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
    w("Capacity: the highest offered rate with <= %g %% loss, median of the searches "
      "(each search's own in the next column). Highest passed: the highest offered rate "
      "any trial of the cell passed at. At 2x: the trial with the median offered rate of "
      "those offered twice the capacity (or what the generator could: \"ceiling\"); its "
      "delivered rate (measured window) and loss (whole trial). kpps = thousand packets "
      "per second, A -> B.\n" % loss_pct)
    w("| scenario | box | what the box does | capacity kpps | searches kpps | highest passed kpps "
      "| at 2x: offered kpps | delivered kpps | loss |")
    w("|---|---|---|---|---|---|---|---|---|")
    for sc in scenarios:
        for box in ("rtpengine", "srtpfwd"):
            c = cells.get((sc, box))
            if not c or "capacity" not in c:
                continue
            cap, ov, top = c["capacity"], c.get("overload"), c["max_passed"]
            capv = kpps(cap["offered_pps"]) + (" (ceiling)" if str(cap["gen_bound"]) == "1" else "")
            sp = sorted(spread.get((sc, box), {}).values())
            spv = ", ".join(kpps(v) for v in sp) if sp else "-"
            topv = kpps(top["offered_pps"]) + (" (ceiling)" if top["gen_bound"] == "1" else "")
            if ov:
                ovs = "%s%s | %s | %.1f %%" % (kpps(ov["offered_pps"]),
                                              " (ceiling)" if ov["gen_bound"] == "1" else "",
                                              kpps(ov["delivered_pps"]), float(ov["loss"]) * 100)
            else:
                ovs = "- | - | -"
            w("| %s | %s | %s | %s | %s | %s | %s |" % (sc, box, WHAT.get((box, sc), cap["towards_b"]),
                                                     capv, spv, topv, ovs))
    w("")
    w("Ratios srtpfwd / rtpengine, same run (capacity; highest passed):\n")
    for sc in scenarios:
        r, s = cells.get((sc, "rtpengine"), {}), cells.get((sc, "srtpfwd"), {})
        if "capacity" in r and "capacity" in s and int(r["capacity"]["offered_pps"]) > 0:
            w("* %s: %.1fx; %.1fx" % (sc, int(s["capacity"]["offered_pps"]) / int(r["capacity"]["offered_pps"]),
                                      int(s["max_passed"]["offered_pps"]) / int(r["max_passed"]["offered_pps"])))
    w("")
    w(open(os.path.join(HERE, "METHOD.md")).read().rstrip())
    with open(a.out, "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
