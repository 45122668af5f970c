#!/usr/bin/env python3
"""The most power any leniency rule can have on the `power-20` calibration design.

An oracle that knows the noise (SD 1.5) and reads the planted firm against the expert panel alone
(the only evaluator it shares objects with) flags it when its z bound, mean(firm - panel) -
z * sqrt(2 * 1.5^2 / n), is above the 2-point threshold, and only with 3 shared objects or more
(issue 19's rule). jixiao estimates the noise (a t bound) and reads the firm against all others,
so it can only do worse. The design is `jixiao calibrate`'s: 72 unit-years of 5 objects, one of
20 firms drawn for each unit-year, the panel on each object with probability 0.3, the firm +4.5.

Usage: python3 scripts/oracle_power.py [panels]   (standard library only)
"""
import math
import random
import sys
from statistics import NormalDist


def main() -> None:
    panels = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    rng = random.Random(1)
    sd, bias, threshold = 1.5, 4.5, 2.0
    shared = []
    for _ in range(panels):
        n = 0
        for _unit_year in range(72):
            if rng.randrange(20) == 0:
                n += sum(rng.random() < 0.3 for _ in range(5))
        shared.append(n)
    print(f"panels: {panels}; planted firm's shared objects: mean {sum(shared) / panels:.2f}, "
          f"3 or more in {sum(n >= 3 for n in shared) / panels:.1%}")
    for level in (0.95, 0.90):
        z = NormalDist().inv_cdf(level)
        power = 0.0
        for n in shared:
            if n >= 3:
                se = math.sqrt(2 * sd * sd / n)
                power += 1 - NormalDist().cdf((threshold + z * se - bias) / se)
        print(f"oracle power at one-sided {level:.0%}: {power / panels:.1%}")


if __name__ == "__main__":
    main()
