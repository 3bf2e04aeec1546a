"""Loads demo departments in worker processes, one department per task.

Publishing through Wagtail costs tens of queries per article, so one process spends much of
its time waiting for PostgreSQL; departments are independent (own schema, own transaction), so
two or more processes load the district in a fraction of the time. Workers are spawned (not
forked) so that none inherits the parent's database connection, and report progress through a
queue that the parent turns into `progress` calls.
"""

import multiprocessing
import queue as queue_module
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from datetime import date

from .catalog import DEPARTMENTS_BY_PREFIX

_progress_queue = None


def _init_worker(progress_queue):
    global _progress_queue
    _progress_queue = progress_queue
    import django

    django.setup()


def _build_one(prefix: str, seed: int, items: int, today: date) -> tuple[int, int, int]:
    from django.db import connections

    from .build import DemoResult, build_department

    result = DemoResult()
    try:
        build_department(
            DEPARTMENTS_BY_PREFIX[prefix], seed=seed, items=items, today=today, result=result,
            progress=lambda spec, done, total: _progress_queue.put((spec.prefix, done, total)),
        )
    finally:
        connections.close_all()
    return result.articles, result.attachments, result.users


def build_in_processes(specs, *, seed, items, today, jobs, progress, result):
    from django.db import connections

    context = multiprocessing.get_context("spawn")
    progress_queue = context.Queue()
    connections.close_all()  # nothing to inherit; the parent reconnects when it needs to

    def drain():
        while True:
            try:
                prefix, done, total = progress_queue.get_nowait()
            except queue_module.Empty:
                return
            if progress is not None:
                progress(DEPARTMENTS_BY_PREFIX[prefix], done, total)

    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init_worker,
                             initargs=(progress_queue,)) as pool:
        pending = {pool.submit(_build_one, spec.prefix, seed, items, today) for spec in specs}
        try:
            while pending:
                finished, pending = wait(pending, timeout=0.1, return_when=FIRST_EXCEPTION)
                drain()
                for future in finished:
                    articles, attachments, users = future.result()
                    result.articles += articles
                    result.attachments += attachments
                    result.users += users
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    drain()
