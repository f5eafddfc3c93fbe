"""Short dialogue lines stay 1-1: they are neither glued together nor left out (data/dialogue/README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from align.formats.bead_files import read_beads
from align.pairwise.aligner import align_pair

DIALOGUE = Path(__file__).parent / "data" / "dialogue"


def lines(name: str) -> list[str]:
    return (DIALOGUE / name).read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("scorer", ["anchors", "embedding"])
def test_a_dialogue_of_short_lines_is_aligned_exactly(scorer: str) -> None:
    gold = [(bead.src, bead.tgt) for bead in read_beads(DIALOGUE / "de-fr.gold")]
    beads = align_pair(lines("de.txt"), lines("fr.txt"), src_lang="de", tgt_lang="fr", scorer=scorer)
    assert [(bead.src, bead.tgt) for bead in beads] == gold
    assert sum(len(src) == len(tgt) == 1 for src, tgt in gold) == 25  # most lines are one-line replies
