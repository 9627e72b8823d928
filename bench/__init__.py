"""Benchmarks: `make bench` (or ``python -m bench [--quick]``) shows the bot is never the
bottleneck. Not tests: nothing here runs in CI. Results go to docs/benchmarks.md.

Modules: `__main__` (command line, the table), `intake` (figures 1 and 5) with its
`harness` and `workers` (1 and 2 webhook workers on PostgreSQL), `outbound` (figure 2),
`classify` (figure 3), `storage` and `dataset` (figure 4), `emulator` (the Bot API
emulator with simulated residents, run as its own process) with `delivery` (its webhook
delivery), `residents` (what they do), `botproc` and `echo` (the bots under test, each
its own process), `procs` (child processes), `report` (the table, the machine, the
docs), `routing` (the classifier's quality and latency, also runnable alone).
"""
