"""Decisions per second of ``resguardo.policy.decide`` on one core, in process.

Decides a fixed sample of the standard diff matrix (every requester kind x purpose x legal
process x category group x record system; 7 categories per request on average) under
every shipped pack, and prints decisions/s:

- ``decide(), every shape new``: the memo is cleared (its entries and its doorkeeper)
  before each pass, so no decision finds its shape there (the memo's hit count is printed
  to show it): every decision runs the rules. This is the worst case, and the figure the
  policy engine must keep at 50,000/s or more.
- ``decide(), memo disabled``: the same without the memo at all (cap 0).
- ``decide(), repeated shapes``: the steady state. A compiled pack remembers the request
  shapes it has seen more than once (a decision depends only on the shape, not on the
  requester's name), so a repeated shape costs a normalisation and a look-up.
- ``decide() + to_json()``: with the explanation and reply in two languages, for repeated
  shapes (texts cached per shape) and for new shapes (texts cached by what they say).

Times are CPU seconds of this process (``time.process_time``), pinned to one core where
the OS allows, so a busy machine distorts them less; each figure is measured ``--repeat``
times and the median is printed with the range. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/decision_throughput.py [--seconds 1] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections.abc import Callable

from resguardo.policy import Decision, Pack, Request, decide, default_registry, render
from resguardo.policy.engine import MEMO_SIZE, compiled
from resguardo.policy.matrix import standard_matrix


def _rate(
    work: list[tuple[Request, Pack]],
    seconds: float,
    each: Callable[[Decision], object] | None = None,
    before_pass: Callable[[], None] | None = None,
) -> float:
    """Decisions per CPU second over whole passes of ``work`` (``before_pass`` untimed)."""
    done, spent = 0, 0.0
    while spent < seconds:
        if before_pass is not None:
            before_pass()
        start = time.process_time()
        if each is None:
            for request, pack in work:
                decide(request, pack)
        else:
            for request, pack in work:
                each(decide(request, pack))
        spent += time.process_time() - start
        done += len(work)
    return done / spent


def _hits(packs: list[Pack]) -> int:
    return sum(compiled(p).memo.hits for p in packs)


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1.0, help="CPU time per measurement")
    parser.add_argument("--repeat", type=int, default=5, help="measurements per figure")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core, honestly
        cpus = f"pinned to CPU {min(os.sched_getaffinity(0))}"
    else:
        cpus = "not pinned (no sched_setaffinity)"

    packs = default_registry().all()
    requests = [cell.request for cell in standard_matrix()]
    # A fixed pseudo-random sample: every group, kind, purpose and process is represented.
    sample = random.Random(2019).sample(requests, min(2000, len(requests)))
    work = [(r, p) for p in packs for r in sample]

    def clear_memos() -> None:
        for p in packs:
            compiled(p).memo.clear()

    def set_memo_size(size: int) -> None:
        for p in packs:
            compiled(p).memo.resize(size)

    def to_json(d: Decision) -> object:
        return d.to_json()

    def figure(label: str, measure: Callable[[], float]) -> None:
        hits = _hits(packs)
        rates = [measure() for _ in range(args.repeat)]
        hits = _hits(packs) - hits
        print(
            f"{label:36s} {statistics.median(rates):>9,.0f} decisions/s"
            f"  (range {min(rates):,.0f}-{max(rates):,.0f}; memo hits {hits:,})"
        )

    for _ in range(3):  # compile every pack, warm the caches, let the memo admit the shapes
        for r, p in work:
            decide(r, p).to_json()

    mean_cats = sum(len(r.categories) for r in sample) / len(sample)
    print(
        f"packs: {len(packs)}; requests per pass: {len(work)}; "
        f"categories/request: {mean_cats:.1f}; {cpus}; CPU time, median of {args.repeat}"
    )
    print(
        f"memo: at most {MEMO_SIZE:,} shapes per pack (LRU; a shape is kept from its second "
        f"sighting); texts: {render.EXPLANATION_CACHE_SIZE:,} explanations, "
        f"{render.REPLY_CACHE_SIZE:,} replies (LRU)"
    )
    figure(
        "decide(), every shape new:",
        lambda: _rate(work, args.seconds, before_pass=clear_memos),
    )
    set_memo_size(0)
    figure("decide(), memo disabled:", lambda: _rate(work, args.seconds))
    set_memo_size(MEMO_SIZE)
    for _ in range(2):  # the memo admits shapes on their second sighting
        for r, p in work:
            decide(r, p)
    figure("decide(), repeated shapes:", lambda: _rate(work, args.seconds))
    figure("decide() + to_json(), repeated:", lambda: _rate(work, args.seconds, each=to_json))
    sizes = [len(compiled(p).memo) for p in packs]
    print(
        f"memo entries, repeated shapes: {sum(sizes):,} in {len(packs)} packs (max {max(sizes):,})"
    )
    figure(
        "decide() + to_json(), new shapes:",
        lambda: _rate(work, args.seconds, each=to_json, before_pass=clear_memos),
    )


if __name__ == "__main__":
    main()
