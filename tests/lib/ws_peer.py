#!/usr/bin/env python3
"""A minimal raw WebSocket sender (standard library only) for half-close
tests: connects to a relay as a sender (?sb-hc-action=connect), offers no
subprotocol unless told to, sends its messages, then a Close with the code
given, and keeps reading: what the listener still sends after our Close is
the point.

Usage: ws_peer.py HOST PORT ENTITY TOKEN [options] [MESSAGE...]
  --close CODE     the Close code sent after the messages (default 1000)
  --protocol P     offer subprotocol P (repeatable)
  --timeout S      give up reading after S seconds (default 20)

Each MESSAGE is sent as a text message. Prints one line per event:
  open SUBPROTOCOL            the upgrade answer (- when none was chosen)
  text MESSAGE / binary HEX   a data message (fragments joined)
  close CODE REASON           the peer's Close (we answer it and stop)
  eof / timeout               the connection ended without a Close / too slow
"""
import base64
import os
import socket
import struct
import sys
import time


def frame(op, payload=b""):
    n = len(payload)
    hdr = bytes([0x80 | op])
    if n < 126:
        hdr += bytes([0x80 | n])
    elif n < 65536:
        hdr += bytes([0x80 | 126]) + struct.pack("!H", n)
    else:
        hdr += bytes([0x80 | 127]) + struct.pack("!Q", n)
    k = os.urandom(4)
    return hdr + k + bytes(c ^ k[i & 3] for i, c in enumerate(payload))


def main():
    args = sys.argv[1:]
    host, port, entity, token = args[0], int(args[1]), args[2], args[3]
    rest = args[4:]
    close_code, protocols, timeout, messages = 1000, [], 20.0, []
    while rest:
        a = rest.pop(0)
        if a == "--close":
            close_code = int(rest.pop(0))
        elif a == "--protocol":
            protocols.append(rest.pop(0))
        elif a == "--timeout":
            timeout = float(rest.pop(0))
        else:
            messages.append(a)

    s = socket.create_connection((host, port), timeout=10)
    key = base64.b64encode(os.urandom(16)).decode()
    head = (f"GET /$hc/{entity}?sb-hc-action=connect HTTP/1.1\r\nHost: {host}:{port}\r\n"
            f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            f"Sec-WebSocket-Version: 13\r\nServiceBusAuthorization: {token}\r\n")
    if protocols:
        head += f"Sec-WebSocket-Protocol: {', '.join(protocols)}\r\n"
    s.sendall((head + "\r\n").encode())
    buf = b""
    while b"\r\n\r\n" not in buf:
        d = s.recv(4096)
        if not d:
            print("eof")
            sys.exit(1)
        buf += d
    status, _, buf = buf.partition(b"\r\n\r\n")
    lines = status.decode("latin-1").split("\r\n")
    if " 101 " not in lines[0] + " ":
        print("refused " + lines[0])
        sys.exit(1)
    chosen = "-"
    for h in lines[1:]:
        name, _, value = h.partition(":")
        if name.strip().lower() == "sec-websocket-protocol":
            chosen = value.strip()
    print("open " + chosen, flush=True)

    for m in messages:
        s.sendall(frame(1, m.encode()))
    s.sendall(frame(8, struct.pack("!H", close_code) + b"sender done"))

    deadline = time.monotonic() + timeout

    def need(n):
        nonlocal buf
        while len(buf) < n:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            s.settimeout(left)
            d = s.recv(65536)
            if not d:
                raise EOFError
            buf += d

    message, kind = b"", None
    try:
        while True:
            need(2)
            fin, op, n, off = bool(buf[0] & 0x80), buf[0] & 0x0F, buf[1] & 0x7F, 2
            if n == 126:
                need(4)
                n, off = struct.unpack("!H", buf[2:4])[0], 4
            elif n == 127:
                need(10)
                n, off = struct.unpack("!Q", buf[2:10])[0], 10
            need(off + n)  # frames from the server are not masked
            payload, buf = buf[off:off + n], buf[off + n:]
            if op == 8:
                code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
                print(f"close {code} {payload[2:].decode('utf-8', 'replace')}", flush=True)
                break
            if op in (9, 10):
                if op == 9:
                    s.sendall(frame(10, payload))
                continue
            if op in (1, 2):
                kind, message = op, b""
            message += payload
            if fin:
                if kind == 1:
                    print("text " + message.decode("utf-8", "replace"), flush=True)
                else:
                    print("binary " + message.hex(), flush=True)
    except TimeoutError:
        print("timeout", flush=True)
    except (EOFError, ConnectionResetError):
        print("eof", flush=True)
    s.close()


if __name__ == "__main__":
    main()
