#!/usr/bin/env python3
"""Finds passages of the site copied from its source document.

    scripts/paraphrase_check.py SOURCE [CONTENT_DIR]

Reads the source text and every Markdown file under CONTENT_DIR (default: content), and
reports each run of 7 or more words that a page shares with the source once names and
titles are masked: quoted passages and runs of capitalised words (with the small words
that join them, as in "Convention on the Physical Protection") each count as one word,
NAME. The page text checked is the body without link targets, heading ids or code, plus
the front matter's titles, descriptions, event summaries and figure labels. Exits 1 when
any run is found, 0 otherwise.
"""

import re
import sys
from pathlib import Path

RUN = 7
JOINERS = {"of", "the", "on", "for", "to", "and", "in", "at", "a"}
QUOTED = re.compile(r"‘.*?’(?![A-Za-z])|“[^”]*”|\"[^\"]*\"", re.S)
WORD = re.compile(r"[A-Za-z0-9$][A-Za-z0-9$'’,.-]*")
FRONT_TEXT = re.compile(r"^\s*(?:-\s*)?(?:title|description|summary|label):\s*(.+)$", re.M)


def words(text):
    """The text's words, lowercased, with names and quoted titles masked as NAME."""
    text = QUOTED.sub(" Name ", text)
    raw = [w.strip(".,'’-") for w in WORD.findall(text)]
    raw = [w for w in raw if w]
    out = []
    i = 0
    while i < len(raw):
        if raw[i][0].isupper() or raw[i][0].isdigit() and re.search(r"[A-Za-z]", raw[i]):
            j = i + 1
            while j < len(raw):
                if raw[j][0].isupper():
                    j += 1
                else:
                    k = j
                    while k < len(raw) and raw[k].lower() in JOINERS:
                        k += 1
                    if k == j or k == len(raw) or not raw[k][0].isupper():
                        break
                    j = k + 1
            out.append("NAME")
            i = j
        else:
            out.append(raw[i].lower())
            i += 1
    return out


def page_text(markdown, source_lines):
    """What a reader sees of a page: front-matter texts and the body without markup.
    A heading that repeats one of the source's own headings is a title, and left out."""
    front, body = "", markdown
    if markdown.startswith("---\n"):
        end = markdown.find("\n---\n", 4)
        if end != -1:
            front, body = markdown[4:end], markdown[end + 5 :]
    texts = [m.strip().strip("\"'") for m in FRONT_TEXT.findall(front)]
    body = re.sub(r"\{#[^}]*\}", " ", body)
    body = "\n".join(
        line for line in body.splitlines()
        if not (line.startswith("#") and " ".join(line.lstrip("#").split()) in source_lines)
    )
    body = re.sub(r"```.*?```", " ", body, flags=re.S)
    body = re.sub(r"`[^`]*`", " ", body)
    body = re.sub(r"\]\([^)]*\)", "]", body)
    body = re.sub(r"\{#[^}]*\}", " ", body)
    body = re.sub(r"[*_#>|\[\]]", " ", body)
    # Each front-matter text stands alone: a run never spans two of them.
    return texts + [body]


def shingles(tokens):
    return {tuple(tokens[i : i + RUN]) for i in range(len(tokens) - RUN + 1)}


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    source_text = Path(argv[1]).read_text(encoding="utf-8")
    source = shingles(words(source_text))
    source_lines = {" ".join(line.split()) for line in source_text.splitlines()}
    content = Path(argv[2] if len(argv) == 3 else "content")
    pages = sorted(content.rglob("*.md"))
    found = 0
    for page in pages:
        for text in page_text(page.read_text(encoding="utf-8"), source_lines):
            tokens = words(text)
            for i in range(len(tokens) - RUN + 1):
                run = tuple(tokens[i : i + RUN])
                if run in source:
                    found += 1
                    print(f"{page}: {' '.join(run)}")
    print(f"{len(pages)} pages checked against {len(source)} source runs of {RUN} words: "
          f"{found} shared run{'s' if found != 1 else ''}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
