"""A stage for the analysis-pool tests, importable in worker processes.

Worker processes know only the stages registered through entry points or in modules they
import, so the tests start their pool with `Analyzer(worker_modules=("tests.web.pool_stages",))`.
The stage obeys one instruction on the page's first line, so one pool serves every test:

- `gate PATH` — wait until the file PATH exists: a job the test holds until it lets it go;
- `barrier DIR N` — drop a file named for this process in DIR, then wait until N are there:
  N jobs running at the same time in N processes, or this one fails;
- `crash` — raise, with internals in the message that must never reach a client;
- `exit` — end the worker process abruptly, as a native crash or the OOM killer would;
- `env NAME` — put the worker's `$NAME` in `metadata.title`;
- anything else passes through.

Each wait gives up after `MAX_WAIT` seconds, so a failing test cannot hang the suite.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from presslens.document import Document
from presslens.pipeline import register_stage

NAME = "test-pool"
MAX_WAIT = 30.0


def _wait_for(done: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + MAX_WAIT
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not reached in {MAX_WAIT:g} s")
        time.sleep(0.02)


@register_stage(NAME, requires=("text",), assigns=("metadata",))
class PoolProbe:
    """Does what the page's first line says (see the module docstring)."""

    name = NAME

    def __call__(self, doc: Document) -> Document:
        lines = doc.text.splitlines()
        command, *args = (lines[0].split() if lines else []) or [""]
        if command == "gate":
            gate = Path(args[0])
            _wait_for(gate.exists, f"gate {gate}")
        elif command == "barrier":
            folder, count = Path(args[0]), int(args[1])
            (folder / str(os.getpid())).touch()
            _wait_for(lambda: len(list(folder.iterdir())) >= count, f"barrier of {count}")
        elif command == "crash":
            raise RuntimeError("secret internals: /etc/presslens/key at 0xdeadbeef")
        elif command == "exit":
            os._exit(70)
        elif command == "env":
            doc.metadata.title = os.environ.get(args[0], "")
        return doc
