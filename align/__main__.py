"""``python -m align`` runs the bitext command line."""

from align.cli import main

main()
