"""How long does scoring take for a whole clinic's history?

Synthetic histories (no database): each partner has ``--administrations`` answered
CSI-4s and PHQ-9s (24 by default, about two years every month), with a little missing
data now and then so that proration and withheld scores are part of the work. The script
scores every administration with the one generic engine and computes reliable change
from each partner's first score to every later one, then prints the time.

    .venv/bin/python bench/outcomes_scoring.py                 # 10,000 partners
    .venv/bin/python bench/outcomes_scoring.py --partners 1000 --administrations 52

Reliable change on the CSI-4 needs reliability data, which the shipped file does not
have (so the engine returns "not computable" quickly); the benchmark also runs it on a
copy with made-up SD and reliability, so that the arithmetic is timed as well.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--partners", type=int, default=10_000)
    parser.add_argument("--administrations", type=int, default=24, help="of each instrument")
    parser.add_argument("--seed", type=int, default=10)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twofold.settings")
    import django

    django.setup()
    from twofold.outcomes.instruments import Instrument, Reliability, instrument
    from twofold.outcomes.scoring import reliable_change, score

    csi = instrument("csi-4")
    csi_rc = dataclasses.replace(csi, reliability=Reliability(sd=5.0, r=0.8, source="bench"))
    phq = instrument("phq-9")
    rng = random.Random(args.seed)

    def history(inst: Instrument, n: int) -> list[dict[str, int | None]]:
        rows = []
        for _ in range(n):
            row: dict[str, int | None] = {}
            for item in inst.items:
                row[item.key] = None if rng.random() < 0.02 else rng.choice(item.options).score
            rows.append(row)
        return rows

    started = time.perf_counter()
    data = [
        (history(csi, args.administrations), history(phq, args.administrations))
        for _ in range(args.partners)
    ]
    built = time.perf_counter() - started

    scored = changes = withheld = 0
    started = time.perf_counter()
    for csi_rows, phq_rows in data:
        for inst, extra, rows in ((csi, csi_rc, csi_rows), (phq, None, phq_rows)):
            totals = []
            for row in rows:
                result = score(inst, row)
                scored += 1
                if result.total is None:
                    withheld += 1
                else:
                    totals.append(result.total)
            for later in totals[1:]:
                reliable_change(inst, totals[0], later)
                changes += 1
                if extra is not None:
                    reliable_change(extra, totals[0], later)
                    changes += 1
    elapsed = time.perf_counter() - started

    print(f"partners: {args.partners:,}; administrations each: {args.administrations} CSI-4 and")
    print(f"  {args.administrations} PHQ-9 (made in {built:.1f} s, not timed)")
    print(f"scored: {scored:,} ({withheld:,} withheld); reliable changes: {changes:,}")
    print(f"time: {elapsed:.2f} s ({elapsed / scored * 1e6:.1f} µs per administration, all in)")


if __name__ == "__main__":
    main()
