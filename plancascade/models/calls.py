"""Model calls for a tier: cached, retried on transient faults, timed, priced and turned into ledger entries."""

import asyncio
import time
from collections.abc import Mapping

from langchain_core.messages import HumanMessage

from plancascade.graphs.config import CascadeConfig
from plancascade.graphs.state import Call
from plancascade.models.cache import CachedResponse, cache_key, open_cache
from plancascade.models.failures import ModelCallError, explain, is_transient
from plancascade.models.pricing import price_usd, total_usd
from plancascade.models.specs import LOCAL_PROVIDERS, describe_model

_MAX_BACKOFF_S = 30.0


async def call_tier(
    config: CascadeConfig, tier: str, prompt: str, *, stage: int, node: str, temperature: float, seed: int
) -> tuple[str, Call]:
    """Ask the tier's model once (or take the answer from `config.cache_path`); return its text and the ledger
    entry for the call. Transient cloud faults are retried `config.max_retries` times with doubling backoff;
    anything else raises ModelCallError at once."""
    model = config.model(tier, temperature=temperature, seed=seed)
    provider, name = describe_model(model)
    base_url = config.base_urls.get(tier)

    async def ask() -> CachedResponse:
        for attempt in range(config.max_retries + 1):
            try:
                message = await model.ainvoke([HumanMessage(prompt)])
                break
            except Exception as error:
                if attempt < config.max_retries and is_transient(error, provider):
                    await asyncio.sleep(min(config.retry_backoff * 2**attempt, _MAX_BACKOFF_S))
                    continue
                tries = f" (gave up after {attempt + 1} attempts)" if attempt else ""
                raise ModelCallError(explain(error, provider, name, base_url) + tries) from error
        usage = message.usage_metadata
        if usage is None:
            return CachedResponse(message.text, None, None)
        return CachedResponse(message.text, usage.get("input_tokens", 0), usage.get("output_tokens", 0))

    started = time.perf_counter()
    if config.cache_path:
        key = cache_key(
            provider=provider,
            model=name,
            base_url=base_url,
            prompt=prompt,
            temperature=temperature,
            seed=seed,
            max_tokens=config.max_tokens,
        )
        response, cached = await open_cache(config.cache_path).get_or_call(key, ask)
    else:
        response, cached = await ask(), False
    call = Call(
        stage=stage,
        node=node,
        tier=tier,
        provider=provider,
        model=name,
        input_tokens=response.input_tokens or 0,
        output_tokens=response.output_tokens or 0,
        # A paid call whose server reported no usage has an unknown price, not a price of zero.
        usd=None
        if response.input_tokens is None and provider not in LOCAL_PROVIDERS
        else price_usd(provider, name, response.input_tokens or 0, response.output_tokens or 0, config.prices),
        cached=cached,
        seconds=time.perf_counter() - started,
    )
    return response.text, call


async def call_samples(
    config: CascadeConfig, tier: str, prompts: Mapping[int, str], *, stage: int, node: str, temperature: float
) -> tuple[dict[int, tuple[str, Call]], str | None]:
    """Ask the tier once per sample index i (seed = base seed + i), concurrently. Returns every answer that came
    back, by index, and the first failure's message: a failed call never throws away the ones that succeeded."""
    indices = list(prompts)
    results = await asyncio.gather(
        *(
            call_tier(config, tier, prompts[i], stage=stage, node=node, temperature=temperature, seed=config.seed + i)
            for i in indices
        ),
        return_exceptions=True,
    )
    failures = [r for r in results if isinstance(r, BaseException)]
    for failure in failures:
        if not isinstance(failure, ModelCallError):
            raise failure  # a bug or a set-up error, not a model fault: let it surface as it is
    answers = {i: r for i, r in zip(indices, results, strict=True) if not isinstance(r, BaseException)}
    return answers, (str(failures[0]) if failures else None)


def failure_note(error: str, calls: list[Call]) -> str:
    """The failure, and what was already paid for and is kept."""
    paid = [call for call in calls if call["provider"] not in LOCAL_PROVIDERS and not call["cached"]]
    usd = total_usd(paid)
    return (
        f"{error}; {len(paid)} paid call{'s' if len(paid) != 1 else ''} had already succeeded (${usd:.6f}) "
        "and their results stay in the state (`calls`, `plans`); running the same question again on the same "
        "thread continues from there"
    )
