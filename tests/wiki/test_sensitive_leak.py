"""A sensitive case never leaks, on the real wiki and on disk.

The case carries its contacts everywhere a person could put them: the contact field under every
alias, unnamed and misspelt parameters, a parameter named after a contact, the summary, lessons
and partners, unknown region, topic and date values, the sensitive field's own text, a second
case template, and hand translations on language subpages (one of them without the flag). All
three jobs run as real processes (``run all``, a dry run with ``--diff`` first, debug logging
and Pywikibot's own log), with index views showing every column, a translation status table
and a digest subscriber.
Then every output is searched for every contact: the pages the jobs wrote (index views,
translation status, the digest's talk post and archive), the console, the run log, the case
cache and every other file in the state folder, and Pywikibot's logs and caches.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from tests.faults.cli_runs import run_cli, write_config
from tests.support import Devwiki, WikiClient, import_pages
from tests.wiki.test_index_support import marker, region_bodies, row_pages

SECRETS = tuple(f"Zx{n:02d}LeakedContact" for n in range(1, 20))
S = dict(enumerate(SECRETS, start=1))
ALL_COLUMNS = ("title, region, country, topic, status, start, end, methods, partners, "
               "contact, lessons, summary, languages, updated")  # fmt: skip


def sensitive_case() -> str:
    return f"""{{{{Advocacy case
|title    = Blocked in Somewhere 2024
|summary  = Ask {S[1]} (+90 555 0100) for the details.
|region   = asia-pacific
|country  = Somewhere
|topic    = censorship, {S[2]}
|status   = active
|start    = 2024
|end      = {S[3]}
|methods  = lobbying, met {S[4]}
|partners = {S[5]}, Open Knowledge
|contact  = {S[6]}
|contacts = {S[7]}
|联系人   = {S[8]}
|جهة الاتصال = {S[9]}
|lessons  = Call {S[10]} first.
|{S[11]}
|contakt  = {S[12]}
|{S[13]} = phone
|sensitve = {S[14]}
|sensitive = yes, {S[15]} asked for it
}}}}
{{{{Advocacy case|title=A copy|region=europe|status=active|contact={S[16]}|sensitive=no}}}}"""


def translation() -> str:
    return f"""{{{{Advocacy case
|titre    = Bloqué quelque part
|résumé   = Demandez à {S[17]}.
|région   = asia-pacific
|statut   = active
|contact  = {S[18]}
|sensible = oui
}}}}"""


def private_pywikibot(devwiki: Devwiki, folder: Path) -> Path:
    """A copy of the wiki's Pywikibot directory, so that its logs and caches are this test's."""
    src, dst = devwiki.pywikibot_dir, folder / "pywikibot"
    dst.mkdir(mode=0o700)
    shutil.copytree(src / "families", dst / "families")
    password = dst / "user-password.py"
    shutil.copyfile(src / "user-password.py", password)
    password.chmod(0o600)
    config = (src / "user-config.py").read_text("utf-8")
    config = re.sub(r"(?m)^password_file = .*$", f'password_file = "{password}"', config)
    (dst / "user-config.py").write_text(config, "utf-8")
    (dst / "user-config.py").chmod(0o600)
    return dst


def leaks(where: str, text: str) -> list[str]:
    return [f"{where}: {secret}" for secret in SECRETS if secret in text]


def test_a_sensitive_case_leaks_nowhere(
    devwiki: Devwiki, prefix: str, tmp_path: Path, admin: WikiClient
) -> None:
    subscriber = f"DLeak-{prefix.rstrip('/').rsplit('-', 1)[1]}"
    p = prefix
    import_pages(devwiki, [
        {"title": f"{p}Secret case", "text": sensitive_case(), "user": "Tester2", "age_days": 1},
        {"title": f"{p}Secret case/fr", "text": translation(), "user": "Tester2",
         "age_days": 1},
        # a translation whose translator left the flag out: still the same sensitive case
        {"title": f"{p}Secret case/zh", "user": "Tester2", "age_days": 1, "text":
            f"{{{{Advocacy case|标题=某地被封锁|地区=asia-pacific|状态=active|联系人={S[19]}"
            f"|摘要=请联系 {S[19]}}}}}"},
        {"title": f"{p}Open case", "age_days": 20,
         "text": "{{Advocacy case|title=Open case|region=europe|status=active|contact=Tester1}}"},
        {"title": f"{p}Hub", "age_days": 30, "text": "\n".join([
            marker(f"columns={ALL_COLUMNS}|attention=yes"),
            marker("group=topic|chart=yes|attention=yes"),
            marker("region=asia-pacific|columns=title, contact, summary, lessons"),
        ])},
        {"title": f"{p}Translation status", "age_days": 30, "text":
            f"{{{{Advocacy translation status|prefix={p}|languages=fr, zh}}}}\n"
            "{{Advocacy translation status end}}"},
        {"title": f"{p}Digest/Subscribers", "age_days": 10,
         "text": f"{{{{Advocacy digest subscriber|page=User talk:{subscriber}}}}}"},
        {"title": f"User talk:{subscriber}", "age_days": 40, "user": subscriber,
         "text": "My talk page."},
    ])  # fmt: skip
    folder = tmp_path / "run"
    config = write_config(folder, prefix)
    pwb = private_pywikibot(devwiki, tmp_path)
    env = {"PYWIKIBOT_DIR": str(pwb)}
    dry = run_cli(devwiki, config, "-v", "run", "all", "--simulate", "--diff", "-log", **env)
    real = run_cli(devwiki, config, "-v", "run", "all", "--diff", "-log", **env)
    assert real.returncode == 0, real.stdout + real.stderr

    # the jobs did their work: the case is listed (hidden), the digest went out
    hub = admin.page_text(f"{p}Hub") or ""
    first = region_bodies(hub)[0]
    assert "Secret case" in " ".join(row_pages(first, p)) and "''hidden''" in first
    assert "Tester1" in first  # an open case's contact is shown
    talk = admin.page_text(f"User talk:{subscriber}") or ""
    assert "Blocked in Somewhere 2024" in talk
    archives = admin.prefix_pages(f"{p}Digest/Archive/")
    assert archives

    found: list[str] = []
    pages = [f"{p}Hub", f"{p}Translation status", f"User talk:{subscriber}", *archives]
    for title in pages:
        found += leaks(title, admin.page_text(title) or "")
        found += leaks(f"{title} (as shown)", admin.parse_html(title))
    for name, proc in (("dry run", dry), ("run", real)):
        found += leaks(f"{name} stdout", proc.stdout) + leaks(f"{name} stderr", proc.stderr)
    state = folder / "state"
    files = [f for f in state.rglob("*") if f.is_file()]
    assert any(f.name.startswith("cases-") for f in files), files  # the case cache is there
    assert any(f.name == "runs.jsonl" for f in files)
    for path in files + [f for f in pwb.rglob("*") if f.is_file()]:
        found += leaks(str(path), path.read_text("utf-8", "replace"))
    assert list((pwb / "logs").glob("*.log")), "Pywikibot wrote no log"
    assert found == []
