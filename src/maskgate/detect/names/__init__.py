"""Names the small NER model misses: a first-name/surname gazetteer, used only with context.

The gazetteer (`data/names.tsv.gz`, built by `data/build_names.py` from the `names-dataset`
package: first names in the top 1,000 and surnames in the top 2,000 of at least one of 105
countries) says whether a word is a known first name (f), surname (l), and also an ordinary English
word (w: "Will", "Mark", "Rose", "Street"). A word being in it is never enough on its own; a span is
reported when the context says "person":

1. a cue before it: "my name is", "call me", "name:", a title (Mr, Mrs, Ms, Dr, Prof...), "Dear",
   "directed by", a sign-off line ("Regards,\\n"), "Hi"/"Thanks" (weak cues need a gazetteer hit);
2. a run of capitalised words that starts with a known first name and ends with a known name
   ("Kriszti\u00e1n Sz\u00f6ll\u00f6sy", "Vide A. Persson"), at least one of them not an English word;
3. a single capitalised first name that is not an English word, inside a sentence ("Why is Natasja
   so impulsive?"), or at its start when a person verb, a possessive or a vocative comma follows
   ("Rintanen began writing", "Warrane, can I..."); speaker labels in transcripts ("Sara: ...");
   lists of three or more names ("Matheus, Janet, Nicholas and Terri").

Code-shaped tokens (dotted, underscored, camelCase, followed by "(") and names of software that are
also given names (Julia, Ruby, Jasmine...) are never taken. Label PERSON.
"""

from typing import Any

from maskgate.detect.names.layer import LABEL, NameLayer
from maskgate.detect.words import english_words, gazetteer

# english_words and refine_entity are re-exported for modules that import them from here
# (patterns/secrets.py, factory.py); refine_entity lazily, as it imports this package's cue lists.
__all__ = ["LABEL", "NameLayer", "english_words", "gazetteer"]


def __getattr__(name: str) -> Any:
    if name == "refine_entity":
        from maskgate.detect.ner.refine import refine_entity

        return refine_entity
    raise AttributeError(name)
