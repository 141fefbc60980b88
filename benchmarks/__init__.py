"""Benchmark studies: figures the lessons and issues quote, produced by `make benchmark`."""
