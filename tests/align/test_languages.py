"""align.languages: the one home of what align knows of its languages."""

from __future__ import annotations

from align import languages
from align.scorers import features
from align.study._spelling import fold


def test_one_transliteration_serves_the_anchors_and_the_study() -> None:
    assert features.transliterate is languages.transliterate
    assert languages.transliterate("Йошкар-Ола, Юрий, Ярославль") == "ioshkar-ola, iurii, iaroslavl"
    # the study's spelling likeness folds the other habits (y, j, w) onto the same letters
    assert fold("Юрий Лавров") == fold("Yuriy Lavrov") == fold("Jurij Lawrow") == "iuriilavrov"
    assert fold("Straße") == fold("Strasse")
