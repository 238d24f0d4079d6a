"""A small load generator run as a second process by the benchmark: N threads with keep-alive connections
against one URL on loopback, either as fast as possible (rate 0) or paced to ``rate`` requests per second.
Bounded in time; prints one JSON line."""

import http.client
import json
import statistics
import sys
import threading
import time
from urllib.parse import urlsplit


def main(url: str, cookie: str, seconds: float, rate: float, concurrency: int) -> None:
    parts = urlsplit(url)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("loopback only")
    latencies, errors, lock = [], [0], threading.Lock()
    stop_at = time.perf_counter() + seconds
    interval = concurrency / rate if rate else 0.0

    def worker(offset: float):
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        next_at = time.perf_counter() + offset
        while time.perf_counter() < stop_at:
            if interval:
                delay = next_at - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                next_at += interval
            start = time.perf_counter()
            try:
                conn.request("GET", parts.path, headers={"Cookie": cookie, "Host": parts.hostname})
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except Exception:
                ok = False
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    errors[0] += 1

    threads = [
        threading.Thread(target=worker, args=(i * (interval / concurrency if interval else 0),))
        for i in range(concurrency)
    ]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    latencies.sort()
    print(
        json.dumps(
            {
                "rps": len(latencies) / wall if wall else 0,
                "median": round(statistics.median(latencies), 1) if latencies else None,
                "p95": round(latencies[int(len(latencies) * 0.95)], 1) if latencies else None,
                "errors": errors[0],
                "requests": len(latencies),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]))
