"""The load generator: `python -m backend.bench.load` reads a JSON job on stdin and prints JSON.

Job: {"host", "port", "token", "body" (the request, as text), "concurrency", "duration"}.
Each of `concurrency` threads holds its own keep-alive connection and sends the request again as
soon as the previous answer is read, until `duration` seconds have passed. It runs in a process of
its own, so the measuring process and the server do not share its interpreter lock.
"""

import json
import statistics
import sys
import threading
import time

from .client import GraphQLConnection


def run(job: dict) -> dict:
    body = job["body"].encode()
    deadline = time.perf_counter() + job["duration"]
    latencies: list[list[float]] = [[] for _ in range(job["concurrency"])]
    failures = [0] * job["concurrency"]
    received = [0] * job["concurrency"]

    def worker(i: int) -> None:
        client = GraphQLConnection(job["host"], job["port"], job["token"])
        try:
            while time.perf_counter() < deadline:
                try:
                    ms, status, data = client.timed(body)
                except OSError:
                    failures[i] += 1
                    continue
                if status == 200 and b'"errors":' not in data:
                    latencies[i].append(ms)
                    received[i] += len(data)
                else:
                    failures[i] += 1
        finally:
            client.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(job["concurrency"])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    done = [ms for per_thread in latencies for ms in per_thread]
    return {
        "concurrency": job["concurrency"],
        "seconds": round(seconds, 3),
        "requests": len(done),
        "failures": sum(failures),
        "req_per_s": round(len(done) / seconds, 2) if seconds else 0.0,
        "mb_per_s": round(sum(received) / seconds / 1e6, 2) if seconds else 0.0,
        "median_ms": round(statistics.median(done), 2) if done else None,
        "max_ms": round(max(done), 2) if done else None,
    }


def main() -> None:
    json.dump(run(json.load(sys.stdin)), sys.stdout)


if __name__ == "__main__":
    main()
