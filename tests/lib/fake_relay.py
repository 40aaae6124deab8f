#!/usr/bin/env python3
"""A misbehaving relay for the listener and client scenarios (loopback only).

Usage: fake_relay.py MODE COUNT_FILE
Prints its port on stdout, then serves until killed (at most 120 s). Every
accepted TCP connection appends one line to COUNT_FILE.
Modes:
  drop          answers every WebSocket upgrade with 101, then hangs up at once
                (a relay or proxy that accepts and drops)
  close-evil    answers with 101, then sends Close 1011 whose reason holds
                terminal escapes (ESC [31m, BEL, CR, LF, an OSC title)
  refuse-evil   refuses the upgrade with 403 and a reason phrase of bytes a
                terminal may obey (an 8-bit CSI, a C1 CSI in UTF-8, non-UTF-8)
                marked as a listener's rejection
  accept-evil   on a listen upgrade: 101 and an `accept` whose id and remote
                address hold terminal escapes, pointing back here; on any
                other upgrade (the rendezvous): as close-evil
  close-malformed  answers with 101, then sends a Close whose payload is one
                byte (no room for a code: a protocol violation), and prints
                `peer-close CODE` for the Close frame the client answers with
"""
import base64
import hashlib
import json
import socket
import struct
import sys
import threading
import time

MODE, COUNT_FILE = sys.argv[1], sys.argv[2]
EVIL = "\x1b[31mred\x07\r\nFAKE-LINE \x1b]0;title\x07 end"
EVIL_PHRASE = b"\x9b31m csi \xc2\x9b2J \xff end"
GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
count_lock = threading.Lock()


def read_head(s):
    buf = b""
    while b"\r\n\r\n" not in buf:
        d = s.recv(4096)
        if not d:
            return None
        buf += d
        if len(buf) > 65536:
            return None
    return buf.split(b"\r\n\r\n", 1)[0].decode("latin-1")


def upgrade(s, head):
    key = ""
    for line in head.split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "sec-websocket-key":
            key = value.strip()
    accept = base64.b64encode(hashlib.sha1(key.encode() + GUID).digest()).decode()
    s.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               f"Sec-WebSocket-Accept: {accept}\r\n\r\n").encode())


def frame(op, payload):
    n = len(payload)
    if n < 126:
        return bytes([0x80 | op, n]) + payload
    return bytes([0x80 | op, 126]) + struct.pack("!H", n) + payload


def close_evil(s):
    s.sendall(frame(8, struct.pack("!H", 1011) + EVIL.encode()))
    drain(s, 2)


def read_client_close(s):
    """Reads masked client frames until a Close; returns its code (None: none came)."""
    buf = b""
    s.settimeout(5)
    try:
        while True:
            while len(buf) >= 6:
                op, n = buf[0] & 0x0F, buf[1] & 0x7F
                if n >= 126 or len(buf) < 6 + n:
                    break
                mask = buf[2:6]
                payload = bytes(b ^ mask[i % 4] for i, b in enumerate(buf[6:6 + n]))
                buf = buf[6 + n:]
                if op == 8:
                    return struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
            d = s.recv(4096)
            if not d:
                return None
            buf += d
    except OSError:
        return None


def drain(s, seconds):
    """Reads (and ignores) until the peer hangs up or `seconds` pass."""
    s.settimeout(seconds)
    try:
        while s.recv(4096):
            pass
    except OSError:
        pass


def serve(s, port):
    try:
        s.settimeout(10)
        head = read_head(s)
        if head is None:
            return
        if MODE == "drop":
            upgrade(s, head)
        elif MODE == "close-evil":
            upgrade(s, head)
            close_evil(s)
        elif MODE == "close-malformed":
            upgrade(s, head)
            s.sendall(frame(8, b"x"))
            print(f"peer-close {read_client_close(s)}", flush=True)
            drain(s, 2)
        elif MODE == "refuse-evil":
            s.sendall(b"HTTP/1.1 403 " + EVIL_PHRASE + b"\r\nHyco-Rejected-By: listener\r\n"
                      b"Content-Length: 0\r\nConnection: close\r\n\r\n")
        elif MODE == "accept-evil":
            upgrade(s, head)
            if "sb-hc-action=listen" not in head.split("\r\n")[0]:
                close_evil(s)
                return
            accept = {"accept": {
                "address": f"ws://127.0.0.1:{port}/$hc/x?sb-hc-action=accept&sb-hc-id=1",
                "id": "id-\x1b[2J-\x07",
                "connectHeaders": {},
                "remoteEndpoint": {"address": "\x1b]0;pwned\x07\r\n127.0.0.1", "port": 1},
            }}
            s.sendall(frame(1, json.dumps(accept).encode()))
            drain(s, 30)
    except OSError:
        pass
    finally:
        s.close()


def main():
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(64)
    port = srv.getsockname()[1]
    print(port, flush=True)
    deadline = time.monotonic() + 120
    srv.settimeout(1)
    with open(COUNT_FILE, "a") as count:
        while time.monotonic() < deadline:
            try:
                conn, _ = srv.accept()
            except socket.timeout:
                continue
            with count_lock:
                count.write("connection\n")
                count.flush()
            threading.Thread(target=serve, args=(conn, port), daemon=True).start()


main()
