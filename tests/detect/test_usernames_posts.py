"""Person handles in posts and Q&A threads without the cues `username_handle` needs: replies,
platform mentions, closing handles, non-ASCII handles, cashtags, accounts after their platform,
credits without `@`, StackExchange comment signatures, gamer tags; and the code, brands and words
that look like them."""

from __future__ import annotations

import pytest

from maskgate.detect.patterns import recognizers_for
from maskgate.detect.patterns.base import RegexLayer

LAYER = RegexLayer(recognizers_for())


def users(text: str) -> list[str]:
    spans = sorted({(s.start, s.end) for s in LAYER.detect(text) if s.label == "USERNAME"})
    return [text[a:b] for a, b in spans]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # StackExchange comments and answers
        ("Comment: @RichardNeo did you remove the spaces from the app password?", "@RichardNeo"),
        ("@Brambor that was it, thanks!!", "@Brambor"),
        ("Also @ThiefMaster — your comment about re.DOTALL was wrong.", "@ThiefMaster"),
        ("Edit: @KarolinaW, you're right, it needs a lock.", "@KarolinaW"),
        ("you need to sort both frames first. – wjandrea_dev", "wjandrea_dev"),
        ("works on 3.11 too – PeterMortensen Mar 3 '21 at 14:02", "PeterMortensen"),
        ("edit: thanks brunodesthuilliers for the correction on backtracking.", "brunodesthuilliers"),
        # tweets, Reddit and YouTube comments
        ("lmao saw her in soho. @mayaaa.jpg we need to go back", "@mayaaa.jpg"),
        ("commissions open! i'm @jade.paints.things on ig 🎨", "@jade.paints.things"),
        ("follow me @lena.draws for more", "@lena.draws"),
        ("see u in vegas @marco.rossi_21", "@marco.rossi_21"),
        ("so proud of my sister 😭🎓 @keisha.brooks", "@keisha.brooks"),
        ("thanks! (cc @Tomás_Quiroga who had the same issue)", "@Tomás_Quiroga"),
        ("shoutout @Zoë_Lindqvist for the edit", "@Zoë_Lindqvist"),
        ("venmo me or cashapp $jazzyw04 NO excuses", "$jazzyw04"),
        ("send it to $DeShawnP22 on cash app", "$DeShawnP22"),
        ("my cash app is $mkelly-88", "$mkelly-88"),
        ("my insta is jade.paints if u want to see more", "jade.paints"),
        ("add me on snap: kyle_o22", "kyle_o22"),
        ("her tiktok is @bri.bakes_", "@bri.bakes_"),
        ("if ur on steam add me!! same name everywhere: xXdarkphoenixXx", "xXdarkphoenixXx"),
        ("gg to XxSn1perWolfxX last night", "XxSn1perWolfxX"),
        ("also props to rick_in_reno for the pic of the marks", "rick_in_reno"),
        ("kudos to dave_builds_stuff!", "dave_builds_stuff"),
        ("IG: jade.paints | TikTok: @jadepaints_", "jade.paints"),
        ("steam - Ravager99 add me", "Ravager99"),
        ("hmu on snap darkwave_77 or text me", "darkwave_77"),
        ("follow me on insta @lena.draws.things", "@lena.draws.things"),
        ("i miss those streams. @CourageJD was the best caster too", "@CourageJD"),
        ("Jake from IT, I know you picked the Chiefs, pay up. @mike_t you too", "@mike_t"),
    ],
)  # fmt: skip
def test_person_handles_in_posts(text: str, value: str) -> None:
    assert value in users(text)


@pytest.mark.parametrize(
    "text",
    [
        # code and annotations in Q&A prose
        "Mark the test with @pytest.mark.xfail that way it runs",
        "Use the @property decorator here, and @Override on the method.",
        "Add @JsonIgnore to the field. You can also use @Transactional that way.",
        "@dataclass\nclass Foo:\n    x: int",
        "npm i @types/node @angular/core@17.1.0",
        "x = f(@y_2, z)",
        "`@lru_cache` that you saw is the stdlib one",
        "Upgrade to @v2.1.0 then run it.",
        # brands, support desks and e-mail
        "@delta my flight got cancelled. @AppleSupport pls help",
        "send the file to jane@example.com and @media screen { }",
        # shell variables and prices
        "echo $HOME and $PATH; it cost me $20 on cashapp",
        "cash app fee is $3.50 lol",
        # words after platform cues and credits
        "my insta is private and my snap is dead",
        "add me on steam: same as here",
        "thanks everyone for the help! thanks reddit for nothing. thanks chatgpt.",
        "thanks v2.1 for nothing",
        "thanks example.com for the hosting",
        "discord: true\nsnap: false",
        "the x is x_train and the y is y_train",
        "the add-me button is at the top",
        "Use the `@JsonIgnore` annotation. @JsonIgnore is ignored on getters though.",
        # titles and names after a dash, Java and CSS in a comment
        "Bohemian Rhapsody – Queen",
        "the best quote – Einstein",
        "you can't – it's reserved",
        "Comment: @Override does not change that.",
    ],
)  # fmt: skip
def test_code_brands_and_words_are_no_handles(text: str) -> None:
    assert users(text) == []


def test_keyed_scan_matches_the_plain_scan() -> None:
    """`KeyedRecognizer` tries its pattern only at its keys: the same matches as a plain scan."""
    from maskgate.detect.patterns.usernames_posts import RECOGNIZERS, KeyedRecognizer

    texts = [
        "IG: jade.paints | thanks to rick_in_reno! add me on snap: kyle_o22, my insta is Big.Tiger_9",
        "Thank you dave_b1 for this. hat tip to x_y_z. Same name everywhere: xXfooXx. İstanbul ig: a_b",
        "thanks thanks thank you k_2 and h/t kay_9; shoutout to lena_k; my steam is my_steam_77",
    ]
    for r in RECOGNIZERS:
        if isinstance(r, KeyedRecognizer):
            for text in texts:
                plain = [(m.start(), m.end()) for m in r.compiled.finditer(text)]
                assert [(m.start(), m.end()) for m in r._matches(text)] == plain, (r.name, text)
