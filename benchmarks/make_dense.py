"""Generate a dense syndication corpus from real English prose: wire stories carried by many outlets.

The shape of a news corpus about one busy event, where most articles carry wire copy:

- ``--stories`` wire stories (default 40), each the opening of a different PAN 2013 source
  text (real prose, consecutive sentences in paragraphs of two to four), published first by
  a wire agency (Reuters, the Associated Press or AFP) on its own site, with a dateline
  credit;
- each story carried by 5 to 60 outlets (about ``--docs`` documents in all, from
  ``--outlets`` outlets, default 80): the outlet's own site chrome above and below (menus,
  share and newsletter lines, the same on every page of that outlet), sometimes a new
  headline, an introduction or an added paragraph of the outlet's own (other real prose),
  the story trimmed at the end, the credit kept, moved to a ``Source:`` line or dropped; a few
  carriers edit the copy (words dropped or replaced in most sentences);
- ``--independent`` articles (default 100) that take from no one: openings of other PAN
  texts, each by one of the outlets, with its chrome.

Every document has a ``url`` on its outlet's domain and a ``published`` time (a carrier
after its story's original). The truth file gives, per document, its kind (``original``,
``carrier`` or ``independent``), its story and the id and outlet of its original. What the
corpus does not model: independent reports here share no topic with the stories (PAN texts
are about everything), so it measures the cost of syndication and the attribution of
copies, not the telling of independent reports of one event from copies.

Run ``python benchmarks/make_dense.py -o dense.jsonl`` to write the corpus and
``dense.truth.json`` beside it. Deterministic for a seed.
"""

from __future__ import annotations

import argparse
import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np

__all__ = ["generate", "write_corpus"]

DEFAULT_PROSE = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "pan13-train" / "src"
# Name (as in dedup/data/outlets.txt), domain and credit.
AGENCIES = (("Reuters", "reuters.com", "Reuters"), ("Associated Press", "apnews.com", "AP"),
            ("Agence France-Presse", "afp.com", "AFP"))
_SENTENCE_RE = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]?[A-Z])")
_PLACES = ("WASHINGTON", "LONDON", "PARIS", "BEIRUT", "BAGHDAD", "NEW YORK", "GENEVA", "CAIRO")
_WORDS = ("Daily", "Evening", "Morning", "Herald", "Ledger", "Courier", "Tribune", "Gazette", "Post",
          "Chronicle", "Observer", "Record", "Journal", "Times", "Star", "Sentinel", "Review", "Dispatch")
_TOWNS = ("Avon", "Bexley", "Carlow", "Dunmore", "Elgin", "Fairview", "Glenwood", "Harlow", "Ivybridge",
          "Kenton", "Lindale", "Marlow", "Norwood", "Oakham", "Preston", "Redhill", "Selby", "Thornbury",
          "Upton", "Westbury")


def _openings(prose: Path, count: int, rng: np.random.Generator, words: tuple[int, int]) -> list[list[str]]:
    """The openings of ``count`` different texts under ``prose`` (sorted, then shuffled with
    ``rng``), each as consecutive sentences adding up to a length drawn from ``words``."""
    files = sorted(prose.rglob("*.txt"))
    if len(files) < count:
        raise SystemExit(f"make_dense: {len(files)} .txt files under {prose}, {count} needed; pass --prose DIR.")
    found = []
    for index in rng.permutation(len(files)):
        text = " ".join(files[index].read_text("utf-8", errors="replace").split())
        sentences = [s for s in _SENTENCE_RE.split(text) if 4 <= len(s.split()) <= 70]
        target, taken, total = int(rng.integers(*words)), [], 0
        for sentence in sentences:
            taken.append(sentence)
            total += len(sentence.split())
            if total >= target:
                break
        if total >= target:
            found.append(taken)
        if len(found) == count:
            return found
    raise SystemExit(f"make_dense: too few long texts under {prose}.")


def _paragraphs(sentences: list[str], rng: np.random.Generator) -> list[str]:
    paragraphs, at = [], 0
    while at < len(sentences):
        size = int(rng.integers(2, 5))
        paragraphs.append(" ".join(sentences[at : at + size]))
        at += size
    return paragraphs


def _headline(sentence: str, rng: np.random.Generator) -> str:
    return " ".join(sentence.rstrip(".!?\"”’").split()[: int(rng.integers(5, 11))])


def _edited(paragraph: str, rng: np.random.Generator) -> str:
    """Most sentences of a paragraph with a word or two dropped and one replaced."""
    out = []
    for sentence in _SENTENCE_RE.split(paragraph):
        words = sentence.split()
        if len(words) > 8 and rng.random() < 0.8:
            for _ in range(int(rng.integers(1, 3))):
                del words[int(rng.integers(1, len(words) - 1))]
            words[int(rng.integers(1, len(words) - 1))] = str(rng.choice(["also", "then", "still", "now"]))
        out.append(" ".join(words))
    return " ".join(out)


def _outlets(count: int, rng: np.random.Generator) -> list[dict]:
    outlets, seen = [], set()
    while len(outlets) < count:
        name = f"The {rng.choice(_TOWNS)} {rng.choice(_WORDS)}"
        if name in seen:
            continue
        seen.add(name)
        slug = name.lower().replace("the ", "").replace(" ", "")
        sections = " | ".join(rng.choice(["Home", "World", "Politics", "Business", "Sport", "Opinion", "Video",
                                          "Local", "Weather"], size=4, replace=False))
        outlets.append({
            "name": name, "domain": f"{slug}.example",
            "top": [f"{name} | {sections}", str(rng.choice(["Skip to content", "Menu", "Sign in | Subscribe"]))],
            "bottom": [f"Share this story on {name}", str(rng.choice(["Sign up for the morning briefing",
                                                                       "Get our newsletter in your inbox",
                                                                       "Read more from the World desk"])),
                       f"© 2024 {name}. All rights reserved."],
        })
    return outlets


def _carriers(stories: int, total: int, rng: np.random.Generator) -> list[int]:
    """How many outlets carry each story: 5 to 60, a few stories carried widely, adding up to
    ``total`` (when 5 to 60 per story allows)."""
    counts = np.full(stories, 5)
    weights = rng.lognormal(0, 1.2, stories)
    for _ in range(max(0, total - 5 * stories)):
        open_ = counts < 60
        if not open_.any():
            break
        share = np.where(open_, weights, 0) / np.where(open_, weights, 0).sum()
        counts[int(rng.choice(stories, p=share))] += 1
    return counts.tolist()


def generate(*, prose: Path = DEFAULT_PROSE, docs: int = 600, stories: int = 40, outlets: int = 80,
             independent: int = 100, seed: int = 0) -> tuple[list[dict], dict[str, dict]]:
    """The corpus (records with ``id``, ``text``, ``url``, ``published``) and its truth."""
    rng = np.random.default_rng(seed)
    texts = _openings(prose, stories + independent + docs // 4, rng, (450, 750))
    story_texts, independent_texts, extra = texts[:stories], texts[stories : stories + independent], texts[stories + independent :]
    sites = _outlets(outlets, rng)
    start = datetime(2024, 2, 3, 6, 0, tzinfo=timezone.utc)
    records, truth = [], {}
    spare = (paragraph for sentences in extra for paragraph in _paragraphs(sentences, rng))
    counts = _carriers(stories, docs - stories - independent, rng)
    for k, (sentences, carried) in enumerate(zip(story_texts, counts)):
        agency, domain, credit = AGENCIES[k % len(AGENCIES)]
        paragraphs = _paragraphs(sentences, rng)
        headline = _headline(sentences[0], rng)
        dateline = f"{rng.choice(_PLACES)} ({credit}) - "
        published = start + timedelta(minutes=9 * k)
        original = f"{domain.split('.')[0]}-{k:02d}"
        records.append({"id": original, "url": f"https://www.{domain}/world/story-{k:02d}",
                        "published": published.isoformat(),
                        "text": "\n\n".join([headline, dateline + paragraphs[0], *paragraphs[1:]])})
        truth[original] = {"kind": "original", "story": k, "source": None, "outlet": agency}
        for n, site in enumerate(rng.choice(len(sites), size=carried, replace=carried > len(sites))):
            site = sites[int(site)]
            body = list(paragraphs[: max(2, int(round(len(paragraphs) * rng.uniform(0.6, 1.0))))])
            if rng.random() < 0.06:
                body = [_edited(p, rng) for p in body]
            style = rng.random()
            if style < 0.6:
                body[0] = dateline + body[0]
            elif style < 0.85:
                body.append(f"Source: {credit}")
            if rng.random() < 0.3:
                body.insert(0, next(spare))
            if rng.random() < 0.25:
                body.insert(int(rng.integers(1, len(body))), next(spare))
            title = headline if rng.random() < 0.5 else _headline(next(spare), rng)
            doc_id = f"{site['domain'].split('.')[0]}-{k:02d}-{n:02d}"
            records.append({"id": doc_id, "url": f"https://{site['domain']}/news/{k:02d}-{n:02d}",
                            "published": (published + timedelta(minutes=int(rng.integers(20, 600)))).isoformat(),
                            "text": "\n".join(site["top"]) + "\n\n" + "\n\n".join([title, *body]) + "\n\n"
                                    + "\n".join(site["bottom"])})
            truth[doc_id] = {"kind": "carrier", "story": k, "source": original, "outlet": agency}
    for k, sentences in enumerate(independent_texts):
        site = sites[k % len(sites)]
        doc_id = f"{site['domain'].split('.')[0]}-own-{k:03d}"
        paragraphs = _paragraphs(sentences, rng)
        records.append({"id": doc_id, "url": f"https://{site['domain']}/news/own-{k:03d}",
                        "published": (start + timedelta(minutes=int(rng.integers(0, 900)))).isoformat(),
                        "text": "\n".join(site["top"]) + "\n\n" + "\n\n".join([_headline(sentences[0], rng), *paragraphs])
                                + "\n\n" + "\n".join(site["bottom"])})
        truth[doc_id] = {"kind": "independent", "story": None, "source": None, "outlet": None}
    order = rng.permutation(len(records))
    return [records[i] for i in order], truth


def write_corpus(path: Path, **options) -> Path:
    """Write the corpus to ``path`` (JSONL) and its truth beside it (``.truth.json``)."""
    records, truth = generate(**options)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    path.with_suffix(".truth.json").write_text(json.dumps(truth, indent=1) + "\n", encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--prose", type=Path, default=DEFAULT_PROSE)
    parser.add_argument("--docs", type=int, default=600)
    parser.add_argument("--stories", type=int, default=40)
    parser.add_argument("--outlets", type=int, default=80)
    parser.add_argument("--independent", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    write_corpus(args.output, prose=args.prose, docs=args.docs, stories=args.stories, outlets=args.outlets,
                 independent=args.independent, seed=args.seed)


if __name__ == "__main__":
    main()
