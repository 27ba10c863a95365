"""How much time plancascade adds on top of the model calls themselves.

Scripted models answer after a fixed async latency, so any time beyond the model calls is the graph's own
(state handling, prompt rendering, answer extraction and math-verify voting). Prints:
  (a) COPE wall time / critical-path model time, for a problem that goes through all three stages
      (critical path: goal plans, stage-1 solutions, guideline, stage-2 solutions, stage-3 solution = 5 calls);
  (b) one stage of 8 concurrent samples / one call's latency.
"""

import argparse
import asyncio
import statistics
import time

from plancascade import CascadeConfig, Stage, build_graph
from plancascade.testing import ScriptedChatModel


def models(latency: float) -> dict[str, ScriptedChatModel]:
    def small_reply(call) -> str:  # 5/8 agree in stage 1, 3/8 in stage 2: every stage runs
        agree = 3 if "Guideline:" in call.prompt else 5
        value = 72 if call.seed % 8 < agree else 100 + call.seed
        return f"48 + 24 = {value}. Therefore, the final answer is: $\\boxed{{{value}}}$"

    small = ScriptedChatModel(
        rules=[(r"State the goal", "Find the total."), (r"final answer", small_reply)], latency=latency
    )
    large = ScriptedChatModel(
        rules=[(r"Write guidelines", "Add both months."), (r"final answer", r"\boxed{72}")], latency=latency
    )
    return {"small": small, "large": large}


async def timed(graph, context: CascadeConfig, question: str) -> float:
    started = time.perf_counter()
    result = await graph.ainvoke({"question": question}, context=context)
    elapsed = time.perf_counter() - started
    return elapsed, result


async def main(latency: float, repeats: int) -> None:
    graph = build_graph().compile()
    cope = CascadeConfig(models=models(latency))
    one_stage = CascadeConfig(
        models=models(latency), preset=[Stage(reasoner="small", samples=8, reasoner_temperature=0.8)]
    )
    await timed(graph, cope, "warm-up")  # first use imports and parses; not what a user waits for per problem

    cope_times, stage_times = [], []
    for i in range(repeats):
        elapsed, result = await timed(graph, cope, f"Natalia's clips, take {i}?")
        assert result["stage"] == 3
        cope_times.append(elapsed)
        elapsed, _ = await timed(graph, one_stage, f"Natalia's clips, take {i}?")
        stage_times.append(elapsed)
    cope_wall, stage_wall = statistics.median(cope_times), statistics.median(stage_times)
    print(f"model latency per call: {latency * 1000:.0f} ms, {repeats} runs, medians")
    print(f"graph's own time: {1000 * (cope_wall - 5 * latency):.1f} ms per COPE run of 3 stages (26 calls)")
    if latency > 0:
        print(
            f"(a) COPE, all 3 stages: {cope_wall:.3f} s wall / {5 * latency:.3f} s critical path "
            f"= {cope_wall / (5 * latency):.3f}  (goal <= 1.02)"
        )
        print(
            f"(b) one stage of 8 samples: {stage_wall:.3f} s wall / {latency:.3f} s one call "
            f"= {stage_wall / latency:.3f}  (goal <= 1.25)"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--latency", type=float, default=0.5, help="seconds per scripted model call")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(main(args.latency, args.repeats))
