"""`bitext review` in a real browser (Debian's chromium under Playwright), against a server the test starts.

Each correction is made through the button's accessible name, then the page
is reloaded and the store is read back: what the page shows is what was saved.
"""

from __future__ import annotations

import io
from typing import Any

import polars as pl
from PIL import Image, ImageStat

from align.review.history import read_log
from align.store.items import item_states
from align.store.tables import read_frame
from tests.review.served import DOC_ID, HOSTILE_EN, Server


def _units(server: Server) -> pl.DataFrame:
    return read_frame(server.data_dir, "units").filter(pl.col("doc_id") == DOC_ID).sort("unit")


def _open(page: Any, server: Server) -> None:
    page.goto(server.item_url())
    page.wait_for_selector("tr[data-unit]")


def _click(page: Any, unit: int, name: str) -> None:
    """Press a row's button and wait until the server's answer is on the page."""
    with page.expect_response(lambda r: r.url.endswith("/api/correct")) as answer:
        page.locator(f'[data-unit="{unit}"]').get_by_role("button", name=name, exact=True).click()
    assert answer.value.ok, answer.value.text()
    page.wait_for_selector("body:not([aria-busy])")


def test_the_grid_shows_every_unit_pivot_first_with_marks_and_renders(page: Any, viewer: Server) -> None:
    _open(page, viewer)
    rows = page.locator("tr[data-unit]")
    assert rows.count() == 7
    assert [rows.nth(i).get_attribute("data-unit") for i in range(7)] == [str(i) for i in range(7)]
    assert page.locator("thead th").all_inner_texts()[2:5] == ["ru (pivot)", "de", "en"]
    assert "0.20" in rows.nth(6).inner_text() and "risky" in (rows.nth(6).get_attribute("class") or "")
    assert "empty" in rows.nth(6).inner_text()  # the ru 1 : en 0 unit is marked for its empty side
    assert "para-start" in (rows.nth(1).get_attribute("class") or "")  # one paragraph per unit in these frames
    for key in ("Merge with next", "Confirm up to here", "Undo", "Redo"):
        assert key in page.locator(".keys").inner_text()
    shot = Image.open(io.BytesIO(page.screenshot(full_page=True))).convert("L")
    assert shot.height > 600
    assert ImageStat.Stat(shot).stddev[0] > 20  # text and shading, not a blank page
    assert not page.errors


def test_a_sentence_with_markup_shows_as_text(page: Any, viewer: Server) -> None:
    _open(page, viewer)
    cell = page.locator('[data-unit="5"] td[lang="en"]')
    assert cell.inner_text() == HOSTILE_EN
    assert page.locator('[data-unit="5"] script, [data-unit="5"] b').count() == 0
    assert page.evaluate("window.__xss") is None
    assert not page.errors


def test_merge_split_move_confirm_are_saved_as_they_are_made(page: Any, server: Server) -> None:
    _open(page, server)
    _click(page, 0, "Merge with next")  # units 0 and 1 -> one unit, ru 0-2, en 0-1
    page.reload()
    assert page.locator("tr[data-unit]").count() == 6
    units = _units(server)
    assert units["sents_ru"][0].to_list() == [0, 1, 2] and units["status"][0] == "corrected"

    page.locator('[data-unit="0"] td[lang="ru"] .s').nth(1).click()  # pick ru sentence 1, then split before it
    _click(page, 0, "Split here")
    page.reload()
    units = _units(server)
    assert units["sents_ru"][0].to_list() == [0] and units["sents_ru"][1].to_list() == [1, 2]
    assert units["sents_en"][0].to_list() == [0] and units["sents_en"][1].to_list() == [1]  # split in every language
    assert units.height == 7

    page.locator('[data-unit="2"] td[lang="en"] .s').nth(0).click()  # en sentence 2 goes to unit 1
    _click(page, 2, "Move to previous")
    units = _units(server)
    assert units["sents_en"][1].to_list() == [1, 2] and units["sents_en"][2].to_list() == [3]
    page.locator('[data-unit="1"] td[lang="en"] .s').last.click()
    _click(page, 1, "Move to next")  # and back
    assert _units(server)["sents_en"][2].to_list() == [2, 3]

    _click(page, 4, "Confirm")
    _click(page, 2, "Confirm up to here")
    page.reload()
    statuses = _units(server)["status"].to_list()
    assert statuses[:3] == ["confirmed"] * 3 and statuses[4] == "confirmed" and statuses[3] is None
    assert page.locator("tr.confirmed").count() == 4
    log = read_log(server.data_dir, DOC_ID)
    assert [e.action for e in log] == ["merge", "split", "move-previous", "move-next", "confirm", "confirm-up-to"]
    assert dict(item_states(server.data_dir).select("doc_id", "state").iter_rows())[DOC_ID] == "corrected"
    assert not page.errors


def test_undo_and_redo_and_keyboard_shortcuts(page: Any, server: Server) -> None:
    _open(page, server)
    before = _units(server).drop("run_id")
    _click(page, 2, "Merge with next")
    assert _units(server).height == 6
    with page.expect_response(lambda r: r.url.endswith("/api/correct")):
        page.get_by_role("button", name="Undo").click()
    page.wait_for_selector("body:not([aria-busy])")
    after_undo = _units(server).drop("run_id")
    assert after_undo.drop("status").equals(before)
    assert after_undo["status"].null_count() == after_undo.height
    with page.expect_response(lambda r: r.url.endswith("/api/correct")):
        page.get_by_role("button", name="Redo").click()
    page.wait_for_selector("body:not([aria-busy])")
    assert _units(server).height == 6

    page.locator('[data-unit="0"] td').first.click()
    with page.expect_response(lambda r: r.url.endswith("/api/correct")):
        page.keyboard.press("c")  # Confirm, then the next unit is current
    with page.expect_response(lambda r: r.url.endswith("/api/correct")):
        page.keyboard.press("c")
    page.wait_for_selector("body:not([aria-busy])")
    assert _units(server)["status"].to_list()[:2] == ["confirmed", "confirmed"]
    with page.expect_response(lambda r: r.url.endswith("/api/correct")):
        page.keyboard.press("Control+z")
    page.wait_for_selector("body:not([aria-busy])")
    assert _units(server)["status"].to_list()[:2] == ["confirmed", None]


def test_a_stale_tab_gets_a_conflict_and_loses_nothing(chromium: Any, server: Server) -> None:
    context = chromium.new_context()
    first, second = context.new_page(), context.new_page()
    for tab in (first, second):
        _open(tab, server)
    _click(first, 0, "Merge with next")
    with second.expect_response(lambda r: r.url.endswith("/api/correct")) as answer:
        second.locator('[data-unit="3"]').get_by_role("button", name="Confirm", exact=True).click()
    assert answer.value.status == 409
    assert "changed in another tab" in second.locator("#message").inner_text()
    second.wait_for_load_state("load")
    second.wait_for_function("() => !document.body.classList.contains('conflict')", timeout=10_000)
    assert second.locator("tr[data-unit]").count() == 6  # reloaded: the first tab's merge is shown
    units = _units(server)
    assert units.height == 6 and units["status"][0] == "corrected" and units["status"].to_list().count("confirmed") == 0
    context.close()


def test_the_corpus_page_lists_items_and_a_queue_sorted_by_risk(page: Any, viewer: Server) -> None:
    page.goto(viewer.address)
    assert DOC_ID in page.locator("table.list").first.inner_text()
    risks = [float(t) for t in page.locator("table.queue tbody td:first-child").all_inner_texts()]
    assert risks and risks == sorted(risks, reverse=True)
    page.locator("table.queue a").first.click()
    page.wait_for_selector("tr.current")
    assert page.locator("tr.current").get_attribute("data-unit") == "6"  # the lowest score, an empty side


def test_a_2000_unit_item_renders_whole_and_a_merge_renumbers_the_rows_after_it(
    page: Any, tmp_path: Any,
) -> None:
    from tests.align.frames_factory import SAMPLE_UNITS
    from tests.review.served import start_server, stop_server, write_item

    spec = [SAMPLE_UNITS[i % 5] for i in range(2000)]
    big = start_server(write_item(tmp_path / "big", units=spec, scores=[0.9] * 2000))
    try:
        page.goto(big.item_url())
        rows = page.locator("#units > tr")
        assert rows.count() == 2000
        assert page.locator('[data-unit="1999"]').count() == 1
        _click(page, 1000, "Merge with next")
        assert rows.count() == 1999
        numbers = page.eval_on_selector_all("#units > tr", "rows => rows.map(r => Number(r.dataset.unit))")
        assert numbers == list(range(1999))
        page.locator('[data-unit="1998"]').scroll_into_view_if_needed()
        assert page.locator('[data-unit="1998"] .idx').text_content() == "1998"
        assert not page.errors
    finally:
        stop_server(big)
