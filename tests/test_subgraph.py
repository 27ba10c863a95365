"""Embedding: the compiled cascade inside a parent graph with its own state, as a node or inside a function."""

import asyncio
from typing import TypedDict

from langgraph.graph import END, START, StateGraph

from plancascade import CascadeConfig, build_graph
from tests.scripted import QUESTION, cope_models


class Tutor(TypedDict, total=False):
    question: str
    answer: str | None
    lesson: str  # the parent's own key, unknown to the cascade


def test_compiled_cascade_as_a_node_shares_question_and_answer_keys():
    models = cope_models(stage1=5, stage2=3, large_answer="72")
    cascade = build_graph(CascadeConfig(models=models)).compile()
    parent = StateGraph(Tutor)
    parent.add_node("cascade", cascade)
    parent.add_node("teach", lambda state: {"lesson": f"The answer is {state['answer']}."})
    parent.add_edge(START, "cascade")
    parent.add_edge("cascade", "teach")
    parent.add_edge("teach", END)
    result = asyncio.run(parent.compile().ainvoke({"question": QUESTION}))
    assert result == {"question": QUESTION, "answer": "72", "lesson": "The answer is 72."}
    assert len(models["large"].calls) == 2  # guideline and stage-3 solution: the cascade ran to its end


class Agent(TypedDict, total=False):
    task_text: str
    reply: str


def test_cascade_wrapped_in_a_function_node_with_the_parents_own_context():
    models = cope_models(stage1=8)
    cascade = build_graph().compile()

    async def solve(state: Agent) -> dict:
        out = await cascade.ainvoke({"question": state["task_text"]}, context=CascadeConfig(models=models))
        return {"reply": f"{out['answer']} (stage {out['stage']}, ${out['cost_usd']:.2f})"}

    parent = StateGraph(Agent)
    parent.add_node("solve", solve)
    parent.add_edge(START, "solve")
    result = asyncio.run(parent.compile().ainvoke({"task_text": QUESTION}))
    assert result["reply"] == "72 (stage 1, $0.00)"


def test_a_parent_context_of_another_type_falls_back_to_the_builders_config():
    from dataclasses import dataclass

    @dataclass
    class ParentContext:
        user: str

    models = cope_models(stage1=8)
    cascade = build_graph(CascadeConfig(models=models, preset="small")).compile()
    parent = StateGraph(Tutor, context_schema=ParentContext)
    parent.add_node("cascade", cascade)
    parent.add_edge(START, "cascade")
    result = asyncio.run(parent.compile().ainvoke({"question": QUESTION}, context=ParentContext(user="ann")))
    assert result["answer"] == "72"
    assert len(models["small"].calls) == 1
