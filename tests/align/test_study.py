"""align.study on frames whose omissions, additions, merges, splits and renderings are known (see study_frames)."""

from __future__ import annotations

import doctest
import shutil
from pathlib import Path

import polars as pl
import pytest

from align import study
from align.errors import FrameError, InputError
from align.store.schemas import units_schema
from align.study import term_renderings
from tests.align.study_frames import (
    DOC_A,
    DOC_B,
    alignments_frame,
    units_frame,
    write_study_frames,
)


@pytest.fixture(scope="module")
def units() -> pl.DataFrame:
    return units_frame()


@pytest.fixture(scope="module")
def alignments() -> pl.DataFrame:
    return alignments_frame()


def _kinds(counts: pl.DataFrame, pair: str) -> dict[str, int]:
    return dict(counts.filter(pl.col("pair") == pair).select("kind", "count").iter_rows())


def test_kind_counts_per_pair(alignments: pl.DataFrame) -> None:
    counts = study.kind_counts(alignments)
    assert _kinds(counts, "ru-en") == {"1-1": 12, "2-1": 1, "2-2": 1, "0-1": 1}
    assert _kinds(counts, "ru-de") == {"1-1": 10, "2-2": 2, "1-2": 1, "1-0": 1}
    assert _kinds(counts, "ru-fr") == {"1-1": 10, "2-2": 2, "1-2": 1, "1-0": 1}
    # de-en: the English merge (A:2) and the German split (A:3) are both "2-1" here;
    # the English-only addition (A:5) and the German omission (B:2) are "0-1"
    assert _kinds(counts, "de-en") == {"1-1": 10, "2-1": 2, "2-2": 1, "0-1": 2}
    shares = counts.group_by("pair").agg(pl.col("share").sum())["share"].to_list()
    assert shares == pytest.approx([1.0] * 10)


def test_kind_counts_keep_only_chosen_languages(alignments: pl.DataFrame) -> None:
    counts = study.kind_counts(alignments, langs=["ru", "en"])
    assert counts["pair"].unique().to_list() == ["ru-en"]
    assert counts["kind"].to_list()[0] == "1-1"  # most frequent first


def test_length_outliers_are_the_one_word_german_rendering(alignments: pl.DataFrame) -> None:
    ratios = study.length_ratios(alignments)
    with_russian = ratios.filter((pl.col("src_lang") == "ru") & pl.col("outlier"))
    assert with_russian.select("doc_id", "pair", "tgt_text").rows() == [(DOC_A, "ru-de", "Danke.")]
    danke = ratios.filter((pl.col("src_text") == "Danke.") | (pl.col("tgt_text") == "Danke."))
    assert danke.height == 4 and danke["outlier"].all()
    # pairs with an empty side have no ratio
    assert ratios.filter((pl.col("src_chars") == 0) | (pl.col("tgt_chars") == 0)).is_empty()


def test_length_ratio_of_one_pair_is_target_over_source_characters(alignments: pl.DataFrame) -> None:
    ratios = study.length_ratios(alignments, langs=["ru", "en"])
    row = ratios.filter(pl.col("src_text") == "Дамы и господа!").row(0, named=True)
    assert row["ratio"] == pytest.approx(len("Ladies and gentlemen,") / len("Дамы и господа!"))


def test_length_ratio_summary_counts_outliers(alignments: pl.DataFrame) -> None:
    summary = study.length_ratio_summary(study.length_ratios(alignments))
    by_pair = {row["pair"]: row for row in summary.iter_rows(named=True)}
    assert by_pair["ru-de"]["outliers"] == 1 and by_pair["ru-en"]["outliers"] == 0
    assert by_pair["ru-en"]["n"] == 14  # 15 ru-en alignments minus the addition with no Russian
    assert by_pair["ru-en"]["q1_ratio"] <= by_pair["ru-en"]["median_ratio"] <= by_pair["ru-en"]["q3_ratio"]


def test_a_wider_threshold_flags_fewer_outliers(alignments: pl.DataFrame) -> None:
    narrow = study.length_ratios(alignments, k=2.0)["outlier"].sum()
    wide = study.length_ratios(alignments, k=30.0)["outlier"].sum()
    assert narrow > wide >= 0
    with pytest.raises(InputError, match="`k` must be > 0"):
        study.length_ratios(alignments, k=0)


def test_additions_and_omissions_with_the_original_known(units: pl.DataFrame) -> None:
    gaps = study.additions_and_omissions(units, original_lang="ru")
    assert gaps.select("doc_id", "unit", "kind", "present", "missing").rows() == [
        (DOC_A, 4, "omission", ["ru", "de", "en", "es"], ["fr"]),
        (DOC_A, 5, "addition", ["en", "es"], ["ru", "de", "fr"]),
        (DOC_B, 2, "omission", ["ru", "en", "fr"], ["de", "es"]),
    ]
    assert gaps["text_lang"].to_list() == ["ru", "en", "ru"]
    assert gaps["text"][1].startswith("It goes without saying")


def test_gaps_without_a_known_original_are_plain_gaps(units: pl.DataFrame) -> None:
    gaps = study.additions_and_omissions(units)
    assert gaps["kind"].unique().to_list() == ["gap"]
    assert gaps.height == 3
    per_doc = study.additions_and_omissions(units, original_lang={DOC_B: "ru"})
    assert per_doc["kind"].to_list() == ["gap", "gap", "omission"]


def test_unknown_original_language_is_rejected(units: pl.DataFrame) -> None:
    with pytest.raises(InputError, match="original language `it` is not in the units frame; available: ru, de"):
        study.additions_and_omissions(units, original_lang="it")


def test_low_confidence_lists_least_sure_units_first(units: pl.DataFrame) -> None:
    review = study.low_confidence(units)
    assert review.select("doc_id", "unit", "score").rows() == [(DOC_A, 5, 0.3), (DOC_A, 6, 0.42), (DOC_B, 5, 0.45)]
    assert study.low_confidence(units, threshold=0.3).is_empty()
    assert study.low_confidence(units, threshold=0.9, langs=["en"]).columns == ["doc_id", "unit", "score", "text_en"]


def test_concordance_gives_context_and_every_other_language(units: pl.DataFrame) -> None:
    kwic = study.concordance(units, "безопасности", "ru", width=10)
    assert kwic.select("doc_id", "unit").rows() == [(DOC_A, 4), (DOC_A, 7), (DOC_B, 1)]
    assert kwic["keyword"].to_list() == ["Безопасности"] * 3
    first = kwic.row(0, named=True)
    assert (first["left"], first["right"]) == ("лил Совет ", " ООН, мы с")
    assert "UN Security Council" in first["text_en"] and first["text_fr"] == ""
    assert [c for c in kwic.columns if c.startswith("text_")] == ["text_de", "text_en", "text_es", "text_fr"]
    assert study.concordance(units, "совет безопасности", "ru").height == 2  # plain string: not "Совета Б."


def test_concordance_case_and_regex(units: pl.DataFrame) -> None:
    assert study.concordance(units, "aleppo", "en").height == 3  # A:6 once, B:0 twice
    assert study.concordance(units, "aleppo", "en", case=True).is_empty()
    inflected = study.concordance(units, r"Совета?\b", "ru", regex=True)
    assert sorted(inflected["keyword"].to_list()) == ["Совет", "Совет", "Совета"]


@pytest.mark.parametrize(
    ("term", "lang", "kwargs", "message"),
    [
        ("ООН", "it", {}, "language `it` is not in the units frame"),
        ("(", "ru", {"regex": True}, "`(` is not a valid regular expression"),
        ("  ", "ru", {}, "the search term is empty"),
    ],
)
def test_concordance_rejects_bad_input(
    units: pl.DataFrame, term: str, lang: str, kwargs: dict[str, bool], message: str
) -> None:
    with pytest.raises(InputError, match=message.replace("(", r"\(")):
        study.concordance(units, term, lang, **kwargs)


def test_recurring_terms_puts_names_first(units: pl.DataFrame) -> None:
    terms = study.recurring_terms(units, "ru")
    capitalised = terms.filter("capitalised")["term"].to_list()
    assert capitalised[:2] == ["Безопасности", "Алеппо"]
    assert "Дамы" not in terms["term"].to_list()  # sentence-initial, in one unit only
    assert terms["units"].min() >= 2
    assert study.recurring_terms(units, "ru", min_units=1, top=100).height > terms.height


def _renderings(units: pl.DataFrame, term: str) -> dict[str, dict[str | None, int]]:
    table: dict[str, dict[str | None, int]] = {}
    for lang, rendering, count in study.renderings(units, term).select("lang", "rendering", "count").iter_rows():
        table.setdefault(lang, {})[rendering] = count
    return table


def test_renderings_of_a_recurring_institution(units: pl.DataFrame) -> None:
    assert _renderings(units, "Совет Безопасности ООН") == {
        "de": {"UN-Sicherheitsrat": 1, "UN-Sicherheitsrates": 1, "Weltsicherheitsrat": 1},
        "en": {"UN Security Council": 3},
        "es": {"Consejo de Seguridad de la ONU": 3},
        "fr": {"Conseil de sécurité de l'ONU": 2, None: 1},  # the French omits unit A:4
    }


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("Алеппо", {"de": {"Aleppo": 2}, "en": {"Aleppo": 2}, "es": {"Alepo": 2}, "fr": {"Alep": 2}}),
        ("Путин", {"de": {"Putin": 1}, "en": {"Putin": 1}, "es": {"Putin": 1}, "fr": {"Poutine": 1}}),
        ("Лавров", {"de": {"Lawrow": 1}, "en": {"Lavrov": 1}, "es": {"Lavrov": 1}, "fr": {"Lavrov": 1}}),
        ("Сирия", {"de": {"Syrien": 1}, "en": {"Syria": 1}, "es": {"Siria": 1}, "fr": {"Syrie": 1}}),
    ],
)
def test_renderings_of_names_by_transliteration(
    units: pl.DataFrame, term: str, expected: dict[str, dict[str, int]]
) -> None:
    assert _renderings(units, term) == expected
    assert set(study.rendering_occurrences(units, term)["method"]) == {"name"}


def test_rendering_occurrences_show_the_inflected_source_and_the_unit(units: pl.DataFrame) -> None:
    found = study.rendering_occurrences(units, "Совет Безопасности ООН", langs=["de"])
    assert found.select("doc_id", "unit", "source_match", "rendering").rows() == [
        (DOC_A, 4, "Совет Безопасности ООН", "UN-Sicherheitsrat"),
        (DOC_A, 7, "Совет Безопасности ООН", "Weltsicherheitsrat"),
        (DOC_B, 1, "Совета Безопасности ООН", "UN-Sicherheitsrates"),
    ]
    assert found["score"].is_between(0, 1).all()


def test_renderings_from_another_source_language(units: pl.DataFrame) -> None:
    table = study.renderings(units, "Aleppo", source_lang="en", langs=["fr", "ru"])
    assert dict(table.select("lang", "rendering").iter_rows()) == {"fr": "Alep", "ru": "Алеппо"}


def test_renderings_reject_an_unknown_method(units: pl.DataFrame) -> None:
    with pytest.raises(InputError, match="`method` must be auto, name or cooccurrence"):
        study.renderings(units, "Алеппо", method="guess")  # type: ignore[arg-type]


def test_renderings_of_an_absent_term_is_empty(units: pl.DataFrame) -> None:
    assert study.renderings(units, "Вашингтон").is_empty()


def test_doctest_examples_run() -> None:
    result = doctest.testmod(term_renderings, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_load_frames_reads_a_folder(tmp_path: Path) -> None:
    frames = study.load_frames(write_study_frames(tmp_path))
    assert frames.langs == ["ru", "de", "en", "es", "fr"]
    assert frames.original_lang == "ru" and frames.source_lang == "ru"
    assert frames.original_langs() == {DOC_A: "ru", DOC_B: "ru"}
    assert frames.units.height == 15 and frames.sentences.height == 79


def test_load_frames_without_documents_falls_back_to_the_first_language(tmp_path: Path) -> None:
    write_study_frames(tmp_path)
    shutil.rmtree(tmp_path / "documents")
    frames = study.load_frames(tmp_path)
    assert frames.original_lang is None and frames.source_lang == "ru"


def test_load_frames_names_the_missing_frame(tmp_path: Path) -> None:
    pl.DataFrame(schema=units_schema(["ru"])).write_parquet(tmp_path / "units.parquet")
    with pytest.raises(FrameError, match=r"alignments: no alignments frame here"):
        study.load_frames(tmp_path)


def test_document_units_lists_a_few_ids_when_the_id_is_unknown(units: pl.DataFrame) -> None:
    many = pl.concat([units.with_columns(pl.lit(f"x:{i}").alias("doc_id")) for i in range(7)])
    with pytest.raises(
        InputError, match=r"no document `y` in the units frame; available: x:0, x:1, x:2, x:3, x:4 \(and 2 more\)$"
    ):
        study.document_units(many, "y")
    with pytest.raises(InputError, match="the frame is empty; run `bitext align`"):
        study.document_units(units.clear(), DOC_A)


def test_document_units_in_order_with_chosen_languages(units: pl.DataFrame) -> None:
    rows = study.document_units(units.reverse(), DOC_B, langs=["fr"], min_score=0.85)
    assert rows.columns == ["unit", "score", "text_fr"]
    assert rows["unit"].to_list() == [0, 1, 3, 4]


def test_a_rendering_dropped_inside_a_unit_is_unmatched(units: pl.DataFrame) -> None:
    # A:8 thanks Эйро by name in every language but German ("Danke.")
    found = study.rendering_occurrences(units, "Эйро", langs=["de", "fr"]).filter(pl.col("unit") == 8)
    assert found.select("lang", "rendering", "method").rows() == [
        ("de", None, "unmatched"),
        ("fr", "Ayrault", "cooccurrence"),
    ]
    counted = study.renderings(units, "Эйро", langs=["de"])
    assert counted.filter(pl.col("rendering").is_null())["method"].to_list() == ["unmatched"]


@pytest.mark.parametrize("method", ["name", "cooccurrence"])
def test_either_method_can_be_forced(units: pl.DataFrame, method: str) -> None:
    found = study.rendering_occurrences(units, "Алеппо", langs=["en"], method=method)  # type: ignore[arg-type]
    assert found["method"].unique().to_list() == [method]
    assert found["rendering"].to_list() == ["Aleppo", "Aleppo"]


def test_exported_members_exist_and_are_documented() -> None:
    for name in study.__all__:
        member = getattr(study, name)
        if callable(member):
            assert member.__doc__ and member.__doc__.strip(), name
    assert {name for name in dir(study) if not name.startswith("_")} >= set(study.__all__)
