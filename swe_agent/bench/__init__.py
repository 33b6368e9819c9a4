"""Measurement: localization accuracy and test-time tokens, with and without sleep-time notes.

tasks (load task files) -> projects (get each codebase as a git repository, cached) ->
run (index, sleep at each level, answer, score) -> measures (Pareto, amortization,
predictability, a naive baseline) -> report (table, JSON, plot). score is pure.
"""
