#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
The benchmark kit's plots (python3-matplotlib from Debian), from the long-
format CSV bench/run writes (bench/results/results.csv, columns
bench,case,series,x,value,unit): one PNG per question, each with its axes,
units and legend named, into an output folder.

  e2e-flows.png       e2e forwarding Mpps vs flows: srtpfwd (udp-checksum verify/auto,
                      timing on/off) and testpmd io/5tswap/csum
  timing.png          e2e Mpps per window of one srtpfwd process, worker timing on and off in
                      turn (bench/timing_cost.sh)
  e2ae-PROFILE.png    e2ae SRTP Mpps vs RTP payload size per mode, srtpfwd's back ends,
                      the libsrtp2 builds and half the crypto ceiling
  srtp-engine.png     the SRTP engine alone (no packet I/O): srtpfwd vs libsrtp2 builds
  latency.png         RX -> TX latency percentiles vs load, e2e and e2ae
  dtls.png            DTLS-SRTP handshakes per second
  peers.png           srtpfwd vs rtpengine (highest rate with <= 0.1 % loss) per scenario

usage: plot.py CSV OUTDIR     prints the files written
"""
import collections
import csv
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def load(path):
    rows = collections.defaultdict(list)      # (bench, case) -> [(series, x, value, unit)]
    with open(path) as f:
        for r in csv.DictReader(f):
            try:
                rows[(r["bench"], r["case"])].append((r["series"], float(r["x"]), float(r["value"]), r["unit"]))
            except (KeyError, ValueError):
                continue
    return rows


def series_of(rows):
    out = collections.OrderedDict()
    for s, x, v, u in rows:
        out.setdefault(s, []).append((x, v))
    return {s: sorted(p) for s, p in out.items()}


def save(fig, outdir, name, written):
    path = os.path.join(outdir, name)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    written.append(path)


def lines(ax, data, xlabel, ylabel, title, logx=False):
    for s, pts in data.items():
        ax.plot([p[0] for p in pts], [p[1] for p in pts], marker="o", label=s)
    if logx:
        ax.set_xscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize="small")


def bars(ax, groups, xlabel, ylabel, title):
    """groups: {group: {series: value}} -> grouped bars."""
    names = list(groups)
    series = sorted({s for g in groups.values() for s in g})
    width = 0.8 / max(1, len(series))
    for i, s in enumerate(series):
        xs = [j + i * width for j in range(len(names))]
        vals = [groups[g].get(s, 0) for g in names]
        b = ax.bar(xs, vals, width, label=s)
        ax.bar_label(b, fmt="%.2f", fontsize="x-small")
    ax.set_xticks([j + width * (len(series) - 1) / 2 for j in range(len(names))])
    ax.set_xticklabels(names, fontsize="small")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(True, axis="y", alpha=0.3)
    ax.legend(fontsize="small")


def plot_e2e(rows, outdir, written):
    data = rows.get(("e2e", "flows"))
    if not data:
        return
    fig, ax = plt.subplots(figsize=(7, 4.5))
    lines(ax, series_of(data), "flows (e2e sessions, one packet each in the looped capture)",
          "forwarded Mpps (one worker lcore)", "e2e forwarding: srtpfwd vs testpmd, 224-byte frames", logx=True)
    save(fig, outdir, "e2e-flows.png", written)


def plot_timing(rows, outdir, written):
    cases = {case: data for (bench, case), data in rows.items() if bench == "timing" and case.endswith("-window")}
    if not cases:
        return
    fig, axes = plt.subplots(1, len(cases), figsize=(7.5 * len(cases), 4.2), squeeze=False)
    for ax, (case, data) in zip(axes[0], sorted(cases.items())):
        seq = sorted((x, v) for s, x, v, u in data)
        ax.plot([p[0] for p in seq], [p[1] for p in seq], color="0.75", zorder=1)
        for s, pts in sorted(series_of(data).items()):
            ax.scatter([p[0] for p in pts], [p[1] for p in pts], label="timing " + s, zorder=2)
        ax.set_xlabel("window (in order; the two of a pair are adjacent)")
        ax.set_ylabel("forwarded Mpps (one worker lcore)")
        ax.set_title("worker timing on / off in one process: %s" % case[:-len("-window")])
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize="small")
    save(fig, outdir, "timing.png", written)


def plot_e2ae(rows, outdir, written):
    by_profile = collections.defaultdict(dict)
    for (bench, case), data in rows.items():
        if bench != "e2ae" or ":" not in case:
            continue
        profile, mode = case.split(":", 1)
        by_profile[profile][mode] = data
    for profile, modes in sorted(by_profile.items()):
        fig, axes = plt.subplots(1, len(modes), figsize=(5 * len(modes), 4.2), squeeze=False)
        for ax, (mode, data) in zip(axes[0], sorted(modes.items())):
            lines(ax, series_of(data), "RTP payload (bytes)", "Mpps (one worker lcore)", "%s %s" % (profile, mode))
        save(fig, outdir, "e2ae-%s.png" % profile, written)


def plot_engine(rows, outdir, written):
    groups = collections.defaultdict(dict)
    short = {"AES_CM_128_HMAC_SHA1_80": "AES-CM-80", "AES_CM_128_HMAC_SHA1_32": "AES-CM-32",
             "AEAD_AES_128_GCM": "GCM-128", "AEAD_AES_256_GCM": "GCM-256", "NULL_HMAC_SHA1_80": "NULL-80"}
    for (bench, case), data in rows.items():
        if bench != "srtp-engine" or not case.endswith(":reencrypt"):
            continue
        prof = case.split(":")[0]
        for s, x, v, u in data:
            groups["%s %dB" % (short.get(prof, prof), x)][s] = v
    if not groups:
        return
    fig, ax = plt.subplots(figsize=(max(7, 1.6 * len(groups)), 4.5))
    bars(ax, dict(sorted(groups.items())), "profile, payload", "Mpps (unprotect + protect, one core)",
         "SRTP engine alone, re-encrypt: srtpfwd vs libsrtp2 (Debian NSS, OpenSSL build)")
    save(fig, outdir, "srtp-engine.png", written)


def plot_latency(rows, outdir, written):
    sets = {case: data for (bench, case), data in rows.items() if bench == "latency"}
    if not sets:
        return
    fig, axes = plt.subplots(1, len(sets), figsize=(5.5 * len(sets), 4.2), squeeze=False)
    for ax, (case, data) in zip(axes[0], sorted(sets.items())):
        lines(ax, series_of(data), "offered load (% of the worker's maximum rate)", "RX -> TX latency (us)",
              "latency inside the box: %s" % case)
    save(fig, outdir, "latency.png", written)


def plot_dtls(rows, outdir, written):
    groups = collections.defaultdict(dict)
    for (bench, case), data in rows.items():
        if bench == "dtls":
            for s, x, v, u in data:
                groups[case][s] = v
    if not groups:
        return
    fig, ax = plt.subplots(figsize=(7, 4.2))
    bars(ax, dict(groups), "case", "handshakes per second", "DTLS-SRTP handshakes")
    save(fig, outdir, "dtls.png", written)


def plot_peers(rows, outdir, written):
    groups = collections.defaultdict(dict)
    for (bench, case), data in rows.items():
        if bench == "peers":
            for s, x, v, u in data:
                groups[case][s] = v
    if not groups:
        return
    fig, ax = plt.subplots(figsize=(8, 4.5))
    bars(ax, dict(groups), "scenario", "highest rate with <= 0.1 % loss (Mpps)",
         "srtpfwd vs rtpengine (userspace) and libsrtp2-OpenSSL")
    save(fig, outdir, "peers.png", written)


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__.strip().splitlines()[-1])
    rows = load(sys.argv[1])
    os.makedirs(sys.argv[2], exist_ok=True)
    written = []
    for fn in (plot_e2e, plot_timing, plot_e2ae, plot_engine, plot_latency, plot_dtls, plot_peers):
        fn(rows, sys.argv[2], written)
    for w in written:
        print(w)
    return 0 if written else 1


if __name__ == "__main__":
    sys.exit(main())
