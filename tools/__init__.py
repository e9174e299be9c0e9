"""Tools run by hand or by make targets, not by pytest: benchmarks, load, the real-language evaluation,
and the helpers that start the assistant for them (which the tests use too).
"""
