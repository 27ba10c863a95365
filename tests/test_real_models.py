"""Real inference, no scripted model: the bundled SmolLM2-135M GGUF in process (llama-cpp-python), and the same
model behind a real OpenAI-compatible HTTP server (`python -m llama_cpp.server`) reached through langchain-openai.
"""

import asyncio
import json
import sys
import urllib.request

import pytest

from plancascade import CascadeConfig, ModelPrice, build_graph
from plancascade.models.llamacpp import bundled_gguf
from plancascade.prompts import render_prompt
from tests.servers import free_port, running

pytestmark = pytest.mark.integration
QUESTION = "Tom has 3 apples and buys 4 more. How many apples does he have?"
QUICK = {1: {"samples": 2}, 2: {"samples": 2}}  # the paper's 8 samples, cut so the suite stays quick


def run(config: CascadeConfig) -> dict:
    return asyncio.run(build_graph().compile().ainvoke({"question": QUESTION}, context=config))


def test_cope_runs_on_the_embedded_model_with_real_token_counts_and_no_cost():
    config = CascadeConfig(
        models={"small": "llamacpp:smollm2", "large": "llamacpp:smollm2"}, stage_overrides=QUICK, max_tokens=96
    )
    result = run(config)
    assert result.get("error") is None and result["stage"] in (1, 2, 3)
    assert result["calls"] and all(c["provider"] == "llamacpp" and c["model"] == "smollm2" for c in result["calls"])
    assert all(c["input_tokens"] > 0 and 0 < c["output_tokens"] <= 96 for c in result["calls"])
    assert all(c["usd"] == 0.0 for c in result["calls"]) and result["cost_usd"] == 0.0
    assert len([c for c in result["calls"] if c["stage"] == 1]) == 2 + 2  # two goal plans, two solutions


def test_embedded_samples_are_reproducible_by_seed():
    config = CascadeConfig(
        models={"small": "llamacpp:smollm2", "large": "llamacpp:smollm2"},
        preset="small-vote",
        stage_overrides={1: {"samples": 3}},
        max_tokens=48,
        seed=7,
    )
    first, second = run(config), run(config)
    assert first["stages"][0]["votes"] == second["stages"][0]["votes"]
    assert [c["output_tokens"] for c in first["calls"]] == [c["output_tokens"] for c in second["calls"]]


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory) -> str:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(bundled_gguf()),
        "--model_alias",
        "smollm2",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--n_ctx",
        "2048",
    ]
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    with running(command, f"http://127.0.0.1:{port}/v1/models", log):
        yield f"http://127.0.0.1:{port}/v1"


def raw_completion(base_url: str, prompt: str, max_tokens: int) -> dict:
    """The same request straight over HTTP, without LangChain: what the server reports as usage."""
    body = {
        "model": "smollm2",
        "messages": [{"role": "user", "content": prompt}],
        "temperature": 0.0,
        "seed": 0,
        "max_tokens": max_tokens,
    }
    request = urllib.request.Request(
        f"{base_url}/chat/completions", json.dumps(body).encode(), {"content-type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())


def test_openai_compatible_server_usage_lands_in_the_ledger_and_prices_exactly(llama_server, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)  # a self-hosted server needs none
    price = ModelPrice(input_per_million=3.0, output_per_million=7.0)
    config = CascadeConfig(
        models={"small": "llamacpp:smollm2", "large": "openai:smollm2"},
        base_urls={"large": llama_server},
        preset="large",
        max_tokens=24,
        prices={"smollm2": price},
    )
    result = run(config)
    (call,) = result["calls"]
    reported = raw_completion(llama_server, render_prompt("math", "reasoner", question=QUESTION, plans=""), 24)
    assert (call["provider"], call["model"]) == ("openai", "smollm2")
    assert call["input_tokens"] == reported["usage"]["prompt_tokens"] > 0
    assert call["output_tokens"] == reported["usage"]["completion_tokens"]
    assert 0 < call["output_tokens"] <= 24  # the server honoured the limit (sent as max_tokens, which it reads)
    expected = (call["input_tokens"] * 3.0 + call["output_tokens"] * 7.0) / 1e6
    assert result["cost_usd"] == pytest.approx(expected, rel=0, abs=1e-15) and result["cost_usd"] > 0


def test_cope_runs_with_both_tiers_over_http(llama_server, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-local")
    config = CascadeConfig(
        models={"small": "openai:smollm2", "large": "openai:smollm2"},
        base_urls={"small": llama_server, "large": llama_server},
        stage_overrides=QUICK,
        max_tokens=48,
    )
    result = run(config)
    assert result.get("error") is None
    assert len([c for c in result["calls"] if c["stage"] == 1]) == 2 + 2  # concurrent requests all answered
    assert all(c["provider"] == "openai" and c["input_tokens"] > 0 and c["output_tokens"] > 0 for c in result["calls"])
    assert all(c["usd"] is None for c in result["calls"])  # a model no price list knows: unknown, not free
