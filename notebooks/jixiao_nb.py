"""Helpers shared by the notebooks: find the jixiao binary, run it, and set up matplotlib with
the project's bundled Chinese font (so figures show real glyphs on any machine)."""

import os
import pathlib
import shutil
import subprocess

import matplotlib
from matplotlib import font_manager
import matplotlib.pyplot as plt

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "notebooks" / "_out"
FONT = ROOT / "assets" / "fonts" / "NotoSansSC-jixiao-subset.otf"


def jixiao_command():
    """The jixiao binary: $JIXIAO_BIN, then a release build, then `cargo run --release`."""
    env = os.environ.get("JIXIAO_BIN")
    if env:
        return [env]
    target = os.environ.get("CARGO_TARGET_DIR", str(pathlib.Path.home() / ".cache" / "jixiao-target"))
    built = pathlib.Path(target) / "release" / "jixiao"
    if built.is_file():
        return [str(built)]
    if shutil.which("jixiao"):
        return ["jixiao"]
    return ["cargo", "run", "--release", "-q", "--"]


def jixiao(*args):
    """Run a jixiao command from the repository root; print what it says; fail loudly."""
    cmd = jixiao_command() + [str(a) for a in args]
    print("$ jixiao " + " ".join(str(a) for a in args))
    r = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"jixiao failed ({r.returncode}):\n{r.stderr}")
    return r


def bench(dataset, name, *extra):
    """`jixiao bench DATASET --format parquet` into notebooks/_out/NAME; returns the folder."""
    out = OUT / name
    # Paths relative to the repository, so the printed commands read the same on any machine.
    jixiao("bench", dataset, "--out", out.relative_to(ROOT), "--format", "parquet", "--quiet", *extra)
    return out


def setup_plots():
    font_manager.fontManager.addfont(str(FONT))
    name = font_manager.FontProperties(fname=str(FONT)).get_name()
    matplotlib.rcParams["font.family"] = name
    matplotlib.rcParams["axes.unicode_minus"] = False
    matplotlib.rcParams["figure.dpi"] = 100
    return name


EVALUATOR_LABEL = {"self": "自评", "third_party": "第三方", "expert_panel": "专家评分", "finance_bureau": "财政部门"}
