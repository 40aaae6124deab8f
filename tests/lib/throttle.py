#!/usr/bin/env python3
"""Writes FILE to stdout at most RATE bytes a second (0: unthrottled), in
64 KiB pieces, so a fault test can kill a process while a stream is
certainly in the middle. Ends quietly when the reader goes away, and dies
of SIGINT/SIGTERM (default actions: a test may kill it on purpose).

Usage: throttle.py FILE RATE
"""
import os
import signal
import sys
import time


def main():
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    path, rate = sys.argv[1], float(sys.argv[2])
    start = time.monotonic()
    sent = 0
    with open(path, "rb") as f:
        while True:
            chunk = f.read(65536)
            if not chunk:
                break
            view = memoryview(chunk)
            while view:
                n = os.write(1, view)
                view = view[n:]
            sent += len(chunk)
            if rate > 0:
                ahead = sent / rate - (time.monotonic() - start)
                if ahead > 0:
                    time.sleep(ahead)


if __name__ == "__main__":
    main()
