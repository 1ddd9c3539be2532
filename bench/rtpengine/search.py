#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
One cell of bench/rtpengine/run.sh: one box, one scenario. Run inside the box's
network namespace (its ng listener is on 127.0.0.1 there).

Every trial makes fresh calls (ng_calls.py, or console_calls.py for srtpfwd's
console re-encryption), runs srtpfwd-paced-gen in the generator's namespace at
one offered rate, deletes the calls. Fresh calls each time: the boxes' SRTP
replay state starts clean, and rtpengine's streams that it stopped reading in
an earlier overload (its "UDP receive queue exceeded" strikes) are gone.

First one trial at --lo that is not counted (the box resolves B's MAC). Then,
REPEAT times, a search: a first trial at --hi shows the generator's ceiling here
(what it could offer); then --steps trials bisect (geometric) between --lo and
min(--hi, that ceiling); the searches after the first one bisect within a factor
BRACKET of the first one's capacity (finer steps, the same trials each). A trial
passes when its loss (the whole trial's, exact:
srtpfwd-paced-gen counts after the box drained) is <= --loss-max. The capacity
of one search is the highest offered rate (the measured window's) that passed.
Then REPEAT trials at twice the median capacity. Every trial is a row of --csv,
then the cell's summary rows (summary.py: capacity, overload, max_passed); the
summary is also one line of JSON on stdout.
"""
import argparse
import csv
import json
import math
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import console_calls  # noqa: E402
import ng_calls  # noqa: E402
from summary import cell_summary  # noqa: E402

FIELDS = ["box", "scenario", "phase", "repeat", "step", "target_pps", "offered_pps",
          "delivered_pps", "loss", "offered_total", "delivered_total", "passed", "gen_bound", "sent_pps", "gen_drops", "sink_drops",
          "towards_b", "calls", "frame_bytes", "window_s", "build_s"]
# A trial offered less than this share of its target: the generator's ceiling, not the box.
GEN_KEEPS_UP = 0.98
# Searches after the first bisect within this factor of the first one's capacity.
BRACKET = 1.5


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--box", required=True)
    ap.add_argument("--scenario", required=True, choices=ng_calls.SCENARIOS)
    ap.add_argument("--ng", help="HOST:PORT of the box's ng listener")
    ap.add_argument("--calls-via", choices=("ng", "console"), default="ng")
    ap.add_argument("--console", nargs=2, metavar=("FIFO", "LOG"), help="srtpfwd's console (console)")
    ap.add_argument("--calls", type=int, default=50)
    ap.add_argument("--gen", required=True, help="srtpfwd-paced-gen")
    ap.add_argument("--gen-ns", required=True)
    ap.add_argument("--gen-cpu", default="0")
    ap.add_argument("--gen-if", required=True)
    ap.add_argument("--dst-mac", required=True)
    ap.add_argument("--counters", required=True, help="/proc/PID/net/dev of the box")
    ap.add_argument("--in-if", required=True)
    ap.add_argument("--out-if", required=True)
    ap.add_argument("--warm", type=float, default=1.0)
    ap.add_argument("--seconds", type=float, default=2.0)
    ap.add_argument("--lo", type=float, default=10000)
    ap.add_argument("--hi", type=float, default=1500000)
    ap.add_argument("--steps", type=int, default=6)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--loss-max", type=float, default=0.001)
    ap.add_argument("--csv", required=True)
    ap.add_argument("--work", required=True, help="scratch folder (flows files, logs)")
    return ap.parse_args()


class Cell:
    def __init__(self, a):
        self.a = a
        self.n = 0
        if a.calls_via == "console":
            self.calls = console_calls
            self.ctl = console_calls.Console(*a.console)
        else:
            self.calls = ng_calls
            self.ctl = ng_calls.client(a.ng)
        new = not os.path.exists(a.csv) or os.path.getsize(a.csv) == 0
        self.out = open(a.csv, "a", newline="")
        self.w = csv.DictWriter(self.out, fieldnames=FIELDS)
        if new:
            self.w.writeheader()

    def trial(self, rate, phase, repeat, step):
        a = self.a
        t0 = time.time()
        self.n += 1
        tag = "%s-%s-%d" % (a.box, a.scenario, self.n)
        flows = os.path.join(a.work, "flows-%s.txt" % tag)
        made = self.calls.setup(self.ctl, a.scenario, a.calls, tag)
        ng_calls.write_flows(flows, made)
        cmd = ["ip", "netns", "exec", a.gen_ns, "taskset", "-c", a.gen_cpu, a.gen,
               "--iface", a.gen_if, "--dst-mac", a.dst_mac, "--flows", flows,
               "--rate", str(int(rate)), "--warm", str(a.warm), "--seconds", str(a.seconds),
               "--counters", a.counters, "--in", a.in_if, "--out", a.out_if]
        try:
            p = subprocess.run(cmd, capture_output=True, text=True,
                               timeout=60 + 3 * (a.warm + a.seconds))
        finally:
            self.calls.delete(self.ctl, a.calls, tag)
        if p.returncode != 0:
            raise RuntimeError("paced-gen failed (%d): %s" % (p.returncode, p.stderr.strip()[-400:]))
        r = json.loads(p.stdout.strip().splitlines()[-1])
        kinds = sorted({c["towards_b"] for c in made})
        row = dict(box=a.box, scenario=a.scenario, phase=phase, repeat=repeat, step=step,
                   target_pps=int(rate), offered_pps=int(r["offered_pps"]),
                   delivered_pps=int(r["delivered_pps"]), loss="%.6f" % r["loss"],
                   offered_total=r["offered_total"], delivered_total=r["delivered_total"],
                   passed=int(r["loss"] <= a.loss_max),
                   gen_bound=int(r["offered_pps"] < GEN_KEEPS_UP * rate),
                   sent_pps=int(r["sent_pps"]), gen_drops=r["gen_drops"], sink_drops=r["sink_drops"],
                   towards_b="+".join(kinds), calls=a.calls, frame_bytes=r["frame_bytes"],
                   window_s=r["window_s"], build_s=r["build_s"])
        self.w.writerow(row)
        self.out.flush()
        print("  %-9s %-20s %-8s r%d s%-2d target %8d offered %8d delivered %8d loss %.4f "
              "(%.1f s)%s" % (a.box, a.scenario, phase, repeat, step, rate, row["offered_pps"],
                              row["delivered_pps"], r["loss"], time.time() - t0,
                              " generator-bound" if row["gen_bound"] else ""), file=sys.stderr)
        # Let what the box still holds drain before the next calls.
        time.sleep(0.3)
        return row

    def search(self, repeat, around, rows):
        """One search; its trials appended to rows. Its best passing trial, or None."""
        a = self.a
        probe = self.trial(a.hi, "probe", repeat, 0)
        rows.append(probe)
        if probe["passed"]:
            return probe
        lo, hi = a.lo, min(a.hi, probe["offered_pps"])
        if around is not None:
            lo, hi = max(lo, around / BRACKET), min(hi, around * BRACKET)
        best = None
        for step in range(1, a.steps + 1):
            mid = math.sqrt(lo * hi)
            row = self.trial(mid, "search", repeat, step)
            rows.append(row)
            if row["passed"]:
                lo = mid
                if best is None or row["offered_pps"] > best["offered_pps"]:
                    best = row
            else:
                hi = mid
        return best


def main():
    a = parse_args()
    cell = Cell(a)
    # Not measured: the box learns B's MAC (ARP) and warms up before the first search.
    rows = [cell.trial(a.lo, "prime", 0, 0)]
    found = []
    for rep in range(1, a.repeat + 1):
        best = cell.search(rep, found[0]["offered_pps"] if found else None, rows)
        if best is not None:
            found.append(best)
    out = dict(box=a.box, scenario=a.scenario, searches=a.repeat, passed_searches=len(found))
    if found:
        cap = cell_summary(rows)[0]["offered_pps"]
        rows += [cell.trial(2 * cap, "2x", rep, 0) for rep in range(1, a.repeat + 1)]
    for r in cell_summary(rows):
        cell.w.writerow(r)
        out[r["phase"]] = {k: r[k] for k in ("offered_pps", "delivered_pps", "loss", "gen_bound")}
    cell.out.flush()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
