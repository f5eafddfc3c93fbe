"""Per language pair: alignment kinds and length ratios, from the alignments frame."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import polars as pl

from align.errors import InputError

#: Length-ratio outliers: robust z-score beyond this many (scaled) MADs.
DEFAULT_OUTLIER_K: Final = 3.0
#: Floor of the scaled MAD of log ratios (about a 5 % length difference), so that
#: a pair whose ratios are nearly all equal does not flag every small deviation.
MIN_LOG_RATIO_SPREAD: Final = 0.05
MAD_TO_SIGMA: Final = 1.4826  # MAD of a normal distribution times this = its standard deviation


def _pair_label() -> pl.Expr:
    return pl.concat_str("src_lang", pl.lit("-"), "tgt_lang").alias("pair")


def _only_langs(alignments: pl.DataFrame, langs: Sequence[str] | None) -> pl.DataFrame:
    if langs is None:
        return alignments
    return alignments.filter(pl.col("src_lang").is_in(list(langs)) & pl.col("tgt_lang").is_in(list(langs)))


def kind_counts(alignments: pl.DataFrame, *, langs: Sequence[str] | None = None) -> pl.DataFrame:
    """How often each alignment kind occurs in each language pair.

    Returns one row per (pair, kind): ``src_lang``, ``tgt_lang``, ``pair``
    (``"ru-en"``), ``kind`` (``"1-1"``, ``"2-1"`` = two source sentences
    rendered as one, ``"1-0"`` = nothing in the target ...), ``count``, and
    ``share`` of the pair's alignments. Sorted by pair, then most frequent kind.
    """
    counted = (
        _only_langs(alignments, langs)
        .group_by("src_lang", "tgt_lang", "kind")
        .agg(pl.len().cast(pl.Int64).alias("count"))
        .with_columns(_pair_label())
    )
    return (
        counted.with_columns((pl.col("count") / pl.col("count").sum().over("pair")).alias("share"))
        .select("src_lang", "tgt_lang", "pair", "kind", "count", "share")
        .sort(["pair", "count", "kind"], descending=[False, True, False])
    )


def length_ratios(
    alignments: pl.DataFrame,
    *,
    k: float = DEFAULT_OUTLIER_K,
    langs: Sequence[str] | None = None,
) -> pl.DataFrame:
    """Character length ratio of every aligned pair that has text on both sides, with outliers.

    ``ratio`` = target characters / source characters. A pair is an
    ``outlier`` when its log ratio lies more than ``k`` robust standard
    deviations from the median log ratio of its language pair:
    ``robust_z = (log_ratio - median) / max(1.4826 * MAD, 0.05)``. Medians
    and MADs are robust to the very outliers we look for, unlike mean and
    standard deviation; the floor keeps a pair whose lengths barely vary from
    flagging every small difference. With fewer than ~5 alignments in a pair
    the statistics mean little.

    Returns ``doc_id``, ``pair``, ``src_lang``, ``tgt_lang``, ``src_sents``,
    ``tgt_sents``, ``kind``, ``score``, ``src_chars``, ``tgt_chars``, ``ratio``, ``log_ratio``,
    ``robust_z``, ``outlier``, ``src_text``, ``tgt_text``.
    """
    if k <= 0:
        raise InputError(f"`k` must be > 0 (robust standard deviations), got {k}")
    both = _only_langs(alignments, langs).filter(
        (pl.col("src_text").str.len_chars() > 0) & (pl.col("tgt_text").str.len_chars() > 0)
    )
    measured = both.with_columns(
        _pair_label(),
        pl.col("src_text").str.len_chars().cast(pl.Int64).alias("src_chars"),
        pl.col("tgt_text").str.len_chars().cast(pl.Int64).alias("tgt_chars"),
    ).with_columns(
        (pl.col("tgt_chars") / pl.col("src_chars")).alias("ratio"),
        (pl.col("tgt_chars") / pl.col("src_chars")).log().alias("log_ratio"),
    )
    centre = pl.col("log_ratio").median().over("pair")
    spread = ((pl.col("log_ratio") - centre).abs().median().over("pair") * MAD_TO_SIGMA).clip(
        lower_bound=MIN_LOG_RATIO_SPREAD
    )
    scored = measured.with_columns(((pl.col("log_ratio") - centre) / spread).alias("robust_z"))
    return scored.with_columns((pl.col("robust_z").abs() > k).alias("outlier")).select(
        "doc_id",
        "pair",
        "src_lang",
        "tgt_lang",
        "src_sents",
        "tgt_sents",
        "kind",
        "score",
        "src_chars",
        "tgt_chars",
        "ratio",
        "log_ratio",
        "robust_z",
        "outlier",
        "src_text",
        "tgt_text",
    )


def length_ratio_summary(ratios: pl.DataFrame) -> pl.DataFrame:
    """Per pair of a :func:`length_ratios` frame: ``n``, median and quartile ratios, ``outliers``."""
    return (
        ratios.group_by("pair")
        .agg(
            pl.len().cast(pl.Int64).alias("n"),
            pl.col("ratio").median().alias("median_ratio"),
            pl.col("ratio").quantile(0.25).alias("q1_ratio"),
            pl.col("ratio").quantile(0.75).alias("q3_ratio"),
            pl.col("outlier").sum().cast(pl.Int64).alias("outliers"),
        )
        .sort("pair")
    )
