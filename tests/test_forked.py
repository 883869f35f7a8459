"""A stage run in a forked child: its result, its failures and its memory."""

from __future__ import annotations

import os
import signal

import pytest

from natotimeline import forked
from natotimeline.forked import StageDied, run_forked

needs_fork = pytest.mark.skipif(not forked.CAN_FORK, reason="stages run in the calling process on this system")


def _peak_rss_mib() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) // 1024 for line in status if line.startswith("VmHWM"))


def _reset_peak_rss() -> None:
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")


@needs_fork
def test_result_comes_back_from_another_process() -> None:
    pid, value = run_forked(lambda: (os.getpid(), {"rows": [1, 2, 3]}))
    assert pid != os.getpid()
    assert value == {"rows": [1, 2, 3]}


@needs_fork
def test_memory_the_stage_takes_is_not_the_callers() -> None:
    def grow() -> int:
        block = [bytes(1024) for _ in range(300_000)]
        return len(block)

    _reset_peak_rss()
    before = _peak_rss_mib()
    assert run_forked(grow) == 300_000
    assert _peak_rss_mib() - before < 100


@needs_fork
def test_exception_is_raised_in_the_caller_with_the_childs_traceback() -> None:
    def fail() -> None:
        raise ValueError("no such claim")

    with pytest.raises(ValueError, match="no such claim") as caught:
        run_forked(fail, "reconcile")
    assert any("forked reconcile process" in note and "fail" in note for note in caught.value.__notes__)


class _Unpicklable(Exception):
    def __init__(self, a: str, b: str) -> None:
        super().__init__(a)


@needs_fork
def test_exception_that_cannot_be_pickled_still_says_what_happened() -> None:
    def fail() -> None:
        raise _Unpicklable("bad extract", "x")

    with pytest.raises(RuntimeError, match="_Unpicklable: bad extract"):
        run_forked(fail)


@needs_fork
def test_killed_stage_is_an_error_naming_the_signal() -> None:
    with pytest.raises(StageDied, match="reconcile process was killed by SIGKILL"):
        run_forked(lambda: os.kill(os.getpid(), signal.SIGKILL), "reconcile")


def test_without_fork_the_stage_runs_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forked, "CAN_FORK", False)
    assert run_forked(os.getpid) == os.getpid()
