#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
One test host of netns_srtp.sh, run inside its namespace (ip netns exec).
  role a: access peer 198.18.0.2:5000, speaks SRTP (a-rx key to send, a-tx key to receive)
  role b: core peer 198.19.0.2:6000, speaks plain RTP
Phase 1, A->B: A sends SRTP warm-up packets (SSRC WARM1) until B says it got
one (file B.warm), then COUNT data packets (SSRC DATA1, seq wrapping, payloads
0..1200 bytes); B checks every data packet byte for byte against the same
deterministic stream. Phase 2, B->A, likewise with plain RTP that A receives
as SRTP and unprotects with the a-tx key. The sides meet through files in DIR.
Every wait is bounded. Exit status 0 when this side's checks passed; the
verdict lines go to stdout as "check NAME: ok|FAIL detail".
"""
import os
import random
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from srtp_common import receiver, rtp, sender  # noqa: E402
from pylibsrtp import Error as SrtpError  # noqa: E402

PROFILE = "AES_CM_128_HMAC_SHA1_80"
WARM1, DATA1, WARM2, DATA2 = 0x0A11A000, 0x0A11A001, 0x0B22B000, 0x0B22B001


def stream(seed, ssrc, count):
    rng = random.Random(seed)
    seq0 = 65535 - 100
    sizes = [0, 1200] + [rng.randint(0, 1200) for _ in range(count)]
    return [rtp(ssrc, seq0 + i, 1000 + 960 * i, bytes(rng.getrandbits(8) for _ in range(sizes[i])),
                marker=int(i == 0)) for i in range(count)]


def touch(d, name):
    with open(os.path.join(d, name + ".tmp"), "w") as f:
        f.write("1")
    os.rename(os.path.join(d, name + ".tmp"), os.path.join(d, name))


def exists(d, name):
    return os.path.exists(os.path.join(d, name))


def send_phase(sock, dst, d, peer_flag, warm_ssrc, data, protect, deadline):
    """Warm-ups every 20 ms until the peer flags one received, then the data."""
    n = 0
    while not exists(d, peer_flag):
        if time.monotonic() > deadline or n >= 400:
            return "no warm-up packet reached the peer (%d sent)" % n
        sock.sendto(protect(rtp(warm_ssrc, n, 0, b"warm-up %d" % n)), dst)
        n += 1
        time.sleep(0.02)
    for i, p in enumerate(data):
        sock.sendto(protect(p), dst)
        if i % 10 == 9:
            time.sleep(0.002)   # ~5k packets/s: nothing for a veth to lose
    return None


def recv_phase(sock, d, my_flag, warm_ssrc, data, unprotect, deadline):
    """Returns (received data packets in order, problems)."""
    got, problems, flagged = [], [], False
    want = {p[2:4] + p[8:12]: i for i, p in enumerate(data)}
    while len(got) < len(data) and time.monotonic() < deadline:
        sock.settimeout(max(0.05, min(1.0, deadline - time.monotonic())))
        try:
            b, src = sock.recvfrom(4096)
        except socket.timeout:
            continue
        try:
            p = unprotect(b)
        except SrtpError as e:
            problems.append("packet from %s does not unprotect: %s" % (src, e))
            continue
        ssrc = int.from_bytes(p[8:12], "big") if len(p) >= 12 else None
        if ssrc == warm_ssrc:
            if not flagged:
                touch(d, my_flag)
                flagged = True
            continue
        if ssrc is None or p[2:4] + p[8:12] not in want:
            problems.append("unexpected packet %s" % p[:16].hex())
            continue
        got.append(p)
    return got, problems


def verdict(name, ok, detail=""):
    print("check %s: %s%s" % (name, "ok" if ok else "FAIL ", "" if ok else detail))
    sys.stdout.flush()
    return ok


def compare(name, got, data, problems):
    if problems:
        return verdict(name, False, "; ".join(problems[:3]))
    if got == data:
        return verdict(name, True)
    detail = "%d of %d data packets received" % (len(got), len(data))
    if sorted(got) == sorted(data):
        detail = "all received, out of order"
    else:
        for i, (x, y) in enumerate(zip(got, data)):
            if x != y:
                detail += "; first difference at %d: %s vs %s" % (i, x[:20].hex(), y[:20].hex())
                break
    return verdict(name, False, detail)


def main():
    role, d, count, timeout = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    key_rx = bytes.fromhex(open(os.path.join(d, "a-rx.key")).read().strip())
    key_tx = bytes.fromhex(open(os.path.join(d, "a-tx.key")).read().strip())
    seed = open(os.path.join(d, "seed")).read().strip()
    data1 = stream(seed + "/1", DATA1, count)
    data2 = stream(seed + "/2", DATA2, count)
    deadline = time.monotonic() + timeout
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    ok = True
    if role == "a":
        sock.bind(("198.18.0.2", 5000))
        touch(d, "A.up")
        snd = sender(PROFILE, key_rx)
        err = send_phase(sock, ("198.18.0.1", 20000), d, "B.warm", WARM1, data1, snd.protect, deadline)
        ok &= verdict("A->B sent (SRTP to 198.18.0.1:20000)", err is None, err or "")
        rx = receiver(PROFILE, key_tx)
        got, problems = recv_phase(sock, d, "A.warm", WARM2, data2, rx.unprotect, deadline)
        ok &= compare("B->A: %d RTP in at core, SRTP out at access, unprotected with a-tx key = original"
                      % count, got, data2, problems)
    else:
        sock.bind(("198.19.0.2", 6000))
        touch(d, "B.up")
        got, problems = recv_phase(sock, d, "B.warm", WARM1, data1, lambda b: b, deadline)
        ok &= compare("A->B: %d SRTP in at access, RTP out at core = original" % count,
                      got, data1, problems)
        err = send_phase(sock, ("198.19.0.1", 30000), d, "A.warm", WARM2, data2, lambda b: b, deadline)
        ok &= verdict("B->A sent (RTP to 198.19.0.1:30000)", err is None, err or "")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
