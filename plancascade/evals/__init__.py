"""Evaluation: run presets over a benchmark, grade, resume, cache, and report the accuracy/cost trade-off."""
