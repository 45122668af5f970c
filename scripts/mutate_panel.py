#!/usr/bin/env python3
"""Single-file mutations of a valid panel, each benched: how many runs still make tables, how
many refuse, whether every refusal names a line, and that none panics (issue #23).

Usage: scripts/mutate_panel.py [--bin PATH] [--n 300] [--seed 1] [--keep DIR] [--verbose]

A small synthetic panel (1 district, 4 units, CSV; and the same as Parquet for row-group
damage) is made with `jixiao synth`; each run copies it, damages one file once (a ragged row,
a stray quote, an invalid byte, a truncated file, a byte-order mark or NUL bytes inside, a
deleted, doubled or split line, a random byte; a damaged Parquet row group) and runs
`jixiao bench`. Outcomes:
  ok          exit 0 (the damage changed a text cell, or nothing the checks see)
  set aside   exit 1 with the tables written: broken rows set aside, the rest benched
  refused     exit 1 without tables (errors in rows that were read: a bad cell, a dangling key)
  unreadable  exit 3 (the file as a whole cannot be read: e.g. its header is damaged)
  other       any other exit: a bug
A failing run "names a line" when its stderr says `line N`, `row N` or `row group N`; the
last column counts failing runs whose last line (all that `--quiet` leaves) names none.
Standard library only; prints a table of outcomes per kind of damage and the totals.
"""

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict

NAMES_A_LINE = re.compile(r"\b(line|lines|row|row group) \d+")


def mutate_csv(rng, data):
    """One kind of damage to the bytes of a CSV file; returns (kind, bytes)."""
    lines = data.split(b"\n")
    body = [i for i in range(1, len(lines)) if lines[i]]
    kind = rng.choice(
        [
            "ragged: fields added",
            "ragged: fields cut",
            "stray quote",
            "invalid byte",
            "truncated file",
            "BOM inside",
            "NUL bytes",
            "byte deleted",
            "line doubled",
            "line break removed",
            "line break inserted",
            "random byte",
        ]
    )
    i = rng.choice(body)
    line = lines[i]
    pos = rng.randrange(len(line) + 1)
    if kind == "ragged: fields added":
        lines[i] = line + b",x" * rng.randint(1, 3)
    elif kind == "ragged: fields cut":
        commas = [k for k, c in enumerate(line) if c == ord(",")]
        lines[i] = line[: rng.choice(commas)] if commas else line[: len(line) // 2]
    elif kind == "stray quote":
        cells = [0] + [k + 1 for k, c in enumerate(line) if c == ord(",")]
        at = rng.choice(cells) if rng.random() < 0.7 else pos
        lines[i] = line[:at] + b'"' + line[at:]
    elif kind == "invalid byte":
        lines[i] = line[:pos] + bytes([rng.choice([0x80, 0xBF, 0xC3, 0xE4, 0xFE, 0xFF])]) + line[pos:]
    elif kind == "truncated file":
        cut = rng.randrange(len(data) // 2, len(data))
        return kind, data[:cut]
    elif kind == "BOM inside":
        lines[i] = line[:pos] + b"\xef\xbb\xbf" + line[pos:]
    elif kind == "NUL bytes":
        n = rng.choice([1, 4, 64, 600])
        flat = b"\n".join(lines)
        at = rng.randrange(len(lines[0]) + 1, len(flat))
        return kind, flat[:at] + b"\0" * n + flat[at + (n if rng.random() < 0.5 else 0):]
    elif kind == "byte deleted":
        if line:
            p = rng.randrange(len(line))
            lines[i] = line[:p] + line[p + 1 :]
    elif kind == "line doubled":
        lines.insert(i, line)
    elif kind == "line break removed":
        if i + 1 < len(lines):
            lines[i] = line + lines.pop(i + 1)
    elif kind == "line break inserted":
        lines[i] = line[:pos] + b"\n" + line[pos:]
    else:
        lines[i] = line[:pos] + bytes([rng.randrange(256)]) + line[pos + 1 :]
    return kind, b"\n".join(lines)


def mutate_parquet(rng, data):
    """Damage bytes in the middle of a Parquet file (inside its row groups, not the footer)."""
    footer = int.from_bytes(data[-8:-4], "little") + 8
    end = len(data) - footer
    at = rng.randrange(4, max(5, end - 16))
    n = rng.choice([1, 4, 16])
    b = bytearray(data)
    for k in range(at, min(at + n, end)):
        b[k] = (b[k] ^ rng.randrange(1, 256)) if rng.random() < 0.5 else 0
    return "Parquet bytes damaged", bytes(b)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=None, help="jixiao binary (default: the release build)")
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--keep", default=None, help="copy each run that panics or names no line here")
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    target = os.environ.get("CARGO_TARGET_DIR", os.path.expanduser("~/.cache/jixiao-target"))
    jx = a.bin or os.path.join(target, "release", "jixiao")
    rng = random.Random(a.seed)
    work = tempfile.mkdtemp(prefix="jixiao-mutate-")
    panels = {}
    for fmt in ["csv", "parquet"]:
        p = os.path.join(work, f"panel-{fmt}")
        subprocess.run(
            [jx, "synth", "--out", p, "--districts", "1", "--units", "4", "--format", fmt, "-q"],
            check=True,
        )
        panels[fmt] = p
    tables = ["units", "evaluations", "indicators"]
    by_kind = defaultdict(Counter)
    unnamed = []
    for k in range(a.n):
        # One run in ten damages a Parquet panel; the rest a CSV panel, the file chosen by size
        # as a random damaged byte would be (indicators most often).
        fmt = "parquet" if k % 10 == 9 else "csv"
        src = panels[fmt]
        sizes = [os.path.getsize(os.path.join(src, f"{t}.{fmt}")) for t in tables]
        table = rng.choices(tables, weights=[max(s, 1) ** 0.5 for s in sizes])[0]
        d = os.path.join(work, f"run-{k}")
        shutil.copytree(src, d)
        path = os.path.join(d, f"{table}.{fmt}")
        data = open(path, "rb").read()
        kind, bad = (mutate_parquet if fmt == "parquet" else mutate_csv)(rng, data)
        open(path, "wb").write(bad)
        out = os.path.join(d, "out")
        r = subprocess.run([jx, "bench", d, "--out", out], capture_output=True)
        err = r.stderr.decode("utf-8", "replace")
        tables_written = os.path.exists(os.path.join(out, "scores.csv"))
        if "panicked" in err or "RUST_BACKTRACE" in err:
            outcome = "panic"
        elif r.returncode == 0:
            outcome = "ok"
        elif r.returncode == 1 and tables_written:
            outcome = "set aside"
        elif r.returncode == 1:
            outcome = "refused"
        elif r.returncode == 3:
            outcome = "unreadable"
        else:
            outcome = f"other (exit {r.returncode})"
        by_kind[f"{kind} ({table})"][outcome] += 1
        names = bool(NAMES_A_LINE.search(err))
        last = err.strip().splitlines()[-1] if err.strip() else ""
        names_last = bool(NAMES_A_LINE.search(last))
        if r.returncode != 0:
            by_kind[f"{kind} ({table})"]["names a line" if names else "NAMES NO LINE"] += 1
            if not names_last:
                by_kind[f"{kind} ({table})"]["LAST LINE NAMES NONE"] += 1
        if outcome == "panic" or (r.returncode != 0 and not names_last):
            unnamed.append((k, kind, table, r.returncode, last[:160]))
            if a.keep:
                shutil.copytree(d, os.path.join(a.keep, f"run-{k}"), dirs_exist_ok=True)
        if a.verbose:
            print(k, kind, table, outcome, last[:200], flush=True)
        shutil.rmtree(d)
    total = Counter()
    outcomes = ["ok", "set aside", "refused", "unreadable", "panic"]
    print(f"{a.n} single-file mutations of a 4-unit panel, seed {a.seed}, {jx}")
    head = f"{'damage (file)':<44}" + "".join(f"{o:>11}" for o in outcomes)
    print(head + f"{'no line':>9}{'last line':>11}")
    for kind in sorted(by_kind):
        c = by_kind[kind]
        total.update(c)
        row = f"{kind:<44}" + "".join(f"{c[o]:>11}" for o in outcomes)
        print(row + f"{c['NAMES NO LINE']:>9}{c['LAST LINE NAMES NONE']:>11}")
    others = {o: n for o, n in total.items() if o.startswith("other")}
    row = f"{'total':<44}" + "".join(f"{total[o]:>11}" for o in outcomes)
    print(row + f"{total['NAMES NO LINE']:>9}{total['LAST LINE NAMES NONE']:>11}")
    if others:
        print("other exits:", others)
    for u in unnamed[:20]:
        print("  last line names no line, or panic:", u)
    shutil.rmtree(work)
    return 1 if total["panic"] or others else 0


if __name__ == "__main__":
    sys.exit(main())
