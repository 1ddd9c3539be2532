# SPDX-License-Identifier: BSD-3-Clause
"""
The checks' tally for the Python test scripts: each check prints one "ok" or
"FAIL" line; the script ends with summary(), which prints "LABEL: N passed,
M failed" (the line CI reads) and gives the exit status.
"""
import sys

_passed = 0
_failures = []


def result(name, ok, detail=""):
    """One check: ok is what it asserts, detail says why when it did not hold."""
    global _passed
    if ok:
        _passed += 1
        print("  ok    %s" % name)
    else:
        _failures.append(name)
        print("  FAIL  %s: %s" % (name, detail))
    sys.stdout.flush()


def failed():
    """How many checks failed so far."""
    return len(_failures)


def summary(label):
    """Print the failures and the closing line; 1 if any check failed, else 0."""
    if _failures:
        print("failed:\n  " + "\n  ".join(_failures))
    print("%s: %d passed, %d failed" % (label, _passed, len(_failures)))
    return 1 if _failures else 0
