"""The paper-style report of an evaluation: OUT/report.md (tables) and OUT/frontier.png (accuracy vs cost)."""

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from plancascade.errors import ConfigError
from plancascade.evals.runner import MANIFEST, read_results
from plancascade.graphs.presets import PRESETS

MAX_STAGES = 3  # columns for "settled at stage 1 / 2 / 3"


@dataclass
class PresetSummary:
    preset: str
    problems: int
    correct: int
    stages: int  # how many stages the preset has
    settled: dict[int, int]  # stage -> problems settled there
    usd_paid: float  # paid in the runs that produced these results
    usd_uncached: float  # as if nothing had been cached
    seconds: float  # summed latency per problem
    paid_tokens: int
    calls: int
    cached_calls: int  # answered from the response cache (shared with another preset or an earlier run)
    by_level: dict[int, tuple[int, int]] = field(default_factory=dict)  # level -> (correct, problems)

    @property
    def accuracy(self) -> float:
        return 100.0 * self.correct / self.problems

    @property
    def usd_per_million(self) -> float:
        """USD per million problems, as if uncached: the paper's cost figure."""
        return self.usd_uncached / self.problems * 1e6

    @property
    def mean_seconds(self) -> float:
        return self.seconds / self.problems


def summarize(records: list[dict]) -> list[PresetSummary]:
    """One summary per preset, in the order of PRESETS (then any others, by name)."""
    grouped: dict[str, list[dict]] = defaultdict(list)
    for record in records:
        grouped[record["preset"]].append(record)
    order = [p for p in PRESETS if p in grouped] + sorted(p for p in grouped if p not in PRESETS)
    summaries = []
    for preset in order:
        rows = grouped[preset]
        settled: dict[int, int] = defaultdict(int)
        by_level: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        for row in rows:
            settled[row["stage"]] += 1
            if row.get("level") is not None:
                by_level[row["level"]][0] += row["correct"]
                by_level[row["level"]][1] += 1
        summaries.append(
            PresetSummary(
                preset=preset,
                problems=len(rows),
                correct=sum(r["correct"] for r in rows),
                stages=max(r["stages"] for r in rows),
                settled=dict(settled),
                usd_paid=sum(r["usd"] for r in rows),
                usd_uncached=sum(r["usd_uncached"] for r in rows),
                seconds=sum(r["seconds"] for r in rows),
                paid_tokens=sum(r["paid_tokens"] for r in rows),
                calls=sum(len(r["calls"]) for r in rows),
                cached_calls=sum(c["cached"] for r in rows for c in r["calls"]),
                by_level={level: (c, n) for level, (c, n) in sorted(by_level.items())},
            )
        )
    return summaries


def settled_cell(summary: PresetSummary) -> str:
    return " / ".join(
        str(summary.settled.get(stage, 0)) if stage <= summary.stages else "-" for stage in range(1, MAX_STAGES + 1)
    )


def render_markdown(summaries: list[PresetSummary], title: str) -> str:
    lines = [
        f"# {title}",
        "",
        "| preset | problems | accuracy % | USD per million problems | settled at stage 1 / 2 / 3 "
        "| mean latency s | paid tokens | cached calls % |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for s in summaries:
        lines.append(
            f"| {s.preset} | {s.problems} | {s.accuracy:.1f} | {s.usd_per_million:,.2f} | {settled_cell(s)} "
            f"| {s.mean_seconds:.2f} | {s.paid_tokens:,} | {100 * s.cached_calls / max(s.calls, 1):.0f} |"
        )
    paid, uncached = sum(s.usd_paid for s in summaries), sum(s.usd_uncached for s in summaries)
    lines += [
        "",
        f"Cost of this run: ${paid:.6f}. Cost as if uncached: ${uncached:.6f} (the figure comparable to the paper; "
        "identical calls shared between presets and reruns were paid once).",
        "USD per million problems uses the uncached cost. Mean latency is wall time per problem in this run, "
        "with other problems running concurrently; calls answered from the cache take no time, so presets with "
        "many cached calls look faster than they would alone.",
    ]
    levels = sorted({level for s in summaries for level in s.by_level})
    if levels:
        counts = {level: max(s.by_level.get(level, (0, 0))[1] for s in summaries) for level in levels}
        lines += [
            "",
            "## Accuracy % by level",
            "",
            "| preset | " + " | ".join(f"level {lv} (n={counts[lv]})" for lv in levels) + " |",
            "|---|" + "---|" * len(levels),
        ]
        for s in summaries:
            cells = [
                f"{100 * c / n:.1f}" if (c, n) != (0, 0) and n else "-"
                for c, n in (s.by_level.get(lv, (0, 0)) for lv in levels)
            ]
            lines.append(f"| {s.preset} | " + " | ".join(cells) + " |")
    lines += ["", "![accuracy vs cost](frontier.png)", ""]
    return "\n".join(lines)


def plot_frontier(summaries: list[PresetSummary], path: Path, title: str) -> None:
    """Accuracy vs USD per million problems, one labelled point per preset (presets that land on the same
    point share one label)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    points: dict[tuple[float, float], list[str]] = defaultdict(list)
    for s in summaries:
        points[round(s.usd_per_million, 6), round(s.accuracy, 6)].append(s.preset)
    figure, axes = plt.subplots(figsize=(7, 4.5), dpi=120)
    for (x, y), presets in points.items():
        axes.scatter(x, y, s=40)
        axes.annotate(", ".join(presets), (x, y), textcoords="offset points", xytext=(6, 4), fontsize=9)
    xs, ys = [x for x, _ in points], [y for _, y in points]
    span = max(xs) or 1.0
    axes.set_xlim(-0.05 * span, 1.3 * span)  # room for the labels on the right; costs are never negative
    axes.set_ylim(max(0.0, min(ys) - 10), min(100.0, max(ys) + 10) + 2)
    axes.set_xlabel("USD per million problems (as if uncached)")
    axes.set_ylabel("accuracy %")
    axes.set_title(title, fontsize=9, wrap=True)
    axes.grid(alpha=0.3)
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


def write_report(out: Path) -> list[PresetSummary]:
    """Render OUT/report.md and OUT/frontier.png from OUT/results.jsonl."""
    records = read_results(out)
    if not records:
        raise ConfigError(f"no results in {out}: run `plancascade eval ... --out {out}` first")
    manifest_path = out / MANIFEST
    title = "plancascade evaluation"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        models = ", ".join(f"{tier} = {name}" for tier, name in manifest["models"].items())
        title = f"plancascade evaluation: {manifest['dataset']} ({models})"
    summaries = summarize(records)
    (out / "report.md").write_text(render_markdown(summaries, title), encoding="utf-8")
    plot_frontier(summaries, out / "frontier.png", title)
    return summaries
