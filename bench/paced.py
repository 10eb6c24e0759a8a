#!/usr/bin/env python3
"""Paced (open-loop) HTTP client for bench/run.sh, standard library only.

A new request starts every 1/RATE seconds whether or not the earlier ones have answered, as
independent users would; each runs on its own thread and its own connection. Writes one JSON
document with every request's start offset, latency and status (0 = no answer: timeout, reset).

usage:
  paced.py login BASE_URL USERNAME PASSWORD RATE SECONDS OUT.json   POST /api/v1/auth/login
  paced.py get   URL BEARER_TOKEN RATE SECONDS OUT.json             GET with a bearer token
environment: PACED_TIMEOUT (seconds one request may take, default 30)
"""
import json
import os
import sys
import threading
import time
import urllib.error
import urllib.request


def main() -> int:
    args = sys.argv[1:]
    if len(args) == 7 and args[0] == "login":
        _, base, username, password, rate, seconds, out_path = args
        body = json.dumps({"username": username, "password": password}).encode()
        url = base.rstrip("/") + "/api/v1/auth/login"

        def make():
            return urllib.request.Request(url, data=body, method="POST",
                                          headers={"Content-Type": "application/json"})
    elif len(args) == 6 and args[0] == "get":
        _, url, token, rate, seconds, out_path = args

        def make():
            return urllib.request.Request(url, method="GET",
                                          headers={"Authorization": "Bearer " + token})
    else:
        print(__doc__, file=sys.stderr)
        return 2
    rate, seconds = float(rate), float(seconds)
    timeout = float(os.environ.get("PACED_TIMEOUT", "30"))

    results = []  # (offset_s, latency_ms, status)
    lock = threading.Lock()

    def one(offset: float) -> None:
        t0 = time.monotonic()
        try:
            with urllib.request.urlopen(make(), timeout=timeout) as resp:
                resp.read()
                status = resp.status
        except urllib.error.HTTPError as e:
            status = e.code
        except Exception:  # timeout, refused, reset
            status = 0
        ms = (time.monotonic() - t0) * 1000.0
        with lock:
            results.append((offset, ms, status))

    total = int(round(rate * seconds))
    interval = 1.0 / rate
    start = time.monotonic()
    threads = []
    for i in range(total):
        delay = start + i * interval - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        t = threading.Thread(target=one, args=(time.monotonic() - start,), daemon=True)
        t.start()
        threads.append(t)
    send_seconds = time.monotonic() - start
    for t in threads:
        t.join(timeout=max(0.0, start + send_seconds + timeout + 2 - time.monotonic()))
    with lock:
        done = list(results)
    doc = {
        "url": url,
        "rate": rate,
        "seconds": seconds,
        "timeout": timeout,
        "scheduled": total,
        "send_seconds": round(send_seconds, 3),
        "finished": len(done),
        "drain_seconds": round(time.monotonic() - start - send_seconds, 3),
        "requests": [{"t": round(o, 3), "ms": round(ms, 2), "status": s} for o, ms, s in done],
    }
    with open(out_path, "w") as f:
        json.dump(doc, f)
    ok = sum(1 for _, _, s in done if s == 200)
    print(f"{args[0]}: {total} sent in {send_seconds:.1f}s, {ok} answered 200, "
          f"{len(done) - ok} other or no answer, {total - len(done)} unfinished")
    return 0


if __name__ == "__main__":
    sys.exit(main())
