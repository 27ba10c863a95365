"""Errors a user can fix: each message says what is wrong and how to fix it."""


class ConfigError(ValueError):
    """Bad input or set-up: a malformed model spec, an unknown preset, a missing key, an empty question."""
