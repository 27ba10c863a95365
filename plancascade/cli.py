"""The `plancascade` command line: solve one problem (and, later, evaluate presets on a benchmark)."""

import asyncio
import json
from collections import defaultdict
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from plancascade.errors import ConfigError
from plancascade.evals.datasets import load_problems
from plancascade.evals.report import PresetSummary, settled_cell, write_report
from plancascade.evals.runner import read_results, run_eval
from plancascade.graphs.config import CLOUD_DEFAULT, EMBEDDED, CascadeConfig, default_models
from plancascade.graphs.cope import build_graph
from plancascade.graphs.presets import PRESETS
from plancascade.models.failures import ModelCallError

app = typer.Typer(
    pretty_exceptions_enable=False,
    help="A small free LLM and a large paid LLM solve reasoning problems together (COPE).",
)
console = Console()
errors = Console(stderr=True)

SmallOption = Annotated[
    str | None, typer.Option("--small", help=f"small tier model spec, e.g. ollama:qwen2.5:1.5b (default: {EMBEDDED})")
]
LargeOption = Annotated[
    str | None,
    typer.Option(
        "--large", help=f"large tier model spec (default: {CLOUD_DEFAULT} if OPENAI_API_KEY is set, else {EMBEDDED})"
    ),
]
SmallUrlOption = Annotated[str | None, typer.Option("--small-base-url", help="server URL for the small tier")]
LargeUrlOption = Annotated[str | None, typer.Option("--large-base-url", help="server URL for the large tier")]
PresetOption = Annotated[str, typer.Option("--preset", help=f"one of: {', '.join(PRESETS)}")]
DebugOption = Annotated[bool, typer.Option("--debug", help="show tracebacks")]


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):  # our own checks inside pydantic validation: show them unwrapped
        return "; ".join(
            str(e.get("ctx", {}).get("error") or f"{'.'.join(map(str, e['loc']))}: {e['msg']}") for e in error.errors()
        )
    return str(error)


def _fail(error: Exception, debug: bool) -> None:
    """One line saying what is wrong and how to fix it; exit code 2. Tracebacks only with --debug."""
    if debug:
        raise error
    errors.print(f"[bold red]error:[/] {_message(error)}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


@app.callback()
def main() -> None:
    """plancascade: plan with a small model, escalate to a large one only when unsure."""


@app.command()
def solve(
    question: Annotated[str, typer.Argument(help="the problem to solve")],
    small: SmallOption = None,
    large: LargeOption = None,
    small_base_url: SmallUrlOption = None,
    large_base_url: LargeUrlOption = None,
    preset: PresetOption = "cope",
    seed: Annotated[int, typer.Option(help="base seed; sample i uses seed + i")] = 0,
    max_tokens: Annotated[int, typer.Option(help="output token limit per call")] = 1024,
    as_json: Annotated[bool, typer.Option("--json", help="print the output state as JSON")] = False,
    debug: DebugOption = False,
) -> None:
    """Solve one problem and show the answer, the stage that settled it, the plans and the cost."""
    try:
        config = CascadeConfig(
            models=models_for(small, large),
            base_urls={tier: url for tier, url in (("small", small_base_url), ("large", large_base_url)) if url},
            preset=preset,
            seed=seed,
            max_tokens=max_tokens,
        )
        # The graph checks the question and builds every model before its first call: set-up errors surface here.
        result = asyncio.run(build_graph(config).compile().ainvoke({"question": question}))
    except (ConfigError, ValidationError) as error:
        _fail(error, debug)
    if as_json:
        print(json.dumps(result, indent=2))
    elif not result.get("error"):
        show_result(result)
    if result.get("error"):
        _fail(ModelCallError(result["error"]), debug)


def models_for(small: str | None, large: str | None) -> dict[str, str]:
    """The tier specs: the flags, else the defaults; says plainly when the bundled model plays the large tier."""
    models = default_models()
    models.update({tier: spec for tier, spec in (("small", small), ("large", large)) if spec})
    if models["large"] == EMBEDDED:
        errors.print(
            "[yellow]note:[/] no cloud model is configured (OPENAI_API_KEY is not set), so the bundled 135M model "
            "plays the large tier too. It is a plumbing demo and often wrong. For real answers point the tiers at "
            "Ollama and a cloud model: --small ollama:qwen2.5:1.5b --large openai:gpt-4o-mini "
            "(or --large huggingface:REPO_ID with HF_TOKEN).",
            highlight=False,
        )
    return models


def show_result(result: dict) -> None:
    console.print(f"[bold]Answer:[/] {result['answer']}", highlight=False)
    console.print(
        f"settled at stage {result['stage']} with consensus {result['confidence']:.2f}; paid ${result['cost_usd']:.6f}",
        highlight=False,
    )
    stages = Table("stage", "what ran", "samples", "consensus", "threshold", "votes", "accepted", title="Stages")
    for report in result["stages"]:
        votes = ", ".join(f"{answer}: {count}" for answer, count in report["votes"].items()) or "no answers"
        stages.add_row(
            str(report["stage"]),
            report["name"],
            str(report["samples"]),
            f"{report['consensus']:.2f}",
            f"{report['threshold']:.2f}",
            votes,
            "yes" if report["accepted"] else "no",
        )
    console.print(stages)
    if result["plans"]:
        console.print("[bold]Plans[/]")
        for plan in result["plans"]:
            where = f" (sample {plan['sample']})" if plan["sample"] is not None else ""
            console.print(f"  stage {plan['stage']} {plan['kind']} by {plan['tier']}{where}: {plan['text']}")
    console.print(cost_table(result["calls"]))


def cost_table(calls: list[dict]) -> Table:
    """Calls, tokens and dollars per tier and model; unknown prices are shown as such, never as $0."""
    rows: dict[tuple[str, str], list] = defaultdict(lambda: [0, 0, 0, 0.0, False])
    for call in calls:
        row = rows[call["tier"], f"{call['provider']}:{call['model']}"]
        row[0] += 1
        row[1] += call["input_tokens"]
        row[2] += call["output_tokens"]
        row[3] += call["usd"] or 0.0
        row[4] |= call["usd"] is None
    table = Table("tier", "model", "calls", "input tokens", "output tokens", "USD", title="Cost")
    for (tier, model), (count, tokens_in, tokens_out, usd, unknown) in rows.items():
        price = "unknown price" if unknown else f"{usd:.6f}"
        table.add_row(tier, model, str(count), str(tokens_in), str(tokens_out), price)
    return table


@app.command("eval")
def evaluate(
    dataset: Annotated[str, typer.Option(help="gsm8k, math500, aime24, or a path to a .jsonl file")],
    data_dir: Annotated[
        Path | None, typer.Option(help="folder holding gsm8k/, math500/, aime24/ (default: the hub)")
    ] = None,
    presets: Annotated[
        str, typer.Option(help="comma-separated presets")
    ] = "small,small-vote,large,vote-cascade,cope,cope-lite",
    small: SmallOption = None,
    large: LargeOption = None,
    small_base_url: SmallUrlOption = None,
    large_base_url: LargeUrlOption = None,
    limit: Annotated[int | None, typer.Option(help="only the first N problems")] = None,
    concurrency: Annotated[int, typer.Option(help="problems in flight at once")] = 8,
    samples: Annotated[
        int | None, typer.Option(help="samples of every multi-sample stage (default: the paper's 8)")
    ] = None,
    seed: Annotated[int, typer.Option(help="base seed; sample i uses seed + i")] = 0,
    max_tokens: Annotated[int, typer.Option(help="output token limit per call")] = 1024,
    out: Annotated[Path | None, typer.Option(help="output folder (default: runs/DATASET)")] = None,
    debug: DebugOption = False,
) -> None:
    """Run presets over a benchmark; rerunning the same command resumes and never repeats a paid call."""
    chosen = [p.strip() for p in presets.split(",") if p.strip()]
    out = out or Path("runs") / Path(dataset).stem
    try:
        problems = load_problems(dataset, data_dir, limit)
        base = CascadeConfig(
            models=models_for(small, large),
            base_urls={tier: url for tier, url in (("small", small_base_url), ("large", large_base_url)) if url},
            seed=seed,
            max_tokens=max_tokens,
        )
        with EvalProgress(chosen, len(problems), read_results(out)) as progress:
            outcome = asyncio.run(
                run_eval(
                    problems,
                    chosen,
                    base,
                    out,
                    dataset=dataset,
                    concurrency=concurrency,
                    samples=samples,
                    on_result=progress.advance,
                )
            )
        summaries = write_report(out)
    except (ConfigError, ValidationError) as error:
        _fail(error, debug)
    except KeyboardInterrupt:
        errors.print(f"interrupted: results so far are in {out / 'results.jsonl'}; rerun the same command to resume")
        raise typer.Exit(130) from None
    console.print(summary_table(summaries))
    console.print(
        f"{outcome.finished} new results, {outcome.skipped} from earlier runs; "
        f"report: {out / 'report.md'}, plot: {out / 'frontier.png'}",
        highlight=False,
    )
    if outcome.failures:
        _fail(
            ModelCallError(
                f"{len(outcome.failures)} item(s) failed, first: {outcome.failures[0]}. Rerun the same command "
                "to retry them; finished items and cached calls are not run or paid again"
            ),
            debug,
        )


@app.command()
def report(
    out: Annotated[Path, typer.Argument(help="an eval output folder (holding results.jsonl)")],
    debug: DebugOption = False,
) -> None:
    """Re-render OUT/report.md and OUT/frontier.png from OUT/results.jsonl."""
    try:
        summaries = write_report(out)
    except ConfigError as error:
        _fail(error, debug)
    console.print(summary_table(summaries))
    console.print(f"report: {out / 'report.md'}, plot: {out / 'frontier.png'}", highlight=False)


def summary_table(summaries: list[PresetSummary]) -> Table:
    table = Table(
        "preset",
        "problems",
        "accuracy %",
        "USD / M problems",
        "settled 1 / 2 / 3",
        "latency s",
        "paid tokens",
        title="Evaluation",
    )
    for s in summaries:
        table.add_row(
            s.preset,
            str(s.problems),
            f"{s.accuracy:.1f}",
            f"{s.usd_per_million:,.2f}",
            settled_cell(s),
            f"{s.mean_seconds:.2f}",
            f"{s.paid_tokens:,}",
        )
    return table


class EvalProgress:
    """A rich progress bar per preset: done / total, running accuracy and dollars paid."""

    def __init__(self, presets: list[str], total: int, earlier: list[dict]):
        self.progress = Progress(
            TextColumn("{task.description:<14}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[stats]}"),
            console=errors,
        )
        self.stats = {preset: [0, 0, 0.0] for preset in presets}  # done, correct, usd
        self.tasks = {}
        for preset in presets:
            for record in earlier:
                if record["preset"] == preset:
                    self._count(record)
            self.tasks[preset] = self.progress.add_task(
                preset, total=total, completed=self.stats[preset][0], stats=self._stats(preset)
            )

    def _count(self, record: dict) -> None:
        stats = self.stats[record["preset"]]
        stats[0] += 1
        stats[1] += record["correct"]
        stats[2] += record["usd"]

    def _stats(self, preset: str) -> str:
        done, correct, usd = self.stats[preset]
        return f"accuracy {100 * correct / done:5.1f}%  paid ${usd:.4f}" if done else ""

    def advance(self, record: dict) -> None:
        self._count(record)
        preset = record["preset"]
        self.progress.update(self.tasks[preset], completed=self.stats[preset][0], stats=self._stats(preset))

    def __enter__(self) -> "EvalProgress":
        self.progress.start()
        return self

    def __exit__(self, *exc) -> None:
        self.progress.stop()
