"""`bitext import tmx`: TMX files of other tools into the alignments frame, safely."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from click.testing import CliRunner

from align.cli import main
from align.errors import ExportError
from align.formats.tmx_read import tmx_alignments
from align.store.tables import read_frame

# In the style of a Trados Studio export: xml:lang, inline <ph>/<bpt>/<ept>, tool props, srclang en-US.
TRADOS_STYLE = """<?xml version="1.0" encoding="utf-8"?>
<tmx version="1.4"><header creationtool="SDL Language Platform" creationtoolversion="8.1" o-tmf="SDL TM8 Format"
 datatype="xml" segtype="sentence" adminlang="en-US" srclang="en-US"/>
<body>
<tu creationdate="20200101T120000Z"><prop type="x-ConnectionID">1</prop>
<tuv xml:lang="en-US"><seg>Press <bpt i="1" type="bold">&lt;b&gt;</bpt>Save<ept i="1">&lt;/b&gt;</ept><ph x="2" type="0"/> now &amp; <hi>then</hi>.</seg></tuv>
<tuv xml:lang="ru-RU"><seg>Нажмите <bpt i="1">&lt;b&gt;</bpt>Сохранить<ept i="1">&lt;/b&gt;</ept> сейчас.</seg></tuv></tu>
<tu><tuv xml:lang="ru-RU"><seg>Второй.</seg></tuv><tuv xml:lang="en-US"><seg>Second.</seg></tuv></tu>
</body></tmx>
"""

# In the style of OmegaT 3.6's project_save.tmx: legacy lang=, upper-case locales.
OMEGAT_STYLE = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx11.dtd">
<tmx version="1.1">
  <header creationtool="OmegaT" o-tmf="OmegaT TMX" adminlang="EN-US" datatype="plaintext"
   creationtoolversion="3.6.0_10" segtype="sentence" srclang="RU-RU"/>
  <body>
    <tu><tuv lang="RU-RU"><seg>Дамы и господа!</seg></tuv><tuv lang="EN-GB" changeid="x"><seg>Ladies and gentlemen,</seg></tuv></tu>
  </body>
</tmx>
"""

MULTILINGUAL = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en"
 srclang="*all*" datatype="plaintext"/><body>
<tu><tuv xml:lang="fr-FR"><seg>Un.</seg></tuv><tuv xml:lang="de-DE"><seg>Eins.</seg></tuv>
<tuv xml:lang="en-GB"><seg>One.</seg></tuv><tuv xml:lang="en-US"><seg>One (US).</seg></tuv></tu>
<tu srclang="en-GB"><tuv xml:lang="de-DE"><seg>Zwei.</seg></tuv><tuv xml:lang="en-GB"><seg>Two.</seg></tuv></tu>
</body></tmx>
"""


def _version(table: Path) -> int:
    """The table's Delta version: unchanged when nothing was committed."""
    from deltalake import DeltaTable

    return DeltaTable(str(table)).version()


def _file(tmp_path: Path, text: str, name: str = "memory.tmx") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_trados_style_file(tmp_path: Path) -> None:
    frame = tmx_alignments(_file(tmp_path, TRADOS_STYLE))
    assert frame.select("doc_id", "src_lang", "tgt_lang", "src_sents", "tgt_sents", "kind").rows() == [
        ("tmx:memory.tmx", "en", "ru", [0], [0], "1-1"),
        ("tmx:memory.tmx", "en", "ru", [1], [1], "1-1"),
    ]
    assert frame["src_text"].to_list() == ["Press Save now & then.", "Second."]
    assert frame["tgt_text"].to_list() == ["Нажмите Сохранить сейчас.", "Второй."]
    assert frame["score"].to_list() == [None, None]


def test_omegat_style_legacy_lang_attribute(tmp_path: Path) -> None:
    frame = tmx_alignments(_file(tmp_path, OMEGAT_STYLE), doc_id="tm:omegat")
    assert frame.select("doc_id", "src_lang", "tgt_lang", "src_text", "tgt_text").rows() == [
        ("tm:omegat", "ru", "en", "Дамы и господа!", "Ladies and gentlemen,")
    ]


def test_multilingual_gives_every_pair_and_first_variant_per_language(tmp_path: Path) -> None:
    frame = tmx_alignments(_file(tmp_path, MULTILINGUAL))
    first = frame.filter(pl.col("src_sents") == [0]).filter(pl.col("tgt_sents") == [0])
    assert first.select("src_lang", "tgt_lang", "src_text", "tgt_text").rows() == [
        ("de", "en", "Eins.", "One."),
        ("de", "fr", "Eins.", "Un."),
        ("en", "fr", "One.", "Un."),
    ]
    assert frame.filter(pl.col("src_sents") == [1]).select("src_lang", "tgt_lang").rows() == [("en", "de")]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '<?xml version="1.0"?>\n<tmx version="1.4">\n<body>\n<tu><tuv xml:lang="en"><seg>a</seg></tuv>\n</body></tmx>',
            r"memory\.tmx:5: malformed TMX: Opening and ending tag mismatch",
        ),
        ("", r"memory\.tmx:1: malformed TMX: no element found"),
        ("<html><body>hi</body></html>", r"memory\.tmx:1: root element is <html>, not <tmx>"),
        (
            '<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>a</seg></tuv></tu></body></tmx>',
            r"memory\.tmx: no <tu> holds two languages",
        ),
        (
            '<tmx><body><tu><tuv xml:lang="en"><seg>&nbsp;</seg></tuv></tu></body></tmx>',
            r"memory\.tmx:1: malformed TMX: Entity 'nbsp' not defined",
        ),
    ],
)
def test_malformed_files_get_one_line_with_the_line_number(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ExportError, match=message) as caught:
        tmx_alignments(_file(tmp_path, text))
    assert "\n" not in str(caught.value)


BOMB = """<?xml version="1.0"?>
<!DOCTYPE tmx [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
]>
<tmx version="1.4"><header srclang="en"/><body>
<tu><tuv xml:lang="en"><seg>&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;</seg></tuv><tuv xml:lang="ru"><seg>x</seg></tuv></tu>
</body></tmx>
"""


def test_entity_expansion_bomb_is_refused(tmp_path: Path) -> None:
    with pytest.raises(
        ExportError, match=r"memory\.tmx: the file declares XML entities in its DOCTYPE; refused"
    ):
        tmx_alignments(_file(tmp_path, BOMB))


@pytest.mark.parametrize(
    ("declaration", "encoding"),
    [
        ('<!DOCTYPE tmx [<!ENTITY x "a">]>', "utf-16"),  # the check reads the file's own encoding
        ("<!DOCTYPE tmx [<!ENTITY % p \"<!ENTITY x 'a'>\"> %p;]>", "utf-8"),  # a parameter entity
        ('<!DOCTYPE tmx [<!ENTITY x "a">]>', "euc-jp"),  # an encoding the stdlib scan cannot read: lxml's check
    ],
)
def test_any_entity_declaration_is_refused(tmp_path: Path, declaration: str, encoding: str) -> None:
    text = (
        f'<?xml version="1.0" encoding="{encoding}"?>{declaration}<tmx version="1.4"><header srclang="en"/><body>'
        '<tu><tuv xml:lang="en"><seg>&x;</seg></tuv><tuv xml:lang="ru"><seg>y</seg></tuv></tu></body></tmx>'
    )
    path = tmp_path / "memory.tmx"
    path.write_bytes(text.encode(encoding))
    with pytest.raises(ExportError, match=r"memory\.tmx: the file declares XML entities in its DOCTYPE; refused"):
        tmx_alignments(path)


def test_external_entity_is_refused_and_the_file_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    text = (
        f'<?xml version="1.0"?><!DOCTYPE tmx [ <!ENTITY x SYSTEM "{secret.as_uri()}"> ]>'
        '<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>&x;</seg></tuv>'
        '<tuv xml:lang="ru"><seg>y</seg></tuv></tu></body></tmx>'
    )
    with pytest.raises(ExportError, match="declares XML entities") as caught:
        tmx_alignments(_file(tmp_path, text))
    assert "TOP SECRET" not in str(caught.value)


@pytest.fixture
def counting_server() -> Iterator[tuple[str, list[str]]]:
    """A 127.0.0.1 HTTP server that records every path asked for."""
    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            body = b'<!ENTITY ext "FROM THE NETWORK">'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", asked
    finally:
        server.shutdown()
        server.server_close()


def test_external_dtd_is_never_fetched(tmp_path: Path, counting_server: tuple[str, list[str]]) -> None:
    url, asked = counting_server
    plain = (
        f'<?xml version="1.0"?><!DOCTYPE tmx SYSTEM "{url}/tmx14.dtd">'
        '<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>a</seg></tuv>'
        '<tuv xml:lang="ru"><seg>б</seg></tuv></tu></body></tmx>'
    )
    assert tmx_alignments(_file(tmp_path, plain))["tgt_text"].to_list() == ["б"]
    with_ref = plain.replace("<seg>a</seg>", "<seg>&ext;</seg>")
    with pytest.raises(ExportError, match=r"memory\.tmx:1: entity &ext; is not defined in the file"):
        tmx_alignments(_file(tmp_path, with_ref))
    assert asked == []


def test_cli_import_stores_and_reimport_replaces(tmp_path: Path) -> None:
    data = tmp_path / "aligned"
    path = _file(tmp_path, TRADOS_STYLE, "clients.tmx")
    runner = CliRunner()
    first = runner.invoke(main, ["import", "tmx", str(path), "-d", str(data)])
    assert first.exit_code == 0, first.output
    assert "imported 2 aligned pairs (en-ru) as tmx:clients.tmx" in first.stderr
    again = runner.invoke(main, ["-q", "import", "tmx", str(path), "-d", str(data)])
    assert again.exit_code == 0 and again.stderr == ""
    assert len(read_frame(data, "alignments")) == 2
    other = runner.invoke(
        main, ["-q", "import", "tmx", str(_file(tmp_path, OMEGAT_STYLE)), "-d", str(data), "--doc-id", "tm:o"]
    )
    assert other.exit_code == 0
    assert sorted(read_frame(data, "alignments")["doc_id"].unique().to_list()) == ["tm:o", "tmx:clients.tmx"]


def test_cli_failed_import_keeps_what_is_stored(tmp_path: Path) -> None:
    data = tmp_path / "aligned"
    runner = CliRunner()
    assert (
        runner.invoke(
            main, ["-q", "import", "tmx", str(_file(tmp_path, TRADOS_STYLE)), "-d", str(data)]
        ).exit_code
        == 0
    )
    before = _version(data / "alignments")
    bad = runner.invoke(main, ["import", "tmx", str(_file(tmp_path, BOMB, "bomb.tmx")), "-d", str(data)])
    assert (
        bad.exit_code == 1 and bad.stderr.startswith("bitext: error: ") and len(bad.stderr.splitlines()) == 1
    )
    assert _version(data / "alignments") == before


def test_own_export_imports_back_without_the_sentence_pieces(tmp_path: Path) -> None:
    from tests.align.frames_factory import make_frames

    data = make_frames().write(tmp_path / "aligned")
    runner = CliRunner()
    out = tmp_path / "x.tmx"
    assert (
        runner.invoke(
            main, ["-q", "export", "tmx", "-d", str(data), "--langs", "ru,en", "-o", str(out)]
        ).exit_code
        == 0
    )
    back = tmx_alignments(out)
    stored = read_frame(data, "alignments").filter(
        (pl.col("src_lang") == "ru") & (pl.col("tgt_lang") == "en")
    )
    stored = stored.filter(pl.col("tgt_text") != "").drop("run_id")
    assert back.rows() == stored.rows()


@pytest.mark.parametrize(("declared", "codec"), [("UTF-16", "utf-16"), ("UTF-8", "utf-8-sig")])
def test_utf16_and_bom_files_as_older_tools_write_them(tmp_path: Path, declared: str, codec: str) -> None:
    text = (
        f'<?xml version="1.0" encoding="{declared}"?>\n<tmx version="1.4"><header srclang="en-US"/><body>'
        '<tu><tuv xml:lang="en-US"><seg>Hello</seg></tuv><tuv xml:lang="ru-RU"><seg>Привет</seg></tuv></tu>'
        "</body></tmx>"
    )
    path = tmp_path / "old.tmx"
    path.write_bytes(text.encode(codec))
    assert tmx_alignments(path).select("src_text", "tgt_text").rows() == [("Hello", "Привет")]


def test_bytes_that_do_not_match_the_encoding(tmp_path: Path) -> None:
    path = tmp_path / "latin.tmx"
    path.write_bytes(b'<tmx><body><tu><tuv xml:lang="en"><seg>caf\xe9</seg></tuv></tu></body></tmx>')
    with pytest.raises(ExportError, match=r"latin\.tmx:1: malformed TMX: Invalid bytes in character encoding"):
        tmx_alignments(path)


ORIGLANG_TMX = """<?xml version="1.0" encoding="utf-8"?>
<tmx version="1.4"><header srclang="ru" segtype="sentence" adminlang="en" datatype="plaintext"
 o-tmf="bitext" creationtool="bitext" creationtoolversion="1"/><body>
<tu srclang="ru"><prop type="x-doc-id">mid.ru:1</prop><prop type="x-origlang">ru</prop>
<tuv xml:lang="ru"><seg>Добрый день.</seg></tuv><tuv xml:lang="en-GB"><seg>Good afternoon.</seg></tuv></tu>
</body></tmx>
"""


def test_origlang_survives_import_into_a_fresh_folder(tmp_path: Path) -> None:
    """No documents frame to hold it: the import run keeps the TMX's x-origlang, and exports use it."""
    data, out = tmp_path / "aligned", tmp_path / "out"
    runner = CliRunner()
    imported = runner.invoke(main, ["import", "tmx", str(_file(tmp_path, ORIGLANG_TMX)), "-d", str(data)])
    assert imported.exit_code == 0, imported.output
    assert "imported 1 aligned pair (en-ru)" in imported.stderr or "imported 1 aligned pair (ru-en)" in imported.stderr
    exported = runner.invoke(main, ["-q", "export", "text", "-d", str(data), "--langs", "ru,en", "-o", f"{out}/"])
    assert exported.exit_code == 0, exported.output
    sidecar = pl.read_csv(out / "ru-en.tsv", separator="\t")
    assert sidecar["origlang"].to_list() == ["ru"]


def test_an_html_page_named_tmx_gets_a_hint(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match=r"root element is <html>, not <tmx> \(an HTML page"):
        tmx_alignments(_file(tmp_path, "<html><body>hi</body></html>"))
