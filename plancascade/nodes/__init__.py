"""The cascade's four nodes: planner, reasoner, verifier, escalation (one file each).

Each is an async function of (state, config) returning a state update; graphs/cope.py wires them.
"""
