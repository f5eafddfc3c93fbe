"""``bitext fetch``, ``run`` and ``demo`` through click's runner, against the local sample site."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

import scrapers.item
from align.cli import fetching, main
from align.store.schemas import DOCUMENTS_SCHEMA
from align.store.tables import read_frame
from scrapers.http.options import FetchOptions
from scrapers.records import ItemResult
from scrapers.sites.mid import MidAdapter
from scrapers.testing.localsite import LocalSite, Route, load_manifest, serve
from scrapers.testing.sample_site import NEW_PATHS, OLD_PATHS, SAMPLE_DIR
from scrapers.testing.sample_site.build import load_texts, render_new

FAST = ["--site", "mid.ru", "--delay", "0", "--timeout", "3", "--retries", "0"]


def _version(table: Path) -> int:
    """The table's Delta version: unchanged when nothing was committed."""
    from deltalake import DeltaTable

    return DeltaTable(str(table)).version()


@pytest.fixture()
def site() -> Iterator[LocalSite]:
    with serve(load_manifest(SAMPLE_DIR)) as running:
        yield running


def bitext(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def stored(data: Path) -> pl.DataFrame:
    return read_frame(data, "documents")


def test_fetch_stores_every_version_and_prints_one_line_per_language(site: LocalSite, tmp_path: Path) -> None:
    code, _, err = bitext("fetch", site.url(OLD_PATHS["fr"]), "-d", str(tmp_path), *FAST)
    assert code == 0, err
    frame = stored(tmp_path)
    assert frame.drop("run_id").schema == DOCUMENTS_SCHEMA
    assert frame["run_id"].str.starts_with("fetch-").all()
    assert sorted(frame["lang"]) == ["de", "en", "es", "fr", "ru"]
    assert set(frame["doc_id"]) == {"archive.mid.ru:2490975"}
    lines = err.splitlines()
    assert lines[0] == "archive.mid.ru:2490975: 5 version(s) fetched (6 requests, 0 from the cache)"  # robots.txt + 5
    assert [line.split(":")[0].strip() for line in lines[1:6]] == ["de", "en", "es", "fr", "ru"]
    assert all(": found '" in line and "18 paragraphs" in line for line in lines[1:6])
    assert lines[-1] == f"stored in {tmp_path / 'documents'}"


def test_langs_restriction(site: LocalSite, tmp_path: Path) -> None:
    code, _, err = bitext("fetch", site.url(NEW_PATHS["en"]), "-d", str(tmp_path), "--langs", "ru,de", *FAST)
    assert code == 0, err
    assert sorted(stored(tmp_path)["lang"]) == ["de", "ru"]


def test_refetch_replaces_the_item_rows(site: LocalSite, tmp_path: Path) -> None:
    url = site.url(NEW_PATHS["en"])
    assert bitext("fetch", url, "-d", str(tmp_path), *FAST)[0] == 0
    texts = load_texts()
    changed = render_new(texts["de"], links=NEW_PATHS).replace(texts["de"].paragraphs[1], "Heute haben wir lange und offen gesprochen.")
    site.set_route(NEW_PATHS["de"], Route.html(changed))
    code, _, err = bitext("fetch", url, "-d", str(tmp_path), "--cache-dir", str(tmp_path / "fresh"), *FAST)
    assert code == 0, err
    frame = stored(tmp_path)
    assert len(frame) == 5
    de = frame.filter(pl.col("lang") == "de")
    assert de["paragraphs"][0][1] == "Heute haben wir lange und offen gesprochen."


def test_the_two_layouts_are_two_items(site: LocalSite, tmp_path: Path) -> None:
    code, _, err = bitext("fetch", site.url(OLD_PATHS["en"]), site.url(NEW_PATHS["en"]), "-d", str(tmp_path), *FAST)
    assert code == 0, err
    assert stored(tmp_path).group_by("doc_id").len().sort("doc_id").rows() == [
        ("archive.mid.ru:2490975", 5),
        ("mid.ru:1527258", 5),
    ]


def test_failed_fetch_is_one_line_and_keeps_the_frame(site: LocalSite, tmp_path: Path) -> None:
    assert bitext("fetch", site.url(NEW_PATHS["en"]), "-d", str(tmp_path), *FAST)[0] == 0
    before = _version(tmp_path / "documents")
    missing = site.url("/ru/foreign_policy/news/999/?lang=en")
    code, _, err = bitext("fetch", missing, "-d", str(tmp_path), *FAST)
    assert code == 1
    assert err == (
        f"bitext: error: cannot fetch {missing}: HTTP 404 Not Found (not retried). "
        "Hint: check the URL; the page may not exist (in this language).\n"
    )
    assert _version(tmp_path / "documents") == before


def test_no_valid_version_is_one_line_and_keeps_the_frame(site: LocalSite, tmp_path: Path) -> None:
    assert bitext("fetch", site.url(NEW_PATHS["en"]), "-d", str(tmp_path), *FAST)[0] == 0
    before = _version(tmp_path / "documents")
    site.set_route(NEW_PATHS["de"], Route(status=404))
    url = site.url(NEW_PATHS["en"])
    code, _, err = bitext("fetch", url, "-d", str(tmp_path), "--langs", "de", "--cache-dir", str(tmp_path / "c2"), *FAST)
    assert code == 1
    assert err == (
        f"bitext: error: no language version of {url} could be stored "
        "(de: HTTP 404 Not Found (not retried)); "
        f"{tmp_path / 'documents'} is unchanged\n"
    )
    assert _version(tmp_path / "documents") == before


def test_a_version_failing_now_keeps_its_earlier_row(site: LocalSite, tmp_path: Path) -> None:
    url = site.url(NEW_PATHS["en"])
    assert bitext("fetch", url, "-d", str(tmp_path), *FAST)[0] == 0
    es_before = stored(tmp_path).filter(pl.col("lang") == "es").rows()
    site.set_route(NEW_PATHS["es"], Route(status=503))
    code, _, err = bitext("fetch", url, "-d", str(tmp_path), "--cache-dir", str(tmp_path / "c2"), *FAST)
    assert code == 0
    assert f"  es: absent: HTTP 503 Service Unavailable. Gave up after 1 attempt ({site.url(NEW_PATHS['es'])}); the version stored earlier is kept" in err.splitlines()
    assert stored(tmp_path).filter(pl.col("lang") == "es").rows() == es_before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--site", "nowhere.org"], "bitext: error: unknown site `nowhere.org`: choose one of generic, kremlin.ru, mid.ru (or leave out --site)\n"),
        (["--site", "mid.ru", "--langs", "de,it"], "bitext: error: unsupported language `it` in --langs: choose among de, en, es, fr, ru\n"),
    ],
)
def test_bad_arguments_are_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    code, _, err = bitext("fetch", "http://127.0.0.1:9/en/a/-/asset_publisher/X/content/id/5", "-d", str(tmp_path), *args)
    assert (code, err) == (1, message)
    assert not (tmp_path / "documents").exists()


def test_offline_uses_the_cache_alone(site: LocalSite, tmp_path: Path) -> None:
    url = site.url(OLD_PATHS["en"])
    assert bitext("fetch", url, "-d", str(tmp_path), *FAST)[0] == 0
    hits = len(site.hits)
    code, _, err = bitext("fetch", url, "-d", str(tmp_path), "--offline", *FAST)
    assert code == 0, err
    assert len(site.hits) == hits
    assert err.splitlines()[0] == "archive.mid.ru:2490975: 5 version(s) fetched (0 requests, 5 from the cache)"
    assert len(stored(tmp_path)) == 5


def test_offline_with_an_empty_cache(tmp_path: Path) -> None:
    url = "http://127.0.0.1:9/en/a/-/asset_publisher/X/content/id/5"
    code, _, err = bitext("fetch", url, "-d", str(tmp_path), "--offline", *FAST)
    assert code == 1
    assert err.startswith(f"bitext: error: cannot fetch {url}: not in the cache")
    assert err.endswith("Hint: run the same command once without --offline to fill the cache.\n")
    assert err.count("\n") == 1


def test_demo_into_an_empty_folder(tmp_path: Path) -> None:
    data = tmp_path / "demo"
    code, out, err = bitext("demo", "-d", str(data))
    assert code == 0, err
    assert stored(data).group_by("doc_id").len().sort("doc_id").rows() == [
        ("archive.mid.ru:2490975", 5),
        ("mid.ru:1527258", 5),
    ]
    assert f"results are in {data}/" in out
    # the whole pipeline: both items aligned, and the exports it names written from them
    assert sorted(read_frame(data, "units")["doc_id"].unique()) == ["archive.mid.ru:2490975", "mid.ru:1527258"]
    (exports_line,) = [line for line in out.splitlines() if line.startswith("exports: ")]
    exports = [Path(path) for path in exports_line.removeprefix("exports: ").split(", ")]
    assert sorted(path.name for path in exports) == [
        "sample.ru-en.en", "sample.ru-en.jsonl", "sample.ru-en.ru", "sample.ru-en.tmx", "sample.ru-en.tsv",
    ]  # fmt: skip
    assert all(path.stat().st_size > 0 for path in exports)
    assert_readme_demo_sample(err + out, data)


def assert_readme_demo_sample(output: str, data: Path) -> None:
    """The README's `bitext demo` sample is what the demo prints (`...` elides lines or line ends)."""
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    block = readme.split("$ bitext demo -d /tmp/bitext-demo\n", 1)[1].split("```", 1)[0]
    lines = output.splitlines()
    position = 0
    for expected in block.replace("/tmp/bitext-demo", str(data)).splitlines():
        if expected.strip() == "...":
            continue
        prefix = expected.removesuffix("...")
        found = next((i for i in range(position, len(lines)) if lines[i].startswith(prefix)), None)
        assert found is not None and (expected.endswith("...") or lines[found] == expected), expected
        position = found + 1


@pytest.mark.parametrize("command", ["fetch", "run", "demo"])
def test_help_has_an_example(command: str) -> None:
    code, out, _ = bitext(command, "--help")
    assert code == 0
    assert "Example:" in out and f"bitext {command}" in out


@pytest.mark.parametrize("command", ["fetch", "run"])
def test_without_options_the_fetch_gets_fetch_options_defaults(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[FetchOptions] = []

    def fake_fetch_item(url: str, *, options: FetchOptions, **_: object) -> ItemResult:
        seen.append(options)
        return ItemResult("x:1", (), (), ())

    monkeypatch.setattr(scrapers.item, "fetch_item", fake_fetch_item)
    bitext(command, "http://127.0.0.1:9/en/item", "-d", str(tmp_path))  # stores nothing: the fake finds nothing
    assert seen == [FetchOptions(cache_dir=tmp_path / "cache")]


def test_delay_help_states_the_sites_own_delays(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(MidAdapter, "host_delay", 12.5)
    monkeypatch.setattr(fetching, "DEFAULT_DELAY", 0.25)
    code, out, _ = bitext("fetch", "--help")
    assert code == 0
    words = " ".join(out.split())
    assert "[default: 12.5 for mid.ru; 15 for kremlin.ru; 0.25 elsewhere; longer if robots.txt asks]" in words
    assert f"[default: {FetchOptions().timeout}; x>0]" in words
    assert f"[default: {FetchOptions().max_retries}; x>=0]" in words


def test_run_fetches_then_aligns(site: LocalSite, tmp_path: Path) -> None:
    code, _, err = bitext("run", site.url(NEW_PATHS["ru"]), "-d", str(tmp_path), *FAST)
    assert code == 0, err
    assert "mid.ru:1527258: 5 version(s) fetched (" in err
    assert len(stored(tmp_path)) == 5
    # then aligns what it stored: the summary line, and the frames of that item in all five languages
    assert "mid.ru:1527258: de en es fr ru* | sentences " in err
    units = read_frame(tmp_path, "units")
    assert units["doc_id"].unique().to_list() == ["mid.ru:1527258"] and len(units) > 0
    assert all(units[f"sents_{lang}"].list.len().sum() > 0 for lang in ("de", "en", "es", "fr", "ru"))
    sentences = read_frame(tmp_path, "sentences")
    assert sorted(sentences["lang"].unique()) == ["de", "en", "es", "fr", "ru"]
    assert len(read_frame(tmp_path, "alignments")) > 0


def test_fetch_of_several_urls_reports_each_failure_and_exits_1(site: LocalSite, tmp_path: Path) -> None:
    missing = site.url("/ru/foreign_policy/news/999/?lang=en")
    code, _, err = bitext("fetch", missing, site.url(NEW_PATHS["en"]), "-d", str(tmp_path), *FAST)
    assert code == 1
    assert err.splitlines()[0].startswith(f"bitext: error: cannot fetch {missing}: HTTP 404")
    assert "mid.ru:1527258: 5 version(s) fetched (" in err
    assert len(stored(tmp_path)) == 5


def test_fetch_of_many_items_is_one_run_committed_in_batches(site: LocalSite, tmp_path: Path) -> None:
    from deltalake import DeltaTable

    from align.store.runs import read_runs

    urls = [site.url(NEW_PATHS["en"]), site.url(OLD_PATHS["en"])]
    code, _, err = bitext("fetch", *urls, "-d", str(tmp_path), *FAST, "--batch-items", "1")
    assert code == 0, err
    history = DeltaTable(str(tmp_path / "documents")).history()
    assert sum(1 for h in history if h.get("operation") == "WRITE") == 2  # one commit per batch of one item
    [run] = read_runs(tmp_path).iter_rows(named=True)
    assert run["step"] == "fetch" and run["finished"] is not None
    assert sorted(run["items"]) == sorted(stored(tmp_path)["doc_id"].unique().to_list()) and len(run["items"]) == 2
    assert set(stored(tmp_path)["run_id"]) == {run["run_id"]}
