//! A tiny SVG writer: escaping, fixed-precision numbers, and the shared style sheet.

/// Numbers in coordinates: two decimals, no "-0".
pub fn fmt(v: f64) -> String {
    let s = format!("{:.2}", if v.is_finite() { v } else { 0.0 });
    let s = s.trim_end_matches('0').trim_end_matches('.').to_string();
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

/// Numbers shown to a reader: integers without decimals, others with one or two.
pub fn num(v: f64) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    if (v - v.round()).abs() < 1e-9 {
        return fmt(v.round());
    }
    if v.abs() >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

pub fn attr(s: &str) -> String {
    escape(s)
}

const STYLE: &str = "text{font-family:'DejaVu Sans',Arial,Helvetica,sans-serif;fill:#222222}\
.title{font-size:14px;font-weight:bold}.label{font-size:11px}.bold{font-weight:bold}\
.value{font-size:10px}.small{font-size:9px;fill:#555555}.edge{fill:#333333}";

pub struct Svg {
    out: String,
}

impl Svg {
    pub fn new(id: &str, width: f64, height: f64, title: &str) -> Svg {
        let mut out = String::new();
        out.push_str(&format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"hamkor-chart\" id=\"{}\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" role=\"img\" aria-label=\"{}\">",
            attr(id),
            fmt(width),
            fmt(height),
            fmt(width),
            fmt(height),
            attr(title)
        ));
        out.push_str(&format!("<title>{}</title><style>{STYLE}</style>", escape(title)));
        out.push_str(&format!(
            "<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>",
            fmt(width),
            fmt(height)
        ));
        Svg { out }
    }
    pub fn raw(&mut self, s: &str) {
        self.out.push_str(s);
    }
    pub fn text(&mut self, x: f64, y: f64, class: &str, s: &str) {
        self.out.push_str(&format!("<text x=\"{}\" y=\"{}\" class=\"{class}\">{}</text>", fmt(x), fmt(y), escape(s)));
    }
    pub fn text_anchor(&mut self, x: f64, y: f64, class: &str, anchor: &str, s: &str) {
        self.out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" class=\"{class}\" text-anchor=\"{anchor}\">{}</text>",
            fmt(x),
            fmt(y),
            escape(s)
        ));
    }
    /// `body`, wrapped in a link when there is one.
    pub fn linked(&mut self, href: Option<&str>, body: &str) {
        match href {
            Some(h) => self.out.push_str(&format!("<a href=\"{}\">{body}</a>", attr(h))),
            None => self.out.push_str(body),
        }
    }
    pub fn finish(mut self) -> String {
        self.out.push_str("</svg>");
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_stable() {
        assert_eq!(fmt(-0.001), "0");
        assert_eq!(fmt(12.5), "12.5");
        assert_eq!(fmt(3.0), "3");
        assert_eq!(num(4.0), "4");
        assert_eq!(num(0.256), "0.26");
        assert_eq!(num(12.34), "12.3");
        assert_eq!(escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }
}
