"""A small closed-loop HTTP load generator for loopback: N threads, each with one keep-alive connection,
bounded in requests and in time. Records latency, status and the X-Query-Count header of every response."""

import http.client
import statistics
import threading
import time
from dataclasses import dataclass, field


@dataclass
class Request:
    path: str
    method: str = "GET"
    headers: dict = field(default_factory=dict)
    body: bytes | None = None
    ok: tuple = (200,)


@dataclass
class Result:
    latencies: list = field(default_factory=list)  # seconds
    statuses: list = field(default_factory=list)
    queries: list = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0

    def record(self, request: "Request", status: int, queries: str | None, latency: float) -> None:
        """One answer: its latency and status (an unexpected status counts as an error) and its query count."""
        self.latencies.append(latency)
        self.statuses.append(status)
        if status not in request.ok:
            self.errors += 1
        if queries is not None:
            self.queries.append(int(queries))

    def summary(self) -> dict:
        lat = sorted(self.latencies)
        n = len(lat)
        return {
            "requests": n, "errors": self.errors,
            "median_ms": round(statistics.median(lat) * 1000, 2) if n else None,
            "p95_ms": round(lat[min(n - 1, int(n * 0.95))] * 1000, 2) if n else None,
            "throughput_rps": round(n / self.elapsed, 1) if self.elapsed else None,
            # the median: the first request of each worker process fills Django's caches and may cost one more
            "queries": statistics.median_low(self.queries) if self.queries else None,
            "queries_min": min(self.queries) if self.queries else None,
            "queries_max": max(self.queries) if self.queries else None,
        }


def _send(conn, request: Request):
    conn.request(request.method, request.path, body=request.body, headers=request.headers)
    response = conn.getresponse()
    response.read()
    return response.status, response.getheader("X-Query-Count")


def run(requests, *, host: str, port: int, concurrency: int = 4, total: int = 200, duration: float = 10.0,
        warmup: int = 5) -> Result:
    """Cycle through `requests` (a list of Request) until `total` responses or `duration` seconds."""
    result = Result()
    lock = threading.Lock()
    counter = {"n": 0}
    for request in requests[:min(warmup, total)]:  # the first request of a worker process compiles templates
        conn = http.client.HTTPConnection(host, port, timeout=30)
        try:
            _send(conn, request)
        finally:
            conn.close()
    deadline = time.monotonic() + duration

    def worker(offset):
        conn = http.client.HTTPConnection(host, port, timeout=30)
        i = offset
        while time.monotonic() < deadline:
            with lock:
                if counter["n"] >= total:
                    break
                counter["n"] += 1
            request = requests[i % len(requests)]
            i += concurrency
            started = time.perf_counter()
            try:
                status, queries = _send(conn, request)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=30)
                with lock:
                    result.errors += 1
                continue
            with lock:
                result.record(request, status, queries, time.perf_counter() - started)
        conn.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.elapsed = time.perf_counter() - started
    return result


def burst(requests, *, host: str, port: int, window: float = 0.0) -> Result:
    """Every request at the same moment, one thread and connection each (the deadline rush); with `window`
    seconds, the requests start evenly spread over that time instead."""
    result = Result()
    lock = threading.Lock()
    barrier = threading.Barrier(len(requests) + 1)

    def worker(request, delay):
        conn = http.client.HTTPConnection(host, port, timeout=120)
        barrier.wait()
        if delay:
            time.sleep(delay)
        started = time.perf_counter()
        try:
            status, queries = _send(conn, request)
        except (OSError, http.client.HTTPException):
            with lock:
                result.errors += 1
            return
        finally:
            conn.close()
        with lock:
            result.record(request, status, queries, time.perf_counter() - started)

    threads = [threading.Thread(target=worker, args=(request, window * n / len(requests)))
               for n, request in enumerate(requests)]
    for thread in threads:
        thread.start()
    started = time.perf_counter()
    barrier.wait()
    for thread in threads:
        thread.join()
    result.elapsed = time.perf_counter() - started
    return result
