"""The `naravard` command that the Makefile calls.

Each subcommand is a thin call into the module that owns the behaviour; imports are lazy so
that `naravard --help` and error messages come back quickly.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import NoReturn
from pathlib import Path
from importlib import metadata
import signal
import select
import threading

from naravard.build import batch, pipeline
from naravard.core import clock
from naravard.core.errors import NaravardError, quiet_unwinding
from naravard.core.limits import printable
from naravard.core.paths import display_path
from naravard.speed.heap import collect_less_often
from naravard.build.archive import archive, print_archived

# Imports marked "slow import: see top" stay inside the subcommand that needs them: with them
# all at the top, `naravard --version` or a usage error took 2,7–3,5 s instead of 0,15–0,3 s
# (this machine, loaded, December 2026), since they bring pandas, nbformat and WeasyPrint.


def _cmd_data_status(args: argparse.Namespace) -> int:
    from naravard.sources.status import print_status  # slow import: see top

    return print_status(args.data)


def _cmd_data_download(args: argparse.Namespace) -> int:
    from naravard.sources.refresh import refresh_snapshot  # slow import: see top

    return refresh_snapshot(args.dest)


def _cmd_report(args: argparse.Namespace) -> int:
    pipeline.build_region_report(
        args.region,
        args.year,
        data=args.data,
        force=args.force,
        jamfor=args.jamfor,
        since=args.sedan,
    )
    return 0


def _cmd_reports(args: argparse.Namespace) -> int:
    return batch.run_batch(
        args.year,
        data=args.data,
        jobs=args.jobs,
        force=args.force,
        regions=args.regions,
        national_report=not args.no_national,
        jamfor=args.jamfor,
    )


def _cmd_q_template(args: argparse.Namespace) -> int:
    from naravard.report.questionnaire import write_template  # slow import: see top

    path = write_template(args.region, args.year, out=args.out, force=args.force)
    print(path)
    return 0


def _cmd_q_check(args: argparse.Namespace) -> int:
    from naravard.report.questionnaire import check_file  # slow import: see top

    return check_file(args.file)


def _cmd_comment(args: argparse.Namespace) -> int:
    from naravard.report import commentary, region  # slow import: see top

    rep = region.prepare(
        args.region, args.year, args.data, figures=None, comments=False, previous=None
    )
    path = commentary.write_template(rep, clock.today())
    print(f"Skrev {display_path(path)}: skriv kommentarerna under rubrikerna och kör rapporten.")
    return 0


def _cmd_diff(args: argparse.Namespace) -> int:
    from naravard.analysis.revisions import compare_folders, print_changes  # slow import: see top

    print_changes(compare_folders(Path(args.dir_a), Path(args.dir_b)), Path(args.dir_b))
    return 0


def _cmd_archive(args: argparse.Namespace) -> int:
    target = archive(args.region, args.year)
    print_archived(target, target.parent.parent.name, target.parent.name)
    return 0


def _region_year_data(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--region", required=True, help="name, code or slug, e.g. Västerbotten")
    parser.add_argument("--year", required=True, help="report year, e.g. 2024")
    parser.add_argument(
        "--data",
        help="a Kolada snapshot directory, or exempel (else "
        "NARAVARD_DATA, else the project's snapshot data/kolada)",
    )


# `--help` ends with examples; the analysts usually type the make targets beside them
EXAMPLES = {
    "naravard": """\
Exempel:
  naravard report --region Västerbotten --year 2024
  naravard reports --year 2024 --jobs 2
  naravard kommentar --region Västerbotten --year 2024
  naravard arkivera --region Västerbotten --year 2024
  naravard diff arkiv/vasterbotten/2024/2025-03-14 output/vasterbotten/2024
  naravard data status
  naravard <kommando> --help      mer om ett kommando

Samma sak med make: make report REGION=Västerbotten YEAR=2024 (se README.md).""",
    "data": """\
Exempel:
  naravard data status                        vad ögonblicksbilden data/kolada innehåller
  naravard data download                      hämta om data/kolada från Kolada (make data)""",
    "status": """\
Exempel:
  naravard data status
  naravard data status --data ../shared/data/kolada""",
    "download": """\
Exempel:
  naravard data download                      uppdatera data/kolada (make data)
  naravard data download --dest /tmp/kolada   en ny ögonblicksbild i en annan mapp""",
    "report": """\
Exempel:
  naravard report --region Västerbotten --year 2024
  naravard report --region 0024 --year 2024 --data ../shared/data/kolada
  naravard report --region "Örebro län" --year 2023 --data exempel
  naravard report --region Västerbotten --year 2024 --jamfor "Norrbotten, Gotland"

Rapporten hamnar i output/<region>/<år>/ (make report REGION=… YEAR=…).""",
    "reports": """\
Exempel:
  naravard reports --year 2024                alla 21 regioner och riksrapporten
  naravard reports --year 2024 --jobs 2 --regions Västerbotten "Örebro län" --no-national
  naravard reports --year 2024 --force        rendera om även det som är aktuellt""",
    "kommentar": """\
Exempel:
  naravard kommentar --region Västerbotten --year 2024

Skriver data/kommentarer/<region>/<år>.md med en rubrik per indikator (make kommentar).""",
    "arkivera": """\
Exempel:
  naravard arkivera --region Västerbotten --year 2024
  naravard arkivera --region Riket --year 2024

Kopierar den publicerade rapporten med manifest och figurer till
arkiv/<region>/<år>/<datum>/ (make arkivera REGION=… YEAR=…); ett arkiv skrivs aldrig över.""",
    "diff": """\
Exempel:
  naravard diff arkiv/vasterbotten/2024/2025-03-14 output/vasterbotten/2024

Jämför den skickade versionen (en kopia av mappen) med den nya (make diff A=… B=…).""",
    "questionnaire": """\
Exempel:
  naravard questionnaire template --region Västerbotten --year 2024
  naravard questionnaire check data/questionnaire/answers/vasterbotten/2024.yaml""",
    "template": """\
Exempel:
  naravard questionnaire template --region Västerbotten --year 2024
  naravard questionnaire template --region Västerbotten --year 2024 --out /tmp/svar.yaml""",
    "check": """\
Exempel:
  naravard questionnaire check data/questionnaire/answers/vasterbotten/2024.yaml""",
}


def _version() -> str:
    """The installed distribution's version (pyproject.toml), or say that it is unknown."""

    try:
        return metadata.version("naravard")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "okänd version (inte installerad; kör make env)"


def _add(sub: argparse._SubParsersAction, name: str, help: str) -> argparse.ArgumentParser:
    """A subcommand whose --help ends with its examples, laid out as written."""
    return sub.add_parser(
        name,
        help=help,
        description=help,
        epilog=EXAMPLES[name],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="naravard",
        description="Uppföljning av omställningen till en god och nära vård.",
        epilog=EXAMPLES["naravard"],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"naravard {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)

    data = _add(sub, "data", "indicator data: status and download")
    data_sub = data.add_subparsers(dest="data_command", required=True)
    status = _add(data_sub, "status", "what each data origin holds")
    status.add_argument("--data", help="a Kolada snapshot directory (else NARAVARD_DATA)")
    status.set_defaults(func=_cmd_data_status)
    download = _add(data_sub, "download", "refresh the snapshot from live Kolada")
    download.add_argument("--dest", help="snapshot directory (default data/kolada)")
    download.set_defaults(func=_cmd_data_download)

    report = _add(sub, "report", "one region's report for one year")
    _region_year_data(report)
    _jamfor(report)
    report.add_argument(
        "--force",
        action="store_true",
        help="publish even when every Kolada value of the published report is gone",
    )
    report.add_argument(
        "--sedan",
        help="the earlier version to list changes since, e.g. "
        "arkiv/vasterbotten/2024/2025-03-14 (default: the latest archived "
        "version, else the published report)",
    )
    report.set_defaults(func=_cmd_report)

    reports = _add(sub, "reports", "every region's report and the national report")
    reports.add_argument("--year", required=True)
    reports.add_argument("--data")
    reports.add_argument(
        "--jobs", type=_positive_int, default=None, help="parallel workers (default: cores)"
    )
    reports.add_argument("--force", action="store_true", help="render even if up to date")
    reports.add_argument(
        "--regions", nargs="*", default=None, help="only these regions (default: all 21)"
    )
    _jamfor(reports)
    reports.add_argument(
        "--no-national", action="store_true", help="skip the national comparison report"
    )
    reports.set_defaults(func=_cmd_reports)

    comment = _add(sub, "kommentar", "write a comment file template for the analyst")
    _region_year_data(comment)
    comment.set_defaults(func=_cmd_comment)

    archived = _add(sub, "arkivera", "keep the published report as sent, in arkiv/")
    archived.add_argument("--region", required=True, help="name, code or slug, or Riket")
    archived.add_argument("--year", required=True, help="report year, e.g. 2024")
    archived.set_defaults(func=_cmd_archive)

    diff = _add(sub, "diff", "values and ranks that differ between two report folders")
    diff.add_argument(
        "dir_a", help="the earlier report folder, e.g. a copy of the one sent in March"
    )
    diff.add_argument("dir_b", help="the later report folder, e.g. output/vasterbotten/2024")
    diff.set_defaults(func=_cmd_diff)

    q = _add(sub, "questionnaire", "Socialstyrelsen's questionnaire answers")
    q_sub = q.add_subparsers(dest="q_command", required=True)
    tmpl = _add(q_sub, "template", "write an empty answer file")
    tmpl.add_argument("--region", required=True)
    tmpl.add_argument("--year", required=True, type=int)
    tmpl.add_argument("--out", help="where to write (default data/questionnaire/answers/…)")
    tmpl.add_argument("--force", action="store_true", help="overwrite an existing file")
    tmpl.set_defaults(func=_cmd_q_template)
    check = _add(q_sub, "check", "validate an answer file, list unanswered questions")
    check.add_argument("file")
    check.set_defaults(func=_cmd_q_check)
    return parser


def _jamfor(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--jamfor",
        default=None,
        metavar="REGIONER",
        help="comparison group instead of the sjukvårdsregion, e.g. "
        '"Norrbotten, Gotland" (default: data/jamforelsegrupper.yaml)',
    )


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} är inget heltal; skriv t.ex. 4") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} är för litet; skriv 1 eller fler")
    return value


class _Interrupted:
    """Which signal stopped the run: Ctrl-C and SIGTERM both unwind like KeyboardInterrupt,
    so every `finally` removes its staging folder; afterwards, errors that the interruption
    caused inside libraries (a kernel's ZMQError, asyncio tasks) are not shown as failures."""

    signum: int | None = None
    timer: object | None = None
    GRACE = 10.0  # seconds for the unwinding (workers stop their kernels) before the hard end

    @classmethod
    def handle(cls, signum: int, frame: object) -> None:
        if cls.signum is not None:  # a second Ctrl-C or SIGTERM: at once
            cls.hard_stop()
        cls.signum = signum
        quiet_unwinding()
        # whatever a kernel or library does while unwinding, the run ends within GRACE
        cls.timer = threading.Timer(cls.GRACE, cls.hard_stop)
        cls.timer.daemon = True
        cls.timer.start()
        raise KeyboardInterrupt

    @classmethod
    def hard_stop(cls) -> None:
        """End now: kill this run's kernels and workers; staging folders left behind carry
        this process's id and the next run removes them (naravard.core.publish.remove_stale)."""

        kernels = sys.modules.get("naravard.build.kernels")
        if kernels is not None:
            kernels.kill_all()
        mp = sys.modules.get("multiprocessing")
        if mp is not None:
            for child in mp.active_children():
                child.kill()
        print("avbrutet; ingen rapport ändrades", file=sys.stderr, flush=True)
        os._exit(143 if cls.signum == signal.SIGTERM else 130)

    @classmethod
    def cancel(cls) -> None:
        timer, cls.timer = cls.timer, None
        if timer is not None:
            timer.cancel()  # type: ignore[attr-defined]

    @classmethod
    def install(cls) -> None:
        cls.signum = None
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                signal.signal(sig, cls.handle)
            except ValueError:  # not the main thread (tests calling main() from a thread)
                return


def _stopped() -> int:
    quiet_unwinding()
    print("avbrutet; ingen rapport ändrades", file=sys.stderr)
    return 143 if _Interrupted.signum == signal.SIGTERM else 130


def _reader_gone() -> bool:
    """Whether our stdout is a pipe whose reader has closed it (poll says POLLERR)."""

    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), 0)
        return any(event & select.POLLERR for _, event in poller.poll(0))
    except (OSError, ValueError, AttributeError):  # no real stdout: a test's capture
        return False


def main(argv: Sequence[str] | None = None) -> int:
    _Interrupted.install()  # first: Ctrl-C during the slow imports below is one line too
    try:
        collect_less_often()  # naravard's own process allocates much: the PDF, the data
        args = build_parser().parse_args(argv)
        return int(args.func(args) or 0)
    except NaravardError as exc:
        print(f"fel: {printable(exc)}", file=sys.stderr)  # its values may come from data files
        return 2
    except KeyboardInterrupt:
        return _stopped()
    except RecursionError:
        print(
            "fel: indata är för djupt nästlade för att läsas; kontrollera filerna", file=sys.stderr
        )
        return 2
    except OSError as exc:  # the disk, not the data: name the file and the reason
        if isinstance(exc, BrokenPipeError) and _reader_gone():
            return 141  # `naravard diff … | head`: the reader has what it wanted; as SIGPIPE
        where = f"{exc.filename}: " if exc.filename else ""
        print(
            f"fel: {where}{exc.strerror or exc}; kontrollera rättigheter och ledigt utrymme",
            file=sys.stderr,
        )
        return 2
    except Exception:
        if _Interrupted.signum is not None:  # a library's own error from the interruption
            return _stopped()
        raise
    finally:
        _Interrupted.cancel()


def run() -> NoReturn:
    """The `naravard` command: `main`, then leave without the interpreter's teardown.

    Tearing down pandas, matplotlib, WeasyPrint and the kernel client's sockets takes about
    half a second after the work is done. By then every output is written, synced and
    renamed into place, and every kernel stopped, so nothing is lost by skipping it; only
    the buffered terminal output is flushed. A run that used worker processes (`reports`)
    leaves normally: multiprocessing releases its semaphores in that teardown.
    """
    code = main()
    if "concurrent.futures.process" in sys.modules:
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can reach the reader
            pass
    os._exit(code)


if __name__ == "__main__":
    run()
