"""``python -m specforge``: the same command line as ``specforge``."""

from specforge.cli import main

main(prog_name="specforge")
