# SPDX-License-Identifier: BSD-3-Clause
"""
A small ng client for the tests: bencode both ways and one request/reply
over UDP (`COOKIE SP BENCODE`), as rtpengine's clients speak it.
"""
import os
import socket


def encode(x):
    if isinstance(x, bool):
        x = int(x)
    if isinstance(x, int):
        return b"i%de" % x
    if isinstance(x, str):
        x = x.encode()
    if isinstance(x, bytes):
        return b"%d:%s" % (len(x), x)
    if isinstance(x, list):
        return b"l" + b"".join(encode(i) for i in x) + b"e"
    if isinstance(x, dict):
        return b"d" + b"".join(encode(k) + encode(v) for k, v in x.items()) + b"e"
    raise TypeError(type(x))


def _decode(b, i):
    c = b[i:i + 1]
    if c == b"i":
        j = b.index(b"e", i)
        return int(b[i + 1:j]), j + 1
    if c == b"l":
        i += 1
        out = []
        while b[i:i + 1] != b"e":
            v, i = _decode(b, i)
            out.append(v)
        return out, i + 1
    if c == b"d":
        i += 1
        out = {}
        while b[i:i + 1] != b"e":
            k, i = _decode(b, i)
            v, i = _decode(b, i)
            out[k.decode()] = v
        return out, i + 1
    j = b.index(b":", i)
    n = int(b[i:j])
    if j + 1 + n > len(b):
        raise ValueError("string past the end")
    return b[j + 1:j + 1 + n], j + 1 + n


def decode(b):
    v, end = _decode(b, 0)
    if end != len(b):
        raise ValueError("trailing bytes")
    return v


class NgClient:
    def __init__(self, port, host="127.0.0.1", timeout=2.0):
        self.addr = (host, port)
        self.s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.s.settimeout(timeout)

    def raw(self, cookie, body):
        self.s.sendto(cookie + b" " + body, self.addr)
        r = self.s.recv(70000)
        if not r.startswith(cookie + b" "):
            raise ValueError("reply with another cookie: %r" % r[:40])
        return decode(r[len(cookie) + 1:])

    def __call__(self, command, **keys):
        d = {"command": command}
        d.update({k.replace("_", "-"): v for k, v in keys.items()})
        return self.raw(os.urandom(6).hex().encode(), encode(d))


def text(v):
    return v.decode() if isinstance(v, bytes) else v
