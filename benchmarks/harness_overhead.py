"""Per-problem overhead of the evaluation harness: the full GSM8K test set (1319 problems) through `cope` with
zero-latency scripted models, so every millisecond measured is plancascade's own (graph, voting, grading,
response cache, results file). Prints ms per problem (goal <= 45 ms on a 2-core machine) and where the time goes.

The scripted small model knows each reference answer: on 3 problems in 5 all 8 samples agree (stage 1 settles),
on 1 in 5 stage 1 splits 5/3 and stage 2 agrees, on 1 in 5 both split and the large model solves.
"""

import argparse
import asyncio
import cProfile
import pstats
import re
import tempfile
import time
from pathlib import Path

from plancascade import CascadeConfig
from plancascade.evals.datasets import load_problems
from plancascade.evals.runner import run_eval
from plancascade.testing import ScriptedChatModel

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
QUESTION = re.compile(r"Problem: (.*?)\n\nEnd your response", re.S)


def scripted(problems: list[dict]) -> dict[str, ScriptedChatModel]:
    plan = {p["question"].strip(): (i % 5, p["reference"]) for i, p in enumerate(problems)}

    def small(call) -> str:
        kind, answer = plan[QUESTION.search(call.prompt).group(1).strip()]
        agree = {0: 8, 1: 8, 2: 8, 3: 5, 4: 3}[kind] if "Guideline:" not in call.prompt else (8 if kind == 3 else 3)
        value = answer if call.seed % 8 < agree else f"{answer}1{call.seed}"
        return f"Adding up the amounts step by step. Therefore, the final answer is: $\\boxed{{{value}}}$"

    def large(call) -> str:
        return f"Therefore, the final answer is: $\\boxed{{{plan[QUESTION.search(call.prompt).group(1).strip()][1]}}}$"

    return {
        "small": ScriptedChatModel(rules=[(r"State the goal", "Find the total."), (r"final answer", small)]),
        "large": ScriptedChatModel(rules=[(r"Write guidelines", "Add the parts."), (r"final answer", large)]),
    }


def main(data_dir: Path, limit: int | None, profile: bool) -> None:
    problems = load_problems("gsm8k", data_dir, limit)
    config = CascadeConfig(models=scripted(problems))
    with tempfile.TemporaryDirectory() as out:
        run = lambda: asyncio.run(run_eval(problems, ["cope"], config, Path(out), dataset="gsm8k"))  # noqa: E731
        profiler = cProfile.Profile() if profile else None
        started = time.perf_counter()
        if profiler:
            profiler.runcall(run)
        else:
            outcome = run()
        elapsed = time.perf_counter() - started
    print(f"{len(problems)} GSM8K problems through cope, zero-latency scripted models, concurrency 8")
    print(f"total {elapsed:.1f} s = {1000 * elapsed / len(problems):.1f} ms per problem  (goal <= 45 ms)")
    if not profiler:
        print(f"results written: {outcome.finished}")
        return
    print("\nwhere the time goes (cumulative, under the profiler, which inflates everything):")
    stats = pstats.Stats(profiler)
    for label, pattern in [
        ("graph steps (LangGraph)", "pregel/main.py.*astream"),
        ("model calls (LangChain ainvoke)", "chat_models.py.*\\(ainvoke\\)"),
        ("response cache (SQLite)", "cache.py.*get_or_call"),
        ("planner node", "nodes/planner.py.*\\(planner\\)"),
        ("reasoner node", "nodes/reasoner.py.*\\(reasoner\\)"),
        ("verifier node (answers, math-verify votes)", "nodes/verifier.py.*\\(verifier\\)"),
        ("grading", "grading.py.*is_correct"),
        ("results file", "runner.py.*_record"),
    ]:
        seconds = sum(v[3] for k, v in stats.stats.items() if re.search(pattern, f"{k[0]}:{k[1]}({k[2]})"))
        print(f"  {label:<45} {1000 * seconds / len(problems):6.1f} ms per problem")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=DATA)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--profile", action="store_true", help="show where the time goes (slower)")
    args = parser.parse_args()
    main(args.data_dir, args.limit, args.profile)
