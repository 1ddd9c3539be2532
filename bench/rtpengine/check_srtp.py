#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""
Checks srtpfwd-paced-gen's frames before a run measures anything: the first
frames it would send (its --pcap), against the flows file it was given. Every
frame must go to its flow's box address and port, and carry RTP v2 (plain
flows) or SRTP that libsrtp2 (pylibsrtp) unprotects with the flow's SDES key
into that RTP, consecutive sequence numbers per flow.

usage: check_srtp.py FLOWS PCAP        prints "ok: N frames, M SRTP" or why not; exit 1 on failure
"""
import base64
import struct
import sys

import pylibsrtp

PROFILES = {
    "AES_CM_128_HMAC_SHA1_80": pylibsrtp.Policy.SRTP_PROFILE_AES128_CM_SHA1_80,
    "AES_CM_128_HMAC_SHA1_32": pylibsrtp.Policy.SRTP_PROFILE_AES128_CM_SHA1_32,
}


def frames(path):
    with open(path, "rb") as f:
        data = f.read()
    off = 24  # pcap file header
    while off + 16 <= len(data):
        caplen = struct.unpack_from("<I", data, off + 8)[0]
        yield data[off + 16:off + 16 + caplen]
        off += 16 + caplen


def main():
    flows = []
    for line in open(sys.argv[1]):
        f = line.split()
        if not f or f[0].startswith("#"):
            continue
        sess = None
        if len(f) == 7:
            policy = pylibsrtp.Policy(key=base64.b64decode(f[6][len("inline:"):]),
                                      ssrc_type=pylibsrtp.Policy.SSRC_ANY_INBOUND,
                                      srtp_profile=PROFILES[f[5]])
            sess = pylibsrtp.Session(policy=policy)
        flows.append((f[2], int(f[3]), sess))
    n = srtp = 0
    last_seq = {}
    for i, fr in enumerate(frames(sys.argv[2])):
        dst, dport, sess = flows[i % len(flows)]
        ip = fr[14:34]
        got_dst = ".".join(str(b) for b in ip[16:20])
        udp = fr[34:42]
        if got_dst != dst or struct.unpack("!H", udp[2:4])[0] != dport:
            sys.exit("FAIL frame %d: to %s:%d, flow says %s:%d" %
                     (i, got_dst, struct.unpack("!H", udp[2:4])[0], dst, dport))
        rtp = fr[42:]
        if sess is not None:
            try:
                rtp = sess.unprotect(rtp)
            except pylibsrtp.Error as e:
                sys.exit("FAIL frame %d: libsrtp2 refuses it: %s" % (i, e))
            srtp += 1
        seq = struct.unpack("!H", rtp[2:4])[0]
        key = i % len(flows)
        if rtp[0] != 0x80 or (key in last_seq and seq != (last_seq[key] + 1) & 0xffff):
            sys.exit("FAIL frame %d: RTP header %s, seq %d after %s" %
                     (i, rtp[:4].hex(), seq, last_seq.get(key)))
        last_seq[key] = seq
        n += 1
    if n == 0:
        sys.exit("FAIL: no frames")
    print("ok: %d frames, %d SRTP" % (n, srtp))


if __name__ == "__main__":
    main()
