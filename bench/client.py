#!/usr/bin/env python3
"""bench/client.py: send requests one after another, keep-alive off.

    client.py PORT PATH STATUS COUNT [--accept A] [--max-seconds S]

Each request is a fresh connection ("Connection: close"); each answer's
status must be STATUS or the client fails.  With --max-seconds it stops
early once that much time has passed (at least one request is sent).
Prints "SENT SECONDS" (requests sent, wall time they took).
Used against httpd -X under callgrind, where the server's instruction
count is what matters, not this client's speed.  Standard library only.
"""
import argparse
import socket
import sys
import time


def one(port, request, status):
    with socket.create_connection(("127.0.0.1", port), timeout=600) as s:
        s.sendall(request)
        chunks = []
        while True:
            b = s.recv(65536)
            if not b:
                break
            chunks.append(b)
    answer = b"".join(chunks)
    line = answer.split(b"\r\n", 1)[0].decode("latin-1")
    parts = line.split()
    if len(parts) < 2 or parts[1] != status:
        sys.exit("client.py: expected %s, got %r" % (status, line))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("port", type=int)
    ap.add_argument("path")
    ap.add_argument("status")
    ap.add_argument("count", type=int)
    ap.add_argument("--accept")
    ap.add_argument("--max-seconds", type=float)
    a = ap.parse_args()
    head = ["GET %s HTTP/1.1" % a.path, "Host: 127.0.0.1:%d" % a.port,
            "User-Agent: mod_see_other-bench", "Connection: close"]
    if a.accept:
        head.append("Accept: " + a.accept)
    request = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1")
    start = time.monotonic()
    sent = 0
    while sent < a.count:
        one(a.port, request, a.status)
        sent += 1
        if a.max_seconds and time.monotonic() - start >= a.max_seconds:
            break
    print(sent, "%.3f" % (time.monotonic() - start))


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(130)
