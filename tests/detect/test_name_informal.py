"""Lower-case names without a cue in informal lines (names/informal.py) and lower-case places
(names/places.py). Cases from posts, chats, short notes and relatives' questions, with the hard
negatives of each class: brands, games, songs, foods, pronouns, word-names in no person position,
places that are words or names outside a place position, formal and code text."""

from __future__ import annotations

import pytest

from maskgate.detect.names import NameLayer
from maskgate.detect.names.places import PlaceLayer

NAMES = NameLayer()
PLACES = PlaceLayer()


def names(text: str) -> list[str]:
    return [text[s.start : s.end] for s in NAMES.detect(text)]


def places(text: str) -> list[str]:
    return [text[s.start : s.end] for s in PLACES.detect(text)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # a clean given name (no English word), lower case, no cue
        ("lunch thurs? thinking that Thai place again. priya and omar are in", ["priya", "omar"]),  # e-mail
        ("hey Leah - running late, can you grab sam from practice at 5:30? thx", ["Leah", "sam"]),  # note
        ("omw to pick up chloe from daycare", ["chloe"]),  # tweet
        ("so me and kayla are going to the concert", ["kayla"]),  # chat
        (
            "my brother tyler (31M) married brooke (29F). i told tyler that brooke is not invited",
            None,
        ),  # reddit
        # a word-name in a person position
        ("thanks for covering friday!! tell deb i said hi 🙂", ["deb"]),  # note
        ("lol yes I still have them. jordan's coming too if that's ok?", ["jordan"]),  # e-mail
        ("grabbing ana w/ me then, w/ mike too", ["ana", "mike"]),  # group chat
        # two letters after a relation, and again later
        ("my brother tj got bit by a dog at a park yesterday. tj is 14", ["tj", "tj"]),  # relative's question
        # a word-name after a relation, in a line whose other writer capitalises
        ("YouTube comment: Bob Ross was great. my 6yo lily watches him every night", ["Bob Ross", "lily"]),
        # a slash list of names
        ("shoutout to marco/lina/deshawn for carrying the team", ["marco", "lina", "deshawn"]),  # post
    ],
)
def test_informal_names(text: str, found: list[str] | None) -> None:
    got = names(text)
    if found is None:  # every mention of both names
        assert got.count("tyler") == 2 and got.count("brooke") == 2
    else:
        assert got == found


def test_a_lower_case_name_found_once_is_found_again() -> None:
    text = "lol amir texted me at 3am asking if penguins have knees. yes amir. they do"
    assert names(text) == ["amir", "amir"]
    chat = "mike: who's driving sat\npriya: i can take 4 ppl\nmike: bet. grabbing ana w/ me then\nana: ok"
    assert names(chat).count("mike") == 2


@pytest.mark.parametrize(
    "text",
    [
        "omg the new apple watch is so good lol",  # brand
        "may the force be with u lol. grace period ends friday, will submit tmrw",  # word-names
        "can u ask him to call me back",  # pronoun after a cue
        "anyone else's wifi down? ugh",  # possessive of a word
        "got the new zelda game!!! see u in a month",  # a game
        "idk what ramen place to try, suggestions?",  # a food before a place noun
        "jordan 4s restock was a mess",  # a shoe and its model number
        "eat the rich lol",  # a word-name in no person position
        "tell siri to play it lol",  # an assistant
        "i'm gonna grab lunch w/ the team",  # w/ before a noun
        "we lived at /home/priya/dev for a year lol",  # a path
        "@priya_k congrats!!",  # a handle, the handle rules' business
        "def omar(x):\n    return x",  # code
        "ok so the tv is broken lol, my bf is on pto",  # two letters, no relation or no name
        "pho or ramen tonight? i stan a legend",  # a food, a verb
        "Read a text file.",  # a cue verb used as a noun (an SDK's tool description)
        "Write a text file.",
        "check the call log. miss nothing",
    ],
)
def test_informal_hard_negatives(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("omg just saw her at the airport in nashville and i'm shaking 😭", ["nashville"]),  # tweet
        (
            "moving to the uk from texas in march w/ my husband. we lived in nyc before",
            ["uk", "texas", "nyc"],
        ),
        ("ANYONE IN PORTLAND SEEN MY CAT?? GREY TABBY", ["PORTLAND"]),  # shouted flyer
        ("it was a gift for my mom in el paso, tracking says delivered", ["el paso"]),  # support chat
        ("we're in phoenix and urgent care is a 2 hr wait", ["phoenix"]),  # relative's question
        ("flying to austin tmrw lol", ["austin"]),  # word-place after a motion
        ("road trip!! day 3, chicago and austin done", ["chicago", "austin"]),  # a list of places
        ("next stop the grand canyon!!", ["grand canyon"]),  # several words
        ("harry styles concert tonight in la!!!", ["la"]),  # a short form after a place word
    ],
)
def test_lower_case_places(text: str, found: list[str]) -> None:
    assert places(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "turkey sandwich for lunch again smh",  # a food
        "lmao denzel washington is the goat",  # a surname
        "i talked to austin about it lol",  # a name after "to" without a motion
        "got a new york strip for dinner 🥩",  # a cut of meat
        "jordan is coming over later lol",  # a name
        "The office in Chicago opened in 2019.",  # capitalised: the model's
        "see https://example.com/chicago/ and #texas lol",  # URL, hashtag
        "wearing my jersey to the game lol",  # a word
        "la la land is overrated lol, dc comics > marvel",  # short forms without a place word
    ],
)
def test_place_hard_negatives(text: str) -> None:
    assert places(text) == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("love u forever bestie #jessturns30", ["jess"]),  # birthday post
        ("#teamjacob all the way, fight me", ["jacob"]),  # fandom
        ("3 years old today!! #happybirthdaykiara 🎂", ["kiara"]),  # parent's post
        ("#tbt #blessed #nofilter #itsaboy #tiktokmademebuyit #caturday #classof2029 #ootd", []),  # tags
        ("#SundayFunday with the crew", []),  # camel case: shapes.hashtag_parts' business
        ("so proud of him #kevinhart #comedy", ["kevinhart"]),  # a full name: the surname too
        ("gonna miss this man #happybirthdaymarcus #youngking", ["marcus"]),  # a word after: not joined
    ],
)
def test_names_in_lower_case_hashtags(text: str, found: list[str]) -> None:
    assert names(text) == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("4:12 the part he wrote with jack antonoff 😭 genius", ["jack antonoff"]),  # YouTube comment
        ("rose byrne is so underrated in bridesmaids lol", ["rose byrne"]),  # tweet
        ("i saw pat mahomes at the gym today no joke", ["pat mahomes"]),  # Reddit
        ("omg drew barrymore replied to my comment!!", ["drew barrymore"]),  # tweet
    ],
)
def test_word_given_name_before_a_surname(text: str, found: list[str]) -> None:
    assert found[0] in names(text)


@pytest.mark.parametrize(
    "text",
    [
        "grant proposals are due friday lol",  # a noun before a word
        "i bill clients hourly tbh",  # a verb
        "chase bank closed my account smh",  # a brand before a word
        "can he take tylenol for his knee? he already takes aspirin",  # a verb before a drug
        "use npm run typecheck before you push lol",  # a command
        "that ended his whole career in one song lmaooo",  # slang after a word
        "will smith slap again?? lmao",  # an auxiliary first
        "The patient will mark improvement on the chart.",  # formal text
    ],
)
def test_word_given_name_pairs_hard_negatives(text: str) -> None:
    assert not [n for n in names(text) if " " in n]
