//! Date expressions in a sentence: absolute (7 июля 2022 г., 2022-yil 7-iyul, 2022 жылғы 7 шілде,
//! 15 марти соли 2018, 2001-nji ýylyň 15-nji iýunynda, July 7, 2022, 07.07.2022, 2022-07-07),
//! partial (в марте 2021 года, in 2018), ranges (January 26-27, 23-27-декабрда: the month, as the annotation rules date them),
//! and relative ones (yesterday, this year, on Monday) resolved against the publication date.

use hamkor_lexicon::{Hit, Lexicon, Meaning, Token};
use hamkor_model::{PartialDate, Span};
use hamkor_text::Folded;

/// A date as the text gives it, before the year is known for "21 July".
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Written {
    /// Year, month and day as far as given; `year` may be missing ("21 июля").
    Absolute { year: Option<i32>, month: Option<u8>, day: Option<u8> },
    RelativeDay(i32),
    /// Days from the date the narrative is at ("a day earlier", "накануне").
    RelativeToPrevious(i32),
    RelativeYear(i32),
    Weekday(u8),
}

#[derive(Debug, Clone, Copy)]
pub struct DateMention {
    pub written: Written,
    /// Token index where the expression is anchored (the month, the year or the word).
    pub token: usize,
    /// Token range `[first, last]` the expression covers.
    pub first: usize,
    pub last: usize,
    pub span: Span,
}

fn number(folded: &Folded, t: &Token) -> Option<u32> {
    if !t.is_number || t.end - t.start > 4 {
        return None;
    }
    folded.text[t.start..t.end].parse().ok()
}

fn is_year(n: u32, t: &Token) -> bool {
    t.end - t.start == 4 && (1950..=2060).contains(&n)
}

/// Words that sit between a number and a month or a year without changing it: ordinal endings
/// split off by a hyphen (15-nji, 7-chi), "year" words (2022-yil, 2022 жылғы, соли, г., года).
fn is_filler(folded: &Folded, t: &Token) -> bool {
    matches!(
        &folded.text[t.start..t.end],
        "nji" | "njy" | "inji" | "ynjy" | "unjy" | "ünji" | "chi" | "nchi" | "inchi" | "ши" | "шы" | "чи" | "нчи" | "инчи" | "йил" | "yil" | "yilda" | "йилда" | "жылы" | "жылгы" | "жылдын"
            | "жылдың" | "жылдан" | "ж" | "г" | "года" | "год" | "году" | "гг" | "y" | "соли" | "сол" | "ylyn" | "yylyn" | "yyl" | "of" | "th" | "st" | "nd" | "rd" | "the"
            | "кун" | "куни" | "kuni" | "-" | "уми" | "юми" | "ум" | "юм"
    )
}

/// Find the date expressions of one sentence.
pub fn find(lex: &Lexicon, folded: &Folded, tokens: &[Token], hits: &[Hit]) -> Vec<DateMention> {
    let mut out = Vec::new();
    let mut used = vec![false; tokens.len()];
    let span_of = |a: usize, b: usize| folded.original_span(tokens[a].start, tokens[b].end);

    // Numeric dates: 07.07.2022, 2022-07-07.
    for i in 0..tokens.len().saturating_sub(2) {
        let (a, b, c) = (&tokens[i], &tokens[i + 1], &tokens[i + 2]);
        let (Some(x), Some(y), Some(z)) = (number(folded, a), number(folded, b), number(folded, c)) else { continue };
        let sep1 = &folded.text[a.end..b.start];
        let sep2 = &folded.text[b.end..c.start];
        if sep1 != sep2 || !(sep1 == "." || sep1 == "-" || sep1 == "/") {
            continue;
        }
        let date = if is_year(x, a) { PartialDate::day(x as i32, y as u8, z as u8) } else if is_year(z, c) { PartialDate::day(z as i32, y as u8, x as u8) } else { None };
        if let Some(d) = date {
            out.push(DateMention {
                written: Written::Absolute { year: Some(d.year), month: d.month, day: d.day },
                token: i,
                first: i,
                last: i + 2,
                span: span_of(i, i + 2),
            });
            used[i] = true;
            used[i + 1] = true;
            used[i + 2] = true;
        }
    }

    // Found on the first month that needs them: most sentences have no month.
    let mut day_words: Option<Vec<(u8, usize, usize)>> = None;
    let day_words_of = |hits: &[Hit]| -> Vec<(u8, usize, usize)> {
        hits.iter()
            .filter_map(|h| match lex.term(h.term).meaning {
                Meaning::DayWord(n) => Some((n, h.first, h.last)),
                _ => None,
            })
            .collect()
    };
    for h in hits {
        let meaning = &lex.term(h.term).meaning;
        match *meaning {
            Meaning::Month(m) => {
                if used[h.first] {
                    continue;
                }
                let (mut first, mut last) = (h.first, h.last);
                let mut day = None;
                let mut year = None;
                let mut range = false;
                // Day before the month, skipping ordinal endings and a range's first half (23-27-декабрда).
                let mut k = h.first;
                let mut steps = 0;
                while k > 0 && steps < 4 {
                    k -= 1;
                    steps += 1;
                    let t = &tokens[k];
                    // "пятого апреля", "панҷуми апрели": the day as an ordinal word.
                    let words = day_words.get_or_insert_with(|| day_words_of(hits));
                    if let Some((n, from)) = words.iter().find(|&&(_, _, last)| last == k).map(|&(n, f, _)| (n, f)) {
                        day = Some(n);
                        first = from;
                        break;
                    }
                    if let Some(n) = number(folded, t) {
                        if (1..=31).contains(&n) && !is_year(n, t) {
                            day = Some(n as u8);
                            first = k;
                            // A range "26-27": keep going back to its first day.
                            if k >= 1 {
                                if let Some(p) = number(folded, &tokens[k - 1]) {
                                    let sep = &folded.text[tokens[k - 1].end..t.start];
                                    if (1..=31).contains(&p) && (sep == "-" || sep == " - " || sep == " -") {
                                        day = Some(p as u8);
                                        first = k - 1;
                                        range = true;
                                    }
                                }
                            }
                            break;
                        }
                        break;
                    } else if !is_filler(folded, t) {
                        break;
                    }
                }
                // Day after the month (July 7; August 17-18) or a year (May 2023; марти соли 2018).
                let mut k = h.last + 1;
                let mut steps = 0;
                while k < tokens.len() && steps < 4 {
                    let t = &tokens[k];
                    if let Some(n) = number(folded, t) {
                        if is_year(n, t) {
                            year = Some(n as i32);
                            last = k;
                            break;
                        } else if day.is_none() && (1..=31).contains(&n) && steps == 0 {
                            day = Some(n as u8);
                            last = k;
                        } else if day.is_some() && (1..=31).contains(&n) {
                            range = true;
                        } else {
                            break;
                        }
                    } else if !is_filler(folded, t) {
                        break;
                    }
                    k += 1;
                    steps += 1;
                }
                // Year before the day: 2022 жылғы 7 шілде, 2022-yil 7-iyul, 2001-nji ýylyň 15-nji iýunynda.
                if year.is_none() {
                    let mut k = first;
                    let mut steps = 0;
                    while k > 0 && steps < 5 {
                        k -= 1;
                        steps += 1;
                        let t = &tokens[k];
                        if let Some(n) = number(folded, t) {
                            if is_year(n, t) {
                                year = Some(n as i32);
                                first = k;
                            }
                            break;
                        } else if !is_filler(folded, t) {
                            break;
                        }
                    }
                }
                // A month name needs a number next to it, or it is a word like "may" or "марш".
                if day.is_none() && year.is_none() && !month_alone_ok(folded, tokens, h) {
                    continue;
                }
                for u in used.iter_mut().take(last + 1).skip(first) {
                    *u = true;
                }
                // A range of days ("25-26 September", «23-27-декабрда») dates what it spans to its
                // month, as the annotation rules do: no one day of it is the date.
                let day = if range { None } else { day };
                out.push(DateMention { written: Written::Absolute { year, month: Some(m), day }, token: h.first, first, last, span: span_of(first, last) });
            }
            Meaning::RelativeDay(d) => out.push(DateMention { written: Written::RelativeDay(d), token: h.first, first: h.first, last: h.last, span: h.span }),
            Meaning::RelativeToPrevious(d) => {
                out.push(DateMention { written: Written::RelativeToPrevious(d), token: h.first, first: h.first, last: h.last, span: h.span })
            }
            Meaning::RelativeYear(d) => out.push(DateMention { written: Written::RelativeYear(d), token: h.first, first: h.first, last: h.last, span: h.span }),
            // "20 лет назад", "20 years ago", "20 yil oldin": the number before the words.
            Meaning::YearsAgo => {
                let Some(k) = h.first.checked_sub(1) else { continue };
                let Some(n) = number(folded, &tokens[k]).filter(|&n| (1..=200).contains(&n) && !used[k]) else { continue };
                used[k] = true;
                out.push(DateMention { written: Written::RelativeYear(-(n as i32)), token: k, first: k, last: h.last, span: span_of(k, h.last) });
            }
            Meaning::Weekday(d) => out.push(DateMention { written: Written::Weekday(d), token: h.first, first: h.first, last: h.last, span: h.span }),
            _ => {}
        }
    }

    // Bare years: "in 2018", "2013 йилда", "1993-жылы". A range of years ("2024–2034 йилларга
    // мўлжалланган", "периода 2020–2021 годов") is a period something covers, not the date it
    // happened: neither end counts.
    let year_at = |i: usize| -> Option<u32> { tokens.get(i).and_then(|t| number(folded, t).filter(|&n| is_year(n, t))) };
    let dash_between = |a: usize, b: usize| folded.text[tokens[a].end..tokens[b].start].trim() == "-";
    for (i, t) in tokens.iter().enumerate() {
        if used[i] {
            continue;
        }
        let Some(n) = year_at(i) else { continue };
        let after = &folded.text[t.end..];
        let before = &folded.text[..t.start];
        let money_or_share = after.starts_with('%') || after.starts_with(" %") || before.ends_with('$') || after.starts_with(",")
            && after[1..].starts_with(|c: char| c.is_ascii_digit());
        // "for 2018-19", "на 2024–26 годы": a year with a two-digit second half is a period too.
        let short_end = tokens.get(i + 1).is_some_and(|n| dash_between(i, i + 1) && n.end - n.start == 2 && number(folded, n).is_some());
        let in_range = (i > 0 && year_at(i - 1).is_some() && dash_between(i - 1, i)) || (year_at(i + 1).is_some() && dash_between(i, i + 1)) || short_end;
        // "1,000 tonnes of flour, 200 pyrometers and 2000 test kits": a number among counted
        // things, with a word after it that is no year word, is a quantity.
        let counted_next = tokens.get(i + 1).is_some_and(|n| {
            let w = &folded.text[n.start..n.end];
            w.starts_with(char::is_alphabetic) && !is_filler(folded, n) && folded.text[t.end..n.start].trim().is_empty()
        });
        let quantities_before = (i.saturating_sub(5)..i).any(|k| number(folded, &tokens[k]).is_some_and(|n| !is_year(n, &tokens[k]) && !used[k]));
        let quantity = counted_next && quantities_before;
        if !money_or_share && !in_range && !quantity {
            out.push(DateMention { written: Written::Absolute { year: Some(n as i32), month: None, day: None }, token: i, first: i, last: i, span: span_of(i, i) });
        }
    }
    out.sort_by_key(|m| m.token);
    out
}

/// "в августе", "in August", "iyulda": a month named on its own, with a preposition or a
/// locative ending, is a date; "may" or "март" in other roles are not.
fn month_alone_ok(folded: &Folded, tokens: &[Token], h: &Hit) -> bool {
    let word = &folded.text[tokens[h.first].start..tokens[h.last].end];
    // "май ойида", "iyul oyida", "шілде айында": a month word followed by the word "month".
    if let Some(next) = tokens.get(h.last + 1) {
        let next = &folded.text[next.start..next.end];
        if ["ой", "oy", "ай", "ay", "ayy", "ayi"].iter().any(|m| next.starts_with(m)) && next.chars().count() <= 7 {
            return true;
        }
    }
    if word == "may" || word == "мая" || word == "май" || word == "mart" {
        return false;
    }
    if h.first == 0 {
        return word.chars().count() > 3;
    }
    let prev = &folded.text[tokens[h.first - 1].start..tokens[h.first - 1].end];
    // Tajik "моҳи апрел" (the month of April).
    if prev == "мохи" {
        return true;
    }
    matches!(prev, "in" | "в" | "во" | "of" | "since" | "until" | "by" | "from" | "early" | "late" | "mid" | "с" | "до" | "к" | "конце" | "начале" | "середине")
        || ["da", "de", "да", "де", "та", "те", "nda", "inda", "ynda", "ында", "инде", "ида", "ыда", "ида", "е"].iter().any(|s| word.ends_with(s))
}

/// Resolve a mention to a date. `doc_date` is the publication date; `year_hint` the most recent
/// explicit year in the same or an earlier sentence, used when the text gives "21 July" without a
/// year and there is no publication date.
pub fn resolve(w: Written, doc_date: Option<PartialDate>, year_hint: Option<i32>) -> Option<PartialDate> {
    match w {
        Written::Absolute { year, month, day } => {
            let year = match year {
                Some(y) => y,
                None => {
                    // A day and month without a year belong to the publication year, or to the
                    // year before when that would put them more than a few days in the future.
                    if let Some(doc) = doc_date {
                        let mut y = doc.year;
                        if let (Some(m), Some(dm)) = (month, doc.month) {
                            let candidate = PartialDate { year: y, month: Some(m), day: day.or(Some(1)) };
                            let doc_full = PartialDate { year: doc.year, month: Some(dm), day: doc.day.or(Some(28)) };
                            if candidate.to_days() > doc_full.to_days() + 3 && year_hint.is_none_or(|h| h != doc.year) {
                                y -= 1;
                            }
                        }
                        y
                    } else {
                        year_hint?
                    }
                }
            };
            match (month, day) {
                (Some(m), Some(d)) => PartialDate::day(year, m, d).or(Some(PartialDate::month(year, m))),
                (Some(m), None) => Some(PartialDate::month(year, m)),
                _ => Some(PartialDate::year(year)),
            }
        }
        Written::RelativeDay(offset) => {
            let doc = doc_date?;
            doc.day?;
            Some(PartialDate::from_days(doc.to_days() + offset as i64))
        }
        Written::RelativeYear(offset) => Some(PartialDate::year(doc_date?.year + offset)),
        // Resolved by the coder against the narrative's date, not here.
        Written::RelativeToPrevious(_) => None,
        Written::Weekday(wd) => {
            let doc = doc_date?;
            doc.day?;
            // The most recent such weekday on or before the publication date.
            let today = doc.weekday() as i64 + 1;
            let back = (today - wd as i64).rem_euclid(7);
            Some(PartialDate::from_days(doc.to_days() - back))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates(text: &str, doc: Option<&str>) -> Vec<String> {
        let lex = Lexicon::embedded();
        let folded = hamkor_text::fold(text);
        let tokens = lex.tokens(&folded);
        let hits = lex.hits(&folded, text, &tokens);
        let doc = doc.map(|d| d.parse().unwrap());
        find(&lex, &folded, &tokens, &hits)
            .into_iter()
            .filter_map(|m| resolve(m.written, doc, None))
            .map(|d| d.to_string())
            .collect()
    }

    #[test]
    fn dates_in_every_language() {
        assert_eq!(dates("7 июля 2022 г. в Чолпон-Ате", None), vec!["2022-07-07"]);
        assert_eq!(dates("2022-yil 7-iyul kuni", None), vec!["2022-07-07"]);
        assert_eq!(dates("2022 жылғы 7 шілде", None), vec!["2022-07-07"]);
        assert_eq!(dates("15 марти соли 2018", None), vec!["2018-03-15"]);
        assert_eq!(dates("2001-nji ýylyň 15-nji iýunynda", None), vec!["2001-06-15"]);
        assert_eq!(dates("On July 7, 2022 the leaders met", None), vec!["2022-07-07"]);
        assert_eq!(dates("ДУШАНБЕ, 05.01.2021 /НИАТ", None), vec!["2021-01-05"]);
        // A range of days is dated to its month (eval/NOTES: "ranges (17–18 Aug) → month").
        assert_eq!(dates("2024-жылдын 16-17-сентябрында", None), vec!["2024-09"]);
        assert_eq!(dates("held on January 26-27, 2023", None), vec!["2023-01"]);
        assert_eq!(dates("прошла 25–26 сентября 2025 года", None), vec!["2025-09"]);
        assert_eq!(dates("2025-nji ýylyň 25-26-njy sentýabrynda", None), vec!["2025-09"]);
        assert_eq!(dates("в марте 2021 года", None), vec!["2021-03"]);
        assert_eq!(dates("launched in 2018 in Astana", None), vec!["2018"]);
        assert_eq!(dates("16-iyul kuni", Some("2024-07-20")), vec!["2024-07-16"]);
        assert_eq!(dates("23-27-декабрда", Some("2023-12-27")), vec!["2023-12"]);
    }

    #[test]
    fn relative_dates_resolve_against_the_publication_date() {
        assert_eq!(dates("Yesterday a plane landed", Some("2020-07-23")), vec!["2020-07-22"]);
        assert_eq!(dates("On Monday a team arrived", Some("2020-04-21")), vec!["2020-04-20"]);
        assert_eq!(dates("бүгін", Some("2024-05-02")), vec!["2024-05-02"]);
        assert_eq!(dates("Last year a branch opened", Some("2023-02-07")), vec!["2022"]);
        assert_eq!(dates("Dushanbe and Tashkent", Some("2023-02-07")), Vec::<String>::new());
    }

    #[test]
    fn numbers_that_are_not_dates() {
        assert_eq!(dates("1,000 tons of flour and 2,500 masks", None), Vec::<String>::new());
        assert_eq!(dates("may be signed", Some("2023-01-01")), Vec::<String>::new());
    }

    #[test]
    fn a_date_in_the_future_without_a_year_is_last_year() {
        assert_eq!(dates("on 20 December", Some("2024-01-10")), vec!["2023-12-20"]);
        assert_eq!(dates("on 9 January", Some("2024-01-10")), vec!["2024-01-09"]);
    }
}
