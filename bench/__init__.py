"""Benchmarks (`make bench`): measurements, not tests, and not part of the shipped bot."""
