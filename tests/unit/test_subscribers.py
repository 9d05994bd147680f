"""The subscriber list page (bots.digest.subscribers)."""

from __future__ import annotations

from bots.digest.subscribers import (
    MAX_FILTER_VALUES,
    Subscriber,
    basic_title,
    listed_pages,
    parse_subscriber_list,
)
from bots.wikitext.problems import Problem

REGIONS = {"europe": "Europe", "asia-pacific": "Asia and the Pacific", "global": "Global"}
TOPICS = {"copyright": "Copyright reform", "censorship": "Censorship and access blocks"}


def parse(text: str):
    return parse_subscriber_list(
        text,
        subscriber_names=("Advocacy digest subscriber",),
        target_names=("Target",),
        regions=REGIONS,
        topics=TOPICS,
    )


def test_both_line_forms_in_page_order() -> None:
    result = parse(
        "Subscribers:\n"
        "* {{Advocacy digest subscriber|page=User talk:Alice|lang=fr|regions=europe|"
        "topics=copyright, censorship}}\n"
        "{{target|page=User talk:Bob}}\n"
        "{{advocacy digest subscriber|User talk:Carol}}\n"
    )
    assert result.issues == ()
    assert result.subscribers == (
        Subscriber("User talk:Alice", 2, "fr", ("europe",), ("copyright", "censorship")),
        Subscriber("User talk:Bob", 3, "en"),
        Subscriber("User talk:Carol", 4, "en"),
    )


def test_labels_and_codes_are_matched_and_languages_normalised() -> None:
    result = parse(
        "{{Advocacy digest subscriber|page=User talk:A|lang=zh_Hant|"
        "regions=Asia and the Pacific; GLOBAL|topics=Copyright reform}}"
    )
    (sub,) = result.subscribers
    assert sub.lang == "zh-hant"
    assert sub.regions == ("asia-pacific", "global")
    assert sub.topics == ("copyright",)


def test_duplicates_collapse_to_the_first_line() -> None:
    result = parse(
        "{{Advocacy digest subscriber|page=User talk:Alice|lang=fr}}\n"
        "{{Target|page=User_talk:alice}}\n"
        "{{Advocacy digest subscriber|page= User talk:Alice |lang=de}}\n"
    )
    assert [s.page for s in result.subscribers] == ["User talk:Alice"]
    assert result.subscribers[0].lang == "fr"
    assert [(i.line, i.problem, i.skipped) for i in result.issues] == [
        (2, Problem("subscriber-duplicate", ("User talk:Alice", "1")), True),
        (3, Problem("subscriber-duplicate", ("User talk:Alice", "1")), True),
    ]


def test_unusable_lines_are_reported_and_skipped() -> None:
    result = parse(
        "{{Advocacy digest subscriber|lang=fr}}\n"
        "{{Advocacy digest subscriber|page=User talk:[[Evil]]}}\n"
        "{{Target|page=User talk:X|site=fr.wikipedia.org}}\n"
        "{{Advocacy digest subscriber|page=User talk:A{{!}}B}}\n"
        "{{Advocacy digest subscriber|page=User talk:Fine#Section}}\n"
    )
    assert result.subscribers == ()
    assert [(i.line, i.problem.code, i.skipped) for i in result.issues] == [
        (1, "subscriber-missing-page", True),
        (2, "subscriber-invalid-title", True),
        (3, "subscriber-other-wiki", True),
        (4, "subscriber-invalid-title", True),
        (5, "subscriber-invalid-title", True),
    ]


def test_warnings_keep_the_line() -> None:
    result = parse(
        "{{Advocacy digest subscriber|page=User talk:A|lang=Français!|regions=eurpe, global"
        "|topics=copyrite}}"
    )
    (sub,) = result.subscribers
    assert sub.lang == "en"
    # an unknown value narrows the filter instead of dropping it: the subscriber gets less
    assert sub.regions == ("eurpe", "global")
    assert sub.topics == ("copyrite",)
    assert [(i.problem, i.skipped) for i in result.issues] == [
        (Problem("subscriber-bad-lang", ("Français!",)), False),
        (Problem("subscriber-unknown-region", ("eurpe", "europe")), False),
        (Problem("subscriber-unknown-topic", ("copyrite", "copyright")), False),
    ]


def test_lines_that_mediawiki_would_not_expand_do_not_count() -> None:
    result = parse(
        "<!-- {{Advocacy digest subscriber|page=User talk:Commented}} -->\n"
        "<nowiki>{{Target|page=User talk:Example}}</nowiki>\n"
        "{{Documentation example|{{Target|page=User talk:Nested}}}}\n"
        "{{Target|page=User talk:Real}}\n"
    )
    assert [(s.page, s.line) for s in result.subscribers] == [("User talk:Real", 4)]


def test_custom_title_normaliser_decides_duplicates_and_validity() -> None:
    seen = []

    def normalise(title: str) -> str | None:
        seen.append(title)
        return None if "Bad" in title else "User talk:Same"

    result = parse_subscriber_list(
        "{{Target|page=User talk:One}}\n{{Target|page=User talk:Two}}\n"
        "{{Target|page=User talk:Bad}}",
        subscriber_names=("Advocacy digest subscriber",),
        target_names=("Target",),
        regions=REGIONS,
        topics=TOPICS,
        normalize_title=normalise,
    )
    assert seen == ["User talk:One", "User talk:Two", "User talk:Bad"]
    assert [s.page for s in result.subscribers] == ["User talk:Same"]
    assert [i.problem.code for i in result.issues] == [
        "subscriber-duplicate", "subscriber-invalid-title",
    ]


def test_basic_title() -> None:
    assert basic_title("user_talk:  alice  smith") == "User_talk:Alice smith".replace("_", " ")
    assert basic_title(":User talk:X") == "User talk:X"
    assert basic_title("talk") == "Talk"
    assert basic_title("") is None
    assert basic_title("A|B") is None
    assert basic_title("x" * 300) is None


# ---------------------------------------------------------------------------------------------
# Several calls on one line (issue 17 point 6), languages and list bounds (issue 11 points 2, 6)


def test_every_call_on_one_line_is_its_own_subscription() -> None:
    result = parse(
        "{{Target|page=User talk:A}}{{Target|page=User talk:B}} {{Target|page=User talk:A}}\n"
        "{{Target|page=User talk:C}}\n"
        "{{Target|page=}}{{Advocacy digest subscriber|page=User talk:D|lang=qqq}}\n"
    )
    assert [(s.page, s.key) for s in result.subscribers] == [
        ("User talk:A", (1, 1)), ("User talk:B", (1, 2)), ("User talk:C", (2, 1)),
        ("User talk:D", (3, 2))]
    assert [(i.key, i.problem.code) for i in result.issues] == [
        ((1, 3), "subscriber-duplicate"), ((3, 1), "subscriber-missing-page"),
        ((3, 2), "subscriber-bad-lang")]


def test_only_real_languages_the_bot_knows() -> None:
    """Pseudo-codes and typos get the same clear warning, and English."""
    for value in ("qqq", "qqx", "QQQ", "en-x-piglatin", "fr-FRR", "englsh", "xx", "zz-zz",
                  "fr<script>", "１２", "en\u200e", "und", "mul", "zxx"):
        result = parse(f"{{{{Target|page=User talk:A|lang={value}}}}}")
        assert result.subscribers[0].lang == "en", value
        expected = [Problem("subscriber-bad-lang", (value,))]
        assert [i.problem for i in result.issues] == expected, value
    for value, lang in (("fr", "fr"), ("FR", "fr"), ("zh_Hant", "zh-hant"), (" ar ", "ar"),
                        ("", "en")):
        result = parse(f"{{{{Target|page=User talk:A|lang={value}}}}}")
        assert result.subscribers[0].lang == lang and result.issues == (), value


def test_filter_lists_are_bounded() -> None:
    many = ",".join(["europe"] * 5 + [f"zone{i}" for i in range(100)])
    result = parse(f"{{{{Advocacy digest subscriber|page=User talk:A|regions={many}}}}}")
    sub = result.subscribers[0]
    assert len(sub.regions) <= MAX_FILTER_VALUES
    codes = [i.problem.code for i in result.issues]
    assert codes.count("subscriber-too-many") == 1
    assert Problem("subscriber-too-many", ("regions", str(MAX_FILTER_VALUES))) in [
        i.problem for i in result.issues]
    long_value = "x" * 10_000
    result = parse(f"{{{{Advocacy digest subscriber|page=User talk:A|topics={long_value}}}}}")
    assert all(len(t) <= 100 for t in result.subscribers[0].topics)
    assert all(len(p) <= 100 for i in result.issues for p in i.problem.params)


def test_a_normaliser_can_refuse_a_line_with_its_own_problem() -> None:
    def wiki(raw: str) -> str | Problem | None:
        if raw.startswith("fr:"):
            return Problem("subscriber-other-wiki", ("fr",))
        return None if raw == "Bad" else basic_title(raw)

    result = parse_subscriber_list(
        "{{Target|page=fr:User talk:A}}\n{{Target|page=Bad}}\n{{Target|page=User talk:B}}",
        subscriber_names=(), target_names=("Target",), regions=REGIONS, topics=TOPICS,
        normalize_title=wiki,
    )
    assert [s.page for s in result.subscribers] == ["User talk:B"]
    assert [i.problem for i in result.issues] == [
        Problem("subscriber-other-wiki", ("fr",)),
        Problem("subscriber-invalid-title", ("Bad",))]


def test_listed_pages_are_what_is_asked_of_the_wiki() -> None:
    text = ("{{Target|page= User talk:A\u200e }}\n<!-- {{Target|page=Hidden}} -->\n"
            "{{Advocacy digest subscriber|user_talk:b}}{{Target}}")
    assert listed_pages(text, {"Advocacy digest subscriber"}, {"Target"}) == [
        "User talk:A\u200e", "user_talk:b", ""]
