"""Cloud faults: transient ones are retried with bounded backoff; when retries run out, nothing paid for is
thrown away. The large tier is the real OpenAI client talking HTTP to a loopback stand-in that fails on cue."""

import asyncio

from langgraph.checkpoint.memory import InMemorySaver
from typer.testing import CliRunner

from plancascade import CascadeConfig, build_graph
from plancascade.cli import app
from tests.scripted import QUESTION, cope_models
from tests.standins import Reply, boxed, chat_completion, prompt_of, serving

PAID = {"prompt_tokens": 1000, "completion_tokens": 100}  # gpt-4o-mini: $0.15 / $0.60 per million tokens


def large_server(fail_solving: list[int]):
    """The guideline call succeeds; solving answers with the next status in `fail_solving`, then succeeds."""

    def respond(path: str, body: dict) -> Reply:
        prompt = prompt_of(body)
        if "Write guidelines" in prompt:
            return chat_completion("Add the two months.", **PAID)
        if fail_solving:
            status = fail_solving.pop(0)
            return Reply(status, {"error": {"message": f"stand-in fault {status}", "type": "server_error"}})
        return chat_completion(boxed("72"), **PAID)

    return serving(respond)


def config_for(url: str, monkeypatch, **extra) -> CascadeConfig:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    models = {"small": cope_models(stage1=5, stage2=3)["small"], "large": "openai:gpt-4o-mini"}
    return CascadeConfig(models=models, base_urls={"large": f"{url}/v1"}, retry_backoff=0.01, **extra)


def test_transient_faults_are_retried_and_the_ledger_counts_one_call(monkeypatch):
    with large_server(fail_solving=[429, 503]) as server:
        config = config_for(server.url, monkeypatch, max_retries=3)
        result = asyncio.run(build_graph().compile().ainvoke({"question": QUESTION}, context=config))
    assert result.get("error") is None and (result["stage"], result["answer"]) == (3, "72")
    solving = [r for r in server.requests if "final answer" in prompt_of(r)]
    assert len(solving) == 3  # two faults, then the answer
    large_calls = [c for c in result["calls"] if c["tier"] == "large"]
    assert [(c["node"], c["input_tokens"], c["output_tokens"]) for c in large_calls] == [
        ("planner", 1000, 100),
        ("reasoner", 1000, 100),
    ]
    assert result["cost_usd"] == sum(c["usd"] for c in large_calls) > 0


def test_when_retries_run_out_paid_results_stay_and_a_rerun_continues_without_paying_again(monkeypatch):
    with large_server(fail_solving=[500, 500, 500]) as server:
        config = config_for(server.url, monkeypatch, max_retries=2)
        graph = build_graph(config).compile(checkpointer=InMemorySaver())
        thread = {"configurable": {"thread_id": "fault"}}
        failed = asyncio.run(graph.ainvoke({"question": QUESTION}, thread))
        assert "gave up after 3 attempts" in failed["error"]
        assert "1 paid call had already succeeded ($0.000210)" in failed["error"]
        assert failed["plans"][-1]["text"] == "Add the two months."
        assert [c["node"] for c in failed["calls"] if c["tier"] == "large"] == ["planner"]
        assert failed.get("answer") is None

        resumed = asyncio.run(graph.ainvoke({"question": QUESTION}, thread))
    assert resumed.get("error") is None and (resumed["stage"], resumed["answer"]) == (3, "72")
    guideline_requests = [r for r in server.requests if "Write guidelines" in prompt_of(r)]
    assert len(guideline_requests) == 1  # the paid guideline was not bought twice
    assert [c["node"] for c in resumed["calls"] if c["tier"] == "large"] == ["planner", "reasoner"]
    assert len(resumed["calls"]) == 8 + 8 + 1 + 8 + 1


def test_partial_samples_survive_a_failed_stage(monkeypatch):
    """Stage-2 samples that succeeded before another sample failed are kept and not asked again."""
    failing = {"seeds": {3}}
    small = cope_models(stage1=5, stage2=8)["small"]
    original = small.rules[1][1]

    def flaky(call):
        if call.seed in failing["seeds"]:
            raise ConnectionError("small model crashed")
        return original(call)

    small.rules[1] = (small.rules[1][0], flaky)
    with large_server(fail_solving=[]) as server:
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        config = CascadeConfig(
            models={"small": small, "large": "openai:gpt-4o-mini"}, base_urls={"large": f"{server.url}/v1"}
        )
        graph = build_graph(config).compile(checkpointer=InMemorySaver())
        thread = {"configurable": {"thread_id": "partial"}}
        failed = asyncio.run(graph.ainvoke({"question": QUESTION}, thread))
        assert "scripted:small-scripted failed: small model crashed" in failed["error"]
        assert "1 paid call had already succeeded" in failed["error"]
        stage2_calls = lambda state: [c for c in state["calls"] if c["stage"] == 2 and c["node"] == "reasoner"]  # noqa: E731
        assert len(stage2_calls(failed)) == 7
        failing["seeds"] = set()
        before = len(small.calls)
        resumed = asyncio.run(graph.ainvoke({"question": QUESTION}, thread))
    assert (resumed["stage"], resumed["answer"]) == (2, "72")
    assert [c.seed for c in small.calls[before:]] == [3]  # only the missing sample was asked again
    assert len(stage2_calls(resumed)) == 8


def test_cli_reports_the_failure_in_one_line_with_exit_code_2(monkeypatch, tmp_path):
    rules = tmp_path / "small.json"
    rules.write_text(
        '{"rules": [{"pattern": "goal", "reply": "Find it."}, {"pattern": "answer", '
        '"reply": ["\\\\boxed{1}", "\\\\boxed{2}", "\\\\boxed{3}", "\\\\boxed{4}"]}]}'
    )
    with large_server(fail_solving=[401]) as server:
        monkeypatch.setenv("OPENAI_API_KEY", "sk-wrong")
        monkeypatch.setenv("OPENAI_BASE_URL", f"{server.url}/v1")
        result = CliRunner().invoke(app, ["solve", "Clips?", "--small", f"scripted:{rules}"])
    assert result.exit_code == 2
    assert "openai:gpt-4o-mini rejected the credentials (401): check OPENAI_API_KEY" in result.output
    assert "1 paid call had already succeeded" in result.output
    assert "Traceback" not in result.output
