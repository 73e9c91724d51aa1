//! `hamkor code` and `hamkor translit` through the real binary: the spec's lines in and out,
//! malformed input reported by line while the rest is coded, and very large documents.

use std::io::Write;
use std::process::{Command, Stdio};

fn hamkor(args: &[&str], stdin: &[u8]) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hamkor"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run hamkor");
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn bad_lines_are_named_and_the_others_are_coded_in_order() {
    let mut input = Vec::new();
    input.extend_from_slice(br#"{"id":"a","text":"Uzbekistan and Kazakhstan signed an agreement on water in Tashkent on 5 May 2024.","lang":"en"}"#);
    input.extend_from_slice(b"\n{not json\n");
    input.extend_from_slice(br#"{"id":"no-text","lang":"ru"}"#);
    input.extend_from_slice(b"\n");
    input.extend_from_slice(b"{\"id\":\"bad-utf8\",\"text\":\"\xff\xfe\"}\n");
    input.extend_from_slice(br#"{"id":"bad-date","text":"x","date":"yesterday"}"#);
    input.extend_from_slice(b"\n\n");
    input.extend_from_slice(r#"{"id":"b","text":"Ўзбекистон Қирғизистонга инсонпарварлик ёрдами жўнатди.","lang":"uz"}"#.as_bytes());
    input.extend_from_slice(b"\n");
    let (code, out, err) = hamkor(&["code", "--format", "jsonl"], &input);
    assert_eq!(code, 1, "some lines were bad: exit 1\n{err}");
    for line in ["<stdin>:2: bad JSON", "<stdin>:3: bad input object", "<stdin>:4: not valid UTF-8", "<stdin>:5: bad input object"] {
        assert!(err.contains(line), "stderr should say {line:?}:\n{err}");
    }
    let ids: Vec<String> = out.lines().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(ids, ["a", "no-text", "bad-date", "b"], "good lines in input order, bad ones with an id kept in place");
    let first: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    let ev = &first["events"][0];
    assert_eq!(ev["type"], "agreement");
    assert_eq!(ev["actors"], serde_json::json!(["KAZ", "UZB"]));
    assert_eq!(ev["date"], "2024-05-05");
    let last: serde_json::Value = serde_json::from_str(out.lines().last().unwrap()).unwrap();
    assert_eq!(last["events"][0]["type"], "aid");
}

#[test]
fn evidence_offsets_are_bytes_of_the_original_text() {
    let text = "Oʻzbekiston va Qozogʻiston prezidentlari 2024-yil 5-may kuni Toshkentda muzokaralar oʻtkazdilar.";
    let line = serde_json::json!({"id": "x", "text": text, "lang": "uz"}).to_string() + "\n";
    let (code, out, _) = hamkor(&["code", "--minimal"], line.as_bytes());
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    let ev = &v["events"][0];
    let (s, e) = (ev["evidence"]["start"].as_u64().unwrap() as usize, ev["evidence"]["end"].as_u64().unwrap() as usize);
    assert_eq!(&text[s..e], text, "the evidence is the whole sentence, by byte offsets");
    assert!(ev.get("confidence").is_none(), "--minimal writes only the spec's fields");
}

#[test]
fn a_100_mb_document_is_coded_without_failing() {
    let sentence = "Uzbekistan sent humanitarian aid to Kyrgyzstan after the floods on 5 May 2024. ";
    let mut text = String::with_capacity(100 * 1024 * 1024 + sentence.len());
    while text.len() < 100 * 1024 * 1024 {
        text.push_str(sentence);
    }
    let mut line = serde_json::json!({"id": "huge", "text": text, "lang": "en"}).to_string();
    drop(text);
    line.push('\n');
    line.push_str(r#"{"id":"after","text":"Kazakhstan and Tajikistan held talks in Astana on 2 June 2024.","lang":"en"}"#);
    line.push('\n');
    let (code, out, err) = hamkor(&["code"], line.as_bytes());
    assert_eq!(code, 0, "{err}");
    let lines: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["id"], "huge");
    assert_eq!(lines[0]["events"].as_array().unwrap().len(), 1, "one happening reported a million times is one event");
    assert_eq!(lines[1]["events"][0]["type"], "meeting");
}

#[test]
fn translit_both_ways_line_by_line() {
    let (code, out, _) = hamkor(&["translit", "--to", "latn"], "Ўзбекистон Республикаси\nЦирк ва федерация\nШАҲАР\n".as_bytes());
    assert_eq!(code, 0);
    assert_eq!(out, "Oʻzbekiston Respublikasi\nSirk va federatsiya\nSHAHAR\n");
    let (_, out, _) = hamkor(&["translit", "--to", "latn", "--alphabet", "2026"], "Тошкент шаҳри\nO'zbekiston\n".as_bytes());
    assert_eq!(out, "Toşkent şahri\nÖzbekiston\n");
    let (_, out, _) = hamkor(&["translit", "--to", "cyrl"], "yoʻl\nelchi\nYevropa\n".as_bytes());
    assert_eq!(out, "йўл\nэлчи\nЕвропа\n");
}
