#!/usr/bin/env python3
"""Compares every translation of the site with the page it translates.

    scripts/translation_numbers.py LANG [CONTENT_DIR]

For each `NAME.md` under CONTENT_DIR (default: content) and its translation `NAME.LANG.md`,
reports:

- numbers: every number in the reader's text (front-matter texts and the body, without link
  targets, heading ids or code) that one page has and the other lacks. Both sides are
  normalised first: "4,000" is 4000, "3 million" and "300万" are 3000000, "March" is 3,
  English number words ("ten", "three") and Chinese numerals before a measure word
  ("十年", "三次") are their values from 3 up (one and two, written as words, are as often
  idiom as count: "one of", "一项", "两国"), and so are ordinals ("second", "第一部分", "首次") and
  numbered headings ("## 一、");
- structure that a translation must keep: front-matter keys (a translation drops
  `aliases`), every value that is not reader's text (relations, tags, weight, template,
  acronym), each event's dates, anchor and relations, each figure's date, the glossary's
  terms, the heading ids in order (an English heading without `{#id}` has the id GitHub's
  rule gives it) and the link targets;
- sources without a translation.

Exits 1 when anything differs, 0 otherwise.
"""

import re
import sys
from pathlib import Path

import yaml

MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]
EN_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
EN_ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
               "ninth", "tenth"]
ZH_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9}
# Measure words after which a Chinese numeral counts something ("两次", "十年").
ZH_MEASURE = "年次个期座项名段部份条届轮位种处方"
# Front-matter values a translation puts in its own words.
READER_TEXT = {"title", "description", "names"}
RECORD_TEXT = {"events": {"summary"}, "figures": {"label", "value", "unit"},
               "glossary": {"expansion"}}


def split(markdown):
    """The front matter as data and the body."""
    if not markdown.startswith("---\n"):
        return {}, markdown
    end = markdown.find("\n---\n", 4)
    return yaml.safe_load(markdown[4:end]) or {}, markdown[end + 5:]


def heading_ids(body):
    """Each heading's id, explicit or by GitHub's rule, in order."""
    ids = []
    for line in re.sub(r"```.*?```", "", body, flags=re.S).splitlines():
        heading = re.match(r"#{1,6}\s+(.*?)\s*$", line)
        if not heading:
            continue
        explicit = re.search(r"\{#([^}]+)\}\s*$", heading.group(1))
        if explicit:
            ids.append(explicit.group(1))
        else:
            text = heading.group(1).lower()
            ids.append("".join("-" if c in " -" else c for c in text if c.isalnum() or c in " -_"))
    return ids


def reader_text(front, body):
    """What a reader reads: front-matter texts and the body without markup."""
    texts = [str(front.get(key, "")) for key in READER_TEXT]
    for key, fields in RECORD_TEXT.items():
        texts += [str(record.get(f, "")) for record in front.get(key) or [] for f in fields]
    body = re.sub(r"```.*?```|`[^`]*`|\]\([^)]*\)|\{#[^}]*\}", " ", body, flags=re.S)
    return "\n".join(texts + [body])


def zh_numeral(text):
    """The value of a Chinese numeral below 100: 三, 十, 十二, 二十."""
    if "十" not in text:
        return ZH_DIGITS[text]
    tens, _, units = text.partition("十")
    return ZH_DIGITS.get(tens, 1) * 10 + (ZH_DIGITS[units] if units else 0)


def valid(numeral):
    """Whether a run of Chinese numerals is one number (十二), not two words (一二)."""
    return not re.search(r"[一二两三四五六七八九]{2}", numeral)


def numbers(text, lang):
    """The set of numbers a text states, normalised across languages."""
    found = set()
    scale = {"million": 10**6, "billion": 10**9, "万": 10**4, "亿": 10**8}
    for match in re.finditer(r"(\d[\d,]*(?:\.\d+)?)\s*(million|billion|万|亿)?", text):
        digits = match.group(1).rstrip(",.").replace(",", "")
        value = float(digits) * scale.get(match.group(2), 1)
        found.add(int(value) if value == int(value) else value)
    if lang == "en":
        for word in re.findall(r"[A-Za-z]+", text):
            if EN_WORDS.get(word.lower(), 0) >= 3:
                found.add(EN_WORDS[word.lower()])
            elif word.lower() in EN_ORDINALS:
                found.add(EN_ORDINALS.index(word.lower()) + 1)
            elif word.lower() in MONTHS and word[0].isupper():
                found.add(MONTHS.index(word.lower()) + 1)
    else:
        numeral = r"([一二两三四五六七八九十]{1,3})"
        for counted in re.findall(rf"{numeral}[{ZH_MEASURE}]", text):
            if valid(counted) and zh_numeral(counted) >= 3:
                found.add(zh_numeral(counted))
        if re.search(r"首[次个届轮]", text):
            found.add(1)
        # Ordinals and numbered headings: 第一部分, "## 一、".
        for ordinal in re.findall(rf"第{numeral}|^#+\s*{numeral}、", text, re.M):
            ordinal = "".join(ordinal)
            if valid(ordinal):
                found.add(zh_numeral(ordinal))
    return found


def structure(front, body):
    """Everything a translation keeps as it is, for comparison."""
    kept = {k: v for k, v in front.items()
            if k not in READER_TEXT | set(RECORD_TEXT) | {"aliases"}}
    for key, fields in RECORD_TEXT.items():
        kept[key] = [{f: v for f, v in record.items() if f not in fields}
                     for record in front.get(key) or []]
    kept["headings"] = heading_ids(body)
    kept["links"] = sorted(set(re.findall(r"\]\((@/[^)\s]+)\)", body)))
    return kept


def compare(source, translation, lang):
    """The differences between a page and its translation, as lines to print."""
    s_front, s_body = split(source.read_text(encoding="utf-8"))
    t_front, t_body = split(translation.read_text(encoding="utf-8"))
    problems = []
    if "aliases" in t_front:
        problems.append("`aliases` belongs to the source page only")
    missing_keys = set(s_front) - set(t_front) - {"aliases"}
    extra_keys = set(t_front) - set(s_front)
    if missing_keys or extra_keys:
        problems.append(f"keys: missing {sorted(missing_keys)}, extra {sorted(extra_keys)}")
    s_kept, t_kept = structure(s_front, s_body), structure(t_front, t_body)
    for key in sorted(set(s_kept) | set(t_kept)):
        if s_kept.get(key) != t_kept.get(key):
            problems.append(f"{key} differs: {s_kept.get(key)!r} / {t_kept.get(key)!r}")
    s_numbers = numbers(reader_text(s_front, s_body), "en")
    t_numbers = numbers(reader_text(t_front, t_body), lang)
    if s_numbers != t_numbers:
        problems.append(f"numbers only in the source: {sorted(s_numbers - t_numbers)}, "
                        f"only in the translation: {sorted(t_numbers - s_numbers)}")
    return problems


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    lang, content = argv[1], Path(argv[2] if len(argv) == 3 else "content")
    sources = sorted(p for p in content.rglob("*.md") if len(p.name.split(".")) == 2)
    failed = 0
    for source in sources:
        translation = source.with_name(f"{source.stem}.{lang}.md")
        problems = (compare(source, translation, lang) if translation.is_file()
                    else [f"no translation {translation.name}"])
        for problem in problems:
            print(f"{translation}: {problem}")
        failed += bool(problems)
    print(f"{len(sources)} pages compared with their `{lang}` translation: "
          f"{failed} with differences")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
