#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
The LI tests' assertions over what mf_receiver.py and li_peer.py wrote.
A library (load, pdus, match_copies, check_seq, parse_show_li ...) and a
command line, one subcommand per thing netns_li.sh asserts; every check prints
"check NAME: ok" or "check NAME: FAIL detail" (netns_li.sh turns them into its
ok/FAIL lines); the exit status is 1 if any failed.

  clean MF...                       no malformed PDU, no failed handshake (TLS MFs)
  e2ae MF --xid X --cid C --work D --a-rx HEX --a-tx HEX [--box-a IP:P --box-b IP:P]
                                    clear copies of both directions = what the parties made,
                                    seq 0..n-1, XID/CID, 5-tuples, two X2 key PDUs
  e2e-sdes MF (same options)        copies = the SRTP as sent; decrypted with the delivered
                                    keys = the clear media; the keys = the provisioned ones
  e2e-null MF --xid X --cid C --work D   copies = as sent; header + payload in clear; no keys
  e2e-plain MF (same options)       plain RTP e2e: copies = what each party sent; no keys
  dtls-keys MF --xid X --cid C --keymat HEX... --box-a IP:P
                                    per DTLS handshake two X2 = the RFC 5764 split of its export
  absent MF --ports P,P --xids X,X  no PDU of those box ports; no XID but the given ones
  identity DIR1 DIR2                each party received the same data bytes in both runs
  reconnect MF --xid X --work D [--min-conns N] [--garbage]
                                    >= N connections; the copies that came are right, seq rising
  refused MF                        every handshake failed, not one PDU accepted
  tshark CAP MF --port P            tshark's li5g decode = what the MF parsed, no error
  counts LOG MF --mf NAME [--task XID]...
                                    show li's pdus/copies/keys/keepalives = what the MF got
  show-li LOG --expect EXPR...      the last `show li` in LOG: task:XID:FIELD OP N,
                                    mf:NAME:FIELD OP N|WORD, tasks OP N (OP: = != > >= <)
"""
import argparse
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2ae"))

X2, X3 = 1, 2
PROFILE_IDS = {"AES_CM_128_HMAC_SHA1_80": 1, "AES_CM_128_HMAC_SHA1_32": 2, "NULL_HMAC_SHA1_80": 5,
               "AEAD_AES_128_GCM": 7, "AEAD_AES_256_GCM": 8}
A_ADDR, B_ADDR = "198.18.0.2:5000", "198.19.0.2:6000"

_failed = 0


def check(name, ok, detail=""):
    global _failed
    if not ok:
        _failed += 1
    print("check %s: %s" % (name, "ok" if ok else "FAIL " + detail))
    sys.stdout.flush()
    return ok


def failed():
    """How many checks failed so far."""
    return _failed


# ---------------------------------------------------------------- loading

def load(path):
    """The JSON lines of an MF or peer file ([] when it does not exist)."""
    out = []
    if not os.path.exists(path):
        return out
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                out.append(json.loads(line))
    return out


def pdus(recs, xid=None, types=(X2, X3)):
    """X2/X3 PDU records (in arrival order), of one XID if given."""
    return [r for r in recs if r.get("type") in types and "malformed" not in r and
            (xid is None or r.get("xid") == xid.lower())]


def events(recs, name):
    return [r for r in recs if r.get("event") == name]


def malformed(recs):
    return [r for r in recs if isinstance(r.get("malformed"), str)]


def peer(work, role, what):
    return load(os.path.join(work, "%s.%s.jsonl" % (role, what)))


def addr(r, side):
    return "%s:%s" % (r.get(side), r.get("sport" if side == "src" else "dport"))


# ---------------------------------------------------------------- checks

def match_copies(copies, sent, field, view=lambda b: b):
    """Match copies (bytes, arrival order) against what a party sent (its sent.jsonl,
    in order): each copy must be the next sent packet (field "clear" or "wire",
    through view) or one after it with only warm-ups skipped. Returns
    (problems, matched data count, matched rtcp count, matched warm-ups)."""
    problems, j, nd, nr, nw = [], 0, 0, 0, 0
    for k, c in enumerate(copies):
        i = j
        while i < len(sent) and view(bytes.fromhex(sent[i][field])) != c:
            if sent[i]["kind"] == "data":
                i = len(sent)   # a data packet may not be skipped
                break
            i += 1
        if i >= len(sent):
            j2 = next((n for n, s in enumerate(sent) if view(bytes.fromhex(s[field])) == c), None)
            if j2 is None:
                problems.append("copy %d (%d bytes, %s) is nothing the party sent" % (k, len(c), c[:12].hex()))
            else:
                problems.append("copy %d is sent packet %d, expected at or after %d (missing or reordered)"
                                % (k, j2, j))
            if len(problems) >= 3:
                break
            continue
        s = sent[i]
        if s["kind"] == "data":
            nd += 1
            nr += s["rtcp"]
        else:
            nw += 1
        j = i + 1
    return problems, nd, nr, nw


def is_dtls(b):
    return len(b) >= 13 and 20 <= b[0] <= 63


def check_copies(name, copies, sent, field, view=lambda b: b, dtls=True):
    """Every data packet sent is among the copies, in order (DTLS records only when dtls)."""
    if not dtls:
        sent = [x for x in sent if not x.get("dtls")]
    data = [s for s in sent if s["kind"] == "data"]
    rtcp = sum(s["rtcp"] for s in data)
    warm = len(sent) - len(data)
    problems, nd, nr, nw = match_copies([bytes.fromhex(r["payload"]) for r in copies], sent, field, view)
    detail = "%d copies: data %d of %d (RTCP %d of %d), warm-ups %d of %d" % (
        len(copies), nd, len(data), nr, rtcp, nw, warm)
    if problems:
        return check(name, False, detail + "; " + "; ".join(problems))
    return check(name + " (" + detail + ")", nd == len(data) and nr == rtcp and len(data) > 0, detail)


def check_tuples(name, recs, src, dst):
    bad = [r for r in recs if addr(r, "src") != src or addr(r, "dst") != dst or r.get("proto") != 17]
    return check(name, recs and not bad, "%d of %d with another 5-tuple, first: %s -> %s proto %s"
                 % (len(bad), len(recs), addr(bad[0], "src"), addr(bad[0], "dst"), bad[0].get("proto"))
                 if bad else "no PDUs")


def check_seq(name, recs, from_zero=True, gaps=False):
    """Sequence numbers in arrival order: 0, 1, 2, ... (or only rising, gaps allowed)."""
    seqs = [r["seq"] for r in recs]
    if not seqs:
        return check(name, False, "no PDUs")
    if gaps:
        bad = [i for i in range(1, len(seqs)) if seqs[i] <= seqs[i - 1]]
        ok = not bad and (not from_zero or seqs[0] == 0)
    else:
        want = list(range(seqs[0] if not from_zero else 0, (seqs[0] if not from_zero else 0) + len(seqs)))
        bad = [i for i, (x, y) in enumerate(zip(seqs, want)) if x != y]
        ok = not bad
    detail = ""
    if not ok:
        i = bad[0] if bad else 0
        detail = "%d PDUs, seq %s...; first out of line at %d: %s" % (
            len(seqs), seqs[:5], i, seqs[max(0, i - 2):i + 3])
    return check(name, ok, detail)


def check_ids(name, recs, xid, cid):
    bad = [r for r in recs if r["xid"] != xid.lower() or r["cid"] != cid]
    return check(name, recs and not bad, "first: xid %s cid %d" % (bad[0]["xid"], bad[0]["cid"])
                 if bad else "no PDUs")


def check_times(name, recs):
    """Timestamps: POSIX time of the copy, not after the MF got it, at most 5 s before."""
    bad = [r for r in recs if not (r["rx"] - 5 <= r["ts_s"] + r["ts_ns"] / 1e9 <= r["rx"] + 0.5)]
    return check(name, recs and not bad, "%d of %d off, first: ts %d.%09d received %.3f" % (
        len(bad), len(recs), bad[0]["ts_s"], bad[0]["ts_ns"], bad[0]["rx"]) if bad else "no PDUs")


def check_keys(name, recs, xid, want, profile, box_a, box_b, target="a"):
    """Exactly one X2 per direction: dir 3 = the a-rx key, dir 2 = the a-tx key;
    before any X3 of the task; 5-tuple: the flow the key protects. dir 3 (what A sends): A (or
    0.0.0.0:0 before the box has heard from it) -> the box's leg a; dir 2 (what A receives): the
    box's leg a -> A (or 0.0.0.0:0). With target b the directions swap (what B sends leaves the
    box on leg a under the a-tx key: dir 3 is that key and flow)."""
    x2 = [r for r in pdus(recs, xid, (X2,))]
    first_x3 = next((r["seq"] for r in pdus(recs, xid, (X3,))), None)
    problems = []
    for d, key in sorted(want.items()):
        got = [r for r in x2 if r["dir"] == d]
        if len(got) != 1:
            problems.append("%d X2 of direction %d" % (len(got), d))
            continue
        r = got[0]
        if r["profile"] != PROFILE_IDS[profile] or r["key"] + r["salt"] != key or r["ssrc"] != 0 \
                or r["format"] != 4:
            problems.append("dir %d: profile 0x%04x ssrc %d key %s salt %s format %d, expected 0x%04x "
                            "ssrc 0 key||salt %s format 4" % (d, r["profile"], r["ssrc"], r["key"], r["salt"],
                                                             r["format"], PROFILE_IDS[profile], key))
        into_a = (d == 3) == (target == "a")     # the flow A -> box leg a (a-rx key)
        src_ok = (A_ADDR, "0.0.0.0:0") if into_a else (box_a,)
        dst_ok = (box_a,) if into_a else (A_ADDR, "0.0.0.0:0")
        if addr(r, "src") not in src_ok or addr(r, "dst") not in dst_ok or r["proto"] != 17:
            problems.append("dir %d: 5-tuple %s -> %s proto %d" % (d, addr(r, "src"), addr(r, "dst"), r["proto"]))
        if first_x3 is not None and r["seq"] > first_x3:
            problems.append("dir %d: X2 (seq %d) after the first X3 (seq %d)" % (d, r["seq"], first_x3))
    if len(x2) != len(want):
        problems.append("%d X2 PDUs in all, expected %d" % (len(x2), len(want)))
    tuples = ", ".join("dir %d %s->%s" % (r["dir"], addr(r, "src"), addr(r, "dst")) for r in x2)
    return check("%s (%s)" % (name, tuples) if not problems else name, not problems, "; ".join(problems))


def common(name, recs, xid, cid):
    allp = pdus(recs, xid)
    check_ids(name + ": every PDU carries the XID and CID", allp, xid, cid)
    check_seq(name + ": sequence numbers 0..%d contiguous in arrival order" % (len(allp) - 1), allp)
    check_times(name + ": timestamps are the copy time (POSIX)", allp)
    fm = [r for r in pdus(recs, xid, (X3,)) if r["format"] != (4 if is_dtls(bytes.fromhex(r["payload"][:26])) else 8)]
    check(name + ": X3 payload format 8 (RTP), 4 for DTLS records", not fm,
          "%d with format %s" % (len(fm), fm and fm[0]["format"]))


def check_dtls(name, recs, xid, want, sent_a, sent_b):
    """want: the DTLS records the parties sent are copied (format 4), else none is."""
    got = [r for r in pdus(recs, xid, (X3,)) if r["format"] == 4]
    n = sum(x.get("dtls", False) for x in sent_a + sent_b)
    if want:
        return check(name + ": DTLS records copied (%d of %d, format 4)" % (len(got), n), n and len(got) == n,
                     "%d copies of %d DTLS records sent" % (len(got), n))
    return check(name + ": no DTLS record copied without `dtls` (%d sent)" % n, not got, "%d copies" % len(got))


def cmd_clean(a):
    for path in a.mf:
        recs = load(path)
        bad = malformed(recs)
        check("%s: no malformed PDU" % os.path.basename(path), not bad,
              "%d, first: %s" % (len(bad), bad and bad[0]))
        if any(r.get("tls") for r in events(recs, "listening")):
            failed = events(recs, "tls-failed")
            okc = events(recs, "tls-ok")
            check("%s: mutual TLS up (%s, client %s issued by %s)" % (
                os.path.basename(path), okc and okc[0]["version"], okc and okc[0]["peer_cn"],
                okc and okc[0]["issuer_cn"]), okc and not failed,
                "%d handshakes, %d failed: %s" % (len(okc), len(failed), failed and failed[0]["error"]))


def directions(recs, xid):
    x3 = pdus(recs, xid, (X3,))
    return [r for r in x3 if r["dir"] == 3], [r for r in x3 if r["dir"] == 2], \
        [r for r in x3 if r["dir"] not in (2, 3)]


def cmd_e2ae(a):
    recs = load(a.mf)
    n = a.name
    common(n, recs, a.xid, a.cid)
    d3, d2, other = directions(recs, a.xid)
    check(n + ": X3 directions 2 and 3 only", not other, "%d others" % len(other))
    t, o = ("a", "b") if a.target == "a" else ("b", "a")     # the target's party, the other one
    ta, oa = (A_ADDR, a.box_a) if t == "a" else (B_ADDR, a.box_b), (B_ADDR, a.box_b) if t == "a" else (A_ADDR, a.box_a)
    check_copies(n + ": X3 dir 3 = the clear RTP/RTCP %s (target) made" % t.upper(), d3, peer(a.work, t, "sent"), "clear")
    check_copies(n + ": X3 dir 2 = the clear RTP/RTCP %s made" % o.upper(), d2, peer(a.work, o, "sent"), "clear")
    check_tuples(n + ": X3 dir 3 5-tuple %s -> %s UDP" % ta, d3, *ta)
    check_tuples(n + ": X3 dir 2 5-tuple %s -> %s UDP" % oa, d2, *oa)
    if a.target == "a":
        check_keys(n + ": X2 keys: dir 3 = a-rx, dir 2 = a-tx", recs, a.xid, {3: a.a_rx, 2: a.a_tx},
                   a.profile, a.box_a, a.box_b)
    else:
        check_keys(n + ": X2 keys: dir 3 = a-tx (B's media towards A), dir 2 = a-rx", recs, a.xid,
                   {3: a.a_tx, 2: a.a_rx}, a.profile, a.box_a, a.box_b, target="b")


def check_keys_both(name, recs, xid, ka, kb, profile, box_a, box_b):
    """e2e keys known on both legs (ng): four X2, one per flow, before any X3: A's key (dir 3) on
    A -> box leg a and box leg b -> B, B's key (dir 2) on B -> box leg b and box leg a -> A
    (the party's address may still be 0.0.0.0:0)."""
    x2 = pdus(recs, xid, (X2,))
    first_x3 = next((r["seq"] for r in pdus(recs, xid, (X3,))), None)
    want = {(3, ka, "A", box_a), (3, ka, box_b, "B"), (2, kb, "B", box_b), (2, kb, box_a, "A")}
    party = {"A": (A_ADDR, "0.0.0.0:0"), "B": (B_ADDR, "0.0.0.0:0")}
    problems, got = [], set()
    for r in x2:
        src, dst = addr(r, "src"), addr(r, "dst")
        key = next((w for w in want if w[0] == r["dir"] and w[1] == r["key"] + r["salt"] and
                    (src in party.get(w[2], (w[2],))) and (dst in party.get(w[3], (w[3],)))), None)
        if key is None or r["profile"] != PROFILE_IDS[profile] or r["format"] != 4:
            problems.append("unexpected X2 dir %d %s->%s profile 0x%04x" % (r["dir"], src, dst, r["profile"]))
        elif key in got:
            problems.append("X2 dir %d %s->%s twice" % (r["dir"], src, dst))
        got.add(key)
        if first_x3 is not None and r["seq"] > first_x3:
            problems.append("X2 (seq %d) after the first X3 (seq %d)" % (r["seq"], first_x3))
    if got != want:
        problems.append("missing: %s" % ", ".join("dir %d %s->%s" % (w[0], w[2], w[3]) for w in want - got))
    return check(name, not problems, "; ".join(problems))


def cmd_e2e_sdes(a):
    from srtp_common import receiver
    from pylibsrtp import Error as SrtpError
    recs = load(a.mf)
    n = a.name
    common(n, recs, a.xid, a.cid)
    d3, d2, other = directions(recs, a.xid)
    sent = {3: peer(a.work, "a", "sent"), 2: peer(a.work, "b", "sent")}
    check_copies(n + ": X3 dir 3 = the SRTP/SRTCP%s A sent, byte for byte" % (" and DTLS" if a.dtls else ""),
                 d3, sent[3], "wire", dtls=a.dtls)
    check_copies(n + ": X3 dir 2 = the SRTP/SRTCP%s B sent, byte for byte" % (" and DTLS" if a.dtls else ""),
                 d2, sent[2], "wire", dtls=a.dtls)
    check_dtls(n, recs, a.xid, a.dtls, sent[3], sent[2])
    check_tuples(n + ": X3 dir 3 5-tuple", d3, A_ADDR, a.box_a)
    check_tuples(n + ": X3 dir 2 5-tuple", d2, B_ADDR, a.box_b)
    if a.both_legs:
        check_keys_both(n + ": X2 keys of both legs: dir 3 = A's (offer), dir 2 = B's (answer)", recs, a.xid,
                        a.a_rx, a.a_tx, a.profile, a.box_a, a.box_b)
    else:
        check_keys(n + ": X2 keys: dir 3 = a-rx, dir 2 = a-tx", recs, a.xid, {3: a.a_rx, 2: a.a_tx},
                   a.profile, a.box_a, a.box_b)
    for d, copies in ((3, d3), (2, d2)):
        keys = [r for r in pdus(recs, a.xid, (X2,)) if r["dir"] == d]
        party = "A" if d == 3 else "B"
        if not keys:
            check(n + ": dir %d copies decrypted with the delivered key" % d, False, "no X2 key of direction %d" % d)
            continue
        rx = receiver(a.profile, bytes.fromhex(keys[0]["key"] + keys[0]["salt"]))
        clear, problems = [], []
        for r in copies:
            b = bytes.fromhex(r["payload"])
            if r["format"] == 4:
                continue
            try:
                clear.append((rx.unprotect_rtcp if 192 <= b[1] <= 223 else rx.unprotect)(b))
            except SrtpError as e:
                problems.append("copy seq %d does not unprotect: %s" % (r["seq"], e))
        fake = [{"payload": c.hex()} for c in clear]
        if problems:
            check(n + ": dir %d copies decrypted with the delivered key" % d, False, "; ".join(problems[:3]))
        else:
            check_copies(n + ": dir %d copies decrypted with the delivered key = the clear media %s made"
                         % (d, party), fake, sent[d], "clear", dtls=False)


def cmd_e2e_null(a):
    recs = load(a.mf)
    n = a.name
    common(n, recs, a.xid, a.cid)
    d3, d2, _ = directions(recs, a.xid)
    sent = {3: peer(a.work, "a", "sent"), 2: peer(a.work, "b", "sent")}
    check_copies(n + ": X3 dir 3 = the NULL-cipher SRTP A sent", d3, sent[3], "wire", dtls=a.dtls)
    check_copies(n + ": X3 dir 2 = the NULL-cipher SRTP B sent", d2, sent[2], "wire", dtls=a.dtls)
    check_dtls(n, recs, a.xid, a.dtls, sent[3], sent[2])

    def strip(b):
        """What the copy shows in clear: RTP minus the 10-byte tag, RTCP minus E|index and tag."""
        return b[:-14] if 192 <= b[1] <= 223 else b[:-10]

    for d, copies in ((3, d3), (2, d2)):
        fake = [{"payload": strip(bytes.fromhex(r["payload"])).hex()} for r in copies if r["format"] == 8]
        check_copies(n + ": dir %d copies minus the tag = the clear media (header and payload)" % d,
                     fake, sent[d], "clear", dtls=False)
    x2 = pdus(recs, a.xid, (X2,))
    check(n + ": no X2 (the box was given no keys)", not x2, "%d X2 PDUs" % len(x2))


def cmd_e2e_plain(a):
    """Plain RTP relayed e2e: the copies are the packets as sent (= the clear media); no X2."""
    recs = load(a.mf)
    n = a.name
    common(n, recs, a.xid, a.cid)
    d3, d2, other = directions(recs, a.xid)
    check(n + ": X3 directions 2 and 3 only", not other, "%d others" % len(other))
    t, o = ("a", "b") if a.target == "a" else ("b", "a")
    addr_of = {"a": (A_ADDR, a.box_a), "b": (B_ADDR, a.box_b)}
    check_copies(n + ": X3 dir 3 = the RTP/RTCP %s (target) sent" % t.upper(), d3, peer(a.work, t, "sent"), "clear")
    check_copies(n + ": X3 dir 2 = the RTP/RTCP %s sent" % o.upper(), d2, peer(a.work, o, "sent"), "clear")
    check_tuples(n + ": X3 dir 3 5-tuple", d3, *addr_of[t])
    check_tuples(n + ": X3 dir 2 5-tuple", d2, *addr_of[o])
    x2 = pdus(recs, a.xid, (X2,))
    check(n + ": no X2 (plain RTP has no keys)", not x2, "%d X2 PDUs" % len(x2))


def cmd_dtls_keys(a):
    """Per handshake (in order) two X2 of leg a: dir 3 = the client's write key (what A, the
    DTLS client, sends), dir 2 = the server's; RFC 5764 §4.2 split of the 60-byte export."""
    recs = load(a.mf)
    n = a.name
    x2 = pdus(recs, a.xid, (X2,))
    check_ids(n + ": every PDU carries the XID and CID", pdus(recs, a.xid), a.xid, a.cid)
    want = []
    for km in a.keymat:
        b = bytes.fromhex(km)
        ck, sk, cs, ss = b[0:16], b[16:32], b[32:46], b[46:60]
        want += [(3, (ck + cs).hex()), (2, (sk + ss).hex())]
    got = [(r["dir"], r["key"] + r["salt"]) for r in x2]
    check(n + ": %d X2, one per direction per handshake, the exported keys in order" % len(want),
          sorted(got[0:2]) == sorted(want[0:2]) and sorted(got[2:4]) == sorted(want[2:4]) and len(got) == len(want),
          "got %s" % [(d, k[:8] + "..") for d, k in got])
    bad = [r for r in x2 if r["profile"] != 1 or r["format"] != 4 or
           a.box_a not in (addr(r, "src"), addr(r, "dst"))]
    check(n + ": X2 profile 0x0001 (AES128_CM_SHA1_80), format 4, the flows of leg a", x2 and not bad,
          "%d of %d not" % (len(bad), len(x2)))


def cmd_absent(a):
    recs = load(a.mf)
    ports = {int(p) for p in a.ports.split(",")}
    xids = {x.lower() for x in a.xids.split(",")}
    allp = pdus(recs)
    hit = [r for r in allp if r.get("sport") in ports or r.get("dport") in ports]
    check("%s: no PDU of box ports %s" % (a.name, a.ports), not hit,
          "%d, first: xid %s %s -> %s" % (len(hit), hit and hit[0]["xid"], hit and addr(hit[0], "src"),
                                          hit and addr(hit[0], "dst")))
    stray = sorted({r["xid"] for r in allp} - xids)
    check("%s: no PDU of an XID not started (%d PDUs of %d tasks)" % (a.name, len(allp), len(xids)),
          not stray, "XIDs %s" % stray)


def cmd_identity(a):
    for role in ("a", "b"):
        r1 = [r["raw"] for r in peer(a.dir1, role, "recv") if r["kind"] == "data"]
        r2 = [r["raw"] for r in peer(a.dir2, role, "recv") if r["kind"] == "data"]
        o = [r for d in (a.dir1, a.dir2) for r in peer(d, role, "recv") if r["kind"] == "other"]
        first = next((i for i, (x, y) in enumerate(zip(r1, r2)) if x != y), None)
        check("%s: %s received the same %d data packets, byte for byte, without and with a task"
              % (a.name, role.upper(), len(r1)), r1 == r2 and r1 and not o,
              "%d vs %d packets%s%s" % (len(r1), len(r2),
                                        "" if first is None else "; first difference at %d" % first,
                                        "; %d unexpected packets" % len(o) if o else ""))


def cmd_reconnect(a):
    recs = load(a.mf)
    n = a.name
    acc = events(recs, "accepted")
    check(n + ": the box reconnected (%d connections)" % len(acc), len(acc) >= a.min_conns,
          "%d connections, expected >= %d; closes: %s" % (len(acc), a.min_conns,
                                                          [c["reason"] for c in events(recs, "closed")]))
    if a.garbage:
        g = events(recs, "garbage-sent")
        closes = [c for c in events(recs, "closed") if c["reason"] == "peer closed"]
        check(n + ": the box closed each connection that got garbage (%d of %d)" % (len(closes), len(g)),
              g and len(closes) >= len(g) - 1, "garbage on %d, closed by the box %d" % (len(g), len(closes)))
    if a.garbage and len(acc) >= 3:
        gaps = [acc[i + 1]["t"] - acc[i]["t"] for i in range(len(acc) - 1)]
        # 1 s doubling to 30 s (a little slack for the control loop's tick and the handshake)
        bad = [i for i in range(1, len(gaps)) if gaps[i] < min(30.0, 2 * gaps[i - 1]) * 0.8]
        check(n + ": reconnects back off, 1 s doubling to 30 s (%d connections)" % len(acc),
              gaps[0] >= 0.8 and not bad,
              "seconds between connections: %s" % " ".join("%.1f" % g for g in gaps[:12]))
    allp = pdus(recs, a.xid)
    # garbage: the box may close each connection before a PDU of the task is written
    if allp or not a.garbage:
        check_seq(n + ": sequence numbers rise across connections", allp, from_zero=False, gaps=True)
    d3, d2, _ = directions(recs, a.xid)
    for d, role, copies in ((3, "a", d3), (2, "b", d2)):
        sent = peer(a.work, role, "sent")
        # gaps are expected across reconnects: only ask that every copy is something sent, in order
        sub = subseq([bytes.fromhex(r["payload"]) for r in copies], [bytes.fromhex(s["clear"]) for s in sent])
        # garbage: each connection lives milliseconds, copies get through only by chance
        check(n + ": dir %d: the %d copies that came are clear packets %s sent, in order"
              % (d, len(copies), role.upper()), sub is None and (copies or a.garbage), sub or "no copies")
    if not a.garbage:
        later = [r for r in allp if r["conn"] > 1]
        check(n + ": the box streams again after a reconnect (%d PDUs on connections 2..%d)"
              % (len(later), len(acc)), later, "no PDU of the task after connection 1")
    bad = malformed(recs)
    check(n + ": no malformed PDU", not bad, "%d, first %s" % (len(bad), bad and bad[0]))


def subseq(copies, sent):
    """None when copies is a subsequence of sent, else the problem."""
    j = 0
    for k, c in enumerate(copies):
        while j < len(sent) and sent[j] != c:
            j += 1
        if j >= len(sent):
            return "copy %d (%s) not found after the previous one" % (k, c[:12].hex())
        j += 1
    return None


def cmd_refused(a):
    recs = load(a.mf)
    failed, okc, allp = events(recs, "tls-failed"), events(recs, "tls-ok"), pdus(recs)
    check("%s: the MF refused the other CA's client certificate (%d handshakes failed: %s)"
          % (a.name, len(failed), failed and failed[0]["error"][:90]),
          failed and not okc and all("certif" in f["error"].lower() for f in failed),
          "%d failed, %d succeeded: %s" % (len(failed), len(okc), [f["error"] for f in failed[:2]]))
    check("%s: not one PDU accepted" % a.name, not allp and not [r for r in recs if r.get("type")],
          "%d PDUs" % len(allp))


# ---------------------------------------------------------------- tshark

TSHARK_FIELDS = ["frame.number", "li5g.type", "li5g.pf", "li5g.pd", "li5g.xid", "li5g.sq", "li5g.srcip",
                 "li5g.dstip", "li5g.srcport", "li5g.dstport", "li5g.ipproto"]
MF_KEYS = ["type", "format", "dir", "xid", "seq", "src", "dst", "sport", "dport", "proto"]


def split_segments(cap, port):
    """Frames whose TCP payload towards PORT does not start and end on a PDU
    boundary (Debian 12's li5g dissector, Wireshark 4.0, does not reassemble)."""
    from scapy.all import TCP, rdpcap
    segs, seen = [], set()
    for i, p in enumerate(rdpcap(cap), 1):
        if TCP in p and p[TCP].dport == port and len(p[TCP].payload) and p[TCP].seq not in seen:
            seen.add(p[TCP].seq)
            segs.append((p[TCP].seq, bytes(p[TCP].payload), i))
    if not segs:
        return set()
    base = min(s for s, _, _ in segs)
    segs = sorted(((s - base) % (1 << 32), d, i) for s, d, i in segs)
    stream = b""
    for off, d, _ in segs:
        if off + len(d) > len(stream):
            stream += d[len(stream) - off:] if off <= len(stream) else b""
    bounds, off = {0}, 0
    while off + 40 <= len(stream):
        off += int.from_bytes(stream[off + 4:off + 8], "big") + int.from_bytes(stream[off + 8:off + 12], "big")
        bounds.add(off)
    return {i for off, d, i in segs if off not in bounds or off + len(d) not in bounds}


def tshark_pdus(out, split):
    """Rows of `tshark -T fields` (TSHARK_FIELDS, several PDUs a frame comma-separated)
    as one tuple per PDU; problems for frames that do not add up."""
    got, problems = [], []
    for line in out.splitlines():
        cols = line.split("\t")
        frame, vals = int(cols[0]), [c.split(",") if c else [] for c in cols[1:]]
        if frame in split:
            continue
        types = vals[0]
        with_attrs = [t in ("1", "2") for t in types]
        heads = vals[:4]
        attrs = []
        for name, v in zip(TSHARK_FIELDS[5:], vals[4:]):
            # 4.0 shows each attribute twice (the item and the one in its subtree)
            if len(v) == 2 * sum(with_attrs):
                v = v[::2]
            if len(v) != sum(with_attrs):
                problems.append("frame %d: %d PDUs with attributes, %d values of %s" % (
                    frame, sum(with_attrs), len(v), name))
                v = (v + [""] * len(types))[:sum(with_attrs)]
            attrs.append(iter(v))
        if any(len(h) != len(types) for h in heads):
            problems.append("frame %d: %d PDU types, header fields %s" % (frame, len(types), [len(h) for h in heads]))
            continue
        for k, t in enumerate(types):
            row = tuple(h[k] for h in heads)
            row += tuple(next(a) for a in attrs) if with_attrs[k] else ("",) * len(attrs)
            got.append(row)
    return got, problems


def cmd_tshark(a):
    recs = [r for r in load(a.mf) if r.get("type") in (1, 2, 3, 4) and "malformed" not in r]
    n = a.name
    dec = "tcp.port==%d,5gli" % a.port   # Wireshark 4.0: decode-as name 5gli, field prefix li5g
    cmd = ["tshark", "-n", "-r", a.cap, "-d", dec, "-Y", "5gli && tcp.dstport==%d" % a.port,
           "-T", "fields", "-E", "separator=\t"]
    for f in TSHARK_FIELDS:
        cmd += ["-e", f]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    if res.returncode != 0:
        return check(n + ": tshark decodes the capture", False, res.stderr.strip()[-300:])
    split = split_segments(a.cap, a.port)
    got, problems = tshark_pdus(res.stdout, split)
    want = []
    for r in recs:
        if r["type"] in (3, 4):
            want.append((str(r["type"]), "0", "0", r["xid"]) + ("",) * 6)
        else:
            want.append(tuple(str(r[k]) for k in MF_KEYS))
    extra = [g for g in got if g not in want]
    check(n + ": tshark decodes %d PDUs, %d of them X3 (%d TCP segments split a PDU: not decodable, skipped)"
          % (len(got), sum(g[0] == "2" for g in got), len(split)),
          sum(g[0] == "2" for g in got) >= 10 and not problems, "; ".join(problems[:3]) or "too few")
    check(n + ": tshark's type/format/direction/XID/seq/5-tuple of each = the MF's parse of it",
          got and not extra, "%d decoded PDUs are not in the MF log, first %s" % (len(extra), extra[:1]))
    cmd = ["tshark", "-n", "-r", a.cap, "-d", dec, "-Y", "_ws.malformed or _ws.expert.severity>=error",
           "-T", "fields", "-e", "frame.number", "-e", "_ws.expert.message"]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    errs = [line for line in res.stdout.splitlines() if line and int(line.split("\t")[0]) not in split]
    check(n + ": tshark -Y '_ws.malformed or _ws.expert.severity>=error' prints nothing (segments split "
          "inside a PDU aside)", res.returncode == 0 and not errs,
          (res.stderr.strip()[-200:] or "") + " " + "; ".join(errs[:3]))


# ---------------------------------------------------------------- show li

SHOW_RE = {
    "head": re.compile(r"^li tasks: (\d+) \(max (\d+)\)$"),
    "task": re.compile(r"^  task ([0-9a-fA-F-]{36}) cid (\S+) mf (\S+)(?: call (\S+))?( dtls)?: (\w+)[^,]*, "
                       r"sessions (\d+), copies (\d+), keys (\d+), dropped (\d+)$"),
    "tap": re.compile(r"^    session (\d+) target ([ab])$"),
    "mfs": re.compile(r"^li mediation functions: (\d+)$"),
    "mf": re.compile(r"^  mf (\S+) (\S+):(\d+) (tls|tcp): (connected|connecting|backoff), connects (\d+), "
                     r"failures \d+, garbage (\d+), pdus (\d+), bytes (\d+), queued (\d+), dropped (\d+), "
                     r"lost-bytes \d+, keepalives (\d+)/(\d+)$"),
    "stale": re.compile(r"^li stale copies: \d+$"),
    "mf_loose": re.compile(r"^  mf (\S+) (\S+):(\d+) (tls|tcp): (\w+), (.*)$"),
    "workers": re.compile(r"^li workers: copies (\d+), ring-full (\d+), no-mbuf (\d+)$"),
}


def parse_show_li(text):
    """The last complete `show li` in text: {"tasks", "max", "task": {xid: {...}}, "mf": {name: {...}},
    "workers": {...}}, or None; lines that fit no pattern inside the block are in "unparsed"."""
    lines = [re.sub(r"^(srtpfwd> )+", "", x.rstrip("\r")) for x in text.splitlines()]
    start = max((i for i, x in enumerate(lines) if SHOW_RE["head"].match(x)), default=None)
    if start is None:
        return None
    m = SHOW_RE["head"].match(lines[start])
    out = {"tasks": int(m[1]), "max": int(m[2]), "task": {}, "mf": {}, "unparsed": []}
    task = None
    for x in lines[start + 1:]:
        if (m := SHOW_RE["task"].match(x)):
            task = out["task"][m[1].lower()] = {
                "cid": m[2], "mf": m[3], "call": m[4] or "", "dtls": bool(m[5]), "state": m[6],
                "sessions": int(m[7]), "copies": int(m[8]), "keys": int(m[9]), "dropped": int(m[10]),
                "session": -1, "target": "", "taps": []}
        elif (m := SHOW_RE["tap"].match(x)) and task is not None:
            task["taps"].append((int(m[1]), m[2]))
            if task["session"] < 0:
                task["session"], task["target"] = int(m[1]), m[2]
        elif (m := SHOW_RE["mfs"].match(x)):
            out["mfs"] = int(m[1])
        elif (m := SHOW_RE["mf"].match(x)):
            out["mf"][m[1]] = {"address": m[2], "port": int(m[3]), "transport": m[4], "state": m[5],
                               "connects": int(m[6]), "garbage": int(m[7]), "pdus": int(m[8]),
                               "bytes": int(m[9]), "queued": int(m[10]), "dropped": int(m[11]),
                               "keepalives_sent": int(m[12]), "keepalives_acked": int(m[13])}
        elif (m := SHOW_RE["mf_loose"].match(x)):
            # not the contract's words: still read its counters (the format check reports the line)
            out["unparsed"].append(x)
            mf = {"address": m[2], "port": int(m[3]), "transport": m[4], "state": m[5]}
            for k, v in re.findall(r"([a-z][a-z-]*) (\d+)(?=,|$)", m[6]):
                mf[k] = int(v)
            if (k := re.search(r"keepalives (\d+)/(\d+)", m[6])):
                mf["keepalives_sent"], mf["keepalives_acked"] = int(k[1]), int(k[2])
            out["mf"][m[1]] = mf
        elif SHOW_RE["stale"].match(x):
            pass
        elif (m := SHOW_RE["workers"].match(x)):
            out["workers"] = {"copies": int(m[1]), "ring-full": int(m[2]), "no-mbuf": int(m[3])}
            break
        else:
            out["unparsed"].append(x)
    return out


def evaluate(show, expr):
    """task:XID:FIELD OP V | mf:NAME:FIELD OP V | workers:FIELD OP V | tasks OP V  ->  (ok, actual)."""
    m = re.match(r"^([^<>=!]+?)\s*(>=|<=|!=|=|>|<)\s*(\S+)$", expr)
    if not m:
        raise SystemExit("li_check: bad --expect %r" % expr)
    path, op, want = m[1].split(":"), m[2], m[3]
    cur = show
    for p in path:
        if p == "task":
            cur = cur.get("task", {})
        elif isinstance(cur, dict) and p.lower() in cur:
            cur = cur[p.lower()]
        elif isinstance(cur, dict) and p in cur:
            cur = cur[p]
        else:
            return False, "no %s" % ":".join(path)
    try:
        a, b = int(cur), int(want)
    except (TypeError, ValueError):
        a, b = str(cur), want
    ok = {"=": a == b, "!=": a != b, ">": a > b, ">=": a >= b, "<": a < b, "<=": a <= b}[op]
    return ok, cur


def cmd_show_li(a):
    with open(a.log, errors="replace") as f:
        show = parse_show_li(f.read())
    if show is None:
        return check(a.name + ": `show li` answered in the format of the contract", False,
                     "no 'li tasks: N (max M)' line in %s" % a.log)
    if a.dump:
        print(json.dumps(show))
    bad_lines = [x for x in show["unparsed"] if x.strip()]
    if not a.no_format:
        check(a.name + ": `show li` lines all in the contract's format", "workers" in show and not bad_lines,
              "unparsed: %s%s" % (bad_lines[:3], "" if "workers" in show else "; no 'li workers:' line"))
    for e in a.expect:
        ok, cur = evaluate(show, e)
        check("%s: show li %s" % (a.name, e), ok, "it is %s" % (cur,))


def cmd_counts(a):
    """The box's `show li` counters against what the MF received."""
    with open(a.log, errors="replace") as f:
        show = parse_show_li(f.read())
    recs = load(a.mf)
    mf = (show or {}).get("mf", {}).get(a.mf_name)
    if mf is None:
        return check(a.name + ": show li has mf %s" % a.mf_name, False, "no such line")
    allp = pdus(recs)
    kas = len([r for r in recs if r.get("type") in (3, 4) and "malformed" not in r])
    check(a.name + ": mf %s pdus %d = X2/X3 PDUs the MF accepted (as the contract's 602 = 600 copies + 2 keys)"
          % (a.mf_name, mf["pdus"]), mf["pdus"] == len(allp),
          "the MF accepted %d X2/X3 and %d keepalives/acks from the box (sum %d)" % (len(allp), kas, len(allp) + kas))
    for xid in a.task:
        t = show["task"].get(xid.lower())
        x3, x2 = len(pdus(recs, xid, (X3,))), len(pdus(recs, xid, (X2,)))
        check(a.name + ": task %s copies/keys = the MF's X3/X2 of it" % xid[:8],
              t is not None and (t["copies"], t["keys"]) == (x3, x2),
              "show li %s, MF X3 %d X2 %d" % (t and (t["copies"], t["keys"]), x3, x2))
    summ = (events(recs, "summary") or [{}])[-1]
    sent, acked = mf["keepalives_sent"], mf["keepalives_acked"]
    check(a.name + ": keepalives: box sent %d, MF got %d; box acked %d of them" % (
          sent, summ.get("keepalives_rx", -1), acked),
          sent > 0 and summ.get("keepalives_rx", -1) >= sent and sent - 1 <= acked <= sent,
          "summary %s" % summ)
    if summ.get("keepalives_tx"):
        check(a.name + ": the box acked the MF's keepalives (%d of %d)" % (
              summ.get("acks_rx", 0), summ["keepalives_tx"]),
              summ["keepalives_tx"] - 1 <= summ.get("acks_rx", 0) <= summ["keepalives_tx"], "summary %s" % summ)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("clean")
    p.add_argument("mf", nargs="+")
    for name in ("e2ae", "e2e-sdes", "e2e-null", "e2e-plain"):
        p = sub.add_parser(name)
        p.add_argument("mf")
        p.add_argument("--xid", required=True)
        p.add_argument("--cid", type=lambda s: int(s, 0), required=True)
        p.add_argument("--work", required=True)
        p.add_argument("--a-rx", default="")
        p.add_argument("--a-tx", default="")
        p.add_argument("--profile", default="AES_CM_128_HMAC_SHA1_80")
        p.add_argument("--box-a", default="198.18.0.1:20000")
        p.add_argument("--box-b", default="198.19.0.1:30000")
        p.add_argument("--target", choices=("a", "b"), default="a")
        p.add_argument("--dtls", action="store_true", help="the task copies DTLS records too")
        p.add_argument("--both-legs", action="store_true", help="e2e keys known on both legs (ng)")
    p = sub.add_parser("dtls-keys")
    p.add_argument("mf")
    p.add_argument("--xid", required=True)
    p.add_argument("--cid", type=lambda s: int(s, 0), required=True)
    p.add_argument("--keymat", action="append", default=[])
    p.add_argument("--box-a", required=True)
    p = sub.add_parser("absent")
    p.add_argument("mf")
    p.add_argument("--ports", required=True)
    p.add_argument("--xids", required=True)
    p = sub.add_parser("identity")
    p.add_argument("dir1")
    p.add_argument("dir2")
    p = sub.add_parser("reconnect")
    p.add_argument("mf")
    p.add_argument("--xid", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--min-conns", type=int, default=2)
    p.add_argument("--garbage", action="store_true")
    p = sub.add_parser("refused")
    p.add_argument("mf")
    p = sub.add_parser("tshark")
    p.add_argument("cap")
    p.add_argument("mf")
    p.add_argument("--port", type=int, required=True)
    p = sub.add_parser("counts")
    p.add_argument("log")
    p.add_argument("mf")
    p.add_argument("--mf", dest="mf_name", required=True)
    p.add_argument("--task", action="append", default=[])
    p = sub.add_parser("show-li")
    p.add_argument("log")
    p.add_argument("--expect", action="append", default=[])
    p.add_argument("--dump", action="store_true")
    p.add_argument("--no-format", action="store_true", help="no check of the lines' format")
    for s in sub.choices.values():
        s.add_argument("--name", default="li")
    a = ap.parse_args()
    {"clean": cmd_clean, "e2ae": cmd_e2ae, "e2e-sdes": cmd_e2e_sdes, "e2e-null": cmd_e2e_null, "e2e-plain": cmd_e2e_plain, "dtls-keys": cmd_dtls_keys,
     "absent": cmd_absent, "identity": cmd_identity, "reconnect": cmd_reconnect, "refused": cmd_refused,
     "tshark": cmd_tshark, "show-li": cmd_show_li, "counts": cmd_counts}[a.cmd](a)
    return 1 if _failed else 0


if __name__ == "__main__":
    sys.exit(main())
