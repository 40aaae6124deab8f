#!/usr/bin/env python3
"""Overload scenarios against a running hyco-relay (loopback only, bounded).

Usage: relay_overload.py CASE PORT RELAY_PID CONNECTION_STRING MAX
Cases (each prints "ok: ..." or exits 1 with what went wrong):
  connections  MAX idle connections fill --max-connections; the next ones are
               answered 503 with Retry-After or closed, none hangs, and once
               the idle ones go the relay serves again
  backlog      a listener that never reads its control channel, and 1,500
               WebSocket senders with ~28 KB headers plus HTTP senders: beyond
               the per-listener bound they get 503, and the relay's resident
               memory grows by far less than what they sent
"""
import base64
import hashlib
import hmac
import os
import resource
import socket
import sys
import time
import urllib.parse

CASE, PORT, PID, CS, MAX = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
HOST = "127.0.0.1"
PARTS = dict(p.split("=", 1) for p in CS.split(";") if "=" in p)
KEY_NAME, KEY = PARTS["SharedAccessKeyName"], PARTS["SharedAccessKey"]


def fail(msg):
    print(f"FAIL [{CASE}]: {msg}", file=sys.stderr)
    sys.exit(1)


def token(resource_uri, ttl=600):
    sr = urllib.parse.quote(resource_uri, safe="")
    se = str(int(time.time()) + ttl)
    sig = base64.b64encode(hmac.new(KEY.encode(), f"{sr}\n{se}".encode(), hashlib.sha256).digest()).decode()
    return f"SharedAccessSignature sr={sr}&sig={urllib.parse.quote(sig, safe='')}&se={se}&skn={KEY_NAME}"


def rss_kib():
    with open(f"/proc/{PID}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    fail("no VmRSS for the relay")


def connect(timeout=15):
    s = socket.create_connection((HOST, PORT), timeout=timeout)
    s.settimeout(timeout)
    return s


def read_answer(s):
    """The status line and headers, or None when the relay closed without answering."""
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = s.recv(65536)
            if not chunk:
                return None
            data += chunk
    except ConnectionResetError:
        return None
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, v in (l.split(":", 1) for l in head[1:])}
    return int(head[0].split(" ", 2)[1]), head[0], headers


STATUS = f"GET /$relay/status HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode()


def case_connections():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # this client needs more than the relay may use
    idle = [connect() for _ in range(MAX)]
    # Responsive at the limit: the next connections are answered 503 at once.
    for i in range(10):
        s = connect()
        s.sendall(STATUS)
        a = read_answer(s)
        if a is None or a[0] != 503 or "retry-after" not in a[2]:
            fail(f"connection {MAX + i + 1} over the limit: {a}")
        s.close()
    print(f"ok: {MAX} idle connections; the next ones get '{a[1].split(' TrackingId')[0]}' with Retry-After")
    # A burst far beyond it: each is answered or closed, none is left hanging.
    burst = [connect() for _ in range(300)]
    answered = closed = 0
    for s in burst:
        try:
            s.sendall(STATUS)
        except (BrokenPipeError, ConnectionResetError):
            pass
        a = read_answer(s)
        if a is None:
            closed += 1
        elif a[0] == 503:
            answered += 1
        else:
            fail(f"a connection over the limit got {a[1]}")
        s.close()
    print(f"ok: a burst of 300 more: {answered} answered 503, {closed} closed, none hung")
    for s in idle:
        s.close()
    deadline = time.monotonic() + 10
    while True:
        s = connect()
        s.sendall(STATUS)
        a = read_answer(s)
        s.close()
        if a and a[0] == 200:
            break
        if time.monotonic() > deadline:
            fail(f"the relay still refuses after the idle connections closed: {a}")
        time.sleep(0.2)
    print("ok: served again once the idle connections closed")


def upgrade(path, headers, sock=None):
    s = sock or connect()
    key = base64.b64encode(os.urandom(16)).decode()
    req = f"GET {path} HTTP/1.1\r\nHost: {HOST}:{PORT}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" \
          f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
    req += "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    s.sendall((req + "\r\n").encode())
    return s


def case_backlog():
    entity = "stuck"
    tok = token(f"http://{HOST}:{PORT}/{entity}")
    # The listener: a small receive buffer, reads its 101 and nothing else.
    ctl = socket.socket()
    ctl.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    ctl.settimeout(15)
    ctl.connect((HOST, PORT))
    upgrade(f"/$hc/{entity}?sb-hc-action=listen", {"ServiceBusAuthorization": tok}, ctl)
    data = b""
    while b"\r\n\r\n" not in data:
        data += ctl.recv(1)  # exactly the head: every later byte stays unread
    if not data.startswith(b"HTTP/1.1 101"):
        fail(f"listener: {data[:100]!r}")
    before = rss_kib()
    big = {"ServiceBusAuthorization": tok, "X-Big": "b" * 28000}
    sent = 0
    statuses = {}
    retry_after = False
    for batch in range(15):
        socks = [upgrade(f"/$hc/{entity}", big) for _ in range(100)]
        sent += 100 * 28000
        for s in socks:
            a = read_answer(s)
            code = a[0] if a else "closed"
            statuses[code] = statuses.get(code, 0) + 1
            retry_after = retry_after or (a is not None and a[0] == 503 and "retry-after" in a[2])
            s.close()
    body = b"p" * 60000
    for i in range(20):
        s = connect()
        s.sendall(f"POST /{entity} HTTP/1.1\r\nHost: {HOST}\r\nServiceBusAuthorization: {tok}\r\n"
                  f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        sent += len(body)
        a = read_answer(s)
        code = a[0] if a else "closed"
        statuses[f"http {code}"] = statuses.get(f"http {code}", 0) + 1
        s.close()
    after = rss_kib()
    grown = (after - before) // 1024
    print(f"answers: {statuses}; relay RSS {before // 1024} -> {after // 1024} MiB after {sent // 2**20} MiB sent")
    if not statuses.get(503) or not retry_after:
        fail("no WebSocket sender was answered 503 with Retry-After")
    if statuses.get("http 503") != 20:
        fail("HTTP senders to the backed-up listener were not all answered 503")
    if grown > 24:
        fail(f"the relay grew by {grown} MiB for a listener that does not read (bound: 24 MiB)")
    ctl.close()
    print(f"ok: the backed-up listener costs the relay {grown} MiB; later senders got 503")


{"connections": case_connections, "backlog": case_backlog}[CASE]()
