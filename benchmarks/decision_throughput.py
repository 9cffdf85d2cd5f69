"""Decisions per second of ``resguardo.policy.decide`` on one core, in process.

Decides a fixed sample of the standard diff matrix (every requester kind x purpose x legal
process x category group x record system; 7 categories per request on average) under
every shipped pack, and prints decisions/s:

- ``decide()``: the steady state. A compiled pack keeps a table of the request shapes it
  has decided (a decision depends only on the shape), so a repeated shape costs a
  normalisation and a look-up. Agencies see the same few shapes over and over.
- ``decide(), every shape new``: the table is cleared before each pass, so every decision
  runs the rules. This is the worst case.
- ``decide() + to_json()``: with the explanation and reply rendered in two languages.

Times are CPU seconds of this process (``time.process_time``), pinned to one core where
the OS allows, so a busy machine does not distort them. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/decision_throughput.py [--seconds 2]
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections.abc import Callable

from resguardo.policy import Decision, Pack, Request, decide, default_registry
from resguardo.policy.engine import compiled
from resguardo.policy.matrix import standard_matrix


def _rate(
    work: list[tuple[Request, Pack]],
    seconds: float,
    each: Callable[[Decision], object] | None = None,
    before_pass: Callable[[], None] | None = None,
) -> float:
    done, spent = 0, 0.0
    while spent < seconds:
        if before_pass is not None:
            before_pass()
        start = time.process_time()
        for request, pack in work:
            d = decide(request, pack)
            if each is not None:
                each(d)
        spent += time.process_time() - start
        done += len(work)
    return done / spent


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="CPU time per figure")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, honestly

    packs = default_registry().all()
    requests = [cell.request for cell in standard_matrix()]
    # A fixed pseudo-random sample: every group, kind, purpose and process is represented.
    sample = random.Random(2019).sample(requests, min(2000, len(requests)))
    work = [(r, p) for p in packs for r in sample]
    for r, p in work:  # compile every pack and fill the shape tables
        decide(r, p)

    def clear() -> None:
        for p in packs:
            compiled(p).memo.clear()

    mean_cats = sum(len(r.categories) for r in sample) / len(sample)
    print(
        f"packs: {len(packs)}; requests per pass: {len(work)}; categories/request: {mean_cats:.1f}"
    )
    print(f"decide():                        {_rate(work, args.seconds):>10,.0f} decisions/s")
    cold = _rate(work, args.seconds, before_pass=clear)
    print(f"decide(), every shape new:       {cold:>10,.0f} decisions/s")
    rendered = _rate(work, args.seconds, each=lambda d: d.to_json())
    print(f"decide() + to_json():            {rendered:>10,.0f} decisions/s")


if __name__ == "__main__":
    main()
