"""Prompt templates, one plain-text file per role under a folder per task type (math/, ...).

Templates use str.format fields ({question}, {plans}); literal braces are doubled.
"""

from functools import cache
from importlib.resources import files

from plancascade.errors import ConfigError


@cache
def load_prompt(task: str, name: str) -> str:
    """The template text of prompts/<task>/<name>.txt."""
    path = files(__package__).joinpath(task, f"{name}.txt")
    if not path.is_file():
        raise ConfigError(f"no prompt {name!r} for task {task!r}: expected plancascade/prompts/{task}/{name}.txt")
    return path.read_text(encoding="utf-8")


def render_prompt(task: str, name: str, **fields: str) -> str:
    return load_prompt(task, name).format(**fields).strip()
