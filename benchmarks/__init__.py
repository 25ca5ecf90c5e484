"""webio's performance harness: the scenarios of issue 7 against webio and PyWebIO 1.8.4.

Run ``python -m benchmarks`` from the repository root; see ``benchmarks/README.md``.
"""
