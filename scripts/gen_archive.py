#!/usr/bin/env python3
"""Generate N short news items (JSON lines) for scripts/bench-archive.sh.

Each happening is told by three outlets (English, Russian, Uzbek), each item with its own id
and wording, so that ingest has reports to merge: bilateral meetings of a pair in a city on a
day, aid sent from one state to another, agreements signed; and on summit days, the summit of
the five states and bilateral meetings on its sidelines in the same city, which must stay
apart. Written for the benchmark in our own words; seeded, so the same N gives the same file.

Usage: gen_archive.py N OUT.jsonl

Beside OUT.jsonl it writes OUT.jsonl.truth: for each line, the happening it tells (kind, actors,
place, date), so that the benchmark can check the canonical events against it.
"""
import json
import random
import sys

STATES = {
    "KAZ": ("Kazakhstan", "Казахстан", "Qozogʻiston", "Kazakhstan's", "Казахстана"),
    "KGZ": ("Kyrgyzstan", "Кыргызстан", "Qirgʻiziston", "Kyrgyzstan's", "Кыргызстана"),
    "TJK": ("Tajikistan", "Таджикистан", "Tojikiston", "Tajikistan's", "Таджикистана"),
    "TKM": ("Turkmenistan", "Туркменистан", "Turkmaniston", "Turkmenistan's", "Туркменистана"),
    "UZB": ("Uzbekistan", "Узбекистан", "Oʻzbekiston", "Uzbekistan's", "Узбекистана"),
    "AZE": ("Azerbaijan", "Азербайджан", "Ozarbayjon", "Azerbaijan's", "Азербайджана"),
}
# (English, Russian prepositional, Uzbek locative)
CITIES = {
    "KAZ": [("Astana", "Астане", "Astanada"), ("Almaty", "Алматы", "Olmaotada")],
    "KGZ": [("Bishkek", "Бишкеке", "Bishkekda"), ("Osh", "Оше", "Oʻshda")],
    "TJK": [("Dushanbe", "Душанбе", "Dushanbeda"), ("Khujand", "Худжанде", "Xoʻjandda")],
    "TKM": [("Ashgabat", "Ашхабаде", "Ashxobodda"), ("Avaza", "Авазе", "Avazada")],
    "UZB": [("Tashkent", "Ташкенте", "Toshkentda"), ("Samarkand", "Самарканде", "Samarqandda")],
}
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December"]
MONTHS_RU = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
             "октября", "ноября", "декабря"]
MONTHS_UZ = ["yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul", "avgust", "sentyabr",
             "oktyabr", "noyabr", "dekabr"]
TOPICS = [("water", "водных ресурсов", "suv resurslari"), ("trade", "торговли", "savdo"),
          ("energy", "энергетики", "energetika"), ("transport", "транспорта", "transport"),
          ("education", "образования", "taʼlim")]


def meeting(rng, a, b, city, y, m, d, topic):
    en, ru, uz = city
    A, B = STATES[a], STATES[b]
    dm = f"{d} {MONTHS_EN[m - 1]} {y}"
    return [
        ("en", f"Talks in {en}", f"The presidents of {A[0]} and {B[0]} met in {en} on {dm} and discussed {topic[0]}. "
                                 f"The two leaders agreed to keep in close contact."),
        ("ru", f"Переговоры в {ru}", f"{d} {MONTHS_RU[m - 1]} {y} года в {ru} президенты {A[4]} и {B[4]} провели "
                                     f"переговоры по вопросам {topic[1]}."),
        ("uz", f"{uz} muzokaralar", f"{y}-yil {d}-{MONTHS_UZ[m - 1]} kuni {uz} {A[2]} va {B[2]} prezidentlari "
                                    f"{topic[2]} masalalari boʻyicha uchrashdi."),
    ]


def aid(rng, a, b, y, m, d):
    A, B = STATES[a], STATES[b]
    return [
        ("en", "Aid sent", f"{A[0]} sent humanitarian aid to {B[0]} on {d} {MONTHS_EN[m - 1]} {y}: food and medicine."),
        ("ru", "Гуманитарная помощь", f"{d} {MONTHS_RU[m - 1]} {y} года {A[1]} направил гуманитарную помощь в {B[1]}."),
        ("uz", "Gumanitar yordam", f"{y}-yil {d}-{MONTHS_UZ[m - 1]} kuni {A[2]} {B[2]}ga gumanitar yordam joʻnatdi."),
    ]


def agreement(rng, a, b, city, y, m, d, topic):
    en, ru, uz = city
    A, B = STATES[a], STATES[b]
    return [
        ("en", "Agreement signed", f"{A[0]} and {B[0]} signed an agreement on {topic[0]} in {en} on {d} "
                                   f"{MONTHS_EN[m - 1]} {y}."),
        ("ru", "Подписано соглашение", f"{d} {MONTHS_RU[m - 1]} {y} года в {ru} {A[1]} и {B[1]} подписали соглашение "
                                       f"в сфере {topic[1]}."),
        ("uz", "Kelishuv imzolandi", f"{y}-yil {d}-{MONTHS_UZ[m - 1]} kuni {uz} {A[2]} va {B[2]} {topic[2]} "
                                     f"sohasida kelishuv imzoladi."),
    ]


def summit(rng, city, y, m, d):
    en, ru, uz = city
    dm = f"{d} {MONTHS_EN[m - 1]} {y}"
    return [
        ("en", "Summit", f"The leaders of Kazakhstan, Kyrgyzstan, Tajikistan, Turkmenistan and Uzbekistan held the "
                         f"Consultative Meeting of the Heads of State of Central Asia in {en} on {dm}."),
        ("ru", "Саммит", f"{d} {MONTHS_RU[m - 1]} {y} года в {ru} прошла Консультативная встреча глав государств "
                         f"Центральной Азии с участием Казахстана, Кыргызстана, Таджикистана, Туркменистана и Узбекистана."),
        ("uz", "Sammit", f"{y}-yil {d}-{MONTHS_UZ[m - 1]} kuni {uz} Markaziy Osiyo davlatlari rahbarlarining Maslahat "
                         f"uchrashuvi boʻlib oʻtdi, unda Qozogʻiston, Qirgʻiziston, Tojikiston, Turkmaniston va "
                         f"Oʻzbekiston ishtirok etdi."),
    ]


def main():
    n = int(sys.argv[1])
    out = open(sys.argv[2], "w", encoding="utf-8")
    truth = open(sys.argv[2] + ".truth", "w", encoding="utf-8")
    rng = random.Random(20261203)
    five = ["KAZ", "KGZ", "TJK", "TKM", "UZB"]
    written = 0
    k = 0
    while written < n:
        k += 1
        y = rng.randint(2015, 2025)
        m = rng.randint(1, 12)
        d = rng.randint(1, 28)
        kind = rng.random()
        items = []
        date = f"{y:04d}-{m:02d}-{d:02d}"

        def told(what, reports):
            items.extend((what, r) for r in reports)

        if kind < 0.05:
            host = rng.choice(five)
            city = CITIES[host][0]
            told(f"summit {city[0]} {date}", summit(rng, city, y, m, d))
            # Bilateral meetings on the sidelines, in the same city on the same day.
            pairs = rng.sample([(x, z) for x in five for z in five if x < z], 3)
            for a, b in pairs:
                told(f"meeting {a}-{b} {city[0]} {date}", meeting(rng, a, b, city, y, m, d, rng.choice(TOPICS)))
        elif kind < 0.55:
            a, b = sorted(rng.sample(list(STATES), 2))
            host = a if a in CITIES else b
            city = rng.choice(CITIES[host])
            told(f"meeting {a}-{b} {city[0]} {date}", meeting(rng, a, b, city, y, m, d, rng.choice(TOPICS)))
        elif kind < 0.75:
            a, b = rng.sample(five, 2)
            told(f"aid {a}>{b} {date}", aid(rng, a, b, y, m, d))
        else:
            a, b = sorted(rng.sample(five, 2))
            city = rng.choice(CITIES[a])
            told(f"agreement {a}-{b} {city[0]} {date}", agreement(rng, a, b, city, y, m, d, rng.choice(TOPICS)))
        for what, (lang, title, text) in items:
            if written >= n:
                break
            pub = f"{y:04d}-{m:02d}-{min(d + 1, 28):02d}"
            # No language given: identifying it is part of the work, as in a real archive.
            out.write(json.dumps({"id": f"arch-{written}", "text": f"{title}. {text}", "date": pub},
                                 ensure_ascii=False) + "\n")
            truth.write(what + "\n")
            written += 1
    out.close()
    truth.close()


if __name__ == "__main__":
    main()
