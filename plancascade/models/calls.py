"""One model call for a tier, timed, priced and turned into a ledger entry."""

import time

from langchain_core.messages import HumanMessage

from plancascade.graphs.config import CascadeConfig
from plancascade.graphs.state import Call
from plancascade.models.pricing import price_usd
from plancascade.models.specs import describe_model


async def call_tier(
    config: CascadeConfig, tier: str, prompt: str, *, stage: int, node: str, temperature: float, seed: int
) -> tuple[str, Call]:
    """Ask the tier's model once; return its text and the ledger entry for the call."""
    model = config.model(tier, temperature=temperature, seed=seed)
    started = time.perf_counter()
    message = await model.ainvoke([HumanMessage(prompt)])
    seconds = time.perf_counter() - started
    provider, name = describe_model(model)
    usage = message.usage_metadata or {}
    input_tokens, output_tokens = usage.get("input_tokens", 0), usage.get("output_tokens", 0)
    call = Call(
        stage=stage,
        node=node,
        tier=tier,
        provider=provider,
        model=name,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        usd=price_usd(provider, name, input_tokens, output_tokens, config.prices),
        seconds=seconds,
    )
    return message.text, call
