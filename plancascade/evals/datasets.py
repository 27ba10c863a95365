"""Benchmark problems from local JSONL files (GSM8K, MATH-500, AIME 2024, or your own), or from the Hugging
Face hub when the optional `datasets` package is installed and the network is there."""

import json
from pathlib import Path
from typing import Literal, TypedDict

from plancascade.errors import ConfigError

Grader = Literal["gsm8k", "math"]


class Problem(TypedDict):
    id: str
    question: str
    reference: str  # the reference final answer (GSM8K: the number after ####)
    grader: Grader
    level: int | None
    subject: str | None


# name -> (file under the data dir, Hugging Face dataset, config, split)
KNOWN: dict[str, tuple[str, str, str | None, str]] = {
    "gsm8k": ("gsm8k/test.jsonl", "openai/gsm8k", "main", "test"),
    "math500": ("math500/test.jsonl", "HuggingFaceH4/MATH-500", None, "test"),
    "aime24": ("aime24/test.jsonl", "HuggingFaceH4/aime_2024", None, "train"),
}


def _problem(record: dict, index: int, source: str) -> Problem:
    """One record in any of the known layouts: GSM8K (question, answer ending "#### N") or MATH-style
    (problem, answer, optional level / subject / unique_id / id)."""
    if "question" in record and "####" in str(record.get("answer", "")):
        reference = str(record["answer"]).rsplit("####", 1)[1].strip()
        return Problem(
            id=str(record.get("id", index)),
            question=record["question"],
            reference=reference,
            grader="gsm8k",
            level=None,
            subject=None,
        )
    if "problem" in record and "answer" in record:
        level = record.get("level")
        level = int(str(level).removeprefix("Level ")) if level not in (None, "") else None
        return Problem(
            id=str(record.get("unique_id") or record.get("id") or index),
            question=record["problem"],
            reference=str(record["answer"]),
            grader="math",
            level=level,
            subject=record.get("subject"),
        )
    raise ConfigError(
        f"{source}: record {index + 1} has fields {sorted(record)}; expected GSM8K's (question, answer with "
        "'#### N') or MATH's (problem, answer)"
    )


def read_jsonl(path: Path) -> list[Problem]:
    problems = []
    with path.open(encoding="utf-8") as lines:
        for index, line in enumerate(lines):
            if line.strip():
                try:
                    problems.append(_problem(json.loads(line), index, str(path)))
                except json.JSONDecodeError as error:
                    raise ConfigError(f"{path}: line {index + 1} is not JSON ({error.msg})") from error
    return problems


def _from_hub(name: str) -> list[Problem]:
    _, repo, config, split = KNOWN[name]
    try:
        import datasets
    except ImportError as error:
        raise ConfigError(
            f"no local copy of {name}: pass --data-dir DIR with {KNOWN[name][0]} under it, "
            "or `pip install 'plancascade[hub]'` to load it from the Hugging Face hub"
        ) from error
    try:
        rows = datasets.load_dataset(repo, config, split=split)
    except Exception as error:  # offline, renamed, gated: say what was tried
        raise ConfigError(f"could not load {repo} from the Hugging Face hub ({error}); use --data-dir") from error
    return [_problem(dict(row), index, repo) for index, row in enumerate(rows)]


def load_problems(dataset: str, data_dir: Path | None = None, limit: int | None = None) -> list[Problem]:
    """The first `limit` problems of a known dataset (from `data_dir`, else the hub) or of a JSONL file."""
    if dataset in KNOWN:
        local = data_dir / KNOWN[dataset][0] if data_dir else None
        if data_dir and not local.is_file():
            raise ConfigError(f"{local} does not exist: --data-dir must hold {KNOWN[dataset][0]}")
        problems = read_jsonl(local) if local else _from_hub(dataset)
    elif dataset.endswith(".jsonl"):
        path = Path(dataset)
        if not path.is_file():
            raise ConfigError(f"dataset file {path} does not exist")
        problems = read_jsonl(path)
    else:
        raise ConfigError(f"unknown dataset {dataset!r}: use one of {', '.join(KNOWN)} or a path to a .jsonl file")
    if not problems:
        raise ConfigError(f"dataset {dataset} has no problems")
    return problems[:limit] if limit else problems
