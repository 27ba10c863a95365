"""The cascade graph: planner -> reasoner -> verifier -> escalation -> (END | planner of the next stage).

One builder serves every preset: the stages come from the run's CascadeConfig, not from the graph's shape.
"""

from collections.abc import Awaitable, Callable

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime

from plancascade.graphs.config import CascadeConfig
from plancascade.graphs.state import CascadeInput, CascadeOutput, CascadeState
from plancascade.nodes.escalation import escalation, route
from plancascade.nodes.planner import planner
from plancascade.nodes.reasoner import reasoner
from plancascade.nodes.verifier import verifier

Node = Callable[[CascadeState, CascadeConfig], Awaitable[dict]]


def _with_config(node: Node, default: CascadeConfig) -> Callable:
    """Adapt a node to LangGraph: the run's context when it is a CascadeConfig, else the builder's default
    (a parent graph that embeds the cascade may run with a context of its own type, or none)."""

    async def run(state: CascadeState, runtime: Runtime[CascadeConfig]) -> dict:
        context = runtime.context
        return await node(state, context if isinstance(context, CascadeConfig) else default)

    run.__name__ = node.__name__
    return run


def _unless_failed(next_node: str) -> Callable[[CascadeState], str]:
    """Edge to `next_node`, or to END when a model call failed for good (the state keeps what was done)."""

    def route(state: CascadeState) -> str:
        return END if state.get("error") else next_node

    return route


def build_graph(config: CascadeConfig | None = None) -> StateGraph:
    """The cascade as an uncompiled StateGraph; compile it with your own checkpointer if you need one.

    `config` is used by runs that pass no CascadeConfig as context (handy when embedding the cascade as a
    subgraph of a graph with its own context schema).
    """
    default = config or CascadeConfig()
    builder = StateGraph(
        CascadeState, context_schema=CascadeConfig, input_schema=CascadeInput, output_schema=CascadeOutput
    )
    for node in (planner, reasoner, verifier, escalation):
        builder.add_node(node.__name__, _with_config(node, default))
    builder.add_edge(START, "planner")
    builder.add_conditional_edges("planner", _unless_failed("reasoner"), ["reasoner", END])
    builder.add_conditional_edges("reasoner", _unless_failed("verifier"), ["verifier", END])
    builder.add_edge("verifier", "escalation")
    builder.add_conditional_edges("escalation", route)
    return builder


# The compiled default graph that langgraph.json serves to LangGraph Studio.
graph = build_graph().compile(name="plancascade")
