#!/usr/bin/env python3
"""Build the bundled demo collection in samples/demo/ from the sources in samples/demo-src/.

What this is
------------
`hamkor demo` ingests and codes samples/demo/. Every document there is written by us, in our own
words, and reports real, dated cooperation events from the sourced registry
(shared/data/events.jsonl, frameworks.jsonl). Nothing is copied from a third-party page.

Each file in samples/demo-src/ is one document: a header of `key: value` lines, a line `---`,
then the body (paragraphs separated by blank lines; Markdown for `format: md`). Header keys:

    file     output file name in samples/demo/ (feed items and jsonl lines share one file)
    item     1-based position inside a feed or the jsonl file (feeds/jsonl only)
    format   txt | md | html | pdf | docx | rss | atom | jsonl
    lang     en ru uz kk ky tg tk
    date     publication date, YYYY-MM-DD
    title    headline
    events   space-separated registry event ids that the document reports as having happened,
             background mentions included, plans and announcements excluded (may be empty)
    source   registry URL(s) supporting the facts, space-separated; every event listed in
             `events` must have one of its registry sources here (checked when the registry exists)
    summary  one-line English summary for MANIFEST.tsv
    site     html only: which fictional site template to use (en ru uz kk ky tg tk)
    container html only: article | main      timestyle  html only: meta | time | both
    link     feed items: item URL (fictional, *.example.org)
    pubtime  feed items: "HH:MM:SS +ZZZZ" (default 12:00:00 +0500)
    id       jsonl only: the document id

Output: the documents, plus MANIFEST.tsv (one line per document; `hamkor demo` must skip it).
MANIFEST.tsv columns: file, item (feed/jsonl position, empty otherwise), lang, date, summary,
source, format, events. Deliberate traps are named in the summaries: the essay that dates the
Cholpon-Ata summit to 7 July 2022 (correct: 21 July), an announcement with no event, Uzbek
apostrophe variants (ʻ ' ‘ ’) and Uzbek Cyrillic, a Tajik text typed without ӯ, and Tajik
"рӯзи душанбе" (Monday) next to the city Душанбе.
txt/md documents start with "Date: YYYY-MM-DD", "Title: ...", a blank line, then the text.

How to re-run
-------------
    pip install fpdf2 python-docx            # fpdf2 2.8.x, python-docx 1.x (PyPI)
    apt-get install fonts-dejavu-core        # DejaVuSans.ttf, embedded in the PDFs (Cyrillic, ʻ, ӯ, ň ...)
    apt-get install poppler-utils            # optional: pdftotext, used by --check
    python3 samples/make_demo.py             # rewrites samples/demo/ (deterministic: fixed dates in PDF/DOCX/zip)
    python3 samples/make_demo.py --check     # also re-reads every output (pdftotext, docx XML, feeds, jsonl)

The registry is looked up (for validation only) at $HAMKOR_REGISTRY, ../../shared/data or
/work/shared/data; if none exists the ids and URLs are not checked.
"""
from __future__ import annotations

import argparse
import datetime as dt
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

HERE = Path(__file__).resolve().parent
SRC = HERE / "demo-src"
OUT = HERE / "demo"
FONT_DIRS = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu")]
LANGS = {"en", "ru", "uz", "kk", "ky", "tg", "tk"}
FORMATS = {"txt", "md", "html", "pdf", "docx", "rss", "atom", "jsonl"}
MAX_BYTES = 2 * 1024 * 1024


# --------------------------------------------------------------------------------------------
# sources
# --------------------------------------------------------------------------------------------

def parse_source(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    head, sep, body = text.partition("\n---\n")
    if not sep:
        raise SystemExit(f"{path.name}: no '---' line between header and body")
    doc = {"src": path.name}
    for line in head.splitlines():
        if not line.strip():
            continue
        key, colon, value = line.partition(":")
        if not colon:
            raise SystemExit(f"{path.name}: bad header line {line!r}")
        doc[key.strip()] = value.strip()
    for key in ("file", "format", "lang", "date", "title", "source", "summary"):
        if not doc.get(key):
            raise SystemExit(f"{path.name}: missing header '{key}'")
    if doc["format"] not in FORMATS:
        raise SystemExit(f"{path.name}: unknown format {doc['format']}")
    if doc["lang"] not in LANGS:
        raise SystemExit(f"{path.name}: unknown lang {doc['lang']}")
    dt.date.fromisoformat(doc["date"])
    if doc["format"] in ("rss", "atom", "jsonl") and not doc.get("item"):
        raise SystemExit(f"{path.name}: feed/jsonl document needs 'item'")
    doc["events"] = doc.get("events", "").split()
    doc["body"] = body.strip("\n")
    doc["paragraphs"] = [re.sub(r"\s*\n\s*", " ", p.strip()) for p in re.split(r"\n\s*\n", doc["body"]) if p.strip()]
    return doc


def load_sources() -> list[dict]:
    docs = [parse_source(p) for p in sorted(SRC.glob("*.txt"))]
    seen = set()
    for d in docs:
        key = (d["file"], d.get("item"))
        if key in seen:
            raise SystemExit(f"duplicate output {key}")
        seen.add(key)
    return docs


def find_registry() -> Path | None:
    cands = [os.environ.get("HAMKOR_REGISTRY"), HERE.parent.parent / "shared" / "data", "/work/shared/data"]
    for c in cands:
        if c and (Path(c) / "events.jsonl").exists():
            return Path(c)
    return None


def validate_against_registry(docs: list[dict]) -> None:
    reg = find_registry()
    if reg is None:
        print("note: registry not found; event ids and source URLs not checked", file=sys.stderr)
        return
    events = {}
    for line in (reg / "events.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            e = json.loads(line)
            events[e["id"]] = e
    frameworks = {}
    for line in (reg / "frameworks.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            f = json.loads(line)
            frameworks[f["id"]] = f
    all_urls = {u for e in events.values() for u in e["sources"]} | {u for f in frameworks.values() for u in f["sources"]}
    bad = False
    for d in docs:
        for eid in d["events"]:
            if eid not in events:
                print(f"{d['src']}: unknown event id {eid}", file=sys.stderr)
                bad = True
            elif not set(d["source"].split()) & set(events[eid]["sources"]):
                print(f"{d['src']}: no source URL of {eid} listed in 'source'", file=sys.stderr)
                bad = True
        for url in d["source"].split():
            if url not in all_urls:
                print(f"{d['src']}: source URL not in registry: {url}", file=sys.stderr)
                bad = True
    if bad:
        raise SystemExit("registry validation failed")


# --------------------------------------------------------------------------------------------
# txt / md
# --------------------------------------------------------------------------------------------

def write_plain(doc: dict) -> bytes:
    return f"Date: {doc['date']}\nTitle: {doc['title']}\n\n{doc['body']}\n".encode("utf-8")


# --------------------------------------------------------------------------------------------
# html: realistic saved press pages of fictional sites
# --------------------------------------------------------------------------------------------

SITES = {
    "en": dict(name="Steppe Wire", domain="steppe-wire.example.org", tz="+05:00", section="Region",
               nav=["Home", "Politics", "Economy", "Region", "Culture", "Opinion", "Contacts"],
               home="Home", read_also="Read also",
               related=["Weather in Almaty: warm weekend ahead", "Exchange rates for the week", "Photo of the day"],
               footer="All rights reserved. Reproduction only with a hyperlink.", cookie="This site uses cookies.",
               share="Share", views="views", entities=False),
    "ru": dict(name="Вести Региона", domain="vesti-regiona.example.org", tz="+06:00", section="Политика",
               nav=["Главная", "Политика", "Экономика", "Общество", "Культура", "Спорт", "Контакты"],
               home="Главная", read_also="Читайте также",
               related=["Погода на Иссык-Куле: жара до +35", "Курсы валют на сегодня", "Фото дня"],
               footer="Все права защищены. При перепечатке ссылка обязательна.",
               cookie="Сайт использует файлы cookie.", share="Поделиться", views="просмотров", entities=True),
    "uz": dict(name="Xabarlar Olami", domain="xabarlar-olami.example.org", tz="+05:00", section="Siyosat",
               nav=["Bosh sahifa", "Siyosat", "Iqtisodiyot", "Jamiyat", "Madaniyat", "Sport", "Aloqa"],
               home="Bosh sahifa", read_also="Mavzuga oid",
               related=["Toshkentda ob-havo: hafta oxiri iliq bo‘ladi", "Valyuta kurslari", "Kun surati"],
               footer="Barcha huquqlar himoyalangan. Materiallardan foydalanishda havola majburiy.",
               cookie="Sayt cookie fayllaridan foydalanadi.", share="Ulashish", views="marta ko‘rildi", entities=False),
    "kk": dict(name="Дала Ақпарат", domain="dala-aqparat.example.org", tz="+05:00", section="Саясат",
               nav=["Басты бет", "Саясат", "Экономика", "Қоғам", "Мәдениет", "Спорт", "Байланыс"],
               home="Басты бет", read_also="Тақырыпқа қатысты",
               related=["Астанада ауа райы: демалыс күндері жылы болады", "Валюта бағамы", "Күн суреті"],
               footer="Барлық құқықтар қорғалған. Материалдарды пайдаланғанда сілтеме міндетті.",
               cookie="Сайт cookie файлдарын пайдаланады.", share="Бөлісу", views="қаралым", entities=False),
    "ky": dict(name="Ала-Тоо Маалымат", domain="ala-too-maalymat.example.org", tz="+06:00", section="Саясат",
               nav=["Башкы бет", "Саясат", "Экономика", "Коом", "Маданият", "Спорт", "Байланыш"],
               home="Башкы бет", read_also="Окуй жүрүңүз",
               related=["Ысык-Көлдө аба ырайы", "Валюта курстары", "Күндүн сүрөтү"],
               footer="Бардык укуктар корголгон. Материалдарды колдонууда шилтеме милдеттүү.",
               cookie="Сайт cookie файлдарын колдонот.", share="Бөлүшүү", views="жолу окулду", entities=True),
    "tg": dict(name="Хабарнома", domain="khabarnoma.example.org", tz="+05:00", section="Сиёсат",
               nav=["Саҳифаи асосӣ", "Сиёсат", "Иқтисод", "Ҷомеа", "Фарҳанг", "Варзиш", "Тамос"],
               home="Саҳифаи асосӣ", read_also="Инчунин хонед",
               related=["Обу ҳаво дар Душанбе", "Қурби асъор", "Акси рӯз"],
               footer="Ҳамаи ҳуқуқҳо ҳифз шудаанд. Ҳангоми истифодаи мавод истинод ҳатмист.",
               cookie="Сомона файлҳои cookie-ро истифода мебарад.", share="Мубодила", views="бор дида шуд", entities=True),
    "tk": dict(name="Watan Habarlary", domain="watan-habarlary.example.org", tz="+05:00", section="Syýasat",
               nav=["Baş sahypa", "Syýasat", "Ykdysadyýet", "Jemgyýet", "Medeniýet", "Sport", "Habarlaşmak"],
               home="Baş sahypa", read_also="Şeýle hem okaň",
               related=["Aşgabatda howa", "Walýuta hümmeti", "Günüň suraty"],
               footer="Ähli hukuklar goralan. Materiallary ulananyňyzda salgylanma hökmany.",
               cookie="Saýt cookie faýllaryny ulanýar.", share="Paýlaş", views="gezek okaldy", entities=False),
}


def html_text(s: str, entities: bool) -> str:
    s = html.escape(s, quote=False)
    if entities:
        s = (s.replace("«", "&laquo;").replace("»", "&raquo;").replace("–", "&ndash;")
              .replace("—", "&mdash;"))
        s = re.sub(r"(\d) (\d{3})\b", r"\1&nbsp;\2", s)
    return s


def slugify(name: str) -> str:
    return re.sub(r"\.[a-z]+$", "", name)


def write_html(doc: dict) -> bytes:
    site = SITES[doc.get("site", doc["lang"])]
    container = doc.get("container", "article")
    timestyle = doc.get("timestyle", "both")
    ent = site["entities"]
    date = doc["date"]
    iso = f"{date}T{doc.get('time', '14:30')}:00{site['tz']}"
    y, m, d = date.split("-")
    shown = f"{d}.{m}.{y}, {doc.get('time', '14:30')}"
    url = f"https://{site['domain']}/news/{slugify(doc['file'])}"
    title = doc["title"]
    lead = doc["paragraphs"][0]
    desc = html.escape(lead[:180], quote=True)
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
                     "datePublished": iso, "inLanguage": doc["lang"],
                     "publisher": {"@type": "Organization", "name": site["name"]}}, ensure_ascii=False)
    nav = "\n".join(f'      <li><a href="/{i}/">{html.escape(n)}</a></li>' for i, n in enumerate(site["nav"]))
    meta_time = f'  <meta property="article:published_time" content="{iso}">\n' if timestyle in ("meta", "both") else ""
    if timestyle in ("time", "both"):
        when = f'<time class="date" datetime="{iso}">{shown}</time>'
    else:
        when = f'<span class="date">{shown}</span>'
    body_ps = "\n".join(f"        <p>{html_text(p, ent)}</p>" for p in doc["paragraphs"])
    related = "\n".join(f'        <li><a href="/news/{i}">{html.escape(r)}</a></li>' for i, r in enumerate(site["related"], 100))
    inner = f"""        <div class="breadcrumbs"><a href="/">{html.escape(site['home'])}</a> / <a href="/1/">{html.escape(site['section'])}</a></div>
        <h1 class="title">{html_text(title, ent)}</h1>
        <div class="meta">{when} <span class="views">1&nbsp;204 {html.escape(site['views'])}</span></div>
        <div class="post-body">
{body_ps}
        </div>
        <div class="share">{html.escape(site['share'])}: <a href="#">Telegram</a> <a href="#">Facebook</a> <a href="#">X</a></div>"""
    if container == "article":
        main = f"""  <div class="layout">
    <article class="post">
{inner}
    </article>
    <aside class="sidebar">
      <h3>{html.escape(site['read_also'])}</h3>
      <ul>
{related}
      </ul>
    </aside>
  </div>"""
    else:
        main = f"""  <main id="content" class="content">
{inner}
    <section class="related">
      <h3>{html.escape(site['read_also'])}</h3>
      <ul>
{related}
      </ul>
    </section>
  </main>"""
    page = f"""<!DOCTYPE html>
<html lang="{doc['lang']}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{html.escape(title)} | {html.escape(site['name'])}</title>
  <meta name="description" content="{desc}">
  <meta property="og:type" content="article">
  <meta property="og:site_name" content="{html.escape(site['name'])}">
  <meta property="og:title" content="{html.escape(title, quote=True)}">
  <meta property="og:url" content="{url}">
{meta_time}  <link rel="canonical" href="{url}">
  <link rel="stylesheet" href="/static/css/main.css?v=3.2">
  <script async src="https://stats.example.org/tag.js?id=DEMO-0001"></script>
  <script>
    window.dataLayer = window.dataLayer || [];
    function gtag(){{dataLayer.push(arguments);}}
    gtag('js', new Date()); gtag('config', 'DEMO-0001', {{'anonymize_ip': true}});
  </script>
  <script type="application/ld+json">{ld}</script>
  <style>.cookie{{position:fixed;bottom:0}} .post-body p{{margin:0 0 1em}}</style>
</head>
<body class="page-news">
  <div class="cookie" id="cookie">{html.escape(site['cookie'])} <button onclick="document.getElementById('cookie').remove()">OK</button></div>
  <header class="site-header">
    <a class="logo" href="/">{html.escape(site['name'])}</a>
    <form class="search" action="/search"><input type="text" name="q"><button>&#128269;</button></form>
  </header>
  <nav class="main-menu">
    <ul>
{nav}
    </ul>
  </nav>
{main}
  <footer class="site-footer">
    <p>&copy; {y} {html.escape(site['name'])}. {html.escape(site['footer'])}</p>
    <p><a href="/about/">About</a> | <a href="/privacy/">Privacy</a> | <a href="/rss/">RSS</a></p>
  </footer>
  <script src="/static/js/app.js?v=3.2"></script>
  <script>
    document.querySelectorAll('.share a').forEach(function (a) {{ a.addEventListener('click', function (e) {{ e.preventDefault(); }}); }});
  </script>
</body>
</html>
"""
    return page.encode("utf-8")


# --------------------------------------------------------------------------------------------
# pdf (fpdf2, embedded DejaVu Sans, real text layer)
# --------------------------------------------------------------------------------------------

PDF_LABELS = {
    "en": ("Press release", "Date"), "ru": ("Пресс-релиз", "Дата"), "uz": ("Matbuot xabari", "Sana"),
    "kk": ("Баспасөз хабарламасы", "Күні"), "ky": ("Басма сөз билдирүүсү", "Датасы"),
    "tg": ("Иттилооти матбуотӣ", "Сана"), "tk": ("Metbugat habary", "Senesi"),
}


def font_path(name: str) -> str:
    for d in FONT_DIRS:
        if (d / name).exists():
            return str(d / name)
    raise SystemExit(f"font {name} not found: apt-get install fonts-dejavu-core")


def fixed_datetime(date: str) -> dt.datetime:
    y, m, d = map(int, date.split("-"))
    return dt.datetime(y, m, d, 12, 0, 0, tzinfo=dt.timezone.utc)


def write_pdf(doc: dict) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    label, date_label = PDF_LABELS[doc["lang"]]

    class Page(FPDF):
        def header(self):
            self.set_font("DejaVu", "", 8)
            self.set_text_color(110)
            self.cell(0, 5, f"{label} · hamkor demo", new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="R")
            self.ln(2)
            self.set_text_color(0)

        def footer(self):
            self.set_y(-15)
            self.set_font("DejaVu", "", 8)
            self.set_text_color(110)
            self.cell(0, 8, f"{self.page_no()}/{{nb}}", align="C")

    pdf = Page(format="A4")
    pdf.set_creation_date(fixed_datetime(doc["date"]))
    pdf.set_title(doc["title"])
    pdf.set_author("hamkor demo collection")
    pdf.set_creator("samples/make_demo.py")
    pdf.set_lang(doc["lang"])
    pdf.add_font("DejaVu", "", font_path("DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", font_path("DejaVuSans-Bold.ttf"))
    pdf.set_margins(22, 20, 22)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 15)
    pdf.multi_cell(0, 7.5, doc["title"], new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
    pdf.ln(2)
    pdf.set_font("DejaVu", "", 9.5)
    pdf.cell(0, 6, f"{date_label}: {doc['date']}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    pdf.set_font("DejaVu", "", 11)
    for p in doc["paragraphs"]:
        pdf.multi_cell(0, 6, p, new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L")
        pdf.ln(2.5)
    return bytes(pdf.output())


# --------------------------------------------------------------------------------------------
# docx (python-docx; zip entries re-stamped with a fixed date)
# --------------------------------------------------------------------------------------------

DOCX_KICKER = {
    "en": "PRESS RELEASE", "ru": "ПРЕСС-РЕЛИЗ", "uz": "MATBUOT XABARI", "kk": "БАСПАСӨЗ ХАБАРЛАМАСЫ",
    "ky": "БАСМА СӨЗ БИЛДИРҮҮСҮ", "tg": "ИТТИЛООТИ МАТБУОТӢ", "tk": "METBUGAT HABARY",
}
DOCX_CONTACT = {
    "en": "Press service: press@demo.example.org", "ru": "Пресс-служба: press@demo.example.org",
    "uz": "Matbuot xizmati: press@demo.example.org", "kk": "Баспасөз қызметі: press@demo.example.org",
    "ky": "Басма сөз кызматы: press@demo.example.org", "tg": "Хадамоти матбуот: press@demo.example.org",
    "tk": "Metbugat gullugy: press@demo.example.org",
}
DOCX_LANG_TAG = {"en": "en-GB", "ru": "ru-RU", "uz": "uz-Latn-UZ", "kk": "kk-KZ", "ky": "ky-KG", "tg": "tg-Cyrl-TJ", "tk": "tk-TM"}


def normalize_zip(data: bytes, date: str) -> bytes:
    y, m, d = map(int, date.split("-"))
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(y, m, d, 12, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            out.writestr(zi, src.read(info.filename))
    return buf.getvalue()


def write_docx(doc: dict) -> bytes:
    import docx
    from docx.shared import Pt

    stamp = fixed_datetime(doc["date"]).replace(tzinfo=None)
    d = docx.Document()
    cp = d.core_properties
    cp.title = doc["title"]
    cp.author = "hamkor demo collection"
    cp.last_modified_by = "hamkor demo collection"
    cp.created = stamp
    cp.modified = stamp
    cp.last_printed = stamp
    cp.revision = 1
    cp.language = DOCX_LANG_TAG[doc["lang"]]
    cp.comments = ""
    cp.keywords = ""
    cp.subject = ""
    kicker = d.add_paragraph()
    run = kicker.add_run(DOCX_KICKER[doc["lang"]])
    run.bold = True
    run.font.size = Pt(9)
    d.add_heading(doc["title"], level=1)
    dateline = d.add_paragraph()
    r = dateline.add_run(doc["date"])
    r.italic = True
    for p in doc["paragraphs"]:
        d.add_paragraph(p)
    contact = d.add_paragraph()
    c = contact.add_run(DOCX_CONTACT[doc["lang"]])
    c.font.size = Pt(8)
    buf = io.BytesIO()
    d.save(buf)
    return normalize_zip(buf.getvalue(), doc["date"])


# --------------------------------------------------------------------------------------------
# feeds and jsonl
# --------------------------------------------------------------------------------------------

FEEDS = {
    "ru-lenta-region.rss.xml": dict(kind="rss", title="Лента Региона — новости Центральной Азии",
                                    link="https://lenta-region.example.org/", lang="ru", html_desc=True,
                                    description="Новости сотрудничества стран Центральной Азии"),
    "kk-ongir-zhanalyqtary.rss.xml": dict(kind="rss", title="Өңір жаңалықтары",
                                          link="https://ongir-zhanalyq.example.org/kk/", lang="kk", html_desc=False,
                                          description="Орталық Азия елдерінің жаңалықтары"),
    "en-regional-desk.atom.xml": dict(kind="atom", title="Regional Desk: Central Asia",
                                      link="https://regional-desk.example.org/", lang="en",
                                      description="Cooperation news from the five Central Asian states"),
}


def item_datetime(doc: dict) -> dt.datetime:
    t, _, tz = doc.get("pubtime", "12:00:00 +0500").partition(" ")
    hh, mm, ss = map(int, t.split(":"))
    sign = 1 if tz[0] == "+" else -1
    off = dt.timedelta(hours=int(tz[1:3]), minutes=int(tz[3:5])) * sign
    y, m, d = map(int, doc["date"].split("-"))
    return dt.datetime(y, m, d, hh, mm, ss, tzinfo=dt.timezone(off))


def write_rss(name: str, items: list[dict]) -> bytes:
    cfg = FEEDS[name]
    last = max(item_datetime(i) for i in items)
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">',
        "  <channel>",
        f"    <title>{xml_escape(cfg['title'])}</title>",
        f"    <link>{cfg['link']}</link>",
        f"    <description>{xml_escape(cfg['description'])}</description>",
        f"    <language>{cfg['lang']}</language>",
        f"    <lastBuildDate>{format_datetime(last)}</lastBuildDate>",
        f'    <atom:link href="{cfg["link"]}rss.xml" rel="self" type="application/rss+xml"/>',
    ]
    for it in items:
        if cfg["html_desc"]:
            inner = "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in it["paragraphs"])
            desc = f"<![CDATA[{inner}]]>"
        else:
            desc = xml_escape("\n\n".join(it["paragraphs"]))
        parts += [
            "    <item>",
            f"      <title>{xml_escape(it['title'])}</title>",
            f"      <link>{it['link']}</link>",
            f'      <guid isPermaLink="true">{it["link"]}</guid>',
            f"      <pubDate>{format_datetime(item_datetime(it))}</pubDate>",
            "      <dc:creator>Desk</dc:creator>",
            f"      <description>{desc}</description>",
            "    </item>",
        ]
    parts += ["  </channel>", "</rss>", ""]
    return "\n".join(parts).encode("utf-8")


def write_atom(name: str, items: list[dict]) -> bytes:
    cfg = FEEDS[name]
    last = max(item_datetime(i) for i in items)
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{cfg["lang"]}">',
        f"  <title>{xml_escape(cfg['title'])}</title>",
        f"  <subtitle>{xml_escape(cfg['description'])}</subtitle>",
        f'  <link rel="alternate" href="{cfg["link"]}"/>',
        f'  <link rel="self" href="{cfg["link"]}feed.atom"/>',
        f"  <id>{cfg['link']}</id>",
        f"  <updated>{last.isoformat()}</updated>",
    ]
    for n, it in enumerate(items):
        when = item_datetime(it).isoformat()
        parts += [
            "  <entry>",
            f"    <title>{xml_escape(it['title'])}</title>",
            f'    <link rel="alternate" href="{it["link"]}"/>',
            f"    <id>{it['link']}</id>",
            f"    <published>{when}</published>",
            f"    <updated>{when}</updated>",
            "    <author><name>Regional Desk</name></author>",
        ]
        if n == len(items) - 1:
            # the last entry carries its full text in <summary> only, as some feeds do
            parts.append(f'    <summary type="text">{xml_escape(chr(10).join(it["paragraphs"]))}</summary>')
        else:
            inner = "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in it["paragraphs"])
            parts.append(f'    <content type="html">{xml_escape(inner)}</content>')
        parts.append("  </entry>")
    parts += ["</feed>", ""]
    return "\n".join(parts).encode("utf-8")


def write_jsonl(items: list[dict]) -> bytes:
    lines = []
    for it in items:
        rec = {"id": it.get("id") or f"demo-{it['item']}", "text": "\n\n".join(it["paragraphs"]),
               "lang": it["lang"], "date": it["date"]}
        lines.append(json.dumps(rec, ensure_ascii=False))
    return ("\n".join(lines) + "\n").encode("utf-8")


# --------------------------------------------------------------------------------------------
# manifest, build, check
# --------------------------------------------------------------------------------------------

def manifest(docs: list[dict]) -> bytes:
    rows = ["file\titem\tlang\tdate\tsummary\tsource\tformat\tevents"]
    for d in sorted(docs, key=lambda d: (d["file"], int(d.get("item") or 0))):
        cells = [d["file"], d.get("item", ""), d["lang"], d["date"], d["summary"], d["source"], d["format"],
                 " ".join(d["events"])]
        for c in cells:
            if "\t" in c or "\n" in c:
                raise SystemExit(f"{d['src']}: tab or newline in manifest cell")
        rows.append("\t".join(cells))
    return ("\n".join(rows) + "\n").encode("utf-8")


def build(docs: list[dict]) -> dict[str, bytes]:
    outputs: dict[str, bytes] = {}
    grouped: dict[str, list[dict]] = {}
    for d in docs:
        fmt = d["format"]
        if fmt in ("txt", "md"):
            outputs[d["file"]] = write_plain(d)
        elif fmt == "html":
            outputs[d["file"]] = write_html(d)
        elif fmt == "pdf":
            outputs[d["file"]] = write_pdf(d)
        elif fmt == "docx":
            outputs[d["file"]] = write_docx(d)
        else:
            grouped.setdefault(d["file"], []).append(d)
    for name, items in grouped.items():
        items.sort(key=lambda i: int(i["item"]))
        kinds = {i["format"] for i in items}
        if len(kinds) != 1:
            raise SystemExit(f"{name}: mixed formats {kinds}")
        kind = kinds.pop()
        if [int(i["item"]) for i in items] != list(range(1, len(items) + 1)):
            raise SystemExit(f"{name}: items must be numbered 1..n")
        if kind == "rss":
            outputs[name] = write_rss(name, items)
        elif kind == "atom":
            outputs[name] = write_atom(name, items)
        else:
            outputs[name] = write_jsonl(items)
    outputs["MANIFEST.tsv"] = manifest(docs)
    return outputs


def squash(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def check(docs: list[dict]) -> None:
    import xml.etree.ElementTree as ET

    problems = 0
    for d in docs:
        path = OUT / d["file"]
        want = [squash(p) for p in d["paragraphs"]]
        if d["format"] == "pdf":
            if shutil.which("pdftotext") is None:
                print("note: pdftotext missing (apt-get install poppler-utils); PDFs not re-read", file=sys.stderr)
                continue
            got = squash(subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"],
                                        capture_output=True, check=True, text=True).stdout)
        elif d["format"] == "docx":
            xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
            got = squash(html.unescape(" ".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))))
        elif d["format"] in ("rss", "atom"):
            root = ET.parse(path).getroot()
            texts = []
            for el in root.iter():
                if el.tag.split("}")[-1] in ("description", "content", "summary") and el.text:
                    texts.append(html.unescape(re.sub(r"<[^>]+>", " ", el.text)))
            got = squash(" ".join(texts))
        elif d["format"] == "jsonl":
            recs = [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]
            assert all(set(r) == {"id", "text", "lang", "date"} for r in recs), path
            got = squash(" ".join(r["text"] for r in recs))
        elif d["format"] == "html":
            raw = path.read_text(encoding="utf-8")
            got = squash(html.unescape(re.sub(r"<[^>]+>", " ", raw)))
        else:
            got = squash(path.read_text(encoding="utf-8"))
        for p in want:
            # markdown markup is not expected to survive the other formats; compare on words
            if squash(p) not in got:
                print(f"CHECK {d['file']} ({d['src']}): paragraph not found: {p[:70]}...", file=sys.stderr)
                problems += 1
    total = sum(f.stat().st_size for f in OUT.iterdir())
    print(f"check: {len(docs)} documents, {problems} problems, {total} bytes in {OUT.name}/")
    if problems or total > MAX_BYTES:
        raise SystemExit(1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="re-read every output after writing it")
    args = ap.parse_args()
    docs = load_sources()
    validate_against_registry(docs)
    outputs = build(docs)
    OUT.mkdir(exist_ok=True)
    stale = {p.name for p in OUT.iterdir()} - set(outputs)
    for name in sorted(stale):
        (OUT / name).unlink()
    for name, data in sorted(outputs.items()):
        (OUT / name).write_bytes(data)
    langs: dict[str, int] = {}
    fmts: dict[str, int] = {}
    for d in docs:
        langs[d["lang"]] = langs.get(d["lang"], 0) + 1
        fmts[d["format"]] = fmts.get(d["format"], 0) + 1
    print(f"wrote {len(outputs)} files ({len(docs)} documents) to {OUT}")
    print("by language:", ", ".join(f"{k} {v}" for k, v in sorted(langs.items())))
    print("by format:  ", ", ".join(f"{k} {v}" for k, v in sorted(fmts.items())))
    if args.check:
        check(docs)


if __name__ == "__main__":
    main()
