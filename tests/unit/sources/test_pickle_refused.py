"""No pickle from a path the user gives: only observation files this run signed are loaded."""

from __future__ import annotations

import pytest

from naravard.core.errors import NaravardError


# --- no pickle from a path the user gives ---------------------------------------------------


class _Payload:
    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_data_pkl_is_never_unpickled(project_tmp, tmp_path, capsys):
    import pickle

    from naravard.cli import main

    marker = tmp_path / "ran"
    evil = tmp_path / "x.pkl"
    evil.write_bytes(pickle.dumps(_Payload(str(marker))))
    code = main(["report", "--region", "Gotland", "--year", "2024", "--data", str(evil)])
    err = capsys.readouterr().err
    assert not marker.exists(), "the pickle's payload ran"
    assert code == 2 and err.startswith("fel: ") and "x.pkl" in err and "Traceback" not in err


def test_a_copied_signature_does_not_pass_for_another_payload(tmp_path, snapshot_dir, monkeypatch):
    import pickle

    from naravard.sources.table import load_observations, load_saved_observations, save_observations

    own = save_observations(load_observations(snapshot_dir), tmp_path / "own.pkl")
    assert len(load_saved_observations(own).frame) > 1000  # this run's own file loads
    head = own.read_bytes().split(b"\n", 2)
    marker = tmp_path / "ran"
    forged = tmp_path / "forged.pkl"
    forged.write_bytes(head[0] + b"\n" + head[1] + b"\n" + pickle.dumps(_Payload(str(marker))))
    with pytest.raises(NaravardError):
        load_saved_observations(forged)
    monkeypatch.setenv("NARAVARD_OBSERVATIONS_KEY", "another run")
    with pytest.raises(NaravardError):
        load_saved_observations(own)  # another run's file (its key is gone with it)
    assert not marker.exists()
