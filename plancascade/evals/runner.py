"""Run presets over problems: concurrently, each result appended to OUT/results.jsonl as soon as it is done,
finished items skipped on a rerun, and every model response cached in OUT/cache.sqlite so nothing is paid twice.
"""

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from plancascade.errors import ConfigError
from plancascade.evals.datasets import Problem
from plancascade.evals.grading import is_correct
from plancascade.graphs.config import CascadeConfig
from plancascade.graphs.cope import build_graph
from plancascade.graphs.presets import PRESETS
from plancascade.models.pricing import total_usd
from plancascade.models.specs import describe_model

RESULTS, CACHE, MANIFEST = "results.jsonl", "cache.sqlite", "run.json"


@dataclass
class EvalOutcome:
    finished: int = 0  # results written by this run
    skipped: int = 0  # results found from an earlier run
    failures: list[str] = field(default_factory=list)  # one message per item that failed (it is retried on a rerun)


def read_results(out: Path) -> list[dict]:
    """The results so far. A line torn by a kill (no newline, not JSON) is dropped; its item runs again."""
    path = out / RESULTS
    if not path.exists():
        return []
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return records


def _drop_torn_line(path: Path) -> None:
    if path.exists() and (data := path.read_bytes()) and not data.endswith(b"\n"):
        path.write_bytes(data[: data.rfind(b"\n") + 1])


def sample_overrides(preset: str, samples: int | None) -> dict[int, dict]:
    """Stage overrides that set every multi-sample stage of a preset to `samples` (the paper's n ablation)."""
    if samples is None or preset not in PRESETS:
        return {}
    return {number: {"samples": samples} for number, stage in enumerate(PRESETS[preset], 1) if stage.samples > 1}


def _model_name(model) -> str:
    return model if isinstance(model, str) else ":".join(describe_model(model))


def _check_manifest(out: Path, manifest: dict) -> None:
    """One output folder holds one experiment: rerunning with other models or settings would mix results."""
    path = out / MANIFEST
    if path.exists():
        before = json.loads(path.read_text())
        if before != manifest:
            changed = sorted(key for key in manifest.keys() | before.keys() if before.get(key) != manifest.get(key))
            raise ConfigError(
                f"{out} holds a run with other settings ({', '.join(changed)}: {before} vs {manifest}); "
                "rerun with the same settings to resume it, or pass another --out"
            )
    else:
        path.write_text(json.dumps(manifest, indent=2) + "\n")


def _record(preset: str, stages: int, problem: Problem, result: dict, seconds: float) -> dict:
    tokens: dict[str, dict[str, int]] = {}
    for call in result["calls"]:
        tier = tokens.setdefault(call["tier"], {"input": 0, "output": 0})
        tier["input"] += call["input_tokens"]
        tier["output"] += call["output_tokens"]
    paid = [c for c in result["calls"] if c["usd"] is None or c["usd"] > 0]  # priced, or of unknown price
    return {
        "preset": preset,
        "id": problem["id"],
        "level": problem["level"],
        "subject": problem["subject"],
        "reference": problem["reference"],
        "answer": result["answer"],
        "correct": is_correct(result["answer"], problem["reference"], problem["grader"]),
        "stage": result["stage"],
        "stages": stages,
        "confidence": result["confidence"],
        "tokens": tokens,
        "paid_tokens": sum(c["input_tokens"] + c["output_tokens"] for c in paid),
        "usd": total_usd(result["calls"]),
        "usd_uncached": total_usd(result["calls"], uncached=True),
        "seconds": seconds,
        "calls": result["calls"],
    }


async def run_eval(
    problems: list[Problem],
    presets: list[str],
    base: CascadeConfig,
    out: Path,
    *,
    dataset: str,
    concurrency: int = 8,
    samples: int | None = None,
    on_result: Callable[[dict], None] | None = None,
) -> EvalOutcome:
    """Run every (preset, problem) not yet in OUT/results.jsonl, at most `concurrency` at a time."""
    if concurrency < 1:
        raise ConfigError("--concurrency must be at least 1")
    configs = {
        preset: CascadeConfig(
            **{
                **dict(base),
                "preset": preset,
                "stage_overrides": sample_overrides(preset, samples),
                "cache_path": str(out / CACHE),
            }
        )
        for preset in presets
    }
    stages = {preset: len(config.check()) for preset, config in configs.items()}
    out.mkdir(parents=True, exist_ok=True)
    _check_manifest(
        out,
        {
            "dataset": dataset,
            "models": {tier: _model_name(m) for tier, m in base.models.items()},
            "samples": samples,
            "max_tokens": base.max_tokens,
            "seed": base.seed,
        },
    )
    done = {(r["preset"], r["id"]) for r in read_results(out)}
    todo = [(preset, problem) for problem in problems for preset in presets if (preset, problem["id"]) not in done]
    outcome = EvalOutcome(skipped=len(problems) * len(presets) - len(todo))
    graph = build_graph().compile()
    limit = asyncio.Semaphore(concurrency)
    _drop_torn_line(out / RESULTS)

    with (out / RESULTS).open("a", encoding="utf-8") as sink:

        async def run_one(preset: str, problem: Problem) -> None:
            async with limit:
                started = time.perf_counter()
                result = await graph.ainvoke({"question": problem["question"]}, context=configs[preset])
                seconds = time.perf_counter() - started
            if result.get("error"):
                outcome.failures.append(f"{preset} on {problem['id']}: {result['error']}")
                return
            record = _record(preset, stages[preset], problem, result, seconds)
            sink.write(json.dumps(record) + "\n")
            sink.flush()  # a kill loses at most the items still running
            outcome.finished += 1
            if on_result:
                on_result(record)

        await asyncio.gather(*(run_one(preset, problem) for preset, problem in todo))
    return outcome
