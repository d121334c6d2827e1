"""naravard.speed.forked: half the work in a forked child, all of it done, failures raised."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from naravard.speed import forked


def _touch(path: Path) -> None:
    path.write_text(str(os.getpid()), encoding="utf-8")


def test_every_item_is_done_half_of_them_by_a_child(tmp_path):
    items = [tmp_path / f"{i}.txt" for i in range(10)]
    order = []
    forked.each(items, _touch, before=lambda: order.append("before"))
    assert all(p.is_file() for p in items) and order == ["before"]
    writers = {p.read_text(encoding="utf-8") for p in items}
    if (os.cpu_count() or 1) > 1:
        assert len(writers) == 2 and str(os.getpid()) in writers


def test_without_speedups_or_with_few_items_all_is_done_here(tmp_path, monkeypatch):
    monkeypatch.setenv("NARAVARD_NO_SPEEDUPS", "1")
    items = [tmp_path / f"{i}.txt" for i in range(10)]
    forked.each(items, _touch)
    assert {p.read_text(encoding="utf-8") for p in items} == {str(os.getpid())}


def test_a_failing_child_fails_the_whole(tmp_path):
    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: nothing is forked")
    parent = os.getpid()

    def work(path: Path) -> None:
        if os.getpid() != parent and path.name == "3.txt":
            raise OSError(28, "No space left on device")
        _touch(path)

    with pytest.raises(RuntimeError, match="kunde inte skriva alla"):
        forked.each([tmp_path / f"{i}.txt" for i in range(10)], work)
