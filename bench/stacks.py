"""Summarise py-spy's collapsed stacks: where the samples are, by function.

    python -m bench.stacks bench/out/profile/service-1234.txt [--top 40] [--match consultbot]

"own" is the share of samples in the function itself, "total" the share with it anywhere
on the stack. That is usually enough to see what to fix; py-spy can draw a flame graph
from the same samples (`py-spy record --format flamegraph`).
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path


def summarise(lines: list[str]) -> tuple[int, Counter[str], Counter[str]]:
    """(samples, own samples per frame, samples per frame anywhere on the stack)."""
    own: Counter[str] = Counter()
    total: Counter[str] = Counter()
    samples = 0
    for line in lines:
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = [_function(frame) for frame in stack.split(";")]
        n = int(count)
        samples += n
        own[frames[-1]] += n
        for frame in set(frames):
            total[frame] += n
    return samples, own, total


def _function(frame: str) -> str:
    """`name (path:line)` -> `name (path)`: lines of one function counted together."""
    name, _, where = frame.partition(" (")
    path = where.rstrip(")").rsplit(":", 1)[0]
    for marker in ("site-packages/", "/work/main/", "python3.11/"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{name} ({path})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--match", default="", help="only frames whose name contains this")
    args = parser.parse_args()
    lines = [line for path in args.files for line in path.read_text().splitlines()]
    samples, own, total = summarise(lines)
    print(f"{samples} samples")
    for title, counter in (("by total", total), ("by own", own)):
        print(f"\n{title}:  total   own  function")
        shown = [(f, n) for f, n in counter.most_common() if args.match in f][: args.top]
        for frame, _ in shown:
            print(f"  {100 * total[frame] / samples:12.1f}% {100 * own[frame] / samples:5.1f}%"
                  f"  {frame}")


if __name__ == "__main__":
    main()
