#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
The tables of bench/latency/run.sh from its runs file: medians over the
repeats, as Markdown on stdout; every repeat and the medians into TABLE_CSV
(set,load_pct,offered_mpps,delivered_mpps,p50_us,p90_us,p99_us,p999_us,max_us,repeat;
repeat "median" for the medians); with LONG_CSV, the medians' percentiles
appended as bench/run rows (latency,SET,SERIES,LOAD_PCT,US,us).

usage: summarize.py RUNS TABLE_CSV [LONG_CSV]

RUNS lines (written by run.sh):
  max SET REPEAT PPS DROPS                    net_pcap infinite_rx, the sink's Tx-pps
  run NAME LOAD REPEAT TARGET_PPS FIELDS...   a paced run (LOAD: percent, or "ceiling"
                                              for the generator unpaced, NAME then the set);
                                              FIELDS: parse_run.py's. NAME: the set (loads of
                                              its max rate) or SET-memif (loads of its ceiling)
"""
import collections
import csv
import statistics
import sys

FIELDS = ["offered", "attempted", "delivered", "window", "packets", "p50", "p90", "p99", "p999", "max",
          "run_attempted", "run_delivered", "run_refused", "run_dropped"]


def med(v):
    return statistics.median(v) if v else float("nan")


def load(path):
    maxes = collections.defaultdict(list)      # set -> [(pps, drops)]
    runs = collections.OrderedDict()           # (name, load) -> [dict], in the runs' order
    order = []
    with open(path) as f:
        for line in f:
            w = line.split()
            if not w:
                continue
            if w[0] == "max":
                maxes[w[1]].append((float(w[3]), int(w[4])))
                if w[1] not in order:
                    order.append(w[1])
            elif w[0] == "run":
                r = dict(zip(FIELDS, map(float, w[5:])))
                r["repeat"], r["target"] = w[3], float(w[4])
                r["loss"] = 100 * (r["run_attempted"] - r["run_delivered"]) / r["run_attempted"] \
                    if r["run_attempted"] else float("nan")
                r["refused"] = 100 * r["run_refused"] / r["run_attempted"] if r["run_attempted"] else float("nan")
                runs.setdefault((w[1], w[2]), []).append(r)
    return order, maxes, runs


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    order, maxes, runs = load(sys.argv[1])
    # Each column's median over the repeats; offered / target: the median of the repeats' own ratios.
    print("| set | net_pcap max rate (Mpps) | runs (Mpps) | drops | memif ceiling (Mpps) | ceiling / max |")
    print("|---|---:|---|---:|---:|---:|")
    for s in order:
        m = med([p for p, _ in maxes[s]])
        ceil = med([r["delivered"] for r in runs.get((s, "ceiling"), [])])
        print(f"| {s} | {m / 1e6:.2f} | {' '.join(f'{p / 1e6:.2f}' for p, _ in maxes[s])} | "
              f"{sum(d for _, d in maxes[s])} | "
              + (f"{ceil / 1e6:.2f} | {ceil / m:.2f} |" if ceil == ceil else "- | - |"))
    print()
    print("| set | load | target (Mpps) | generator attempted (Mpps) | offered: memif accepted (Mpps) | "
          "offered / target | delivered (Mpps) | loss | of it refused by memif | packets measured | "
          "p50 (us) | p90 (us) | p99 (us) | p99.9 (us) | max (us) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    rows = []
    for (s, l), rs in runs.items():
        g = {k: med([r[k] for r in rs]) for k in FIELDS + ["target", "loss", "refused"]}
        if l == "ceiling":
            label, tgt, ratio = "memif ceiling (unpaced)", "-", "-"
        else:
            label = f"{l} % of " + ("the memif ceiling" if s.endswith("-memif") else "the max rate")
            tgt = f"{g['target'] / 1e6:.3f}"
            q = med([r["offered"] / r["target"] for r in rs if r["target"]])
            ratio = f"{q:.3f}" + ("" if q >= 0.98 else " **not reached**")
        print(f"| {s} | {label} | {tgt} | {g['attempted'] / 1e6:.3f} | {g['offered'] / 1e6:.3f} | {ratio} | "
              f"{g['delivered'] / 1e6:.3f} | {g['loss']:.3f} % | {g['refused']:.3f} % | {g['packets']:.0f} | {g['p50']:.2f} | "
              f"{g['p90']:.2f} | {g['p99']:.2f} | {g['p999']:.2f} | {g['max']:.2f} |")
        if l == "ceiling":
            continue
        for r in rs:
            rows.append((s, l, r, r["repeat"]))
        rows.append((s, l, g, "median"))
    with open(sys.argv[2], "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["set", "load_pct", "offered_mpps", "delivered_mpps", "p50_us", "p90_us", "p99_us",
                    "p999_us", "max_us", "repeat"])
        for s, l, r, rep in rows:
            w.writerow([s, l, f"{r['offered'] / 1e6:.4f}", f"{r['delivered'] / 1e6:.4f}"] +
                       [f"{r[k]:.2f}" for k in ("p50", "p90", "p99", "p999", "max")] + [rep])
    if len(sys.argv) == 4:
        with open(sys.argv[3], "a", newline="") as f:
            w = csv.writer(f)
            for s, l, r, rep in rows:
                if rep != "median":
                    continue
                for k, name in (("p50", "p50"), ("p90", "p90"), ("p99", "p99"), ("p999", "p99.9")):
                    w.writerow(["latency", s, name, l, f"{r[k]:.3f}", "us"])


if __name__ == "__main__":
    main()
