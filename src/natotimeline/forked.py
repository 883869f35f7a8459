"""Run one stage of a job in a forked child process and take back its result.

CPython keeps the heap a stage grew: objects freed at its end leave their
memory arenas partly used, and the process's resident size stays where the
stage took it. DuckDB allocates with its own allocator, so the load stage
cannot reuse that memory and its own is added on top. A stage run in a
child gives its memory back to the system when the child exits; the job's
peak is then the larger of the stages' peaks, not their sum.

The child touches no database connection: it inherits the parent's, which
a forked process must not use, so the stage must read and write files only.
Where ``os.fork`` is not safe to use (every system but Linux), the stage
runs in the calling process.
"""

from __future__ import annotations

import ctypes
import gc
import os
import pickle
import signal
import sys
import traceback
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

CAN_FORK = sys.platform.startswith("linux")
_PR_SET_PDEATHSIG = 1


class StageDied(RuntimeError):
    """The child running a stage ended without a result (killed, out of memory)."""


def run_forked(stage: Callable[[], T], name: str = "stage") -> T:
    """``stage()`` run in a forked child: its return value, or its exception raised here."""
    if not CAN_FORK:
        return stage()
    parent = os.getpid()
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child's coverage is not collected
            _child(stage, read_end, write_end, parent, name)
    except BaseException:
        if os.getpid() != parent:  # pragma: no cover - interrupted before the child's own handler
            os._exit(1)
        os.close(read_end)
        os.close(write_end)
        raise
    os.close(write_end)
    try:
        with os.fdopen(read_end, "rb") as result:
            payload = result.read()
    except BaseException:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise
    status = os.waitpid(pid, 0)[1]
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) not in (0, 1):
        raise StageDied(f"the {name} process {_describe(status)} without a result")
    try:
        ok, value = pickle.loads(payload)
    except Exception as exc:
        raise StageDied(f"the {name} process sent back an unreadable result: {exc}") from exc
    if not ok:
        raise value
    return value


def _child(stage: Callable[[], T], read_end: int, write_end: int, parent: int, name: str) -> None:  # pragma: no cover
    """Run ``stage`` and write (ok, result or exception) to ``write_end``; never returns."""
    code = 1
    try:
        os.close(read_end)
        _die_with(parent)
        gc.freeze()  # what the parent left, its connections and garbage among it, is never collected here
        try:
            payload = pickle.dumps((True, stage()))
            code = 0
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
            payload = _pickled_failure(exc, name)
        with os.fdopen(write_end, "wb") as out:
            out.write(payload)
    finally:
        os._exit(code)


def _die_with(parent: int) -> None:  # pragma: no cover
    """Have the kernel kill this child when the job dies (a timeout, the out-of-memory killer)."""
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


def _pickled_failure(exc: BaseException, name: str) -> bytes:  # pragma: no cover
    """``exc`` with the child's traceback as a note, or a RuntimeError saying the same where
    ``exc`` does not survive pickling."""
    trace = "".join(traceback.format_exception(exc))
    try:
        exc.add_note(f"(raised in the forked {name} process)\n{trace}")
        payload = pickle.dumps((False, exc))
        pickle.loads(payload)
        return payload
    except Exception:  # noqa: BLE001
        return pickle.dumps((False, RuntimeError(f"{type(exc).__name__}: {exc} (in the forked {name} process)\n{trace}")))


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            signame = signal.Signals(number).name
        except ValueError:
            signame = f"signal {number}"
        return f"was killed by {signame}{' (as the out-of-memory killer does)' if number == signal.SIGKILL else ''}"
    return f"exited with status {os.waitstatus_to_exitcode(status)}"
