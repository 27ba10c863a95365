"""plancascade.testing.ScriptedChatModel: a real chat model for users' scripted graph tests."""

import asyncio
import json
import time

import pytest
from langchain_core.messages import HumanMessage, SystemMessage

from plancascade.models.sampling import with_sampling
from plancascade.testing import ScriptedChatModel


def test_first_matching_rule_answers_and_the_default_catches_the_rest():
    model = ScriptedChatModel(rules=[(r"capital", "Paris"), (r"\d\+\d", "4"), (r"cap", "never")], default="?")
    assert model.invoke("the capital of France").text == "Paris"
    assert model.invoke("2+2").text == "4"
    assert model.invoke("hello").text == "?"


def test_no_matching_rule_without_a_default_is_an_error_naming_the_prompt():
    with pytest.raises(ValueError, match="no rule matches the prompt 'hello there'"):
        ScriptedChatModel(rules=[(r"capital", "Paris")]).invoke("hello there")


def test_replies_can_depend_on_the_seed_or_be_computed():
    model = ScriptedChatModel(rules=[(r"pick", ["a", "b", "c"]), (r"echo", lambda call: call.prompt.upper())])
    picks = [with_sampling(model, temperature=0.7, seed=s, max_tokens=10).invoke("pick").text for s in range(4)]
    assert picks == ["a", "b", "c", "a"]
    assert model.invoke("echo me").text == "ECHO ME"


def test_records_messages_and_sampling_settings_in_one_log_shared_by_copies():
    model = ScriptedChatModel(default="ok")
    with_sampling(model, temperature=0.3, seed=11, max_tokens=64).invoke(
        [SystemMessage("be brief"), HumanMessage("hi")]
    )
    (call,) = model.calls
    assert (call.temperature, call.seed, call.max_tokens, call.reply) == (0.3, 11, 64, "ok")
    assert call.prompt == "be brief\n\nhi" and [m.text for m in call.messages] == ["be brief", "hi"]


def test_usage_counts_words_so_tests_can_predict_it():
    message = ScriptedChatModel(default="three word reply").invoke("a prompt of five words")
    assert message.usage_metadata == {"input_tokens": 5, "output_tokens": 3, "total_tokens": 8}


def test_concurrent_calls_get_the_same_replies_in_any_order_and_sleep_concurrently():
    model = ScriptedChatModel(rules=[(r"(\d+)", lambda call: f"n={call.prompt}")], latency=0.2)

    async def ask_all() -> list[str]:
        replies = await asyncio.gather(*(model.ainvoke(str(i)) for i in reversed(range(10))))
        return [r.text for r in replies]

    started = time.perf_counter()
    assert asyncio.run(ask_all()) == [f"n={i}" for i in reversed(range(10))]
    assert time.perf_counter() - started < 1.0  # ten 0.2 s calls overlap
    assert sorted(c.prompt for c in model.calls) == sorted(str(i) for i in range(10))


def test_rules_load_from_a_json_file(tmp_path):
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"model": "mini", "rules": [{"pattern": "x", "reply": ["p", "q"]}], "default": "d"}))
    model = ScriptedChatModel.from_file(path)
    assert model.model_name == "mini"
    assert with_sampling(model, temperature=0, seed=1, max_tokens=5).invoke("x").text == "q"
    assert model.invoke("y").text == "d"
