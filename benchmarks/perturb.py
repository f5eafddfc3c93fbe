"""Perturbations with known gold beyond omissions.py's deletions and insertions: captions and swapped paragraphs.

* ``caption``: a short caption-like line ("Fig. 3", a few words taken from
  elsewhere in the document) is inserted on the target side before randomly
  chosen gold beads; the gold gets a ``[]:[j]`` (as a figure caption in a scan);
* ``glued``: the same caption words are glued into the middle of a target
  sentence, inside a word (as OCR joins a caption to running text); the gold
  is unchanged;
* ``swap``: two neighbouring runs of three target-side gold beads change
  places (swapped paragraphs); the gold keeps the true, now crossing, links;
* ``split``: the target sentence of chosen 1-1 gold beads is cut in two at a
  comma near its middle (as a translator splits a long sentence); the gold
  bead becomes 1-2;
* ``merge``: the target sentences of two neighbouring 1-1 gold beads are
  joined into one line (as a translator joins two sentences); the gold beads
  become one 2-1;
* ``dialogue``: an exchange of two or three short replies (``"Ja."``,
  ``"— Froid ?"``: ``DIALOGUE_REPLIES``, written for this benchmark) is inserted on
  both sides before chosen gold beads, each reply a line of its own; on the
  target side, every other exchange is joined into one line (as translators
  run short replies together). The gold gets a 1-1 bead per reply, or one n-1
  bead for a joined exchange.

Every function takes a task, a rate (share of gold beads changed) and a seeded
``random.Random``; none copies data anywhere.
"""

from __future__ import annotations

import bisect
import random
from dataclasses import replace

from common import AlignmentTask
from omissions import _shifted, _spread_choice

from align import Bead

SWAP_RUN = 3  # gold beads per swapped block
# Short dialogue replies in every language of the gold, as a text shows them (French spaces before ?!).
DIALOGUE_REPLIES: dict[str, tuple[str, ...]] = {
    "en": ('"Yes."', '"No!"', '"Cold?"', '"Really?"', '"Thank you."', '"Come here!"', '"Why?"', '"Of course."',
           '"Not yet."', '"Where?"', '"Too late."', '"Listen!"'),
    "de": ("„Ja.“", "„Nein!“", "„Kalt?“", "„Wirklich?“", "„Danke.“", "„Komm her!“", "„Warum?“", "„Natürlich.“",
           "„Noch nicht.“", "„Wo?“", "„Zu spät.“", "„Hör zu!“"),
    "fr": ("— Oui.", "— Non !", "— Froid ?", "— Vraiment ?", "— Merci.", "— Viens ici !", "— Pourquoi ?",
           "— Bien sûr.", "— Pas encore.", "— Où ?", "— Trop tard.", "— Écoute !"),
    "es": ("— Sí.", "— ¡No!", "— ¿Frío?", "— ¿De verdad?", "— Gracias.", "— ¡Ven aquí!", "— ¿Por qué?",
           "— Por supuesto.", "— Todavía no.", "— ¿Dónde?", "— Demasiado tarde.", "— ¡Escucha!"),
    "ru": ("— Да.", "— Нет!", "— Холодно?", "— Правда?", "— Спасибо.", "— Иди сюда!", "— Почему?", "— Конечно.",
           "— Ещё нет.", "— Где?", "— Слишком поздно.", "— Слушай!"),
}  # fmt: skip


def _caption(task: AlignmentTask, rng: random.Random) -> str:
    words = task.tgt[rng.randrange(len(task.tgt))].split()
    start = rng.randrange(max(1, len(words) - 3))
    return f"Fig. {rng.randrange(1, 40)} {' '.join(words[start : start + 3])}".strip()


def plant_captions(task: AlignmentTask, rate: float, rng: random.Random) -> AlignmentTask:
    """Caption lines inserted just before the target side of chosen gold beads."""
    gold = list(task.gold)
    starts = [k for k, bead in enumerate(gold) if bead.tgt and k > 0]
    chosen = _spread_choice(starts, max(1, round(rate * len(gold))), rng)
    before = sorted(gold[k].tgt[0] for k in chosen)
    captions = {j: _caption(task, rng) for j in before}
    tgt: list[str] = []
    for j, line in enumerate(task.tgt):
        if j in captions:
            tgt.append(captions[j])
        tgt.append(line)
    shifted = list(_shifted(gold, lambda j: j + bisect.bisect_right(before, j)))
    new_gold: list[Bead] = []
    for k, bead in enumerate(shifted):
        if k in chosen:
            new_gold.append(Bead((), (bead.tgt[0] - 1,)))
        new_gold.append(bead)
    return replace(task, name=f"{task.name} -cap", tgt=tuple(tgt), gold=tuple(new_gold))


def plant_glued(task: AlignmentTask, rate: float, rng: random.Random) -> AlignmentTask:
    """Caption words glued into the middle of a word of chosen target sentences; the gold is unchanged."""
    tgt = list(task.tgt)
    long_lines = [j for j, line in enumerate(tgt) if len(line.split()) >= 6]
    for j in _spread_choice(long_lines, max(1, round(rate * len(task.gold))), rng):
        words = tgt[j].split()
        w = rng.randrange(1, len(words) - 1)
        cut = max(1, len(words[w]) // 2)
        words[w] = words[w][:cut] + _caption(task, rng) + words[w][cut:]
        tgt[j] = " ".join(words)
    return replace(task, name=f"{task.name} -glu", tgt=tuple(tgt))


def plant_swaps(task: AlignmentTask, rate: float, rng: random.Random) -> AlignmentTask:
    """Two neighbouring runs of ``SWAP_RUN`` gold beads (with target sentences) swap their target text."""
    gold = list(task.gold)
    runs = len(gold) // (2 * SWAP_RUN)
    starts = [r * 2 * SWAP_RUN for r in range(runs)]
    count = max(1, round(rate * len(gold) / (2 * SWAP_RUN)))
    order = list(range(len(task.tgt)))  # order[new position] = old target index
    moved: dict[int, int] = {}
    for start in sorted(rng.sample(starts, min(count, len(starts)))):
        first = [j for bead in gold[start : start + SWAP_RUN] for j in bead.tgt]
        second = [j for bead in gold[start + SWAP_RUN : start + 2 * SWAP_RUN] for j in bead.tgt]
        if not first or not second or first != list(range(first[0], first[-1] + 1)):
            continue
        if second != list(range(first[-1] + 1, first[-1] + 1 + len(second))):
            continue
        block = second + first
        for offset, old in enumerate(block):
            moved[first[0] + offset] = old
    for new, old in moved.items():
        order[new] = old
    new_of_old = {old: new for new, old in enumerate(order)}
    tgt = tuple(task.tgt[old] for old in order)
    new_gold = tuple(Bead(bead.src, tuple(sorted(new_of_old[j] for j in bead.tgt))) for bead in gold)
    return replace(task, name=f"{task.name} -swa", tgt=tgt, gold=new_gold)


def _comma_cut(line: str) -> int | None:
    """Position just after the comma closest to the middle of ``line``, if one leaves 3+ words a side."""
    words = line.split(" ")
    cuts = [k for k in range(3, len(words) - 2) if words[k - 1].endswith(",")]
    if not cuts:
        return None
    return min(cuts, key=lambda k: abs(2 * k - len(words)))


def plant_splits(task: AlignmentTask, rate: float, rng: random.Random) -> AlignmentTask:
    """The target sentence of chosen 1-1 gold beads split at a comma near its middle; those beads become 1-2."""
    gold = list(task.gold)
    splittable = [k for k, b in enumerate(gold) if len(b.src) == 1 and len(b.tgt) == 1 and _comma_cut(task.tgt[b.tgt[0]])]
    chosen = set(_spread_choice(splittable, max(1, round(rate * len(gold))), rng))
    split_lines = sorted(gold[k].tgt[0] for k in chosen)
    tgt: list[str] = []
    for j, line in enumerate(task.tgt):
        if j in split_lines:
            words = line.split(" ")
            cut = _comma_cut(line)
            assert cut is not None
            tgt += [" ".join(words[:cut]), " ".join(words[cut:])]
        else:
            tgt.append(line)
    new_index = lambda j: j + bisect.bisect_left(split_lines, j)  # lines before j that were split
    new_gold = [
        Bead(b.src, (new_index(b.tgt[0]), new_index(b.tgt[0]) + 1)) if k in chosen
        else Bead(b.src, tuple(new_index(j) for j in b.tgt))
        for k, b in enumerate(gold)
    ]  # fmt: skip
    return replace(task, name=f"{task.name} -spl", tgt=tuple(tgt), gold=tuple(new_gold))


def plant_merges(task: AlignmentTask, rate: float, rng: random.Random) -> AlignmentTask:
    """The target sentences of two neighbouring 1-1 gold beads joined into one line; the beads become one 2-1."""
    gold = list(task.gold)
    one_one = lambda b: len(b.src) == 1 and len(b.tgt) == 1
    pairs = [k for k in range(len(gold) - 1) if one_one(gold[k]) and one_one(gold[k + 1])
             and gold[k + 1].tgt[0] == gold[k].tgt[0] + 1 and gold[k + 1].src[0] == gold[k].src[0] + 1]  # fmt: skip
    chosen = sorted(_spread_choice(pairs, max(1, round(rate * len(gold) / 2)), rng))
    chosen = [k for n, k in enumerate(chosen) if n == 0 or k > chosen[n - 1] + 1]  # no overlapping pairs
    joined = sorted(gold[k].tgt[0] for k in chosen)  # line j absorbs line j + 1
    tgt: list[str] = []
    skip_next = False
    for j, line in enumerate(task.tgt):
        if skip_next:
            skip_next = False
            continue
        if j in joined:
            tgt.append(f"{line} {task.tgt[j + 1]}")
            skip_next = True
        else:
            tgt.append(line)
    new_index = lambda j: j - bisect.bisect_left(joined, j)  # lines absorbed before j
    new_gold: list[Bead] = []
    for k, b in enumerate(gold):
        if k - 1 in chosen:
            continue
        if k in chosen:
            new_gold.append(Bead(b.src + gold[k + 1].src, (new_index(b.tgt[0]),)))
        else:
            new_gold.append(Bead(b.src, tuple(new_index(j) for j in b.tgt)))
    return replace(task, name=f"{task.name} -mrg", tgt=tuple(tgt), gold=tuple(new_gold))


def plant_dialogue(task: AlignmentTask, rate: float, rng: random.Random) -> AlignmentTask:
    """Exchanges of short replies inserted on both sides before chosen gold beads; every other one joined on the target."""
    gold = list(task.gold)
    starts = [k for k, bead in enumerate(gold) if bead.src and bead.tgt and k > 0]
    chosen = _spread_choice(starts, max(1, round(rate * len(gold) / 2)), rng)
    src_replies, tgt_replies = DIALOGUE_REPLIES[task.src_lang], DIALOGUE_REPLIES[task.tgt_lang]
    exchanges = {k: rng.sample(range(len(src_replies)), rng.choice((2, 3))) for k in chosen}
    src_before = {gold[k].src[0]: [src_replies[r] for r in exchanges[k]] for k in chosen}
    tgt_before = {gold[k].tgt[0]: [tgt_replies[r] for r in exchanges[k]] for k in chosen}
    joined = {gold[k].tgt[0] for n, k in enumerate(chosen) if n % 2}
    for j in joined:
        tgt_before[j] = [" ".join(tgt_before[j])]
    src = [line for i, text in enumerate(task.src) for line in [*src_before.get(i, []), text]]
    tgt = [line for j, text in enumerate(task.tgt) for line in [*tgt_before.get(j, []), text]]

    def mover(before: dict[int, list[str]]) -> dict[int, int]:
        moved, added = {}, 0
        for old in range(max([*before, -1]) + 1):
            added += len(before.get(old, []))
            moved[old] = old + added
        return moved

    src_at, tgt_at = mover(src_before), mover(tgt_before)
    shift_src = lambda i: src_at.get(i, i + sum(map(len, src_before.values())))
    shift_tgt = lambda j: tgt_at.get(j, j + sum(map(len, tgt_before.values())))
    new_gold: list[Bead] = []
    for k, bead in enumerate(gold):
        if k in exchanges:
            first_src, first_tgt = shift_src(bead.src[0]) - len(exchanges[k]), shift_tgt(bead.tgt[0]) - len(tgt_before[bead.tgt[0]])
            replies = range(first_src, first_src + len(exchanges[k]))
            if bead.tgt[0] in joined:
                new_gold.append(Bead(tuple(replies), (first_tgt,)))
            else:
                new_gold += [Bead((i,), (first_tgt + n,)) for n, i in enumerate(replies)]
        new_gold.append(Bead(tuple(map(shift_src, bead.src)), tuple(map(shift_tgt, bead.tgt))))
    return replace(task, name=f"{task.name} -dlg", src=tuple(src), tgt=tuple(tgt), gold=tuple(new_gold))


PLANTERS = {
    "caption": plant_captions, "glued": plant_glued, "swap": plant_swaps, "split": plant_splits, "merge": plant_merges,
    "dialogue": plant_dialogue,
}  # fmt: skip
