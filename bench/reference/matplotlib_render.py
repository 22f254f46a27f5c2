"""The matplotlib reference for bench/render.ts: the same chart (kind, points, title, dark theme) drawn the way a
Python bot would, with matplotlib's Agg backend, to a PNG of the same size (800x450: 8x4.5 in at 100 dpi).

    python matplotlib_render.py '{"kind": "line", "points": 1000, "runs": 9, "warmup": 2, "width": 800, "height": 450}'

Prints one JSON line: the wall and CPU milliseconds of each measured render (figure, plot, savefig to PNG bytes)
and the PNG's size. The data is bench/render.ts's series(), the same formula.
"""
import io
import json
import math
import sys
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

BACKGROUND, TEXT, MUTED, GRID, AXIS, ACCENT = "#2b2d31", "#f2f3f5", "#b5bac1", "#3f4147", "#4e5058", "#5865f2"
SYMBOL_LIMIT = 60


def series(count):
    labels = [f"2026-01-{i + 1:05d}" for i in range(count)]
    values = [100 + i * 0.01 + math.sin(i / 40) * 25 + math.sin(i * 12.9898) * 5 for i in range(count)]
    return labels, values


def render(kind, labels, values, width, height):
    count = len(values)
    fig = plt.figure(figsize=(width / 100, height / 100), dpi=100, facecolor=BACKGROUND)
    ax = fig.add_subplot()
    ax.set_facecolor(BACKGROUND)
    x = range(count)
    if kind == "bar":
        ax.bar(x, values, color=ACCENT, width=0.8 if count <= SYMBOL_LIMIT else 1.0)
    else:
        ax.plot(x, values, color=ACCENT, linewidth=2, marker="o" if count <= SYMBOL_LIMIT else None, markersize=6)
    ax.set_title(f"{count:,} points", color=TEXT, fontsize=14, fontweight="bold")
    step = max(1, count // 7)
    ax.set_xticks(list(x)[::step], labels[::step], color=MUTED)
    ax.tick_params(colors=MUTED)
    ax.grid(axis="y", color=GRID)
    for spine in ax.spines.values():
        spine.set_color(AXIS)
    out = io.BytesIO()
    fig.savefig(out, format="png", facecolor=BACKGROUND)
    plt.close(fig)
    return out.getvalue()


def main():
    config = json.loads(sys.argv[1])
    labels, values = series(config["points"])
    size = (config["width"], config["height"])
    for _ in range(config["warmup"]):
        render(config["kind"], labels, values, *size)
    walls, cpus, png = [], [], b""
    budget_s = config.get("budget_s", 30)
    started = time.perf_counter()
    for i in range(config["runs"]):
        wall, cpu = time.perf_counter(), time.process_time()
        png = render(config["kind"], labels, values, *size)
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
        # Thousands of bars take matplotlib seconds each: stop at the time budget (at least 3 runs).
        if i >= 2 and time.perf_counter() - started > budget_s:
            break
    print(json.dumps({"wall_ms": walls, "cpu_ms": cpus, "png_bytes": len(png), "matplotlib": matplotlib.__version__,
                      "python": sys.version.split()[0]}))


main()
