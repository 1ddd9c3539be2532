# SPDX-License-Identifier: BSD-3-Clause
"""
A small client of rtpengine's ng protocol (COOKIE SP BENCODE over UDP) for
the tests that watch what the box's ng server says: bencode both ways, one
request and its reply (retried with the same cookie, as Kamailio does).
"""
import os
import socket


def bencode(v):
    if isinstance(v, bool):
        raise TypeError("bencode has no booleans")
    if isinstance(v, int):
        return b"i%de" % v
    if isinstance(v, str):
        v = v.encode()
    if isinstance(v, bytes):
        return b"%d:%s" % (len(v), v)
    if isinstance(v, (list, tuple)):
        return b"l" + b"".join(bencode(x) for x in v) + b"e"
    if isinstance(v, dict):
        items = sorted((k.encode() if isinstance(k, str) else k, x) for k, x in v.items())
        return b"d" + b"".join(bencode(k) + bencode(x) for k, x in items) + b"e"
    raise TypeError("cannot bencode %r" % type(v))


def bdecode(data):
    """bytes -> value (strings as str where they are UTF-8, else bytes); ValueError if malformed."""
    v, end = _dec(data, 0)
    if end != len(data):
        raise ValueError("trailing bytes at %d" % end)
    return v


def _dec(d, i):
    if i >= len(d):
        raise ValueError("truncated at %d" % i)
    c = d[i:i + 1]
    if c == b"i":
        j = d.index(b"e", i)
        return int(d[i + 1:j]), j + 1
    if c == b"l":
        out, i = [], i + 1
        while d[i:i + 1] != b"e":
            x, i = _dec(d, i)
            out.append(x)
        return out, i + 1
    if c == b"d":
        out, i = {}, i + 1
        while d[i:i + 1] != b"e":
            k, i = _dec(d, i)
            x, i = _dec(d, i)
            out[k] = x
        return out, i + 1
    if c.isdigit():
        j = d.index(b":", i)
        n = int(d[i:j])
        s = d[j + 1:j + 1 + n]
        if len(s) != n:
            raise ValueError("string cut short at %d" % j)
        try:
            return s.decode(), j + 1 + n
        except UnicodeDecodeError:
            return s, j + 1 + n
    raise ValueError("unexpected %r at %d" % (c, i))


class NgError(Exception):
    pass


class Ng:
    def __init__(self, host, port, timeout=1.0):
        self.addr = (host, port)
        self.s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.s.settimeout(timeout)

    def ask(self, command, tries=3, **keys):
        """One command; its reply as a dict. NgError when nothing (parsable) came back."""
        keys["command"] = command
        cookie = os.urandom(6).hex().encode()
        msg = cookie + b" " + bencode({k.replace("_", "-"): v for k, v in keys.items()})
        for _ in range(tries):
            self.s.sendto(msg, self.addr)
            try:
                while True:
                    data = self.s.recv(65535)
                    head, _, body = data.partition(b" ")
                    if head == cookie:
                        return bdecode(body)
            except socket.timeout:
                continue
            except (ValueError, IndexError) as e:
                raise NgError("%s: reply not bencode: %s" % (command, e))
        raise NgError("%s: no reply from %s:%d" % ((command,) + self.addr))

    def close(self):
        self.s.close()
