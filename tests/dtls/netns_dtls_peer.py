#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
Media host of netns_dtls.sh, run inside its namespace (ip netns exec), and
the DTLS-SRTP key split the test needs. Run with /usr/bin/python3 (Debian's
pylibsrtp).

  netns_dtls_peer.py selftest
      pylibsrtp loopback of the RFC 5764 key split: what is protected with
      one half unprotects with that half only.
  netns_dtls_peer.py keys KEYMAT_HEX client|server DIR
      KEYMAT_HEX: the 60 bytes openssl printed as "Keying material:"
      (EXTRACTOR-dtls_srtp, AES_CM_128_HMAC_SHA1_80). Writes DIR/a-send.key
      and DIR/a-recv.key (master key || master salt, hex) for host A when A
      was the DTLS client or server: a client protects with the client half
      and unprotects with the server half, a server the other way round.
  netns_dtls_peer.py a|b DIR TIMEOUT
      Host A (access) or B (core). DIR/peer.conf (key=value lines) says
      where to bind and send and which phases to run; DIR/{a,b}-{send,recv}.key
      hold the SRTP keys (hex) or "rtp". Phases, in order:
        ab, ba       the first side sends warm-up packets until the other
                     flags one received, then COUNT data packets (SSRC DATA,
                     sequence numbers across the 16-bit wrap, payloads 0..1200
                     bytes); the receiver unprotects and checks them byte for
                     byte against the same deterministic stream, in order.
        ab-none, ba-none   the sender sends COUNT packets; the receiver must
                     get none of them (listens until the sender is done, plus
                     a grace period).
      Optional: rate=PPS paces the data at a steady rate (wall-clock times of
      the first and last data packet go to DIR/PHASE.X.data and .sent),
      a-stray=IP:PORT makes A first send protected packets from that other
      source, which B must never see (the leg is latched to the handshake's
      address).
The sides meet through files in DIR. Every wait is bounded. Exit status 0
when this side's checks passed; verdict lines go to stdout as
"check NAME: ok|FAIL detail".
"""
import os
import random
import socket
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2ae"))
from srtp_common import receiver, rtp, sender  # noqa: E402
from pylibsrtp import Error as SrtpError  # noqa: E402

PROFILE = "AES_CM_128_HMAC_SHA1_80"
KEYMAT_LEN = 60         # 2 * 16-byte keys + 2 * 14-byte salts
WARM = {"a": 0x0D71A000, "b": 0x0D72B000}
DATA = {"a": 0x0D71A001, "b": 0x0D72B001}
STRAY = 0x0D71A0FF
GRACE = 1.0             # seconds a "none" receiver keeps listening after the sender is done


def split_keymat(hexstr):
    """RFC 5764 4.2: client_key | server_key | client_salt | server_salt."""
    km = bytes.fromhex(hexstr.strip())
    if len(km) != KEYMAT_LEN:
        raise ValueError("keying material is %d bytes, not %d" % (len(km), KEYMAT_LEN))
    return km[0:16] + km[32:46], km[16:32] + km[46:60]


def stream(seed, ssrc, count):
    rng = random.Random(seed)
    seq0 = 65535 - 100
    sizes = [0, 1200] + [rng.randint(0, 1200) for _ in range(count)]
    return [rtp(ssrc, seq0 + i, 1000 + 960 * i, bytes(rng.getrandbits(8) for _ in range(sizes[i])),
                marker=int(i == 0)) for i in range(count)]


def touch(d, name, text="1"):
    with open(os.path.join(d, name + ".tmp"), "w") as f:
        f.write(text)
    os.rename(os.path.join(d, name + ".tmp"), os.path.join(d, name))


def exists(d, name):
    return os.path.exists(os.path.join(d, name))


def verdict(name, ok, detail=""):
    print("check %s: %s%s" % (name, "ok" if ok else "FAIL ", "" if ok else detail))
    sys.stdout.flush()
    return ok


def endpoint(s):
    host, port = s.rsplit(":", 1)
    return host, int(port)


def is_dtls(b):
    return len(b) > 0 and 20 <= b[0] <= 63   # RFC 7983 demultiplexing


# ---- key material ----

def selftest():
    ok = True
    km = os.urandom(KEYMAT_LEN)
    client, server = split_keymat(km.hex())
    ok &= verdict("key split: client = km[0:16] + km[32:46], server = km[16:32] + km[46:60]",
                  client == km[0:16] + km[32:46] and server == km[16:32] + km[46:60]
                  and len(client) == 30 and len(server) == 30)
    rng = random.Random(1)
    pkts = [rtp(0x1234, 65530 + i, 960 * i, bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 1200))))
            for i in range(50)]
    for name, key, other in (("client", client, server), ("server", server, client)):
        tx, rx, wrong = sender(PROFILE, key), receiver(PROFILE, key), receiver(PROFILE, other)
        prot = [tx.protect(p) for p in pkts]
        back = [rx.unprotect(p) for p in prot]
        refused = 0
        for p in prot:
            try:
                wrong.unprotect(p)
            except SrtpError:
                refused += 1
        ok &= verdict("pylibsrtp loopback, %s half: 50 packets protect and unprotect to the original"
                      % name, back == pkts and all(len(x) == len(y) + 10 for x, y in zip(prot, pkts)))
        ok &= verdict("pylibsrtp loopback, %s half: the other half refuses all 50" % name,
                      refused == len(pkts), "%d refused" % refused)
    try:
        split_keymat("00" * 59)
        ok &= verdict("key split refuses 59 bytes", False)
    except ValueError:
        ok &= verdict("key split refuses 59 bytes", True)
    return 0 if ok else 1


def keys(hexstr, role, d):
    client, server = split_keymat(hexstr)
    send, recv = (client, server) if role == "client" else (server, client)
    for name, k in (("a-send.key", send), ("a-recv.key", recv)):
        with open(os.path.join(d, name), "w") as f:
            f.write(k.hex() + "\n")
    return 0


# ---- media ----

def load_key(d, name):
    v = open(os.path.join(d, name)).read().strip()
    return None if v == "rtp" else bytes.fromhex(v)


def protector(key):
    if key is None:
        return lambda b: b
    return sender(PROFILE, key).protect


def unprotector(key):
    if key is None:
        return lambda b: b
    return receiver(PROFILE, key).unprotect


def send_phase(sock, dst, d, fp, me, peer, data, protect, rate, deadline):
    """Warm-ups every 20 ms until the peer flags one received, then the data."""
    n = 0
    while not exists(d, fp + peer + ".warm"):
        if time.monotonic() > deadline or n >= 400:
            return "no warm-up packet reached the peer (%d sent)" % n
        sock.sendto(protect(rtp(WARM[me], n, 0, b"warm-up %d" % n)), dst)
        n += 1
        time.sleep(0.02)
    send_data(sock, dst, d, fp, me, data, protect, rate)
    return None


def send_data(sock, dst, d, fp, me, data, protect, rate):
    touch(d, fp + me + ".data", "%.6f" % time.time())
    t0 = time.monotonic()
    for i, p in enumerate(data):
        if rate:
            delay = t0 + i / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        elif i % 10 == 9:
            time.sleep(0.002)   # ~5k packets/s: nothing for a veth to lose
        sock.sendto(protect(p), dst)
    touch(d, fp + me + ".sent", "%.6f" % time.time())


def recv_phase(sock, d, fp, me, peer, data, unprotect, deadline):
    """Returns (received data packets in order, problems, DTLS datagrams seen)."""
    got, problems, flagged, dtls = [], [], False, 0
    want = {p[2:4] + p[8:12]: i for i, p in enumerate(data)}
    while len(got) < len(data) and time.monotonic() < deadline:
        sock.settimeout(max(0.05, min(1.0, deadline - time.monotonic())))
        try:
            b, src = sock.recvfrom(4096)
        except socket.timeout:
            continue
        if is_dtls(b):
            dtls += 1       # a late DTLS retransmission: not media
            continue
        try:
            p = unprotect(b)
        except SrtpError as e:
            problems.append("packet from %s does not unprotect: %s" % (src, e))
            continue
        ssrc = int.from_bytes(p[8:12], "big") if len(p) >= 12 else None
        if ssrc == WARM[peer]:
            if not flagged:
                touch(d, fp + me + ".warm")
                flagged = True
            continue
        if ssrc == STRAY:
            problems.append("packet sent from the unlatched source came through (seq %d)"
                            % int.from_bytes(p[2:4], "big"))
            continue
        if ssrc is None or p[2:4] + p[8:12] not in want:
            problems.append("unexpected packet %s" % p[:16].hex())
            continue
        got.append(p)
    return got, problems, dtls


def recv_none(sock, d, fp, peer, deadline):
    """Everything that arrives until the sender is done (+ GRACE), DTLS aside."""
    got, dtls, done_at = [], 0, None
    while time.monotonic() < deadline:
        if done_at is None and exists(d, fp + peer + ".sent"):
            done_at = time.monotonic()
        if done_at is not None and time.monotonic() > done_at + GRACE:
            break
        sock.settimeout(0.1)
        try:
            b, src = sock.recvfrom(4096)
        except socket.timeout:
            continue
        if is_dtls(b):
            dtls += 1
        else:
            got.append((src, b))
    return got, dtls, done_at is not None


def compare(name, got, data, problems):
    if problems:
        return verdict(name, False, "; ".join(problems[:3]) +
                       (" (%d problems)" % len(problems) if len(problems) > 3 else ""))
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


def read_conf(d):
    conf = {}
    for line in open(os.path.join(d, "peer.conf")):
        line = line.strip()
        if line and not line.startswith("#"):
            k, v = line.split("=", 1)
            conf[k.strip()] = v.strip()
    return conf


def media(me, d, timeout):
    conf = read_conf(d)
    peer = "b" if me == "a" else "a"
    count = int(conf["count"])
    rate = float(conf.get("rate", "0"))
    seed = conf["seed"]
    deadline = time.monotonic() + timeout
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    sock.bind(endpoint(conf[me + "-bind"]))
    dst = endpoint(conf[me + "-dst"])
    protect = protector(load_key(d, me + "-send.key"))
    unprotect = unprotector(load_key(d, me + "-recv.key"))
    touch(d, me.upper() + ".up")
    ok = True
    for phase in conf["phases"].split(","):
        src, none = phase[0], phase.endswith("-none")
        # a "none" phase has an SSRC of its own: the sender's SRTP context
        # would refuse to protect the same sequence numbers again
        data = stream("%s/%s" % (seed, phase), DATA[src] + (0x10 if none else 0), count)
        what = "%s->%s" % (src.upper(), "B" if src == "a" else "A")
        if src == me and not none:
            if me == "a" and conf.get("a-stray"):
                stray = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                stray.bind(endpoint(conf["a-stray"]))
                for i in range(20):
                    stray.sendto(protect(rtp(STRAY, 100 + i, 0, b"stray %d" % i)), dst)
                stray.close()
            err = send_phase(sock, dst, d, phase + ".", me, peer, data, protect, rate, deadline)
            ok &= verdict("%s: %d packets sent to %s" % (what, count, conf[me + "-dst"]),
                          err is None, err or "")
        elif src == me:
            send_data(sock, dst, d, phase + ".", me, data, protect, rate)
        elif not none:
            got, problems, dtls = recv_phase(sock, d, phase + ".", me, src, data, unprotect, deadline)
            ok &= compare("%s: %d packets in, unprotected here = original, in order" % (what, count),
                          got, data, problems)
            if dtls:
                print("note %s: %d DTLS datagrams ignored" % (me, dtls))
        else:
            got, dtls, done = recv_none(sock, d, phase + ".", src, deadline)
            detail = "%d packets came through, first from %s: %s" % (
                len(got), got[0][0], got[0][1][:16].hex()) if got else ""
            if not done:
                detail += " (the sender never finished)"
            ok &= verdict("%s: %d packets sent, none came out" % (what, count),
                          done and not got, detail)
            if dtls:
                print("note %s: %d DTLS datagrams ignored" % (me, dtls))
    return 0 if ok else 1


def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "selftest" and len(sys.argv) == 2:
        return selftest()
    if cmd == "keys" and len(sys.argv) == 5 and sys.argv[3] in ("client", "server"):
        return keys(sys.argv[2], sys.argv[3], sys.argv[4])
    if cmd in ("a", "b") and len(sys.argv) == 4:
        return media(cmd, sys.argv[2], float(sys.argv[3]))
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
