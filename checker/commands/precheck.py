"""fzcheck precheck (placeholder until its implementation lands)."""
from __future__ import annotations

import argparse

HELP = "precheck"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    raise NotImplementedError
