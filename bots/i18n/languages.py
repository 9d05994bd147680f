"""Language data: code normalisation, fallback chains, right-to-left languages, autonyms. Pure.

Data follows MediaWiki (``Messages*.php`` ``$fallback`` and ``$rtl``, ``Names.php``) for the
languages common on Meta-Wiki. ``bots.i18n.messages`` uses it to find messages,
``bots.i18n.plural`` to pick a language's plural rules; both ``bots.i18n.messages`` and
:class:`bots.i18n.messages.Messages` re-export
:func:`fallback_chain`, :func:`is_rtl`, :func:`autonym` and :func:`normalize_lang`.
"""

from __future__ import annotations

import functools
import re

__all__ = [
    "FALLBACKS",
    "SOURCE_LANG",
    "autonym",
    "fallback_chain",
    "is_rtl",
    "normalize_lang",
]

SOURCE_LANG = "en"  # every fallback chain ends here; the language messages are written in


def normalize_lang(lang: str) -> str:
    """``"zh_Hant"`` -> ``"zh-hant"``: lower case, hyphens, no surrounding space."""
    return lang.strip().replace("_", "-").lower()


# Explicit fallbacks (before the final "en"), following MediaWiki's Messages*.php $fallback for
# the languages common on Meta-Wiki. Chinese variants always reach "zh", where this project
# keeps its (Simplified) Chinese messages. Codes not listed here fall back by dropping their
# last subtag ("de-at" -> "de", "fr-ca" -> "fr").
FALLBACKS: dict[str, tuple[str, ...]] = {
    "zh": ("zh-hans",),
    "zh-hans": ("zh-cn", "zh"),
    "zh-cn": ("zh-hans", "zh"),
    "zh-sg": ("zh-hans", "zh-cn", "zh"),
    "zh-my": ("zh-sg", "zh-hans", "zh-cn", "zh"),
    "zh-hant": ("zh-tw", "zh-hk", "zh", "zh-hans"),
    "zh-tw": ("zh-hant", "zh-hk", "zh", "zh-hans"),
    "zh-hk": ("zh-hant", "zh-tw", "zh", "zh-hans"),
    "zh-mo": ("zh-hk", "zh-hant", "zh-tw", "zh", "zh-hans"),
    "yue": ("zh-hk", "zh-hant", "zh", "zh-hans"),
    "yue-hant": ("yue", "zh-hk", "zh-hant", "zh", "zh-hans"),
    "wuu": ("zh-hans", "zh"),
    "gan": ("zh-hant", "zh", "zh-hans"),
    "lzh": ("zh-hant", "zh", "zh-hans"),
    "pt": ("pt-br",),
    "pt-br": ("pt",),
    "arz": ("ar",),
    "ary": ("ar",),
    "arq": ("ar",),
    "aeb": ("aeb-arab", "ar"),
    "aeb-arab": ("ar",),
    "apc": ("ar",),
    "ajp": ("ar",),
    "acm": ("ar",),
    "ars": ("ar",),
    "prs": ("fa",),
    "mzn": ("fa",),
    "glk": ("fa",),
    "lrc": ("fa",),
    "azb": ("fa",),
    "tg": ("tg-cyrl",),
    "ks": ("ks-arab",),
    "ug": ("ug-arab",),
    "yi": ("he",),
    "lad": ("es",),
    "an": ("es",),
    "ast": ("es",),
    "qu": ("es",),
    "gn": ("es",),
    "eu": ("es",),
    "gl": ("pt",),
    "ca": ("oc",),
    "oc": ("ca", "fr"),
    "br": ("fr",),
    "wa": ("fr",),
    "frp": ("fr",),
    "co": ("it",),
    "vec": ("it",),
    "nap": ("it",),
    "scn": ("it",),
    "lmo": ("it",),
    "lb": ("de",),
    "gsw": ("de",),
    "nds": ("de",),
    "bar": ("de",),
    "ksh": ("de",),
    "de-at": ("de",),
    "de-ch": ("de",),
    "de-formal": ("de",),
    "nl-informal": ("nl",),
    "be-tarask": ("be",),
    "uk": ("ru",),
    "cs": ("sk",),
    "nb": ("no", "nn"),
    "nn": ("no", "nb"),
    "no": ("nb",),
    "sr": ("sr-ec", "sr-cyrl"),
    "sr-ec": ("sr-cyrl", "sr"),
    "sr-el": ("sr-latn", "sr"),
    "sh": ("bs", "sr-el", "sr-latn", "hr"),
    "kk": ("kk-cyrl",),
    "ku": ("ku-latn",),
    "jv": ("id",),
    "su": ("id",),
    "min": ("id",),
    "ms-arab": ("ms",),
    "bh": ("hi",),
    "mai": ("hi",),
    "awa": ("hi",),
}


@functools.lru_cache(maxsize=512)
def fallback_chain(lang: str) -> tuple[str, ...]:
    """The languages tried in order for ``lang``, ending with ``"en"``.

    >>> fallback_chain("pt-br")
    ('pt-br', 'pt', 'en')
    >>> fallback_chain("arz")
    ('arz', 'ar', 'en')
    """
    code = normalize_lang(lang)
    if not code:
        return (SOURCE_LANG,)
    chain: list[str] = []

    def add(c: str) -> None:
        if c and c not in chain:
            chain.append(c)

    add(code)
    if code in FALLBACKS:
        for c in FALLBACKS[code]:
            add(c)
    elif "-" in code:
        parts = code.split("-")
        while len(parts) > 1:
            parts.pop()
            parent = "-".join(parts)
            if parent in FALLBACKS or len(parts) == 1:
                for c in fallback_chain(parent):
                    if c != SOURCE_LANG:
                        add(c)
                break
            add(parent)
    if chain[-1] != SOURCE_LANG:
        if SOURCE_LANG in chain:
            chain.remove(SOURCE_LANG)
        chain.append(SOURCE_LANG)
    return tuple(chain)


# Right-to-left languages (MediaWiki's $rtl = true, plus codes that inherit it by fallback).
def _codes(text: str) -> frozenset[str]:
    return frozenset(text.split())


_RTL: frozenset[str] = _codes(
    """aeb aeb-arab ar arc arq ars ary arz apc ajp acm azb bcc bgn bqi ckb dv en-rtl fa glk he
    hno iw khw kk-arab kk-cn ks ks-arab ku-arab lki lrc luz ms-arab mzn nqo ota pnb prs ps sd
    sdh skr skr-arab syc ug ug-arab ur yi"""
)
_RTL_SCRIPTS: frozenset[str] = frozenset({"arab", "hebr", "thaa", "nkoo", "syrc", "adlm", "rohg"})
_LTR_SCRIPTS: frozenset[str] = frozenset({"latn", "cyrl", "grek", "deva", "hans", "hant"})


def is_rtl(lang: str) -> bool:
    """Whether text in ``lang`` is written right to left (``ar``, ``he``, ``fa``, ``ku-arab``…)."""
    code = normalize_lang(lang)
    if code in _RTL:
        return True
    parts = code.split("-")
    for sub in parts[1:]:
        if sub in _RTL_SCRIPTS:
            return True
        if sub in _LTR_SCRIPTS:
            return False
    return parts[0] in _RTL


# Native names, as MediaWiki's Names.php spells them.
_AUTONYMS: dict[str, str] = {
    "af": "Afrikaans",
    "am": "አማርኛ",
    "an": "aragonés",
    "ar": "العربية",
    "ary": "الدارجة",
    "arz": "مصرى",
    "ast": "asturianu",
    "az": "azərbaycanca",
    "be": "беларуская",
    "be-tarask": "беларуская (тарашкевіца)",
    "bg": "български",
    "bn": "বাংলা",
    "br": "brezhoneg",
    "bs": "bosanski",
    "ca": "català",
    "ceb": "Cebuano",
    "ckb": "کوردی",
    "co": "corsu",
    "cs": "čeština",
    "cy": "Cymraeg",
    "da": "dansk",
    "de": "Deutsch",
    "dv": "ދިވެހިބަސް",
    "el": "Ελληνικά",
    "en": "English",
    "eo": "Esperanto",
    "es": "español",
    "et": "eesti",
    "eu": "euskara",
    "fa": "فارسی",
    "fi": "suomi",
    "fr": "français",
    "ga": "Gaeilge",
    "gl": "galego",
    "gsw": "Alemannisch",
    "gu": "ગુજરાતી",
    "ha": "Hausa",
    "he": "עברית",
    "hi": "हिन्दी",
    "hr": "hrvatski",
    "hu": "magyar",
    "hy": "հայերեն",
    "id": "Bahasa Indonesia",
    "ig": "Igbo",
    "is": "íslenska",
    "it": "italiano",
    "ja": "日本語",
    "jv": "Jawa",
    "ka": "ქართული",
    "kk": "қазақша",
    "km": "ភាសាខ្មែរ",
    "kn": "ಕನ್ನಡ",
    "ko": "한국어",
    "ku": "kurdî",
    "ky": "кыргызча",
    "la": "Latina",
    "lb": "Lëtzebuergesch",
    "ln": "lingála",
    "lo": "ລາວ",
    "lt": "lietuvių",
    "lv": "latviešu",
    "mg": "Malagasy",
    "mk": "македонски",
    "ml": "മലയാളം",
    "mn": "монгол",
    "mr": "मराठी",
    "ms": "Bahasa Melayu",
    "mt": "Malti",
    "my": "မြန်မာဘာသာ",
    "nb": "norsk bokmål",
    "nds": "Plattdüütsch",
    "ne": "नेपाली",
    "nl": "Nederlands",
    "nn": "norsk nynorsk",
    "no": "norsk",
    "oc": "occitan",
    "om": "Oromoo",
    "pa": "ਪੰਜਾਬੀ",
    "pl": "polski",
    "ps": "پښتو",
    "pt": "português",
    "pt-br": "português do Brasil",
    "ro": "română",
    "ru": "русский",
    "rw": "Ikinyarwanda",
    "sco": "Scots",
    "si": "සිංහල",
    "sk": "slovenčina",
    "sl": "slovenščina",
    "so": "Soomaaliga",
    "sq": "shqip",
    "sr": "српски / srpski",
    "su": "Sunda",
    "sv": "svenska",
    "sw": "Kiswahili",
    "ta": "தமிழ்",
    "te": "తెలుగు",
    "tg": "тоҷикӣ",
    "th": "ไทย",
    "ti": "ትግርኛ",
    "tl": "Tagalog",
    "tr": "Türkçe",
    "uk": "українська",
    "ur": "اردو",
    "uz": "oʻzbekcha/ўзбекча",
    "vi": "Tiếng Việt",
    "wo": "Wolof",
    "xh": "isiXhosa",
    "yi": "ייִדיש",
    "yo": "Yorùbá",
    "yue": "粵語",
    "zh": "中文",
    "zh-cn": "中文（中国大陆）",
    "zh-hans": "中文（简体）",
    "zh-hant": "中文（繁體）",
    "zh-hk": "中文（香港）",
    "zh-tw": "中文（臺灣）",
    "zu": "isiZulu",
}


def autonym(lang: str) -> str:
    """The language's name in itself (``"fr"`` -> ``"français"``); unknown codes come back as
    given (stripped)."""
    return _AUTONYMS.get(normalize_lang(lang), lang.strip())


_LANGUAGE_CODE_RE = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]{1,8})*", re.ASCII)


def is_language_code(text: str) -> bool:
    """Whether ``text`` has the shape of a MediaWiki language code (``fr``, ``zh-hans``,
    ``be-x-old``: subtags of one to eight letters or digits).

    Shape only: whether the bot knows or speaks the language is a question for the wiki's
    language data and the message files.
    """
    return bool(_LANGUAGE_CODE_RE.fullmatch(text))


# MediaWiki's pseudo-codes: message documentation, message keys, "undetermined", "multiple",
# "no linguistic content". They have the shape of a code but are no language anyone reads.
PSEUDO_CODES = frozenset({"qqq", "qqx", "und", "mul", "zxx", "mis"})


def is_known_language(code: str) -> bool:
    """Whether ``code`` names a real language the bot knows: the shape of a code, not a
    pseudo-code, and in the language data (so its name and fallback chain are known).

    Markers, subscriber lines and the configuration accept only such codes, so a typo or
    ``qqq`` gets a clear error instead of a page in a language nobody reads.
    """
    norm = normalize_lang(code)
    return is_language_code(norm) and norm not in PSEUDO_CODES and norm in _AUTONYMS
