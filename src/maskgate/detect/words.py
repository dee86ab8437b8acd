"""Word lists shared by the detection layers: ordinary English words, the first-name/surname
gazetteer, and the small vocabularies (products that are given names, titles, particles, stop words)
that the name layer, the NER post-filter, the address layer and the recognizers consult."""

from __future__ import annotations

import gzip
import re
import threading
from importlib import resources


def word_list(s: str) -> list[str]:
    return s.split()


DATA_FILE = "names.tsv.gz"

_lock = threading.Lock()
_gazetteer: dict[str, str] | None = None
_english: frozenset[str] | None = None


def english_words() -> frozenset[str]:
    """Ordinary lower-case English words (data/english_words.txt.gz, from Debian's wamerican)."""
    global _english
    with _lock:
        if _english is None:
            raw = resources.files("maskgate.detect").joinpath("data", "english_words.txt.gz").read_bytes()
            _english = frozenset(gzip.decompress(raw).decode("utf-8").split())
        return _english


def gazetteer() -> dict[str, str]:
    """lower-cased name -> flags ("f", "l", "w"), loaded once per process (~165k entries)."""
    global _gazetteer
    with _lock:
        if _gazetteer is None:
            raw = resources.files("maskgate.detect").joinpath("data", DATA_FILE).read_bytes()
            table: dict[str, str] = {}
            for line in gzip.decompress(raw).decode("utf-8").splitlines():
                name, _, flags = line.partition("\t")
                table[name] = flags
            _gazetteer = table
        return _gazetteer


# Software, products and everyday words that are also given names or surnames.
NOT_NAMES = frozenset(
    word_list(
        """
        julia ruby jasmine sinon mocha chai karma jest django celery sphinx pandas flask nginx apache
        jenkins travis alexa siri cortana kafka hadoop maven gradle ansible puppet chef vagrant consul
        nomad helm istio envoy gunicorn tornado bottle pyramid jinja pydantic pytest black isort mypy
        ruff alembic marshmallow arrow pendulum boto paramiko fabric click typer rich textual swift
        kotlin scala elixir erlang haskell pascal perl lua dart rails laravel symfony flutter ionic
        angular ember backbone jquery lodash webpack babel rollup vite deno bun electron tauri hugo
        jekyll gatsby nuxt svelte solid remix astro prisma sequelize mongoose redux mobx axios express
        koa hapi nest fastify homebrew oracle tesla ford dell honda suzuki siemens bosch philips porsche
        ferrari disney boeing toyota nokia adobe mercedes audi volvo fiat nissan mazda subaru lexus ikea
        zara nike adidas puma gucci prada chanel hermes cartier rolex omega casio canon nikon sony
        lenovo asus acer intel nvidia amd qualcomm cisco juniper ubiquiti netgear linksys huawei xiaomi
        oppo vivo realme alcatel motorola samsung lg kia hyundai daewoo tata mahindra wipro infosys
        accenture deloitte kpmg mckinsey harvard stanford oxford cambridge princeton yale berkeley
        cornell columbia duke brown monday tuesday wednesday thursday friday saturday sunday january
        february march april may june july august september october november december jan feb mar apr
        jun jul aug sep sept oct nov dec god jesus christ allah buddha santa ok okay hello hi hey thanks
        thank dear regards best cheers sincerely yours team admin user root guest test demo null none
        true false error warning info debug mr mrs ms miss dr prof sir madam english french german
        spanish italian russian chinese japanese ubuntu debian fedora centos arch alpine mint manjaro
        gentoo slackware kali
        unicode posix json jsonl yaml toml xml html css rpc grpc http https tcp udp ascii utf stdin stdout
        stderr epoch metadata fallback linux unix macos ios android perl php java javascript typescript
        nodejs npm pypi conda regex sql sqlite postgres postgresql mysql mongo mongodb redis docker
        kubernetes terraform aws gcp azure github gitlab bitbucket jira confluence slack api sdk cli url uri
        uuid cron bash zsh vim emacs git popen async await utc iso oauth jwt webhook webhooks localhost
        claude opus sonnet haiku fable codex gemini gpt chatgpt llama mistral copilot cursor grok qwen deepseek
        anthropic openai ollama langchain llamaindex huggingface mcp jupyter recharts plotly matplotlib seaborn
        numpy scipy sklearn pytorch tensorflow keras vercel netlify heroku supabase firebase vitest playwright
        cypress puppeteer selenium storybook tailwind figma sentry datadog grafana prometheus kibana
        clickhouse snowflake databricks airflow dagster dbt looker tableau metabase markdown mermaid
        graphviz latex jsonschema mon tue tues wed thu thur thurs fri sat
        """
    )
)
# Words that precede a name but are not part of it, trimmed from NER spans ("Email Jane Doe").
LEADING_NON_NAME = frozenset(
    word_list(
        """
        email e-mail mail call ask tell contact ping message text thanks thank hi hello hey dear regards
        cheers cc attn attention producer director manager engineer doctor nurse patient client customer
        user employee agent officer detective inspector captain president senator governor mayor judge
        coach pastor father mother brother sister uncle aunt cousin grandma grandpa dad mom mum son
        daughter wife husband friend colleague boss said says told asked met meet with from to by and or
        for about re fwd fw note update welcome congratulations congrats sorry please remind reminder
        invite invited cc'd bcc rip omg lol ugh shoutout hbd per
        """
    )
)
TITLES = r"(?:mr|mrs|ms|miss|mx|dr|dra|prof|professor|sir|dame|madam|mme|mlle|herr|frau|sr|sra|srta|señor|señora|fr|rev)"
PARTICLES = frozenset(
    word_list(
        """
        van von der den de del della di da dos das du la le ter ten bin ibn al el af av zu y mac st
        """
    )
)
SURNAME_PARTICLES = frozenset({"van", "von", "ten", "ter", "zu"})
PERSON_VERBS = frozenset(
    word_list(
        """
        is was were are has have had said says asked told lives lived began begins spent flew went wrote writes called
        calls works worked joined joins will would can could should did does thinks thought wants wanted
        likes liked loves loved knows knew came comes left leaves arrived replied answered explained
        added noted agreed signed sent emailed paid bought moved died born married graduated studied
        teaches taught plays played sings sang directed starred recorded listed
        """
    )
)
STOP = frozenset(
    word_list(
        """
        a an the of and or to in on at for with from by my your our their his her its is are was were be
        this that these those it i you we they he she not no yes than then as if so but all any some
        just also very too here there when where what who how why which while because about into over
        after before again once only own same such both each few more most other nor up down out off
        i'm i've i'll i'd im ive
        """
    )
)


_PLURAL_ABBREVIATION = re.compile(r"[A-Z]{2,}s")


def is_cap(word: str) -> bool:
    if not word[0].isupper() or _PLURAL_ABBREVIATION.fullmatch(word):
        return False  # lower case, or "PRs", "APIs", "IDs"
    if "-" in word.strip("-"):  # a double surname: each half its own shape ("McAllister-Greene")
        head, *tails = word.split("-")
        return bool(head) and is_cap(head) and all(p and (is_cap(p) or p.islower()) for p in tails)
    rest = word[1:].replace("'", "").replace("’", "").replace("-", "").rstrip(".")
    if not rest:
        return True
    if rest.islower():
        return True
    # McDonald, MacLeod, O'Brien, DeMarco, Jean-Luc, Hauta-Aho
    return bool(re.fullmatch(r"(?:c|ac|e|a|i)?[A-Z]?[^\W\d_]*", rest)) and sum(c.isupper() for c in rest) <= 1


# -- words that look like names but name a drug, a sign or a method ----------------------------------
# International nonproprietary name stems: lisinopril, losartan, atorvastatin, metoprolol, adalimumab,
# omeprazole, amoxicillin...: never a person or a place.
DRUG_STEM = re.compile(
    r"(?i:[^\W\d_]{2,}(?:pril|sartan|statin|olol|alol|mab|azole|cillin|mycin|micin|cycline|oxacin|"
    r"navir|tinib|parin|dipine|afil|tidine|triptan|setron|lukast|gliptin|gliflozin|glitazone|dronate|"
    r"olone|asone|zepam|zolam|barbital|caine|profen|fenac|coxib|terol|tropium|semide|thiazide|formin|"
    r"glutide|lutamide|platin|rubicin|taxel|poetin|oxetine|triptyline|apine|peridol|vastatin|conazole))"
)
# What follows an eponym: "Babinski sign", "Crohn's disease", "Glasgow Coma Scale", "Apgar score".
EPONYM_AFTER = re.compile(
    r"(?:['’]s)?(?:[ \t-]+[A-Z][a-z]+)?[ \t]+(?i:disease|syndrome|sign|test|score|scale|reflex|"
    r"maneuver|manoeuvre|procedure|operation|catheter|fracture|palsy|lymphoma|sarcoma|tumou?r|"
    r"criteria|classification|equation|incision|murmur|phenomenon|triad|ulcer|disorder|anomaly|"
    r"deformity|cyst|stain|agar|distribution|transform|theorem|algorithm|coefficient)\b"
)
