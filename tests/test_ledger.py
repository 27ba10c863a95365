"""The cost ledger: every call recorded with tokens from usage metadata and dollars from prices."""

import asyncio
from decimal import Decimal

from genai_prices import Usage, calc_price

from plancascade import CascadeConfig, ModelPrice, build_graph
from plancascade.models.pricing import price_usd
from plancascade.testing import count_tokens
from tests.scripted import QUESTION, cope_models


def test_ledger_tokens_and_usd_sum_to_the_expected_totals_with_a_price_override():
    models = cope_models(stage1=5, stage2=3)
    prices = {"large-scripted": ModelPrice(input_per_million=2.5, output_per_million=10.0)}
    context = CascadeConfig(models=models, prices=prices)
    result = asyncio.run(build_graph().compile().ainvoke({"question": QUESTION}, context=context))

    calls = result["calls"]
    assert len(calls) == 8 + 8 + 1 + 8 + 1  # goals, stage-1 solutions, guideline, stage-2 solutions, stage 3
    assert [(c["stage"], c["node"], c["tier"]) for c in calls].count((2, "planner", "large")) == 1
    for tier, model in models.items():
        mine = [c for c in calls if c["tier"] == tier]
        assert sum(c["input_tokens"] for c in mine) == sum(count_tokens(c.prompt) for c in model.calls)
        assert sum(c["output_tokens"] for c in mine) == sum(count_tokens(c.reply) for c in model.calls)
        assert all(c["model"] == model.model_name and c["provider"] == "scripted" for c in mine)
    large_in = sum(count_tokens(c.prompt) for c in models["large"].calls)
    large_out = sum(count_tokens(c.reply) for c in models["large"].calls)
    # Decimal arithmetic gives the exact expected value; the ledger's float sum must round to it.
    expected = (Decimal(large_in) * Decimal("2.5") + Decimal(large_out) * Decimal("10.0")) / Decimal(10**6)
    assert Decimal(str(round(result["cost_usd"], 12))) == expected
    assert all(c["usd"] == 0.0 for c in calls if c["tier"] == "small")  # a local (scripted) model is free
    assert all(c["seconds"] >= 0 for c in calls)


def test_known_cloud_models_are_priced_by_genai_prices_and_local_providers_are_free():
    expected = float(
        calc_price(Usage(input_tokens=1200, output_tokens=300), "gpt-4o-mini", provider_id="openai").total_price
    )
    assert expected > 0
    assert price_usd("openai", "gpt-4o-mini", 1200, 300, {}) == expected
    assert price_usd("ollama", "qwen2.5:1.5b", 1200, 300, {}) == 0.0
    assert price_usd("llamacpp", "smollm2", 1200, 300, {}) == 0.0


def test_an_override_beats_the_library_and_an_unknown_paid_model_has_no_price():
    override = {"openai:gpt-4o-mini": ModelPrice(input_per_million=1.0, output_per_million=1.0)}
    assert price_usd("openai", "gpt-4o-mini", 500_000, 500_000, override) == 1.0
    assert price_usd("openai", "my-finetune-that-no-library-knows", 10, 10, {}) is None
