"""Build `names.tsv.gz`, the compact first-name/surname gazetteer used by `maskgate.detect.words`.

Source: the `names-dataset` package (Philippe Remy; MIT metadata / Apache-2.0 licence file;
730k first names and 983k last names with a popularity rank per country for 105 countries). The
package loads ~1.5 GB into memory, so maskgate does not depend on it at run time: this script is run
once by a maintainer and its output is committed.

    python -m pip install names-dataset==3.3.1   # in a scratch environment
    python src/maskgate/detect/data/build_names.py --words /usr/share/dict/words

It also writes `english_words.txt.gz`: the lower-case entries of the word list (ordinary English
words), used to drop NER spans that are one ordinary word ("Cache", "Landlord", "Processing").

Selection: a first name is kept when it ranks within the top FIRST_RANK of at least one country,
a surname within the top LAST_RANK. Each line is `name<TAB>flags`, name lower-cased, flags:
  f  first name          l  surname
  w  also an ordinary English word (a lower-case entry of the word list, e.g. Debian's
     `wamerican` /usr/share/dict/words, or in EXTRA_WORDS): the detector uses such names only
     with strong context (a title, "my name is", a neighbouring unambiguous name).
The output is sorted and gzipped with a fixed timestamp, so a rebuild gives the same bytes.
"""

from __future__ import annotations

import argparse
import gzip
import io
import pickle
import re
from pathlib import Path

FIRST_RANK = 1000
LAST_RANK = 2000
OUT = Path(__file__).with_name("names.tsv.gz")
WORDS_OUT = Path(__file__).with_name("english_words.txt.gz")
_OK = re.compile(r"^[^\W\d_]+(?:['’-][^\W\d_]+)*$")
# Words that title-cased text is full of but that some word lists spell only capitalised.
EXTRA_WORDS = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february",
    "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
    "mr", "mrs", "ms", "dr", "prof", "sir", "madam", "miss", "god", "christmas", "easter", "internet",
    "english", "french", "german", "spanish", "italian", "american", "british", "european", "africa",
    "asia", "america", "europe", "india", "china", "japan", "london", "paris", "berlin", "user", "admin",
    "root", "test", "demo", "null", "none", "true", "false", "error", "debug", "info", "warning",
}  # fmt: skip


def _load(path: Path) -> dict[str, dict]:
    with gzip.open(path, "rb") as f:
        return pickle.load(f)


def _words(path: Path | None) -> set[str]:
    words = set(EXTRA_WORDS)
    if path is not None:
        for line in path.read_text(encoding="utf-8", errors="ignore").splitlines():
            w = line.strip()
            if w and w == w.lower() and "'" not in w:
                words.add(w)
    return words


def build(dataset_dir: Path, words_file: Path | None) -> dict[str, set[str]]:
    english = _words(words_file)
    flags: dict[str, set[str]] = {}
    for fname, flag, limit in (("first_names", "f", FIRST_RANK), ("last_names", "l", LAST_RANK)):
        for name, info in _load(dataset_dir / f"{fname}.pkl.gz").items():
            ranks = [r for r in (info.get("rank") or {}).values() if r is not None]
            name = name.strip()
            if not ranks or min(ranks) > limit or len(name) < 2 or not _OK.match(name):
                continue
            key = name.lower()
            flags.setdefault(key, set()).add(flag)
    for key, fl in flags.items():
        if key in english:
            fl.add("w")
    return flags


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--dataset-dir", type=Path, help="names_dataset/v3 folder (default: the installed package)"
    )
    ap.add_argument(
        "--words", type=Path, help="English word list, one word a line (lower-case = common word)"
    )
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    if args.dataset_dir is None:
        import names_dataset  # type: ignore[import-not-found]

        args.dataset_dir = Path(names_dataset.__file__).parent / "v3"
    flags = build(args.dataset_dir, args.words)
    buf = io.StringIO()
    for key in sorted(flags):
        buf.write(f"{key}\t{''.join(sorted(flags[key]))}\n")
    with args.out.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9) as gz:
        gz.write(buf.getvalue().encode("utf-8"))
    if args.words is not None:
        words = sorted(w for w in _words(args.words) if w.isalpha() and len(w) > 1)
        with (
            WORDS_OUT.open("wb") as raw,
            gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9) as gz,
        ):
            gz.write(("\n".join(words) + "\n").encode("utf-8"))
        print(f"{WORDS_OUT}: {len(words)} words")
    n_first = sum("f" in v for v in flags.values())
    n_last = sum("l" in v for v in flags.values())
    n_word = sum("w" in v for v in flags.values())
    print(f"{args.out}: {len(flags)} names ({n_first} first, {n_last} surnames, {n_word} also English words)")


if __name__ == "__main__":
    main()
