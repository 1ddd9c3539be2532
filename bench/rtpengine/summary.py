# SPDX-License-Identifier: BSD-3-Clause
"""
One (box, scenario) cell of bench/rtpengine's trials reduced to its summary rows;
search.py writes them after its trials, report.py derives them again from the
trial rows of results.csv (so the CSV's summaries always say what its trials do).

  capacity    median over the searches of each search's highest passing offered rate
              (gen_bound 1: a search passed at the generator's ceiling, the box did more)
  overload    the trial at 2x with the median offered rate: its own offered, delivered, loss
              (one real trial, not medians of separate columns)
  max_passed  the highest offered rate any trial of the cell passed at (2x ones too)
"""
import statistics

TRIALS = ("prime", "probe", "search", "2x")


def num(v):
    return int(float(v)) if v not in ("", None) else 0


def cell_summary(rows):
    """rows: one cell's trial rows (dicts, str or int values). Returns the summary rows."""
    best = {}
    for r in rows:
        if r["phase"] in ("probe", "search") and num(r["passed"]):
            k = r["repeat"]
            if k not in best or num(r["offered_pps"]) > num(best[k]["offered_pps"]):
                best[k] = r
    if not best:
        return []
    base = {k: "" for k in rows[0]}
    base.update(box=rows[0]["box"], scenario=rows[0]["scenario"], calls=rows[0]["calls"],
                towards_b=rows[0]["towards_b"], frame_bytes=rows[0]["frame_bytes"])
    caps = [num(r["offered_pps"]) for r in best.values()]
    out = [dict(base, phase="capacity", repeat=len(caps), offered_pps=int(statistics.median(caps)),
                passed=1, gen_bound=int(any(r["phase"] == "probe" for r in best.values())))]
    over = sorted((r for r in rows if r["phase"] == "2x"), key=lambda r: num(r["offered_pps"]))
    if over:
        mid = over[len(over) // 2]
        out.append(dict(mid, phase="overload", repeat=len(over), step=""))
    passed = [r for r in rows if r["phase"] in ("probe", "search", "2x") and num(r["passed"])]
    top = max(passed, key=lambda r: num(r["offered_pps"]))
    out.append(dict(top, phase="max_passed", step=""))
    return out


def summaries(rows):
    """Every cell's summary rows, cells in the order their trials came."""
    cells = {}
    for r in rows:
        if r["phase"] in TRIALS:
            cells.setdefault((r["box"], r["scenario"]), []).append(r)
    return [s for cell in cells.values() for s in cell_summary(cell)]
