"""Benchmark studies: figures the lessons quote, with their provenance (`python -m benchmarks.studies`)."""
