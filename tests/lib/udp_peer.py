#!/usr/bin/env python3
"""UDP peers for hyco-pipe's udp: and udp-listen: scenarios.

Usage:
  udp_peer.py server PORTFILE [--timeout S]
      bind 127.0.0.1:0, write the port to PORTFILE, and answer every
      datagram: a DNS query for NAME type A gets a DNS answer NAME A
      127.0.0.42; anything else gets b"answer:" + the datagram.
  udp_peer.py dns HOST PORT NAME [--timeout S]
      send one DNS query for NAME (type A) and check the answer's id,
      question and address; prints "ok 127.0.0.42".
  udp_peer.py flood HOST PORT --count N [--window W] [--timeout S]
      send N numbered datagrams of assorted sizes (1 to 1400 bytes), at most
      W unanswered at once, and check that every answer arrives in order as
      b"answer:" + exactly that datagram; prints "ok N".
Every mode ends with exit 1 and a reason on stderr on any mismatch or timeout.
"""
import os
import random
import socket
import struct
import sys
import time


def die(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def opt(args, name, default):
    if name in args:
        i = args.index(name)
        return type(default)(args[i + 1])
    return default


def dns_name(name):
    out = b""
    for label in name.split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def dns_query(qid, name):
    return struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0) + dns_name(name) + struct.pack(">HH", 1, 1)


def dns_answer(query):
    """The answer to a one-question A query, or None for anything else."""
    if len(query) < 17:
        return None
    qid, flags, qd, an, ns, ar = struct.unpack(">HHHHHH", query[:12])
    if flags & 0x8000 or qd != 1 or an or ns or ar:
        return None
    end = query.find(b"\0", 12)
    if end < 0 or len(query) != end + 5 or query[end + 1:end + 5] != struct.pack(">HH", 1, 1):
        return None
    question = query[12:end + 5]
    head = struct.pack(">HHHHHH", qid, 0x8180, 1, 1, 0, 0)
    answer = struct.pack(">HHHIH", 0xC00C, 1, 1, 60, 4) + bytes([127, 0, 0, 42])
    return head + question + answer


def server(portfile, timeout):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.bind(("127.0.0.1", 0))
    with open(portfile + ".tmp", "w") as f:
        f.write(str(s.getsockname()[1]))
    os.rename(portfile + ".tmp", portfile)
    s.settimeout(timeout)
    while True:
        try:
            data, peer = s.recvfrom(65536)
        except socket.timeout:
            return
        reply = dns_answer(data)
        s.sendto(reply if reply is not None else b"answer:" + data, peer)


def dns(host, port, name, timeout):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(timeout)
    qid = random.randrange(1, 65535)
    q = dns_query(qid, name)
    s.sendto(q, (host, port))
    try:
        data, _ = s.recvfrom(65536)
    except socket.timeout:
        die("no DNS answer within %s s" % timeout)
    if len(data) < 12:
        die("short answer %r" % data)
    rid, flags, qd, an = struct.unpack(">HHHH", data[:8])
    if rid != qid or not flags & 0x8000 or qd != 1 or an != 1:
        die("answer header id=%d flags=%x qd=%d an=%d (query id %d)" % (rid, flags, qd, an, qid))
    if data[12:12 + len(q) - 12] != q[12:]:
        die("answer repeats another question")
    if data[-4:] != bytes([127, 0, 0, 42]):
        die("answer address %r" % data[-4:])
    print("ok 127.0.0.42")


def payload(i):
    size = 1 + (i * 7919) % 1400
    body = bytes((i + k) & 0xFF for k in range(size - 4)) if size > 4 else b""
    return (struct.pack(">I", i) + body)[:size]


def flood(host, port, count, window, timeout):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.connect((host, port))
    deadline = time.monotonic() + timeout
    sent = got = 0
    while got < count:
        while sent < count and sent - got < window:
            s.send(payload(sent))
            sent += 1
        left = deadline - time.monotonic()
        if left <= 0:
            die("timeout: %d of %d answers" % (got, count))
        s.settimeout(left)
        try:
            data = s.recv(65536)
        except socket.timeout:
            die("timeout: %d of %d answers" % (got, count))
        want = b"answer:" + payload(got)
        if data != want:
            n = struct.unpack(">I", data[7:11])[0] if len(data) >= 11 else -1
            die("answer %d: got %d bytes (numbered %d), want %d bytes" % (got, len(data), n, len(want)))
        got += 1
    print("ok %d" % got)


def main():
    a = sys.argv[1:]
    if not a:
        die(__doc__)
    timeout = opt(a, "--timeout", 60.0)
    if a[0] == "server":
        server(a[1], timeout)
    elif a[0] == "dns":
        dns(a[1], int(a[2]), a[3], opt(a, "--timeout", 10.0))
    elif a[0] == "flood":
        flood(a[1], int(a[2]), opt(a, "--count", 1000), opt(a, "--window", 32), timeout)
    else:
        die(__doc__)


if __name__ == "__main__":
    main()
