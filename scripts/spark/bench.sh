#!/usr/bin/env bash
# Spark benchmark: SIZE_MB (default 1000) of generated JSON lines — news items of about 2 kB in
# English, Russian and Uzbek, each with a few cooperation events among background sentences —
# coded by `hamkor code` alone (one core, then every core) and by scripts/spark/hamkor_code.py on
# local[1] and local[2] (the same binary, Parquet out). Prints seconds, documents/s, MB/s and the
# Spark overhead against hamkor code on the same number of cores.
#
#   scripts/spark/bench.sh [SIZE_MB] [WORKDIR]
#
# Needs spark-submit (pip install pyspark pyarrow) and Java 17. WORKDIR (default: a temporary
# folder, removed at the end) holds the input and the outputs while the benchmark runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
size_mb=${1:-1000}
work=${2:-}
if [ -z "$work" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
mkdir -p "$work"

cargo build --release -q -p hamkor
bin=$(pwd)/target/release/hamkor
input=$work/bench.jsonl

python3 - "$input" "$size_mb" <<'EOF'
import json, random, sys
path, size = sys.argv[1], int(sys.argv[2]) * 1_000_000
rnd = random.Random(2026)
en = [("Kazakhstan", "Astana"), ("Kyrgyzstan", "Bishkek"), ("Tajikistan", "Dushanbe"), ("Turkmenistan", "Ashgabat"), ("Uzbekistan", "Tashkent")]
ru = ["Казахстан", "Кыргызстан", "Таджикистан", "Туркменистан", "Узбекистан"]
ru_to = ["Казахстан", "Кыргызстан", "Таджикистан", "Туркменистан", "Узбекистан"]
uz = ["Qozogʻiston", "Qirgʻiziston", "Tojikiston", "Turkmaniston", "Oʻzbekiston"]
months_en = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
months_ru = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"]
months_uz = ["yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul", "avgust", "sentabr", "oktabr", "noyabr", "dekabr"]
background = {
    "en": ["The weather in the capital stayed dry and warm for most of the week.",
           "Local markets reported steady prices for flour, rice and vegetables.",
           "The city council discussed the repair of several school buildings.",
           "Analysts expect the harvest to be close to last year's figures.",
           "A new bus route will link the northern districts with the centre.",
           "The national library opened an exhibition of old maps and manuscripts."],
    "ru": ["Погода в столице на этой неделе оставалась сухой и тёплой.",
           "На местных рынках цены на муку и овощи почти не изменились.",
           "Городской совет обсудил ремонт нескольких школьных зданий.",
           "Аналитики ожидают, что урожай будет близок к прошлогоднему.",
           "Новый автобусный маршрут свяжет северные районы с центром."],
    "uz": ["Poytaxtda bu hafta havo quruq va iliq boʻldi.",
           "Mahalliy bozorlarda un va sabzavot narxlari deyarli oʻzgarmadi.",
           "Shahar kengashi bir nechta maktab binolarini taʼmirlashni muhokama qildi.",
           "Tahlilchilar hosil oʻtgan yilgi koʻrsatkichlarga yaqin boʻlishini kutmoqda.",
           "Yangi avtobus yoʻnalishi shimoliy tumanlarni markaz bilan bogʻlaydi."],
}
def events(lang, a, b, y, m, d):
    if lang == "en":
        return [f"{en[a][0]} and {en[b][0]} signed an agreement on water resources in {en[a][1]} on {d} {months_en[m]} {y}.",
                f"The ministers of health of {en[a][0]} and {en[b][0]} held talks on the training of doctors.",
                f"{en[b][0]} sent humanitarian aid with medicines to {en[a][0]} after the floods."]
    if lang == "ru":
        return [f"{ru[a]} и {ru[b]} подписали соглашение о сотрудничестве в области образования {d} {months_ru[m]} {y} года.",
                f"Министры иностранных дел провели переговоры в столице, сообщили в МИД.",
                f"{ru[a]} направил гуманитарную помощь в {ru_to[b]} после наводнения."]
    return [f"{uz[a]} va {uz[b]} {y}-yil {d}-{months_uz[m]}da taʼlim sohasida hamkorlik toʻgʻrisida memorandum imzoladi.",
            f"Universitetlar talabalar almashinuvini yoʻlga qoʻyadi.",
            f"{uz[a]} {uz[b]}ga gumanitar yordam yubordi."]
written, i = 0, 0
with open(path, "w", encoding="utf-8") as out:
    while written < size:
        lang = ("en", "ru", "uz")[i % 3]
        a = rnd.randrange(5); b = (a + 1 + rnd.randrange(4)) % 5
        y, m, d = rnd.randrange(2000, 2026), rnd.randrange(12), rnd.randrange(1, 29)
        sentences = [rnd.choice(background[lang]) for _ in range(rnd.randrange(8, 16))]
        for k, s in enumerate(events(lang, a, b, y, m, d)[: rnd.randrange(1, 4)]):
            sentences.insert(rnd.randrange(len(sentences) + 1), s)
        line = json.dumps({"id": f"bench-{i}", "text": " ".join(sentences), "lang": lang,
                           "date": f"{y}-{m + 1:02d}-{min(d + 1, 28):02d}"}, ensure_ascii=False) + "\n"
        out.write(line)
        written += len(line.encode("utf-8")); i += 1
EOF
docs=$(wc -l < "$input")
bytes=$(stat -c %s "$input")
echo "input: $docs documents, $((bytes / 1000000)) MB ($input)"

now() { date +%s.%N; }
calc() { awk "BEGIN { print $1 }"; }
declare -A took
run() { # name, command...
  local name=$1; shift
  local t0; t0=$(now)
  "$@"
  took[$name]=$(calc "$(now) - $t0")
  printf '%-28s %8.1f s\n' "$name" "${took[$name]}" >&2
}

export LC_ALL=C.UTF-8 SPARK_LOCAL_IP=127.0.0.1
run "hamkor code, 1 core" sh -c "RAYON_NUM_THREADS=1 '$bin' code '$input' > '$work/code1.jsonl'"
run "hamkor code, 2 cores" sh -c "RAYON_NUM_THREADS=2 '$bin' code '$input' > '$work/code2.jsonl'"
rm -f "$work/code1.jsonl" "$work/code2.jsonl"
for cores in 1 2; do
  run "spark local[$cores]" spark-submit --master "local[$cores]" --driver-memory 2g \
    --conf spark.ui.enabled=false --conf spark.driver.extraJavaOptions=-Dlog4j2.level=warn \
    scripts/spark/hamkor_code.py --binary "$bin" --overwrite "$input" "$work/events-$cores" \
    > "$work/spark-$cores.log" 2>&1 || { tail -30 "$work/spark-$cores.log"; exit 1; }
  grep '^hamkor_code:' "$work/spark-$cores.log" >&2
done

echo
printf '%-22s %9s %12s %8s %s\n' run seconds documents/s MB/s "overhead against hamkor code on as many cores"
for name in "hamkor code, 1 core" "hamkor code, 2 cores" "spark local[1]" "spark local[2]"; do
  t=${took[$name]}
  case $name in
    "spark local[1]") base=${took["hamkor code, 1 core"]} ;;
    "spark local[2]") base=${took["hamkor code, 2 cores"]} ;;
    *) base= ;;
  esac
  over=""
  [ -n "$base" ] && over=$(printf '%+.0f%%' "$(calc "($t / $base - 1) * 100")")
  printf '%-22s %9.1f %12.0f %8.1f %s\n' "$name" "$t" "$(calc "$docs / $t")" "$(calc "$bytes / 1000000 / $t")" "$over"
done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB; load average $(cut -d' ' -f1-3 /proc/loadavg)"
