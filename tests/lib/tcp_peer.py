#!/usr/bin/env python3
"""A TCP peer for fault tests: sends a file, receives into a file, and reports
how the connection ended, so a test can tell a reset (the session failed)
from a clean end (FIN).

Usage:
  tcp_peer.py server PORTFILE [options]   listen on 127.0.0.1:0, write the port
                                          to PORTFILE, serve one connection
  tcp_peer.py client HOST PORT [options]  connect
Options:
  --send FILE     send FILE, then shut down the write side (default: send
                  nothing and shut it down at once)
  --rate BPS      send at most BPS bytes a second (0: as fast as possible)
  --recv FILE     write what arrives to FILE (default: count and discard)
  --report FILE   where the report line goes (default: stdout)
  --timeout S     give up after S seconds in all (default 60)

The report is one line of key=value words:
  end=eof|reset|timeout|error  how the connection ended (reset: ECONNRESET or
                               EPIPE in either direction)
  recv=eof|reset|timeout|error how the receiving direction ended
  sent=N received=N sha=HEX    bytes sent, bytes received and their SHA-256
"""
import hashlib
import os
import signal
import socket
import sys
import threading
import time

RESET_ERRNOS = {104, 32}  # ECONNRESET, EPIPE


def classify(exc):
    if isinstance(exc, (ConnectionResetError, BrokenPipeError)):
        return "reset"
    if isinstance(exc, OSError) and exc.errno in RESET_ERRNOS:
        return "reset"
    if isinstance(exc, socket.timeout):
        return "timeout"
    return "error"


def main():
    # A killed (not interrupted) peer is what the tests want: default actions.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    args = sys.argv[1:]
    if not args or args[0] not in ("server", "client"):
        sys.exit(__doc__)
    mode = args.pop(0)
    opts = {"--send": None, "--rate": "0", "--recv": None, "--report": None, "--timeout": "60"}
    pos = []
    while args:
        a = args.pop(0)
        if a in opts:
            opts[a] = args.pop(0)
        else:
            pos.append(a)
    deadline = time.monotonic() + float(opts["--timeout"])
    rate = float(opts["--rate"])

    if mode == "server":
        srv = socket.socket()
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind(("127.0.0.1", 0))
        srv.listen(1)
        with open(pos[0] + ".tmp", "w") as f:
            f.write(str(srv.getsockname()[1]))
        os.rename(pos[0] + ".tmp", pos[0])  # the port file appears whole
        srv.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            conn, _ = srv.accept()
        except socket.timeout:
            report(opts, "timeout", "timeout", 0, 0, hashlib.sha256().hexdigest())
            return
        srv.close()
    else:
        conn = socket.create_connection((pos[0], int(pos[1])), timeout=10)
    conn.settimeout(None)

    state = {"send": "done", "sent": 0}

    def sender():
        try:
            if opts["--send"]:
                start = time.monotonic()
                with open(opts["--send"], "rb") as f:
                    while True:
                        chunk = f.read(65536)
                        if not chunk:
                            break
                        conn.sendall(chunk)
                        state["sent"] += len(chunk)
                        if rate > 0:
                            ahead = state["sent"] / rate - (time.monotonic() - start)
                            if ahead > 0:
                                time.sleep(ahead)
                        if time.monotonic() > deadline:
                            state["send"] = "timeout"
                            return
            conn.shutdown(socket.SHUT_WR)
        except Exception as e:  # noqa: BLE001 - every outcome is reported
            state["send"] = classify(e)

    t = threading.Thread(target=sender, daemon=True)
    t.start()

    digest = hashlib.sha256()
    received = 0
    recv_end = "eof"
    out = open(opts["--recv"], "wb") if opts["--recv"] else None
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                recv_end = "timeout"
                break
            conn.settimeout(left)
            try:
                data = conn.recv(65536)
            except Exception as e:  # noqa: BLE001
                recv_end = classify(e)
                break
            if not data:
                break
            received += len(data)
            digest.update(data)
            if out:
                out.write(data)
                out.flush()
    finally:
        if out:
            out.close()
    # After the peer's FIN our own data may still be going out: its end
    # (a reset, typically) is part of the verdict.
    t.join(max(0.0, deadline - time.monotonic()))
    if t.is_alive():
        state["send"] = "timeout"
    if "reset" in (recv_end, state["send"]):
        end = "reset"
    elif "timeout" in (recv_end, state["send"]):
        end = "timeout"
    elif "error" in (recv_end, state["send"]):
        end = "error"
    else:
        end = "eof"
    report(opts, end, recv_end, state["sent"], received, digest.hexdigest())
    conn.close()


def report(opts, end, recv_end, sent, received, sha):
    line = f"end={end} recv={recv_end} sent={sent} received={received} sha={sha}\n"
    if opts["--report"]:
        with open(opts["--report"] + ".tmp", "w") as f:
            f.write(line)
        os.rename(opts["--report"] + ".tmp", opts["--report"])
    else:
        sys.stdout.write(line)


if __name__ == "__main__":
    main()
