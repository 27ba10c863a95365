"""Model set-up and backend errors: one clear line, exit code 2. Sampling options reach each backend in its
own terms.

No Ollama server can run on the machines that test this project, so the Ollama tests talk to local stand-ins:
a loopback port where nothing listens (server unreachable) and a small HTTP server that answers /api/chat the
way Ollama does (a reply, or 404 "model not found"). Real Ollama is for users.
"""

import asyncio

import pytest
from typer.testing import CliRunner

from plancascade import CascadeConfig, build_graph
from plancascade.cli import app
from plancascade.errors import ConfigError
from plancascade.models.specs import resolve_model
from tests.servers import free_port
from tests.standins import Reply, boxed, chat_completion, prompt_of, serving

runner = CliRunner(env={"COLUMNS": "200"})


def ollama_reply(path: str, body: dict) -> Reply:
    text = "Find the sum." if "State the goal" in prompt_of(body) else boxed("7")
    return Reply(
        200,
        {
            "model": body["model"],
            "created_at": "2026-12-04T00:00:00Z",
            "done": True,
            "done_reason": "stop",
            "message": {"role": "assistant", "content": text},
            "prompt_eval_count": 40,
            "eval_count": 9,
        },
    )


def not_pulled(path: str, body: dict) -> Reply:
    return Reply(404, {"error": f"model '{body['model']}' not found, try pulling it first"})


def solve(*args: str):
    return runner.invoke(app, ["solve", "What is 3 + 4?", *args])


def assert_one_clear_line(result, message: str) -> None:
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_ollama_unreachable_says_how_to_start_it():
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    result = solve("--small", "ollama:qwen2.5:1.5b", "--small-base-url", url, "--large", "llamacpp:smollm2")
    assert_one_clear_line(result, f"cannot reach Ollama at {url}: start it with `ollama serve`, or set OLLAMA_HOST")


def test_ollama_model_not_pulled_says_ollama_pull():
    with serving(not_pulled) as ollama:
        result = solve("--small", "ollama:qwen2.5:1.5b", "--small-base-url", ollama.url, "--large", "llamacpp:smollm2")
    assert_one_clear_line(result, f"Ollama at {ollama.url} has no model 'qwen2.5:1.5b': run `ollama pull qwen2.5:1.5b`")
    # the 8 concurrent goal-plan calls each asked once: a local fault is not retried
    assert sorted(r["options"]["seed"] for r in ollama.requests) == list(range(8))


def test_ollama_host_comes_from_the_environment_and_sampling_goes_in_ollama_options(monkeypatch):
    with serving(ollama_reply) as ollama:
        monkeypatch.setenv("OLLAMA_HOST", ollama.url)
        config = CascadeConfig(
            models={"small": "ollama:qwen2.5:1.5b", "large": "ollama:qwen2.5:7b"},
            preset="small-vote",
            stage_overrides={1: {"samples": 3}},
            max_tokens=77,
            seed=5,
        )
        result = asyncio.run(build_graph().compile().ainvoke({"question": "3 + 4?"}, context=config))
    assert (result["answer"], result["confidence"]) == ("7", 1.0)
    assert sorted(r["options"]["seed"] for r in ollama.requests) == [5, 6, 7]
    assert {(r["options"]["temperature"], r["options"]["num_predict"]) for r in ollama.requests} == {(0.8, 77)}
    assert all(r["path"] == "/api/chat" and r["model"] == "qwen2.5:1.5b" for r in ollama.requests)
    assert [(c["provider"], c["input_tokens"], c["output_tokens"], c["usd"]) for c in result["calls"]] == [
        ("ollama", 40, 9, 0.0)
    ] * 3


def test_openai_sampling_and_the_max_tokens_quirk_reach_the_server(monkeypatch):
    with serving(lambda path, body: chat_completion(boxed("7"), 30, 4)) as server:
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        config = CascadeConfig(
            models={"small": "llamacpp:smollm2", "large": "openai:gpt-4o-mini"},
            preset="large",
            base_urls={"large": f"{server.url}/v1"},
            max_tokens=99,
            seed=3,
        )
        result = asyncio.run(build_graph().compile().ainvoke({"question": "3 + 4?"}, context=config))
    (request,) = server.requests
    assert (request["temperature"], request["seed"], request["model"]) == (0.0, 3, "gpt-4o-mini")
    # langchain-openai sends max_completion_tokens; servers such as llama.cpp's read only max_tokens: both go
    assert (request["max_completion_tokens"], request["max_tokens"]) == (99, 99)
    assert request.get("stream") in (None, False)  # usage is only complete without streaming
    assert (result["calls"][0]["input_tokens"], result["calls"][0]["output_tokens"]) == (30, 4)


def test_huggingface_endpoint_gets_sampling_and_reports_usage(monkeypatch):
    """A dedicated Hugging Face endpoint (TGI) speaks OpenAI's chat format; the stand-in plays one."""
    with serving(lambda path, body: chat_completion(boxed("7"), 21, 5, model="tgi")) as endpoint:
        monkeypatch.setenv("HF_TOKEN", "hf_test")
        config = CascadeConfig(
            models={"small": "llamacpp:smollm2", "large": "huggingface:Qwen/Qwen2.5-7B-Instruct"},
            base_urls={"large": endpoint.url},
            preset="large",
            max_tokens=64,
            seed=9,
        )
        result = asyncio.run(build_graph().compile().ainvoke({"question": "3 + 4?"}, context=config))
    (request,) = endpoint.requests
    assert request["path"] == "/v1/chat/completions"
    assert (request["temperature"], request["seed"], request["max_tokens"]) == (0.0, 9, 64)
    (call,) = result["calls"]
    assert (call["provider"], call["model"], call["input_tokens"], call["output_tokens"]) == (
        "huggingface",
        "Qwen/Qwen2.5-7B-Instruct",
        21,
        5,
    )
    assert call["usd"] is None  # a dedicated endpoint is billed by the hour: no per-token price to claim
    assert result["answer"] == "7"


def test_a_paid_call_without_usage_has_an_unknown_price_not_zero(monkeypatch):
    def no_usage(path: str, body: dict) -> Reply:
        reply = chat_completion(boxed("7"), 1, 1)
        del reply.body["usage"]
        return reply

    with serving(no_usage) as server:
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        config = CascadeConfig(
            models={"small": "llamacpp:smollm2", "large": "openai:gpt-4o-mini"},
            base_urls={"large": f"{server.url}/v1"},
            preset="large",
        )
        result = asyncio.run(build_graph().compile().ainvoke({"question": "3 + 4?"}, context=config))
    (call,) = result["calls"]
    assert (call["input_tokens"], call["output_tokens"], call["usd"]) == (0, 0, None)
    assert result["answer"] == "7"


@pytest.mark.parametrize(
    ("args", "unset", "message"),
    [
        (["--large", "openai:gpt-4o-mini"], "OPENAI_API_KEY", "openai:gpt-4o-mini needs OPENAI_API_KEY: export it"),
        (
            ["--large", "huggingface:Qwen/Qwen2.5-7B-Instruct"],
            "HF_TOKEN",
            "huggingface:Qwen/Qwen2.5-7B-Instruct needs HF_TOKEN",
        ),
        (["--small", "llamacpp:/nowhere/model.gguf"], None, "GGUF file not found: /nowhere/model.gguf"),
        (["--small", "ollama"], None, "malformed model spec 'ollama': write PROVIDER:MODEL"),
        (["--large", "anthropic:claude"], None, "unknown model provider 'anthropic' in 'anthropic:claude'"),
    ],
)
def test_set_up_errors_fail_before_any_model_runs(args, unset, message, monkeypatch):
    for variable in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "HF_TOKEN"):
        monkeypatch.delenv(variable, raising=False)
    assert_one_clear_line(
        solve("--small", "llamacpp:smollm2", *args) if "--small" not in args else solve(*args), message
    )


def test_debug_shows_the_traceback():
    result = solve("--small", "llamacpp:/nowhere/model.gguf", "--debug")
    assert isinstance(result.exception, ConfigError)


def test_embedded_default_says_no_cloud_model_is_configured(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    result = solve("--preset", "small", "--max-tokens", "16")
    assert result.exit_code == 0, result.output
    assert "no cloud model is configured" in result.output and "plumbing demo" in result.output
    assert "--small ollama:qwen2.5:1.5b --large openai:gpt-4o-mini" in result.output
    assert "llamacpp:smollm2" in result.output


def test_a_cloud_key_makes_gpt_4o_mini_the_default_large_tier(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    assert CascadeConfig().models == {"small": "llamacpp:smollm2", "large": "openai:gpt-4o-mini"}
    assert resolve_model("openai:gpt-4o-mini").model_name == "gpt-4o-mini"  # built without any network call
