"""USD for a call: a configured override, else 0 for local providers, else the genai-prices library."""

from collections.abc import Iterable, Mapping
from functools import lru_cache

from genai_prices import Usage, calc_price

from plancascade.graphs.config import ModelPrice
from plancascade.models.specs import LOCAL_PROVIDERS


@lru_cache(maxsize=256)
def _library_price(provider: str, model: str, input_tokens: int, output_tokens: int) -> float | None:
    try:
        usage = Usage(input_tokens=input_tokens, output_tokens=output_tokens)
        return float(calc_price(usage, model, provider_id=provider).total_price)
    except LookupError:
        return None


def price_usd(
    provider: str, model: str, input_tokens: int, output_tokens: int, overrides: Mapping[str, ModelPrice]
) -> float | None:
    """Dollars for one call; None when a paid model's price is unknown (add it to CascadeConfig.prices)."""
    override = overrides.get(f"{provider}:{model}") or overrides.get(model)
    if override is not None:
        return (input_tokens * override.input_per_million + output_tokens * override.output_per_million) / 1e6
    if provider in LOCAL_PROVIDERS:
        return 0.0
    return _library_price(provider, model, input_tokens, output_tokens)


def total_usd(calls: Iterable[Mapping], *, uncached: bool = False) -> float:
    """Dollars in a ledger: paid in this run (cache hits are free), or as if nothing were cached. Calls of
    unknown price count as 0; the ledger marks them with usd=None."""
    return sum(call["usd"] or 0.0 for call in calls if uncached or not call["cached"])
