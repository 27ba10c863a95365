"""Chat models: spec strings to LangChain models, per-call sampling settings, prices, and the ledger call."""

from plancascade.models.specs import LOCAL_PROVIDERS, describe_model, resolve_model

__all__ = ["LOCAL_PROVIDERS", "describe_model", "resolve_model"]
