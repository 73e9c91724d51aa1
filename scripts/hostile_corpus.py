#!/usr/bin/env python3
"""Generate the hostile-input corpus: files a careless user or an attacker could hand to
`hamkor ingest`, each with the outcome hamkor must give.

Usage:
  python3 scripts/hostile_corpus.py OUT

writes OUT/corpus/ (the files) and OUT/expected.json (one entry per kind):

  {"kind": ..., "path": "corpus/...", "expect": "stored" | "failed" | "line-failed" | "ignored",
   "reason": "text the failure line must contain", "titles": [titles of stored documents],
   "warning": "text a warning line must contain"}

- stored: the file's documents are in the store (by title) and no failure names the file;
- failed: one failure line names the file with the reason;
- line-failed: a failure line names PATH:LINE (or "PATH (item N)") with the reason, and the
  file's other documents are stored;
- ignored: nothing about the file is printed or stored (hidden files).

crates/cli/tests/hostile_corpus.rs runs it and checks every outcome; scripts/check-hostile.sh
measures time and memory. Every text here is ours. Nothing is downloaded.
"""
import json
import os
import socket
import struct
import sys
import zipfile
import zlib
from pathlib import Path

KINDS = []


def kind(name, path, expect, reason=None, titles=None, warning=None):
    KINDS.append({k: v for k, v in {
        "kind": name, "path": path, "expect": expect, "reason": reason,
        "titles": titles, "warning": warning}.items() if v is not None})


# Texts written for this corpus.
RU = ("Министры иностранных дел Казахстана и Узбекистана обсудили в Ташкенте совместное "
      "использование водных ресурсов и подписали соглашение о сотрудничестве в области "
      "образования. Стороны договорились провести следующую встречу осенью.")
FR = ("La délégation française a été reçue à Tachkent ; les ministres ont signé un accord "
      "sur l'éducation, la santé et la coopération culturelle entre leurs pays.")
EN = ("Kyrgyzstan and Tajikistan agreed in Bishkek to reopen two border crossings for "
      "students and traders, and to hold joint exercises of their rescue services in spring.")


_serial = [0]


def unique(text):
    """The text with a numbered sentence after it: documents are one per distinct text, and
    every kind must store a document of its own."""
    _serial[0] += 1
    return text + " This is note %d of the corpus." % _serial[0]


def en():
    return unique(EN)


def ru():
    return unique(RU)


def fr():
    return unique(FR)


PLAIN = "Border crossings reopen\n" + EN


def write(root, rel, data):
    p = root / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    p.write_bytes(data)
    return rel


# ---------------------------------------------------------------- PDF


def pdf_of(objects, trailer_extra=b""):
    """A PDF whose object N is objects[N-1] (bytes), with a cross-reference table."""
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % (i + 1) + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer_extra, xref)
    return bytes(out)


def stream(dict_body, data):
    return b"<< " + dict_body + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def text_pdf(lines, title="Report", created="D:20240302120000Z", extra=None):
    esc = lambda s: s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    content = "BT /F1 12 Tf 72 720 Td 16 TL\n" + "".join("(%s) Tj T*\n" % esc(l) for l in lines) + "ET\n"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        stream(b"", content.encode("latin-1")),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        ("<< /Title (%s) /CreationDate (%s) >>" % (esc(title), created)).encode("latin-1"),
    ]
    if extra:
        objects += extra
    return pdf_of(objects, b"/Info 6 0 R ")


def zeros_deflated(megabytes):
    """A zlib stream of `megabytes` MB of zeros, made without compressing them all: after a
    full flush deflate starts afresh, so every megabyte compresses to the same bytes; then an
    empty final block and the Adler-32 (for zeros: 1, and the length modulo 65521)."""
    block = bytes(1 << 20)
    c = zlib.compressobj(9)
    first = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    assert first[2:] == again
    adler = ((megabytes << 20) % 65521) << 16 | 1
    return first + again * (megabytes - 1) + b"\x03\x00" + adler.to_bytes(4, "big")


def zeros_lzw(megabytes):
    """LZW (PDF's, with early change) of a run of zeros: codes 0, 258, 259, … each one zero
    longer than the last, a clear code when the table fills."""
    target = megabytes << 20
    bits, nbits = 0, 0
    out = bytearray()

    def put(code, width):
        nonlocal bits, nbits
        bits = (bits << width) | code
        nbits += width
        while nbits >= 8:
            nbits -= 8
            out.append((bits >> nbits) & 0xFF)
        bits &= (1 << nbits) - 1

    produced = 0
    width = 9
    put(256, width)
    while produced < target:
        width, next_code, first, run = 9, 258, True, 1
        while next_code < 4000 and produced < target:
            put(0 if first else next_code, width)
            produced += run
            if first:
                first = False
            else:
                next_code += 1
                if next_code + 1 >= (1 << width) and width < 12:
                    width += 1
            run += 1
        put(256, width)
    put(257, 9)
    if nbits:
        out.append((bits << (8 - nbits)) & 0xFF)
    return bytes(out)


def bomb_pdf(filters, data):
    return pdf_of([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Contents 4 0 R >>",
        stream(b"/Filter " + filters, data),
    ])


def objstm_bomb_pdf(data):
    return pdf_of([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
        stream(b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode", data),
    ])


# ---------------------------------------------------------------- DOCX


def docx(paragraphs, title="Note", created="2022-06-01T10:00:00Z", document=None, extra=()):
    body = "".join('<w:p><w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>' % p for p in paragraphs)
    doc = document or ('<?xml version="1.0" encoding="UTF-8"?><w:document '
                       'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                       '<w:body>%s</w:body></w:document>' % body)
    core = ('<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties '
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">'
            '<dc:title>%s</dc:title><dcterms:created>%s</dcterms:created></cp:coreProperties>' % (title, created))
    import io
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", doc)
        z.writestr("docProps/core.xml", core)
        for name, data in extra:
            z.writestr(name, data)
    return buf.getvalue()


def docx_bomb(megabytes):
    """word/document.xml of `megabytes` MB of spaces inside one run, written in pieces."""
    import io
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(b'<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>')
            block = b" " * (1 << 20)
            for _ in range(megabytes):
                f.write(block)
            f.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return buf.getvalue()


def rss(items, encoding=None, extra=""):
    decl = '<?xml version="1.0" encoding="%s"?>' % encoding if encoding else '<?xml version="1.0"?>'
    body = "".join("<item>%s</item>" % i for i in items)
    return '%s<rss version="2.0"><channel><title>Desk</title>%s%s</channel></rss>' % (decl, extra, body)


def jline(**kw):
    return json.dumps(kw, ensure_ascii=False)


def generate(out):
    root = out / "corpus"
    root.mkdir(parents=True, exist_ok=True)
    c = lambda rel: "corpus/" + rel

    # ------------------------------------------------ good files, in every format
    kind("plain text", c(write(root, "good/plain.txt", PLAIN)), "stored",
         titles=["Border crossings reopen"])
    kind("markdown with a header", c(write(root, "good/note.md",
         "---\ntitle: Water talks in Tashkent\ndate: 2024-03-02\n---\n" + ru())), "stored",
         titles=["Water talks in Tashkent"])
    kind("html page", c(write(root, "good/page.html",
         '<html><head><title>Rescue exercise</title><meta name="date" content="2023-04-05"></head>'
         "<body><nav>Home</nav><article><p>%s</p></article></body></html>" % en())), "stored",
         titles=["Rescue exercise"])
    kind("pdf with a text layer", c(write(root, "good/report.pdf",
         text_pdf(["Tajikistan and Uzbekistan opened a joint university branch.",
                   "The first students arrive in September."], title="Branch campus"))), "stored",
         titles=["Branch campus"])
    kind("docx", c(write(root, "good/report.docx",
         docx(["Соглашение о воде", "Казахстан и Узбекистан подписали соглашение."], title="Соглашение о воде"))),
         "stored", titles=["Соглашение о воде"])
    kind("rss feed", c(write(root, "good/news.rss", rss([
        "<title>Turkmen delegation in Dushanbe</title><link>https://example.org/n/1</link>"
        "<pubDate>Tue, 11 Jun 2024 08:00:00 GMT</pubDate><description>Talks on energy were held.</description>",
        "<title>Uzbek doctors in Bishkek</title><link>https://example.org/n/2</link>"
        "<description>&lt;p&gt;A team of surgeons arrived for a week.&lt;/p&gt;</description>"]))), "stored",
         titles=["Turkmen delegation in Dushanbe", "Uzbek doctors in Bishkek"])
    kind("atom feed", c(write(root, "good/desk.atom",
         '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Desk</title>'
         "<id>urn:desk</id><updated>2025-03-13T00:00:00Z</updated><entry><title>Border treaty signed</title>"
         '<id>urn:desk:1</id><link href="https://example.org/a/1"/><updated>2025-03-13T00:00:00Z</updated>'
         '<content type="html">&lt;p&gt;Kyrgyzstan and Tajikistan signed a treaty.&lt;/p&gt;</content></entry></feed>')),
         "stored", titles=["Border treaty signed"])
    kind("json lines", c(write(root, "good/lines.jsonl", "\n".join([
        jline(id="j1", title="Talks in Astana", text="Kazakhstan and Turkmenistan held talks in Astana on transit."),
        jline(id="j2", title="Ўзбек-тожик ҳамкорлиги", text="Ўзбекистон ва Тожикистон таълим соҳасида ҳамкорлик қилишга келишди."),
    ]) + "\n")), "stored", titles=["Talks in Astana", "Ўзбек-тожик ҳамкорлиги"])
    # The same text again under another name: one document, two sources.
    kind("duplicate of a good file", c(write(root, "good/copy/plain-again.txt", PLAIN)),
         "stored", titles=["Border crossings reopen"])
    kind("directory named like a file", c(write(root, "good/folder.txt/inside.txt",
         "Inside a folder named like a file\nThe Aral Sea fund met in Dushanbe.")), "stored",
         titles=["Inside a folder named like a file"])
    kind("html saved with a .txt extension", c(write(root, "wrong-ext/page-as.txt",
         "Markup kept as text\n<p>%s</p>" % en())), "stored", titles=["Markup kept as text"])
    kind("terminal escapes in a text", c(write(root, "good/escapes.txt",
         "Colours in a text\nA report \x1b[31mwith\x1b[0m escape codes \x1b]0;title\x07 in it, and a bell. " + en())),
         "stored", titles=["Colours in a text"])
    kind("odd file name", c(write(root, "names/line\nbreak \x1b[1mbold.txt", "Odd name\n" + en()[::-1])),
         "stored", titles=["Odd name"])

    # ------------------------------------------------ encodings
    def enc(text, codec):
        return text.encode(codec)

    kind("utf-8 with bom", c(write(root, "enc/utf8-bom.txt", b"\xef\xbb\xbf" + ("UTF-8 with a mark\n" + ru()).encode())),
         "stored", titles=["UTF-8 with a mark"])
    kind("utf-16le with bom", c(write(root, "enc/utf16le.txt", b"\xff\xfe" + ("UTF-16 LE note\n" + ru()).encode("utf-16-le"))),
         "stored", titles=["UTF-16 LE note"])
    kind("utf-16be with bom", c(write(root, "enc/utf16be.txt", b"\xfe\xff" + ("UTF-16 BE note\n" + fr()).encode("utf-16-be"))),
         "stored", titles=["UTF-16 BE note"])
    for codec, label, text, title in [
        ("cp1251", "windows-1251", ru(), "Встреча министров, 1251"),
        ("koi8_r", "KOI8-R", ru(), "Встреча министров, KOI8"),
        ("iso8859_5", "ISO-8859-5", ru(), "Встреча министров, 8859-5"),
        ("cp866", "IBM866", ru(), "Встреча министров, 866"),
        ("latin-1", "windows-1252", fr(), "Accord à Tachkent"),
        ("iso8859_15", "windows-1252", fr(), "Accord signé à Tachkent"),
    ]:
        name = "enc/undeclared-%s.txt" % codec
        kind("undeclared " + label, c(write(root, name, enc(title + "\n" + text, codec))), "stored",
             titles=[title], warning="read as")
    for codec, label, title in [("cp1251", "windows-1251", "Страница в 1251"), ("koi8_r", "koi8-r", "Страница в KOI8"),
                                ("latin-1", "iso-8859-1", "Page en Latin-1")]:
        text = ru() if codec != "latin-1" else fr()
        page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=%s">'
                "<title>%s</title></head><body><p>%s</p></body></html>" % (label, title, text))
        kind("html declaring " + label, c(write(root, "enc/declared-%s.html" % codec, page.encode(codec))), "stored",
             titles=[title])
    kind("html declaring a stale charset", c(write(root, "enc/stale-charset.html",
         '<html><head><meta charset="windows-1251"><title>Уже UTF-8</title></head><body><p>%s</p></body></html>' % ru())),
         "stored", titles=["Уже UTF-8"])
    kind("rss declaring windows-1251", c(write(root, "enc/feed-1251.rss",
         rss(["<title>Делегация в Душанбе</title><description>%s</description>" % ru()], "windows-1251").encode("cp1251"))),
         "stored", titles=["Делегация в Душанбе"])
    kind("json lines with a utf-8 bom", c(write(root, "enc/bom.jsonl",
         b"\xef\xbb\xbf" + (jline(title="Line after a mark", text=en()) + "\n").encode())), "stored",
         titles=["Line after a mark"])
    kind("json lines in utf-16 with bom", c(write(root, "enc/utf16.jsonl",
         b"\xff\xfe" + (jline(title="UTF-16 line", text=ru()) + "\n").encode("utf-16-le"))), "stored",
         titles=["UTF-16 line"])

    # ------------------------------------------------ dates: one rule everywhere
    kind("markdown with 0000-00-00", c(write(root, "dates/zero.md", "Title: Zero date md\nDate: 0000-00-00\n\n" + en())),
         "stored", titles=["Zero date md"], warning="0000-00-00")
    kind("text with 99999-01-01", c(write(root, "dates/huge-year.txt", "Title: Huge year\nDate: 99999-01-01\n\n" + fr())),
         "stored", titles=["Huge year"], warning="99999-01-01")
    kind("text with 31.02.2024", c(write(root, "dates/no-such-day.txt", "Title: No such day\nDate: 31.02.2024\n\n" + ru())),
         "stored", titles=["No such day"], warning="31.02.2024")
    kind("html with 0000-00-00", c(write(root, "dates/zero.html",
         '<html><head><title>Zero date html</title><meta name="date" content="0000-00-00"></head>'
         "<body><p>%s</p></body></html>" % en())), "stored", titles=["Zero date html"], warning="0000-00-00")
    kind("rss with 0000-00-00", c(write(root, "dates/zero.rss",
         rss(["<title>Zero date rss</title><pubDate>0000-00-00</pubDate><description>%s</description>" % fr()]))),
         "stored", titles=["Zero date rss"], warning="0000-00-00")
    kind("json lines with 99999-01-01", c(write(root, "dates/huge-year.jsonl",
         jline(title="Huge year line", text=ru(), date="99999-01-01") + "\n")), "stored", titles=["Huge year line"],
         warning="99999-01-01")
    kind("pdf with a zero creation date", c(write(root, "dates/zero.pdf",
         text_pdf(["Joint statement of the ministers of health."], title="Zero date pdf", created="D:00000000000000Z"))),
         "stored", titles=["Zero date pdf"], warning="D:00000000000000Z")
    kind("docx with 0000-00-00", c(write(root, "dates/zero.docx",
         docx(["Memorandum on student exchange."], title="Zero date docx", created="0000-00-00T00:00:00Z"))),
         "stored", titles=["Zero date docx"], warning="0000-00-00")

    # ------------------------------------------------ nesting
    kind("html of 40,000 nested divs", c(write(root, "nested/divs-40k.html",
         "<html><body>" + "<div>" * 40000 + "deep" + "</div>" * 40000 + "</body></html>")), "failed",
         reason="HTML nested deeper than 512")
    kind("html of 200,000 nested divs", c(write(root, "nested/divs-200k.html",
         "<html><body>" + "<div>" * 200000 + "deeper" + "</body></html>")), "failed", reason="HTML nested deeper than 512")
    kind("html of 200,000 unclosed inline tags", c(write(root, "nested/unclosed-b.html",
         "<html><body>" + "<b><i>" * 100000 + "x</body></html>")), "failed", reason="nested deeper")
    kind("html 400 levels deep (within budget)", c(write(root, "nested/divs-400.html",
         "<html><head><title>Four hundred levels</title></head><body>" + "<div>" * 400 + "<p>%s</p>" % en()
         + "</div>" * 400 + "</body></html>")), "stored", titles=["Four hundred levels"])
    kind("html of 100,000 siblings", c(write(root, "nested/wide.html",
         "<html><head><title>Wide page</title></head><body>" + "<p>%s</p>" % en() + "<span>x</span>" * 100000
         + "</body></html>")), "stored", titles=["Wide page"])
    kind("rss nested 100,000 deep", c(write(root, "nested/deep.rss",
         rss(["<title>x</title>" + "<a>" * 100000 + "</a>" * 100000]))), "failed", reason="XML nested deeper than 512")
    kind("rss item with deeply nested html", c(write(root, "nested/deep-fragment.rss",
         rss(["<title>Fragment</title><description>%s</description>" % ("&lt;div&gt;" * 2000 + "t")]))),
         "line-failed", reason="HTML nested deeper than 512")
    kind("docx with deeply nested xml", c(write(root, "nested/deep.docx", docx([], document=
         '<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>Deep docx</w:t></w:r></w:p>' + "<w:x>" * 100000
         + "</w:x>" * 100000 + "</w:body></w:document>", title="Deep docx"))), "stored", titles=["Deep docx"])
    kind("json line nested 100,000 deep", c(write(root, "nested/deep.jsonl",
         jline(title="Shallow line", text=en()) + "\n" + '{"text": "x", "id": ' + "[" * 100000 + "]" * 100000 + "}\n")),
         "line-failed", reason="recursion limit", titles=["Shallow line"])

    # ------------------------------------------------ bombs
    kind("pdf flate bomb (1 GB)", c(write(root, "bombs/flate.pdf", bomb_pdf(b"/FlateDecode", zeros_deflated(1024)))),
         "failed", reason="unpack to more than")
    kind("pdf object-stream bomb", c(write(root, "bombs/objstm.pdf", objstm_bomb_pdf(zeros_deflated(600)))),
         "failed", reason="unpack to more than")
    kind("pdf lzw bomb", c(write(root, "bombs/lzw.pdf", bomb_pdf(b"/LZWDecode", zeros_lzw(400)))), "failed",
         reason="unpack to more than")
    kind("pdf flate bomb in ascii85", c(write(root, "bombs/a85-flate.pdf",
         bomb_pdf(b"[/ASCII85Decode /FlateDecode]", __import__("base64").a85encode(zeros_deflated(400)) + b"~>"))),
         "failed", reason="unpack to more than")
    kind("pdf of 20 million tiny operators (within the unpacked budget)", c(write(root, "bombs/operators.pdf",
         bomb_pdf(b"/FlateDecode", zlib.compress(b"0 0 m\n" * 20_000_000, 9)))), "failed", reason="of memory to extract")
    kind("docx zip bomb", c(write(root, "bombs/zip.docx", docx_bomb(300))), "failed", reason="unpack to more than")
    kind("docx with 20,000 parts", c(write(root, "bombs/many-parts.docx",
         docx(["Many parts"], title="Many parts", extra=[("junk/%d.xml" % i, "<x/>") for i in range(20000)]))),
         "stored", titles=["Many parts"])
    kind("rss with entity expansion", c(write(root, "bombs/laughs.rss",
         '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
         '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
         '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">'
         '<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">]>'
         '<rss version="2.0"><channel><title>t</title><item><title>Laughs</title><description>&h;</description>'
         "</item></channel></rss>")), "stored", titles=["Laughs"])

    # ------------------------------------------------ PDFs that are broken in other ways
    good = text_pdf(["Text that will be cut in half."], title="cut")
    kind("truncated pdf", c(write(root, "pdf/truncated.pdf", good[: len(good) // 3])), "failed", reason="PDF")
    kind("encrypted pdf", c(write(root, "pdf/encrypted.pdf", text_pdf(["secret"], title="secret", extra=[
        b"<< /Filter /Standard /V 1 /R 2 /Length 40 /O <" + b"5a" * 32 + b"> /U <" + b"c3" * 32 + b"> /P -44 >>"]
        ).replace(b"/Info 6 0 R ", b"/Info 6 0 R /Encrypt 7 0 R /ID [<0123456789abcdef0123456789abcdef> "
                  b"<0123456789abcdef0123456789abcdef>] "))), "failed", reason="encrypted")
    kind("pdf without text", c(write(root, "pdf/no-text.pdf", pdf_of([
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Contents 4 0 R >>",
        stream(b"", b"0 0 m 100 100 l S\n")]))), "failed", reason="no text")
    kind("pdf drawing itself (recursive form)", c(write(root, "pdf/recursive-form.pdf", pdf_of([
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Contents 4 0 R /Resources << /XObject << /X0 5 0 R >> >> >>",
        stream(b"", b"/X0 Do\n"),
        stream(b"/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X0 5 0 R >> >>", b"/X0 Do\n"),
    ]))), "failed", reason="")
    kind("pdf whose page tree is a cycle", c(write(root, "pdf/page-cycle.pdf", pdf_of([
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>"]))), "failed", reason="")
    kind("png named .pdf", c(write(root, "wrong-ext/image.pdf", b"\x89PNG\r\n\x1a\n" + bytes(200))), "failed",
         reason="a PNG image")
    kind("docx named .pdf", c(write(root, "wrong-ext/docx-as.pdf", docx(["A memorandum saved under the wrong name."],
         title="Docx named pdf"))), "stored", titles=["Docx named pdf"], warning="read as DOCX")
    kind("pdf named .docx", c(write(root, "wrong-ext/pdf-as.docx", text_pdf(["Minutes of the water commission."],
         title="Pdf named docx"))), "stored", titles=["Pdf named docx"], warning="read as PDF")
    kind("pdf named .html", c(write(root, "wrong-ext/pdf-as.html", text_pdf(["Minutes of the border commission."],
         title="Pdf named html"))), "stored", titles=["Pdf named html"], warning="read as PDF")
    kind("text named .pdf", c(write(root, "wrong-ext/text-as.pdf", en())), "failed", reason="not a PDF")
    kind("jpeg named .txt", c(write(root, "wrong-ext/photo.txt", b"\xff\xd8\xff\xe0" + bytes(500))), "failed",
         reason="a JPEG image")
    kind("gzip named .html", c(write(root, "wrong-ext/page.html", __import__("gzip").compress(b"<p>x</p>" * 100))),
         "failed", reason="a gzip archive")

    # ------------------------------------------------ DOCX and feeds that are broken
    kind("not a zip (.docx)", c(write(root, "docx/not-zip.docx", "plain words, not an archive")), "failed",
         reason="not a DOCX")
    kind("zip without a document", c(write(root, "docx/no-document.docx",
         docx([], extra=[]).replace(b"word/document.xml", b"word/documen_.xml"))), "failed", reason="no word/document.xml")
    kind("docx with broken xml", c(write(root, "docx/broken-xml.docx",
         docx([], document='<w:document xmlns:w="w"><w:p><w:t>a</w:p></w:document>'))), "failed", reason="malformed DOCX")
    kind("truncated docx", c(write(root, "docx/truncated.docx", docx([en()])[:300])), "failed", reason="DOCX")
    kind("encrypted office file (.docx)", c(write(root, "docx/encrypted.docx",
         b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024))), "failed", reason="OLE compound file")
    kind("malformed rss", c(write(root, "feeds/malformed.rss", "<rss><channel><item><title>x</titl")), "failed",
         reason="feed")
    kind("feed without items", c(write(root, "feeds/empty.atom",
         '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>')), "failed", reason="no items")
    kind("html named .rss", c(write(root, "feeds/page.rss", "<html><body>not a feed</body></html>")), "failed",
         reason="feed")
    kind("feed item without text", c(write(root, "feeds/empty-item.rss",
         rss(["<title>Good item</title><description>%s</description>" % en(), "<link>https://example.org/x</link>"]))),
         "line-failed", reason="no title or text", titles=["Good item"])

    # ------------------------------------------------ text that is not text
    kind("empty file", c(write(root, "txt/empty.txt", b"")), "failed", reason="empty")
    kind("whitespace only", c(write(root, "txt/blank.txt", " \n\t\n  \n")), "failed", reason="no text")
    kind("nul bytes", c(write(root, "txt/nul.txt", b"text\x00with\x00nul")), "failed", reason="binary")
    kind("random bytes", c(write(root, "txt/noise.txt", bytes((i * 7919 + 13) % 256 for i in range(1, 8000) if (i * 7919 + 13) % 256))),
         "failed", reason="")
    kind("damaged utf-8", c(write(root, "txt/damaged.txt", ru().encode()[:100] + b"\xff\xfe" + ru().encode()[102:])),
         "failed", reason="invalid UTF-8")
    kind("binary named .html", c(write(root, "html/binary.html", bytes(range(256)) * 16)), "failed", reason="binary")
    kind("html with only scripts", c(write(root, "html/scripts.html",
         "<html><head><script>var a = 1;</script></head><body><script>document.write('x')</script></body></html>")),
         "failed", reason="no text")
    kind("markdown with only a header", c(write(root, "txt/header-only.md", "Title: Nothing\n\n")), "failed",
         reason="no text")

    # ------------------------------------------------ sizes
    huge = root / "size/huge.txt"
    huge.parent.mkdir(parents=True, exist_ok=True)
    with open(huge, "wb") as f:
        f.truncate(60_000_000)  # sparse: over the 50 MB file limit without using the disk
    kind("file over the size limit", "corpus/size/huge.txt", "failed", reason="over the --max-file-size limit")
    long_text = ("Huge text\n" + ("water agreement talks " * 1_000_000)).encode()
    kind("text over the text limit", c(write(root, "size/long-text.txt", long_text)), "failed",
         reason="over the --max-text-len limit")
    kind("json line over the text limit", c(write(root, "size/long-line.jsonl",
         jline(title="Short neighbour", text=en()) + "\n" + '{"text": "' + "w" * 21_000_000 + '"}\n')),
         "line-failed", reason="longer than the --max-text-len", titles=["Short neighbour"])

    # ------------------------------------------------ JSON lines with bad lines
    kind("json lines with bad lines", c(write(root, "jsonl/mixed.jsonl", b"\n".join([
        jline(title="Good line beside bad ones", text=en()).encode(),
        b'{"text": "unterminated',
        b'{"id": 3}',
        b'{"text": "\xff\xfe invalid utf-8"}',
        b'["not", "an", "object"]',
        jline(text="   ").encode(),
    ]) + b"\n")), "line-failed", reason="bad JSON", titles=["Good line beside bad ones"])

    # ------------------------------------------------ things that are not files
    kind("unsupported extension", c(write(root, "other/program.exe", b"MZ" + bytes(100))), "failed",
         reason="unsupported file type")
    kind("no extension", c(write(root, "other/README", en())), "failed", reason="unsupported file type")
    fifo = root / "other/pipe.txt"
    os.mkfifo(fifo)
    kind("fifo", "corpus/other/pipe.txt", "failed", reason="not a regular file")
    sock_path = root / "other/socket.txt"
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(sock_path))
    s.close()
    kind("unix socket", "corpus/other/socket.txt", "failed", reason="not a regular file")
    unreadable = write(root, "other/unreadable.txt", "You should not be able to read this.\n" + en())
    os.chmod(root / unreadable, 0)
    kind("unreadable file", c(unreadable), "failed", reason="Permission denied")
    noperm = root / "other/closed-folder"
    noperm.mkdir(parents=True)
    (noperm / "inside.txt").write_text("Hidden behind permissions\n" + fr())
    os.chmod(noperm, 0)
    kind("unreadable folder", "corpus/other/closed-folder", "failed", reason="Permission denied")
    kind("hidden file", c(write(root, "other/.hidden.txt", "Hidden\n" + en())), "ignored")

    # ------------------------------------------------ symbolic links
    (root / "links").mkdir(parents=True, exist_ok=True)
    os.symlink("/etc/passwd", root / "links/passwd.txt")
    kind("link to /etc/passwd", "corpus/links/passwd.txt", "failed", reason="outside the folder")
    os.symlink("/etc", root / "links/etc")
    kind("link to /etc", "corpus/links/etc", "failed", reason="outside the folder")
    os.symlink("../../..", root / "links/up")
    kind("link above the folder", "corpus/links/up", "failed", reason="outside the folder")
    os.symlink("nowhere.txt", root / "links/broken.txt")
    kind("broken link", "corpus/links/broken.txt", "failed", reason="broken symbolic link")
    os.symlink("..", root / "links/loop")
    kind("link loop", "corpus/links/loop", "failed", reason="loop")
    os.symlink("../good/plain.txt", root / "links/inside.txt")
    kind("link inside the folder", "corpus/links/inside.txt", "stored", titles=["Border crossings reopen"])

    (out / "expected.json").write_text(json.dumps(KINDS, ensure_ascii=False, indent=1) + "\n")
    return KINDS


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = Path(sys.argv[1])
    kinds = generate(out)
    print("%d kinds in %s" % (len(kinds), out / "corpus"))
