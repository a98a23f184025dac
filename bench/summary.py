"""One table of every benchmark figure beside its target, from the JSON files in bench/out/.

    python -m bench.summary

Each benchmark writes its own file (ingest.json, digest-<db>-<comments>.json,
broadcast.json, memory.json) and can be run alone; this only reads them, so a figure
whose benchmark was not run shows as "not run". The last column says whether the target
was met ("ok", "MISSED", or blank where a figure has no target).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

OUT = Path(__file__).parent / "out"
NOT_RUN = "not run"


@dataclass(frozen=True)
class Row:
    """One figure of the summary."""

    area: str
    figure: str
    value: str
    target: str = "—"
    met: bool | None = None


def _read(name: str) -> Any:
    path = OUT / name
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _at_most(value: float | None, limit: float) -> bool | None:
    return None if value is None else value <= limit


def _at_least(value: float | None, floor: float) -> bool | None:
    return None if value is None else value >= floor


def _fmt(value: float | None, fmt: str, unit: str = "") -> str:
    return NOT_RUN if value is None else f"{format(value, fmt)}{unit}"


def ingest_rows() -> Iterator[Row]:
    """Updates/s against the two echo-bot baselines; p99 latency at half the peak rate."""
    results = _read("ingest.json")
    if not isinstance(results, list):
        yield Row("ingest", "webhook updates/s", NOT_RUN, ">= 3x (a), >= 70% of (b)")
        return
    by_name = {r.get("target"): r for r in results if isinstance(r, dict)}
    base_a = by_name.get("echo-httpx", {}).get("peak_updates_per_s")
    base_b = by_name.get("echo-aiohttp", {}).get("peak_updates_per_s")
    for name in ("consultbot-sqlite", "consultbot-postgres"):
        r = by_name.get(name)
        if r is None:
            continue
        peak = r.get("peak_updates_per_s")
        if base_a and peak is not None:
            yield Row("ingest", f"{name}: updates/s vs echo bot on httpx (a)",
                      f"{peak:,.0f} ({peak / base_a:.2f}x)", ">= 3x (a)",
                      _at_least(peak / base_a, 3.0))
        if base_b and peak is not None:
            yield Row("ingest", f"{name}: updates/s vs echo bot on aiohttp (b)",
                      f"{peak / base_b:.0%}", ">= 70% of (b)", _at_least(peak / base_b, 0.7))
        for key, label in (("p99_ack_ms", "p99 to the 200"), ("p99_reply_ms", "p99 to the reply")):
            value = r.get(key)
            yield Row("ingest", f"{name}: {label} at half peak", _fmt(value, ".0f", " ms"),
                      "< 150 ms", _at_most(value, 150))


def digest_rows() -> Iterator[Row]:
    """The largest digest benchmark run per database."""
    for db in ("sqlite", "postgres"):
        runs = sorted(OUT.glob(f"digest-{db}-*.json"),
                      key=lambda p: int(p.stem.rsplit("-", 1)[1]) if p.stem[-1].isdigit() else 0)
        if not runs:
            yield Row("digest", f"{db}: digest time", NOT_RUN, "< 2 s")
            continue
        report = json.loads(runs[-1].read_text(encoding="utf-8"))
        m, targets = report["measured"], report.get("targets", {})
        seconds, mb = targets.get("seconds", 2.0), targets.get("peak_mb", 300)
        n = f"{report['comments']:,}"
        for key, label in (("full", "whole history"), ("day", "last day")):
            value = m[key]["median_s"]
            yield Row("digest", f"{db}, {n} comments: {label} (median)", f"{value:.2f} s",
                      f"< {seconds:g} s", _at_most(value, seconds))
        yield Row("digest", f"{db}, {n} comments: peak memory", f"{m['peak_mb']:.0f} MB",
                  f"< {mb} MB", _at_most(m["peak_mb"], mb))


def broadcast_rows() -> Iterator[Row]:
    """Rate, 429s, duplicates and missing per run; the restart's cost for the kill runs."""
    runs = _read("broadcast.json")
    if not isinstance(runs, list) or not runs:
        yield Row("broadcast", "messages/s", NOT_RUN, ">= 95% of the configured rate")
        return
    for r in runs:
        name = f"{r['backend']} {r['mode']}, {r['followers']:,}"
        floor = 0.95 * r["target_rate"]
        yield Row("broadcast", f"{name}: messages/s", f"{r['rate']:,.0f}", f">= {floor:,.0f}",
                  _at_least(r["rate"], floor))
        for key, label in (("throttled", "429s at the stand-in"), ("duplicates", "duplicates"),
                           ("missing", "missing"), ("not_sent_rows", "rows not marked sent")):
            yield Row("broadcast", f"{name}: {label}", f"{r[key]:,}", "0", r[key] == 0)
        if r.get("restart_gap_s") is not None:
            yield Row("broadcast", f"{name}: restart gap", f"{r['restart_gap_s']:.1f} s")
        if r.get("claimed_at_kill") is not None:
            stall = r.get("lease_stall_s")
            yield Row("broadcast", f"{name}: rows the killed process held / already sent",
                      f"{r['claimed_at_kill']:,} / {r['in_flight_at_kill']:,}")
            yield Row("broadcast", f"{name}: the last of them sent, after restart",
                      "—" if stall is None else f"{stall:.0f} s")


def memory_rows() -> Iterator[Row]:
    """RSS idle and after the comments, and how fast it still grew at the end."""
    results = _read("memory.json")
    if not isinstance(results, list) or not results:
        yield Row("memory", "RSS idle", NOT_RUN)
        return
    for r in results:
        budgets, name = r.get("budgets", {}), r["backend"]
        idle, loaded = budgets.get("idle_mb"), budgets.get("loaded_mb")
        slope = budgets.get("slope_mb_per_10k")
        yield _budget_row(f"{name}: RSS idle", r["idle_rss_mb"], idle)
        yield _budget_row(f"{name}: RSS after {r['comments']:,} comments", r["loaded_rss_mb"],
                          loaded)
        yield _budget_row(f"{name}: peak RSS (VmHWM)", r["peak_rss_mb"], loaded)
        yield _budget_row(f"{name}: growth per 10,000 comments (2nd half)",
                          r.get("slope_mb_per_10k"), slope, ".2f")


def _budget_row(figure: str, value: float | None, budget: float | None, fmt: str = ".0f") -> Row:
    """A memory figure; "—" where the run had too few points to compute it."""
    shown = "—" if value is None else f"{format(value, fmt)} MB"
    if budget is None:
        return Row("memory", figure, shown)
    return Row("memory", figure, shown, f"< {budget:g} MB", _at_most(value, budget))


SECTIONS: list[Callable[[], Iterator[Row]]] = [ingest_rows, digest_rows, broadcast_rows,
                                               memory_rows]


def _verdict(met: bool | None) -> str:
    return "" if met is None else ("ok" if met else "MISSED")


def table(rows: list[Row]) -> str:
    heads = ("", "figure", "value", "target", "")
    cells = [(r.area, r.figure, r.value, r.target, _verdict(r.met)) for r in rows]
    widths = [max(len(str(c[i])) for c in [heads, *cells]) for i in range(5)]
    lines = ["  ".join(f"{h!s:<{w}}" for h, w in zip(heads, widths, strict=True))]
    for row in cells:
        lines.append("  ".join(f"{c!s:<{w}}" for c, w in zip(row, widths, strict=True)))
    return "\n".join(line.rstrip() for line in lines)


def sources() -> str:
    """When each file was written: a benchmark that failed leaves its older figures."""
    files = sorted(OUT.glob("*.json"), key=lambda p: p.name)
    stamps = [
        f"{p.name} {datetime.fromtimestamp(p.stat().st_mtime).isoformat(' ', 'minutes')}"
        for p in files if not p.name.startswith("broadcast-seed-")
    ]
    return "measured: " + ("; ".join(stamps) if stamps else "nothing yet")


def main() -> None:
    print(sources())
    rows: list[Row] = []
    for section in SECTIONS:
        try:
            rows.extend(section())
        except (KeyError, TypeError, ValueError) as error:  # a file of another shape
            rows.append(Row(section.__name__.removesuffix("_rows"), "unreadable output",
                            type(error).__name__))
    print(table(rows))


if __name__ == "__main__":
    main()
