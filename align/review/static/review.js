// bitext review: picks units and sentences, sends corrections, splices the rows the server returns.
// Every text the page shows was escaped by the server; this script never builds HTML from data.
(() => {
  "use strict";
  const body = document.body;
  if (!body.classList.contains("item")) return;
  const token = body.dataset.token;
  const doc = body.dataset.doc;
  const tbody = document.getElementById("units");
  const message = document.getElementById("message");
  const every = document.getElementById("every-language");
  let current = null;
  let picked = null;
  let lastLang = null;

  const rowOf = (el) => (el ? el.closest("tr[data-unit]") : null);
  const say = (text, error) => { message.textContent = text; message.className = error ? "error" : ""; };

  function setCurrent(tr, scroll) {
    if (current) current.classList.remove("current");
    current = tr;
    if (picked && rowOf(picked) !== tr) pick(null);
    if (tr) {
      tr.classList.add("current");
      if (scroll) tr.scrollIntoView({ block: "nearest" });
    }
  }

  function pick(span) {
    if (picked) picked.classList.remove("picked");
    picked = span;
    if (span) {
      span.classList.add("picked");
      lastLang = span.dataset.lang;
      if (rowOf(span) !== current) setCurrent(rowOf(span));
    }
  }

  function defaultLang(tr) {
    const cells = [...tr.querySelectorAll("td[lang]")].filter((td) => td.querySelector(".s"));
    const chosen = cells.find((td) => td.lang === lastLang) || cells[1] || cells[0];
    return chosen ? chosen.lang : null;
  }

  // Corrections run one after the other, in click order; each reads its unit from its row when its turn comes
  // (rows before it may have been merged or split meanwhile), with the version the previous one left.
  let queue = Promise.resolve();
  function send(action, tr) {
    const row = tr || current || tbody.firstElementChild;
    const span = picked && rowOf(picked) === row ? picked : null;
    const every_language = every.checked;
    pending += 1;
    body.setAttribute("aria-busy", "true");
    queue = queue.then(() => run(action, row, span, every_language)).finally(() => {
      pending -= 1;
      if (!pending) body.removeAttribute("aria-busy");
    });
  }
  let pending = 0;

  async function run(action, row, span, every_language) {
    if (body.classList.contains("conflict")) return;
    if (row && !row.isConnected) { say("that unit was changed by the correction before; pick it again", true); return; }
    const payload = { doc, version: body.dataset.version, action, unit: row ? Number(row.dataset.unit) : 0,
                      every_language };
    if (span && span.isConnected) {
      payload.lang = span.dataset.lang;
      payload.sent = Number(span.dataset.sent);
    } else if (row && (action === "move-previous" || action === "move-next")) {
      payload.lang = defaultLang(row);
    }
    say("saving…");
    try {
      const response = await fetch("/api/correct", {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Bitext-Token": token },
        body: JSON.stringify(payload),
      });
      const data = await response.json();
      if (response.status === 409) {
        say(data.error + " Reloading…", true);
        body.classList.add("conflict");
        setTimeout(() => location.reload(), 1500);
        return;
      }
      if (!response.ok) { say(data.error, true); return; }
      splice(data, action, payload.unit);
      say(data.message);
    } catch (err) {
      say("could not reach the review server (is `bitext review` still running?): " + err, true);
    }
  }

  function splice(data, action, unit) {
    const rows = tbody.children;
    for (let k = 0; k < data.removed && rows[data.start]; k++) rows[data.start].remove();
    const holder = document.createElement("tbody");
    holder.innerHTML = data.html; // rows rendered (and escaped) by the server
    const added = [...holder.children];
    const fragment = document.createDocumentFragment();
    added.forEach((r) => fragment.appendChild(r));
    tbody.insertBefore(fragment, rows[data.start] || null);
    if (added.length !== data.removed) {
      for (let i = data.start + added.length; i < rows.length; i++) {
        const r = rows[i];
        r.dataset.unit = String(i);
        r.id = "u" + i;
        r.querySelector(".idx").textContent = String(i);
      }
    }
    body.dataset.version = data.version;
    document.getElementById("count").textContent = String(data.total);
    document.querySelector('[data-action="undo"]').disabled = !data.can_undo;
    document.querySelector('[data-action="redo"]').disabled = !data.can_redo;
    picked = null;
    let focus = Math.min(unit, rows.length - 1);
    if (action === "confirm" || action === "confirm-up-to") focus = Math.min(unit + 1, rows.length - 1);
    if (action === "move-previous") focus = Math.max(0, unit - 1);
    setCurrent(rows[Math.max(0, focus)] || null, true);
  }

  function stepSentence(delta) {
    if (!current) return;
    const spans = [...current.querySelectorAll(".s")];
    if (!spans.length) return;
    const at = spans.indexOf(picked);
    const next = at < 0 ? (delta > 0 ? 0 : spans.length - 1) : Math.max(0, Math.min(spans.length - 1, at + delta));
    pick(spans[next]);
  }

  function stepUnit(delta) {
    const rows = tbody.children;
    const at = current ? Number(current.dataset.unit) : -1;
    const next = rows[Math.max(0, Math.min(rows.length - 1, at + delta))];
    if (next) setCurrent(next, true);
  }

  tbody.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-action]");
    if (button) { send(button.dataset.action, rowOf(button)); return; }
    const span = event.target.closest(".s");
    if (span) { pick(span === picked ? null : span); return; }
    setCurrent(rowOf(event.target));
  });
  document.querySelectorAll(".toolbar button[data-action]").forEach((button) => {
    button.addEventListener("click", () => send(button.dataset.action, current));
  });

  const KEYS = {
    m: "merge", s: "split", "[": "move-previous", "]": "move-next", c: "confirm", Enter: "confirm",
    C: "confirm-up-to", u: "undo", r: "redo",
  };
  document.addEventListener("keydown", (event) => {
    if (event.target.closest("input, textarea, select")) return;
    const key = event.key;
    const ctrl = event.ctrlKey || event.metaKey;
    let action = null;
    if (ctrl && (key === "z" || key === "Z")) action = event.shiftKey ? "redo" : "undo";
    else if (ctrl && (key === "y" || key === "Y")) action = "redo";
    else if (ctrl || event.altKey) return;
    else if (key === "ArrowDown" || key === "j") { stepUnit(1); event.preventDefault(); return; }
    else if (key === "ArrowUp" || key === "k") { stepUnit(-1); event.preventDefault(); return; }
    else if (key === "ArrowRight") { stepSentence(1); event.preventDefault(); return; }
    else if (key === "ArrowLeft") { stepSentence(-1); event.preventDefault(); return; }
    else if (key === "Enter" && event.target.closest("button, a")) return;
    else action = KEYS[key] || null;
    if (!action) return;
    event.preventDefault();
    if (!current && action !== "undo" && action !== "redo") { say("pick a unit first (click it, or press j)", true); return; }
    send(action, current);
  });

  const fromHash = document.getElementById(location.hash.slice(1));
  if (fromHash && fromHash.matches("tr[data-unit]")) setCurrent(fromHash, true);
})();
