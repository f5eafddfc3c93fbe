"""The cases of the fault matrix (see ``matrix.py``): HTTP faults, hostile files, hostile environments."""

from __future__ import annotations

import atexit
import os
import random
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from unittest import mock

from scrapers.testing.localsite import LocalSite, Route, RouteSpec, load_manifest, serve, stalled_server
from scrapers.testing.sample_site import NEW_PATHS, SAMPLE_DIR
from tests.align.frames_factory import make_frames
from tests.faults.matrix import ROOT, Case, Env, Run, _child_env, cli, data_hash, process, read_only, scores_close

FAST = ["--site", "mid.ru", "--delay", "0", "--timeout", "1", "--retries", "1"]
BASE_ROUTES = dict(load_manifest(SAMPLE_DIR).routes)
START = NEW_PATHS["en"]

TMX_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="t" '
    'creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="ru" datatype="plaintext"/>'
    "<body>"
)
TU = '<tu><tuv xml:lang="ru"><seg>Привет, мир.</seg></tuv><tuv xml:lang="en"><seg>Hello, world.</seg></tuv></tu>'
TMX = TMX_HEAD + TU + "</body></tmx>"
LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE tmx [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    + "".join(
        f'<!ENTITY {n} "{("&" + p + ";") * 10}">' for p, n in zip("bcdefgh", "cdefghi", strict=True)
    )
    + ']>\n<tmx version="1.4"><header srclang="ru"/><body><tu><tuv xml:lang="ru"><seg>&i;</seg></tuv>'
    '<tuv xml:lang="en"><seg>x</seg></tuv></tu></body></tmx>'
)
EN = "The Minister held talks in Paris.\nThey discussed Syria.\n"
DE = "Der Minister führte Gespräche in Paris.\nSie sprachen über Syrien.\n"


# --- helpers ---------------------------------------------------------------------------------------


@contextmanager
def site(overrides: dict[str, RouteSpec] | None = None) -> Iterator[LocalSite]:
    with serve({**BASE_ROUTES, **(overrides or {})}) as running:
        yield running


def fetch_with(overrides: dict[str, RouteSpec], *extra: str, start: str = START) -> Callable[[Env], Run]:
    def action(env: Env) -> Run:
        with site(overrides) as running:
            return cli("fetch", running.url(start), "-d", str(env.data), *FAST, *extra, timeout=40)

    return action


def library_fetch(route: Route, **options: float) -> Callable[[Env], Run]:
    """fetch_item with FetchOptions the CLI does not expose (a short total deadline)."""

    def action(env: Env) -> Run:
        import time

        from scrapers import FetchOptions, ScraperError, fetch_item

        opts = FetchOptions(delay=0, max_retries=0, backoff=0.01, respect_robots=False, **options)
        with site({START: route}) as running:
            started = time.monotonic()
            try:
                fetch_item(running.url(START), options=opts, site="mid.ru")
            except ScraperError as err:
                return Run(1, f"bitext: error: {err}\n", seconds=time.monotonic() - started)
            return Run(0, "", seconds=time.monotonic() - started)

    return action


def import_file(name: str, content: str | bytes) -> Callable[[Env], Run]:
    def action(env: Env) -> Run:
        return cli("import", "tmx", str(env.write(name, content)), "-d", str(env.data))

    return action


def align_files(src: str | bytes, tgt: str | bytes, *extra: str, names: tuple[str, str] = ("a.en", "a.de")) -> Callable[[Env], Run]:
    def action(env: Env) -> Run:
        return cli("align-files", str(env.write(names[0], src)), str(env.write(names[1], tgt)), *extra)

    return action


def evaluate(pred: str | bytes, gold: str | bytes = "[0]:[0]\n[1]:[1]\n") -> Callable[[Env], Run]:
    def action(env: Env) -> Run:
        return cli("eval", str(env.write("pred.txt", pred)), "--gold", str(env.write("gold.txt", gold)))

    return action


def export_to(target: Callable[[Env], Path | str], fmt: str = "tmx") -> Callable[[Env], Run]:
    def action(env: Env) -> Run:
        return cli("export", fmt, "-d", str(env.data), "--langs", "ru,en", "-o", str(target(env)))

    return action


def a_file(env: Env) -> Path:
    return env.write("plain-file", "keep me")


def unchanged(path: str, content: str) -> Callable[[Env, Run], str | None]:
    def check(env: Env, _run: Run) -> str | None:
        found = (env.tmp / path).read_text(encoding="utf-8")
        return None if found == content else f"{path} changed"

    return check


# --- HTTP -------------------------------------------------------------------------------------------

REAL = BASE_ROUTES[START]
HTTP = [
    Case("http", "start page 500 then ok", fetch_with({START: (Route(status=500), REAL)}), "ok"),
    Case("http", "start page 503 always", fetch_with({START: Route(status=503)}), "error", "HTTP 503"),
    Case("http", "429 with Retry-After then ok",
         fetch_with({START: (Route(status=429, headers={"Retry-After": "1"}), REAL)}), "ok"),
    Case("http", "start page 404", fetch_with({START: Route(status=404)}), "error", "HTTP 404"),
    Case("http", "start page slower than the timeout",
         fetch_with({START: Route(body=REAL.body, delay=3.0)}), "error", "timed out"),
    Case("http", "truncated body", fetch_with({START: Route(body=REAL.body, truncate_at=500)}), "error", "truncated"),
    Case("http", "redirect loop", fetch_with({START: Route.redirect(START)}), "error", "too many redirects"),
    Case("http", "redirect to a malformed address",
         fetch_with({START: Route(status=302, headers={"Location": "http://[::1:x/"})}), "error", "malformed address"),
    Case("http", "redirect to ftp", fetch_with({START: Route.redirect("ftp://127.0.0.1/x")}), "error", "ftp"),
    Case("http", "anti-bot interstitial for ever",
         fetch_with({START: Route.html("<p>Data processing... Please, wait.</p>")}), "error", "interstitial"),
    Case("http", "one language 404", fetch_with({NEW_PATHS["es"]: Route(status=404)}), "ok"),
    Case("http", "a pdf instead of a page",
         fetch_with({NEW_PATHS["fr"]: Route(body=b"%PDF-1.4 ...", content_type="application/pdf")}), "ok"),
    Case("http", "50 MB page, declared", fetch_with({START: Route(body=b"x" * 50_000_000)}), "error", "cap"),
    Case("http", "50 MB page, chunked",
         fetch_with({START: Route(body=b"<p>" + b"x" * 50_000_000, chunked=True)}), "error", "cap"),
    Case("http", "invalid bytes in a page",
         fetch_with({NEW_PATHS["de"]: Route(body=BASE_ROUTES[NEW_PATHS["de"]].body.replace(b"Sergej", b"S\xff\xfe\xc3("))}),
         "ok"),
    Case("http", "an XHTML page that starts like XML",
         fetch_with({NEW_PATHS["fr"]: Route(body=b'<?xml version="1.0" encoding="utf-8"?>\n' + BASE_ROUTES[NEW_PATHS["fr"]].body)}),
         "ok"),
    Case("http", "binary garbage as the start page",
         fetch_with({START: Route(body=bytes(range(256)) * 400, content_type="text/html")}), "ok"),  # an absence
    Case("http", "robots.txt disallows everything",
         fetch_with({"/robots.txt": Route(body=b"User-agent: *\nDisallow: /\n", content_type="text/plain")}),
         "error", "robots.txt"),
    Case("http", "trickling server (1 byte per 0.2 s, deadline 1.5 s)",
         library_fetch(Route(body=REAL.body, trickle=0.2), timeout=5.0, deadline=1.5), "error", "within 1.5 s"),
]  # fmt: skip


def _stalled(env: Env) -> Run:
    with stalled_server() as base:
        return cli("fetch", f"{base}{START}", "-d", str(env.data), *FAST, "--retries", "0", timeout=30)


def _dns_failure(env: Env) -> Run:
    """The resolver fails as it does without a network; patched, so the test never asks a real one."""
    real = socket.getaddrinfo

    def no_network(host: object, *args: object, **kwargs: object) -> object:
        if isinstance(host, str) and host.endswith(".invalid"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    with mock.patch("socket.getaddrinfo", no_network):
        return cli("run", "https://www.mid.invalid/en/item/1", "-d", str(env.data), "--timeout", "1", timeout=30)


def _dns_check(_env: Env, run: Run) -> str | None:
    return None if run.seconds < 5 else f"took {run.seconds:.1f} s (retried?)"


def _refused(env: Env) -> Run:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return cli("fetch", f"http://127.0.0.1:{port}{START}", "-d", str(env.data), *FAST, "--retries", "0")


HTTP += [
    Case("http", "stalled server (accepts, never answers)", _stalled, "error", "timed out"),
    Case("http", "name lookup fails (no network)", _dns_failure, "error", "bitext demo", check=_dns_check),
    Case("http", "connection refused", _refused, "error", "connection failed"),
    Case("http", "offline with an empty cache",
         lambda env: cli("fetch", "http://127.0.0.1:9/en/x", "-d", str(env.data), "--offline"), "error", "offline"),
    Case("http", "malformed URL", lambda env: cli("fetch", "http://[::1/x", "-d", str(env.data)), "error"),
]  # fmt: skip


# --- hostile files ------------------------------------------------------------------------------------


def _big_tmx(count: int = 150_000) -> bytes:
    tu = (
        '<tu><tuv xml:lang="ru"><seg>{0} Министр провёл переговоры в Париже о положении в Сирии.</seg></tuv>'
        '<tuv xml:lang="en"><seg>{0} The Minister held talks in Paris on the situation in Syria.</seg></tuv></tu>\n'
    )
    body = "".join(tu.format(i) for i in range(count))
    return (TMX_HEAD + body + "</body></tmx>").encode("utf-8")


FILES = [
    Case("file", "tmx: malformed", import_file("bad.tmx", TMX_HEAD + "<tu><tuv>"), "error", "malformed TMX"),
    Case("file", "tmx: XXE (external entity)",
         import_file("xxe.tmx", TMX.replace("<tmx", '<!DOCTYPE tmx [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<tmx')
                     .replace("Привет, мир.", "&x;")), "error", "entities"),
    Case("file", "tmx: billion laughs", import_file("laughs.tmx", LAUGHS), "error"),
    Case("file", "tmx: entity-free DOCTYPE",
         import_file("doctype.tmx", TMX.replace("<tmx", '<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n<tmx', 1)), "ok"),
    Case("file", "tmx: 0 tu", import_file("none.tmx", TMX_HEAD + "</body></tmx>"), "error", "no <tu>"),
    Case("file", "tmx: no xml:lang",
         import_file("nolang.tmx", TMX.replace(' xml:lang="ru"', "").replace(' xml:lang="en"', "")), "error"),
    Case("file", "tmx: UTF-16", import_file("u16.tmx", TMX.replace("UTF-8", "UTF-16").encode("utf-16")), "ok"),
    Case("file", "tmx: empty", import_file("empty.tmx", b""), "error"),
    Case("file", "tmx: binary", import_file("bin.tmx", bytes(range(256)) * 100), "error"),
    Case("file", "tmx: an HTML page", import_file("page.tmx", "<html><body>hi</body></html>"), "error", "<html>"),
    Case("file", "tmx: undefined entity", import_file("undef.tmx", TMX.replace("Привет", "&nbsp;")), "error"),
    Case("file", "tmx: 30 MB", lambda env: cli(
        "import", "tmx", str(env.write("big.tmx", _big_tmx())), "-d", str(env.data), timeout=180), "ok", slow=True),
    Case("file", "sentences: empty source", align_files("", DE), "warning", "no sentences"),
    Case("file", "sentences: both empty", align_files("", "\n\n"), "error", "both empty"),
    Case("file", "sentences: binary", align_files(bytes(range(256)) * 50, DE), "error", "not UTF-8"),
    Case("file", "sentences: latin-1", align_files(EN, "Grüße aus Zürich.\n".encode("latin-1")), "error", "iconv"),
    Case("file", "sentences: UTF-16", align_files(EN.encode("utf-16"), DE), "error", "not UTF-8"),
    Case("file", "sentences: one 200 KB line", align_files(EN, "Wort " * 40_000 + "\n"), "ok"),
    Case("file", "sentences: a folder as source",
         lambda env: cli("align-files", str(env.tmp), str(env.write("a.de", DE))), "usage"),
    Case("file", "sentences: missing file",
         lambda env: cli("align-files", str(env.path("nope.en")), str(env.write("a.de", DE))), "error", "no such file"),
    Case("file", "beads: garbage line", evaluate("hello\n"), "error", "expected `[i, ...]"),
    Case("file", "beads: negative index", evaluate("[0]:[-1]\n"), "error"),
    Case("file", "beads: index used twice", evaluate("[0]:[0]\n[0]:[1]\n"), "error", "already aligned"),
    Case("file", "beads: unsorted indices", evaluate("[1, 0]:[0]\n"), "error", "not increasing"),
    Case("file", "beads: score not a number", evaluate("[0]:[0]:abc\n"), "error", "not a number"),
    Case("file", "beads: nested lists", evaluate("[[0]]:[0]\n"), "error"),
    Case("file", "beads: 100000 open brackets", evaluate("[" * 100_000 + "\n"), "error"),
    Case("file", "beads: binary", evaluate(bytes(range(256)) * 10), "error", "cannot read"),
    Case("file", "beads: empty prediction", evaluate(""), "ok"),
    Case("file", "beads: one gold file for two predictions",
         lambda env: cli("eval", str(env.write("p1", "[0]:[0]\n")), str(env.write("p2", "[0]:[0]\n")),
                         "--gold", str(env.write("g", "[0]:[0]\n"))), "error", "one --gold file per prediction"),
]  # fmt: skip


# --- hostile environments -------------------------------------------------------------------------------


def _symlink(env: Env) -> Path:
    target = env.write("real.tmx", "old")
    link = env.tmp / "link.tmx"
    link.symlink_to(target)
    return link


def _symlink_kept(env: Env, _run: Run) -> str | None:
    link = env.tmp / "link.tmx"
    if not link.is_symlink():
        return "the symlink was replaced"
    return None if (env.tmp / "real.tmx").read_text().startswith("<?xml") else "the link's target was not written"


def _fifo(env: Env) -> Path:
    os.mkfifo(env.tmp / "pipe")
    return env.tmp / "pipe"


def _fifo_kept(env: Env, _run: Run) -> str | None:
    return None if stat.S_ISFIFO(os.stat(env.tmp / "pipe").st_mode) else "the fifo was replaced"


def _device_kept(_env: Env, _run: Run) -> str | None:
    return None if stat.S_ISCHR(os.stat("/dev/full").st_mode) else "/dev/full is no longer a device"


def _stdout_full(env: Env) -> Run:
    with open("/dev/full", "w") as full:
        return process("export", "jsonl", "-d", str(env.data), "--langs", "ru,en", stdout=full)


def _text_into_folder(env: Env) -> Run:
    (env.tmp / "out").mkdir()
    return cli("export", "text", "-d", str(env.data), "--langs", "ru,en", "-o", f"{env.tmp / 'out'}/")


def _text_inside(env: Env, _run: Run) -> str | None:
    return None if (env.tmp / "out" / "ru-en.ru").exists() else "no out/ru-en.ru"


def _under_a_file(command: str) -> Callable[[Env], Run]:
    def action(env: Env) -> Run:
        data = str(a_file(env) / "sub")
        if command == "fetch":
            return cli("fetch", "http://127.0.0.1:9/en/x", "-d", data)
        if command == "import":
            return cli("import", "tmx", str(env.write("ok.tmx", TMX)), "-d", data)
        return cli(command, "-d", data)

    return action


def _read_only(command: str) -> Callable[[Env], Run]:
    """The data folder cannot be written (chmod 555, or chattr +i for root)."""

    def action(env: Env) -> Run:
        tmx = env.write("ok.tmx", TMX)
        with site() as running, read_only(env.data) as possible:
            if not possible:
                return Run(1, "bitext: error: (skipped: cannot make a folder read-only here)\n")
            args = {
                "align": ["align", "-d", str(env.data)],
                "import": ["import", "tmx", str(tmx), "-d", str(env.data)],
                "fetch": ["fetch", running.url(START), "-d", str(env.data), *FAST],
                "demo": ["demo", "-d", str(env.data)],
            }[command]
            run = cli(*args)
            if command == "fetch" and running.log:
                return Run(1, run.stderr + "bitext: error: (requests were made before the check)\n")
            return run

    return action


def _corrupt_frame(env: Env) -> Run:
    clean = env.tmp / "corrupt"
    clean.mkdir()
    (clean / "alignments.parquet").write_bytes(b"PAR1 not really")
    return cli("export", "tmx", "-d", str(clean), "--langs", "ru,en", "-o", str(env.path("x.tmx")))


ENVIRONMENT = [
    Case("env", "export -o a symlink", export_to(_symlink), "ok", check=_symlink_kept),
    Case("env", "export -o a named pipe", export_to(_fifo), "error", "named pipe", check=_fifo_kept),
    Case("env", "export -o /dev/full", export_to(lambda _env: "/dev/full"), "error", "device", check=_device_kept),
    Case("env", "export -o an existing folder", export_to(lambda env: env.tmp, "jsonl"), "error", "is a folder"),
    Case("env", "export -o FILE/sub", export_to(lambda env: a_file(env) / "x.csv", "csv"), "error", "is a file",
         check=unchanged("plain-file", "keep me")),
    Case("env", "export to a full stdout", _stdout_full, "error", "no space left"),
    Case("env", "export text -o folder/", _text_into_folder, "ok", check=_text_inside),
    Case("env", "export --doc nosuch",
         lambda env: cli("export", "tmx", "-d", str(env.data), "--langs", "ru,en", "--doc", "nosuch"),
         "error", "the stored ones are"),
    Case("env", "export from an empty folder",
         lambda env: cli("export", "csv", "-d", str(env.path("nothing")), "--langs", "ru,en"), "error", "no "),
    Case("env", "export from a corrupt frame", _corrupt_frame, "error", "not a readable Parquet"),
    Case("env", "align -d FILE", lambda env: cli("align", "-d", str(a_file(env))), "usage"),
    *(Case("env", f"{command} -d FILE/sub", _under_a_file(command), "error", "is a file, not a folder")
      for command in ("demo", "fetch", "import", "align")),
    *(Case("env", f"{command} into a read-only data folder", _read_only(command), "error", "cannot write here")
      for command in ("align", "import", "fetch", "demo")),
    Case("env", "align --pivot xx", lambda env: cli("align", "-d", str(env.data), "--pivot", "xx"),
         "error", "de, en, es, fr, ru"),
    Case("env", "align --langs ru,xx", lambda env: cli("align", "-d", str(env.data), "--langs", "ru,xx"),
         "error", "de, en, es, fr, ru"),
    Case("env", "align-files --src-lang zz", align_files(EN, DE, "--src-lang", "zz"), "error", "de, en, es, fr, ru"),
    Case("env", "align-files ok.txt (no language in the name)",
         align_files(EN, DE, names=("ok.txt", "a.de")), "warning", "names no language"),
    Case("env", "an unknown option", lambda env: cli("export", "tmx", "--bogus"), "usage", "--bogus"),
    Case("env", "fetch --delay -1", lambda env: cli("fetch", "http://x/", "--delay", "-1"), "usage"),
]  # fmt: skip

ALL: list[Case] = [*HTTP, *FILES, *ENVIRONMENT]


# --- kill -9 at random moments ----------------------------------------------------------------------

KILL_MOMENTS = int(os.environ.get("BITEXT_KILL_MOMENTS", "2"))  # per command; the benchmark uses more


def _spawn(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "align", *args], cwd=ROOT, env=_child_env(),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _finish(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "align", *args], cwd=ROOT, env=_child_env(),
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def _kill_case(name: str, prepare: Callable[[Path], list[str]], *, output: str | None = None) -> Callable[[Env], Run]:
    """Run the command once to the end for the reference, then kill it ``KILL_MOMENTS`` times.

    After each kill every frame must read, the rows the command does not own must be
    unchanged and an ``-o`` file must be the old one or a whole new one; running the
    command again must give the reference frames.
    """

    def action(env: Env) -> Run:
        problems: list[str] = []
        reference = env.tmp / "reference"
        args = prepare(reference)
        started = time.monotonic()
        done = _finish(*args)
        duration = time.monotonic() - started
        if done.returncode != 0:
            return Run(1, f"bitext: error: the reference run failed: {done.stderr.strip()[-300:]}\n")
        expected = data_hash(reference, recomputed=True)
        expected_output = (reference / "out.tmx").read_bytes() if output else b""
        rng = random.Random(name)
        for attempt in range(KILL_MOMENTS):
            folder = env.tmp / f"kill{attempt}"
            args = prepare(folder)
            before = data_hash(folder)
            kept = {"tm:base"}  # rows no command here owns
            kept_before = data_hash(folder, doc_ids=kept)
            documents_before = data_hash(folder, frames=("documents",))
            if output:
                (folder / "out.tmx").write_text("old export")
            startup = _startup_seconds()  # killing before the imports end tests nothing: aim at the work
            moment = rng.uniform(min(startup, duration * 0.8), duration)
            child = _spawn(*args)
            try:
                child.wait(timeout=moment)
                env.notes.append(f"ended before the kill at {moment:.2f} s")
            except subprocess.TimeoutExpired:
                child.send_signal(signal.SIGKILL)
                child.wait()
                env.notes.append(f"killed at {moment:.2f} s of {duration:.2f} s")
            try:
                after = data_hash(folder)
            except Exception as err:  # noqa: BLE001  # any unreadable frame is the failure we look for
                problems.append(f"killed at {moment:.2f} s: frames unreadable ({err})")
                continue
            if data_hash(folder, doc_ids=kept) != kept_before:
                problems.append(f"killed at {moment:.2f} s: rows of another item changed")
            if name in ("align", "export") and data_hash(folder, frames=("documents",)) != documents_before:
                problems.append(f"killed at {moment:.2f} s: the documents changed")
            if output:
                written = (folder / "out.tmx").read_bytes()
                if written not in (b"old export", expected_output) and not _whole_tmx(written):
                    problems.append(f"killed at {moment:.2f} s: a partial out.tmx")
                if after != before:
                    problems.append(f"killed at {moment:.2f} s: an export changed the frames")
            litter = [p.name for p in folder.rglob(".*.tmp")]
            if litter:
                env.notes.append(f"temporary files left by the kill: {len(litter)}")
            again = _finish(*args)
            if again.returncode != 0 or data_hash(folder, recomputed=True) != expected or not scores_close(folder, reference):
                problems.append(f"killed at {moment:.2f} s: the next run did not repair it ({again.stderr.strip()[-200:]})")
        if problems:
            return Run(1, "".join(f"bitext: error: {p}\n" for p in problems[:1]), seconds=duration)
        return Run(0, "", seconds=duration)

    return action


_STARTUP: list[float] = []


def _startup_seconds() -> float:
    if not _STARTUP:
        started = time.monotonic()
        _finish("--version")
        _STARTUP.append(time.monotonic() - started)
    return _STARTUP[0]


def _whole_tmx(data: bytes) -> bool:
    return data.rstrip().endswith(b"</tmx>")


def _kill_fetch(folder: Path) -> list[str]:
    make_frames(doc_id="tm:base").write(folder)
    return ["fetch", _KILL_SITE.url(START), "-d", str(folder), "--site", "mid.ru", "--delay", "0"]


def _kill_align(folder: Path) -> list[str]:
    _sample_documents(folder)
    return ["align", "-d", str(folder)]


def _kill_import(folder: Path) -> list[str]:
    make_frames(doc_id="tm:base").write(folder)
    big = folder.parent / "import.tmx"
    if not big.exists():
        big.write_bytes(_big_tmx(20_000))
    return ["import", "tmx", str(big), "-d", str(folder)]


def _kill_export(folder: Path) -> list[str]:
    _sample_documents(folder)
    _finish("align", "-d", str(folder))
    return ["export", "tmx", "-d", str(folder), "--langs", "ru,en", "-o", str(folder / "out.tmx")]


_SAMPLE_CACHE: dict[str, Path] = {}


def _sample_documents(folder: Path) -> None:
    """The sample item's documents (fetched once per session, then copied)."""
    if "documents" not in _SAMPLE_CACHE:
        source = Path(tempfile.mkdtemp(prefix="bitext-sample-")) / "data"
        cli("fetch", _KILL_SITE.url(START), "-d", str(source), "--site", "mid.ru", "--delay", "0")
        _SAMPLE_CACHE["documents"] = source
    folder.mkdir(parents=True, exist_ok=True)
    for table in ("documents", "runs"):  # the documents table and the fetch run its rows name
        shutil.copytree(_SAMPLE_CACHE["documents"] / table, folder / table)


class _LazySite:
    """The sample site, started on first use and kept for the session (a child process fetches from it)."""

    _running: LocalSite | None = None
    _stack = ExitStack()

    def url(self, path: str) -> str:
        if self._running is None:
            slow = {path: Route(body=route.body, delay=0.15) for path, route in BASE_ROUTES.items()}
            type(self)._running = self._stack.enter_context(serve({**BASE_ROUTES, **slow}))
            atexit.register(self._stack.close)
        assert self._running is not None
        return self._running.url(path)


_KILL_SITE = _LazySite()

KILLS = [
    Case("kill", "kill -9 during fetch", _kill_case("fetch", _kill_fetch), "ok", timeout=300),
    Case("kill", "kill -9 during align", _kill_case("align", _kill_align), "ok", timeout=300),
    Case("kill", "kill -9 during import", _kill_case("import", _kill_import), "ok", timeout=300),
    Case("kill", "kill -9 during export", _kill_case("export", _kill_export, output="out.tmx"), "ok", timeout=300),
]
ALL += KILLS
