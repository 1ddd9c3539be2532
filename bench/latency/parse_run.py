#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
One paced run of bench/latency/run.sh, from its two logs, as one line of
numbers (the fields below, space-separated) on stdout.

usage: parse_run.py SRTPFWD_LOG GEN_LOG

The run's console reads (no periodic stats in a paced run): `show port stats
all` at the window's start and end, `clear worker stats` at its start and
`show worker latency` at its end; the generator printed a mark at each edge.

  offered_pps    generator packets accepted by the TX port in the window / s
  attempted_pps  the same plus those refused (memif ring full) / s
  delivered_pps  the sink's (port 1) TX packets in the window / s
  window_s       seconds between the generator's marks
  packets p50 p90 p99 p999 max   `show worker latency`, line "all" (us)
  run_attempted run_delivered run_refused run_dropped   whole run: generator
                 sent + refused, the sink's final TX-packets, refused, the
                 worker's final dropped counter (exact: sessions existed before
                 the generator started, srtpfwd stopped after it had drained)
"""
import re
import sys

PROMPT = re.compile(r"^(srtpfwd> *)+")
MARK = re.compile(r"pace-gen: (mark|done) ([0-9.]+) sent ([0-9]+) refused ([0-9]+)")
LAT = re.compile(r"^\s*all 0: packets ([0-9]+)(.*)$")


def fail(msg):
    sys.exit("parse_run: " + msg)


def srtpfwd_log(path):
    """Sink TX-packets per port-1 block (console reads, then the final one), the
    latency of the 'all' line, the worker's final dropped counter."""
    tx, final_tx, lat, dropped = [], None, None, None
    final, port = False, None
    with open(path, errors="replace") as f:
        for line in f:
            line = PROMPT.sub("", line)
            if "final counters" in line:
                final = True
            m = re.search(r"######## port ([0-9]+) statistics", line)
            if m:
                port = int(m.group(1))
            m = re.search(r"TX-packets: *([0-9]+)", line)
            if m and port == 1:
                if final:
                    final_tx = int(m.group(1))
                else:
                    tx.append(int(m.group(1)))
            m = LAT.match(line)
            if m and not final:
                q = dict(re.findall(r"(p50|p90|p99|p99\.9|max) ([0-9.]+) us", m.group(2)))
                lat = [int(m.group(1))] + [float(q.get(k, 0)) for k in ("p50", "p90", "p99", "p99.9", "max")]
            m = re.match(r"\s*worker 0: .* dropped ([0-9]+)", line)
            if m and final:
                dropped = int(m.group(1))
    if len(tx) != 2 or final_tx is None or lat is None or dropped is None:
        fail(f"{path}: expected two port reads, a latency line and final counters "
             f"(got {len(tx)} reads, final {final_tx}, latency {lat}, dropped {dropped})")
    return tx, final_tx, lat, dropped


def gen_log(path):
    marks, done = [], None
    with open(path, errors="replace") as f:
        for line in f:
            m = MARK.search(line)
            if not m:
                continue
            v = (float(m.group(2)), int(m.group(3)), int(m.group(4)))
            if m.group(1) == "mark":
                marks.append(v)
            else:
                done = v
    if len(marks) != 2 or done is None:
        fail(f"{path}: expected two marks and the done line (got {len(marks)} marks, done {done})")
    return marks, done


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    tx, final_tx, lat, dropped = srtpfwd_log(sys.argv[1])
    marks, (_, sent, refused) = gen_log(sys.argv[2])
    (t0, s0, r0), (t1, s1, r1) = marks
    secs = t1 - t0
    if secs <= 0:
        fail("empty window")
    out = [(s1 - s0) / secs, (s1 - s0 + r1 - r0) / secs, (tx[1] - tx[0]) / secs, secs]
    out += lat
    out += [sent + refused, final_tx, refused, dropped]
    print(" ".join(f"{v:.6g}" if isinstance(v, float) else str(v) for v in out))


if __name__ == "__main__":
    main()
