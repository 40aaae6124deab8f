#!/usr/bin/env python3
"""An HTTP/1.1 origin server for the HTTP relaying tests (loopback only).

GET  /files/NAME       serves NAME from the directory given as argv[1]
GET  /status/CODE      answers CODE with reason "Custom Reason" and X-Custom: yes
GET  /slow             sends a chunked body in three parts, 0.5 s apart
GET  /inspect...       answers JSON: the path, method and headers it received
GET  /never            accepts the request and never answers (30 s)
POST|PUT /echo         answers the request body (Content-Length or chunked)
POST|PUT /sink         reads the body without keeping it and answers how many
                       bytes it got; appends to NAME/sink.log (NAME: argv[1])
                       "receiving" once 1 MiB arrived, then "complete N" or,
                       when the connection ends inside the body, "cut N"
Prints "port N" on stdout once it listens.
"""
import http.server
import json
import os
import sys
import time

ROOT = sys.argv[1]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            out = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return bytes(out)
                out += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length", "0")))

    def answer(self, code, body, ctype="application/octet-stream", reason=None, extra=()):
        self.send_response(code, reason)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self):
        if self.path.startswith("/files/"):
            name = os.path.join(ROOT, os.path.basename(self.path[len("/files/"):]))
            if not os.path.isfile(name):
                return self.answer(404, b"no such file\n", "text/plain")
            with open(name, "rb") as f:
                return self.answer(200, f.read())
        if self.path.startswith("/status/"):
            code = int(self.path[len("/status/"):])
            return self.answer(code, b"status body\n", "text/plain", "Custom Reason", [("X-Custom", "yes")])
        if self.path == "/slow":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for part in (b"one ", b"two ", b"three\n"):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
                self.wfile.flush()
                time.sleep(0.5)
            self.wfile.write(b"0\r\n\r\n")
            return
        if self.path == "/never":
            time.sleep(30)
            return
        if self.path.startswith("/inspect"):
            info = {"path": self.path, "method": self.command, "headers": dict(self.headers.items())}
            return self.answer(200, json.dumps(info).encode(), "application/json")
        self.answer(404, b"unknown\n", "text/plain")

    do_HEAD = do_GET
    do_DELETE = do_GET

    def sink(self):
        total, told = 0, False
        chunked = "chunked" in self.headers.get("Transfer-Encoding", "").lower()
        left = None if chunked else int(self.headers.get("Content-Length", "0"))
        with open(os.path.join(ROOT, "sink.log"), "a", buffering=1) as log:
            try:
                while True:
                    if chunked:
                        line = self.rfile.readline()
                        if not line.endswith(b"\n"):
                            raise ConnectionError("cut inside a chunk size line")
                        left = int(line.split(b";")[0].strip(), 16)
                        if left == 0:  # trailers, then the empty line that ends the body
                            while True:
                                line = self.rfile.readline()
                                if line in (b"\r\n", b"\n"):
                                    break
                                if not line.endswith(b"\n"):
                                    raise ConnectionError("cut inside the trailers")
                            break
                    while left > 0:
                        got = self.rfile.read1(min(left, 1 << 20))
                        if not got:
                            raise ConnectionError("cut inside the body")
                        left -= len(got)
                        total += len(got)
                        if not told and total >= 1 << 20:
                            told = True
                            log.write("receiving\n")
                    if not chunked:
                        break
                    if self.rfile.readline() not in (b"\r\n", b"\n"):
                        raise ConnectionError("cut after a chunk")
            except (ConnectionError, OSError, ValueError):
                log.write("cut %d\n" % total)
                self.close_connection = True
                return
            log.write("complete %d\n" % total)
        self.answer(200, b"%d\n" % total, "text/plain")

    def do_POST(self):
        if self.path == "/sink":
            return self.sink()
        body = self.read_body()
        if self.path.startswith("/inspect"):
            info = {"path": self.path, "method": self.command, "headers": dict(self.headers.items()),
                    "length": len(body)}
            return self.answer(200, json.dumps(info).encode(), "application/json")
        self.answer(200, body)

    do_PUT = do_POST


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print("port", server.server_address[1], flush=True)
server.serve_forever()
