#!/usr/bin/env python3
"""Raw WebSocket and HTTP peers checking hyco-relay's fidelity choices
(issue 9; loopback only, every socket with a timeout).

Usage: relay_fidelity.py CASE PORT CONNECTION_STRING
Cases (each prints "ok: ..." or exits 1 with what went wrong):
  audience-suffix  a token for /sub1/deeper opens /sub1/deeper on entity sub1, not /sub1/other
  entity-case      a listener on HYCO and a sender to hyco meet
  listener-gone    the listener's control channel closes after the accept: 502 promptly
  reject-nostatus  a reject with statusCode/statusDescription "undefined": 400, never "undefined"
  te-http10        Transfer-Encoding in an HTTP/1.0 request: 400
  no-authorization the Authorization header never reaches the listener in an accept
"""
import base64
import hashlib
import hmac
import json
import os
import socket
import sys
import time
import urllib.parse

CASE, PORT, CS = sys.argv[1], int(sys.argv[2]), sys.argv[3]
HOST = "127.0.0.1"
PARTS = dict(p.split("=", 1) for p in CS.split(";") if "=" in p)
KEY_NAME, KEY = PARTS["SharedAccessKeyName"], PARTS["SharedAccessKey"]
TIMEOUT = 15  # seconds for any single answer; the relay's accept window is 30 s


def fail(msg):
    print(f"FAIL [{CASE}]: {msg}", file=sys.stderr)
    sys.exit(1)


def token(resource, ttl=600):
    """A SAS token signed like Microsoft's clients: HMAC over encodeURIComponent(resource)."""
    sr = urllib.parse.quote(resource, safe="")
    se = str(int(time.time()) + ttl)
    sig = base64.b64encode(hmac.new(KEY.encode(), f"{sr}\n{se}".encode(), hashlib.sha256).digest()).decode()
    return f"SharedAccessSignature sr={sr}&sig={urllib.parse.quote(sig, safe='')}&se={se}&skn={KEY_NAME}"


def connect():
    s = socket.create_connection((HOST, PORT), timeout=TIMEOUT)
    s.settimeout(TIMEOUT)
    return s


def read_head(s):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(4096)
        if not chunk:
            fail(f"connection closed before a response head; got {data[:200]!r}")
        data += chunk
    head, rest = data.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    reason = lines[0].split(" ", 2)[2] if lines[0].count(" ") >= 2 else ""
    headers = {}
    for line in lines[1:]:
        k, v = line.split(":", 1)
        headers[k.strip().lower()] = v.strip()
    return status, reason, headers, rest


def upgrade(target, headers=None):
    """Opens a WebSocket upgrade; returns (socket, status, reason, headers, rest)."""
    s = connect()
    key = base64.b64encode(os.urandom(16)).decode()
    req = f"GET {target} HTTP/1.1\r\nHost: {HOST}:{PORT}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" \
          f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
    for k, v in (headers or {}).items():
        req += f"{k}: {v}\r\n"
    s.sendall((req + "\r\n").encode())
    return (s, *read_head(s))


def read_frame(s, buf):
    """One server frame (unmasked): (opcode, payload, rest of buffer)."""
    def need(n):
        nonlocal buf
        while len(buf) < n:
            chunk = s.recv(65536)
            if not chunk:
                fail("the relay closed the WebSocket")
            buf += chunk
    need(2)
    op, n = buf[0] & 0x0F, buf[1] & 0x7F
    off = 2
    if n == 126:
        need(4)
        n, off = int.from_bytes(buf[2:4], "big"), 4
    elif n == 127:
        need(10)
        n, off = int.from_bytes(buf[2:10], "big"), 10
    need(off + n)
    return op, buf[off:off + n], buf[off + n:]


def listener(entity):
    """An online control channel on `entity`."""
    res = f"http://{HOST}:{PORT}/{entity}"
    s, status, reason, _, rest = upgrade(f"/$hc/{entity}?sb-hc-action=listen",
                                         {"ServiceBusAuthorization": token(res)})
    if status != 101:
        fail(f"listener on {entity}: {status} {reason}")
    return s, rest


def next_accept(s, buf):
    op, payload, buf = read_frame(s, buf)
    if op != 1:
        fail(f"expected a text frame on the control channel, got opcode {op}")
    msg = json.loads(payload)
    if "accept" not in msg:
        fail(f"expected an accept, got {payload[:200]!r}")
    return msg["accept"], buf


def sender(path, resource=None, headers=None):
    """Starts a WebSocket sender to /$hc/PATH (the upgrade is held by the relay)."""
    h = {"ServiceBusAuthorization": token(resource or f"http://{HOST}:{PORT}/{path}")}
    h.update(headers or {})
    s = connect()
    key = base64.b64encode(os.urandom(16)).decode()
    req = f"GET /$hc/{path} HTTP/1.1\r\nHost: {HOST}:{PORT}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" \
          f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
    for k, v in h.items():
        req += f"{k}: {v}\r\n"
    s.sendall((req + "\r\n").encode())
    return s


def accept_on(address):
    u = urllib.parse.urlsplit(address)
    s, status, reason, _, _ = upgrade(u.path + "?" + u.query)
    return s, status, reason


def case_audience_suffix():
    ctl, buf = listener("sub1")
    deeper = f"https://{HOST}/sub1/deeper"  # Microsoft's sample signs the URL it sends to
    snd = sender("sub1/deeper", deeper)
    accept, buf = next_accept(ctl, buf)
    rv, status, reason = accept_on(accept["address"])
    if status != 101:
        fail(f"rendezvous: {status} {reason}")
    status, reason, _, _ = read_head(snd)
    if status != 101:
        fail(f"a token for /sub1/deeper on /sub1/deeper: {status} {reason}")
    print("ok: a token for the entity plus its suffix opens that suffix")
    other = sender("sub1/other", deeper)
    status, reason, _, _ = read_head(other)
    if status != 401 or "InvalidAudience" not in reason:
        fail(f"a token for /sub1/deeper on /sub1/other: {status} {reason}")
    print("ok: ... and not a sibling path (401 InvalidAudience)")


def case_entity_case():
    ctl, buf = listener("HYCO")
    snd = sender("hyco")
    accept, buf = next_accept(ctl, buf)
    rv, status, reason = accept_on(accept["address"])
    if status != 101:
        fail(f"rendezvous: {status} {reason}")
    status, reason, _, _ = read_head(snd)
    if status != 101:
        fail(f"a sender to hyco, listener on HYCO: {status} {reason}")
    print("ok: a listener on HYCO accepted a sender to hyco")


def case_listener_gone():
    ctl, buf = listener("gone")
    snd = sender("gone")
    accept, buf = next_accept(ctl, buf)
    ctl.close()  # the listener dies after the accept arrived, without answering it
    start = time.monotonic()
    try:
        status, reason, _, _ = read_head(snd)
    except socket.timeout:
        fail(f"the sender still waits {TIMEOUT} s after the listener went away")
    if status != 502:
        fail(f"expected 502, got {status} {reason}")
    print(f"ok: 502 after the listener went away ({reason.split(' TrackingId')[0]})")


def case_reject_nostatus():
    ctl, buf = listener("rej")
    snd = sender("rej")
    accept, buf = next_accept(ctl, buf)
    # What node's hyco-ws sends for reject() without a status or reason.
    rv, status, reason = accept_on(accept["address"] + "&statusCode=undefined&statusDescription=undefined")
    if status != 410:
        fail(f"the rejecting listener got {status} {reason}, expected 410")
    status, reason, _, _ = read_head(snd)
    if status != 400 or "undefined" in reason or not reason.strip():
        fail(f"expected 400 with a description, got {status} {reason!r}")
    print(f"ok: a reject without status: 400 {reason.split(' TrackingId')[0]}")


def case_te_http10():
    s = connect()
    res = f"http://{HOST}:{PORT}/web"
    s.sendall(f"POST /web HTTP/1.0\r\nHost: {HOST}\r\nServiceBusAuthorization: {token(res)}\r\n"
              f"Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n".encode())
    status, reason, _, _ = read_head(s)
    if status != 400 or "Transfer-Encoding" not in reason:
        fail(f"HTTP/1.0 with Transfer-Encoding: {status} {reason}")
    print("ok: Transfer-Encoding in HTTP/1.0: 400")


def case_no_authorization():
    ctl, buf = listener("auth")
    snd = sender("auth", headers={"Authorization": "Bearer app-secret-credential", "X-Custom": "kept"})
    accept, buf = next_accept(ctl, buf)
    names = {k.lower() for k in accept.get("connectHeaders", {})}
    if "authorization" in names or "servicebusauthorization" in names:
        fail(f"credentials forwarded to the listener: {sorted(names)}")
    if "x-custom" not in names:
        fail(f"other headers lost: {sorted(names)}")
    print("ok: Authorization stripped from the accept's connectHeaders")


{"audience-suffix": case_audience_suffix, "entity-case": case_entity_case, "listener-gone": case_listener_gone,
 "reject-nostatus": case_reject_nostatus, "te-http10": case_te_http10,
 "no-authorization": case_no_authorization}[CASE]()
