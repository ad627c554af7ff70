"""Run one function for several inputs in threads that start at the same instant (a barrier), each with its own
database connection, as simultaneous requests would. For tests of row locks and constraints under contention."""

import threading

from django.db import connection


def at_once(action, inputs, *, timeout: float = 60) -> list:
    """`action(input)` for every input at once; returns what each call returned or raised, in finishing order."""
    start, outcomes, lock = threading.Barrier(len(inputs)), [], threading.Lock()

    def run(item):
        try:
            start.wait()
            outcome = action(item)
        except Exception as error:  # noqa: BLE001 - the caller asserts on what was raised
            outcome = error
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(item,)) for item in inputs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return outcomes
