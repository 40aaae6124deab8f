#!/usr/bin/env python3
"""A misbehaving HTTP server (loopback only): for hyco-probe's runtime step,
and as an HTTP proxy that does not answer CONNECT as it should.

Usage: fake_http_peer.py MODE
Prints its port on stdout, then serves every connection the same way until
killed (at most 60 s). Modes:
  garbage   200 OK with a body that is no runtime-information entry
  silent    reads the request and never answers
  not-http  answers a line that is not HTTP, then closes
  error500  500 with the service's XML error body
  hangup    reads the request and closes without an answer
"""
import socket
import sys
import threading
import time

MODE = sys.argv[1]
ANSWERS = {
    "garbage": b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 14\r\n\r\n<html>hi</html",
    "not-http": b"SSH-2.0-OpenSSH_9.2\r\n",
    "error500": b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 63\r\n\r\n"
                b"<Error><Code>500</Code><Detail>disk &amp; soul</Detail></Error>",
}


def serve(conn):
    with conn:
        conn.settimeout(30)
        data = b""
        try:
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                data += chunk
            if MODE == "silent":
                time.sleep(30)
                return
            if MODE == "hangup":
                return
            conn.sendall(ANSWERS[MODE])
        except OSError:
            pass


def main():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(8)
    print(s.getsockname()[1], flush=True)
    s.settimeout(60)
    try:
        while True:
            conn, _ = s.accept()
            threading.Thread(target=serve, args=(conn,), daemon=True).start()
    except (socket.timeout, OSError):
        pass


main()
