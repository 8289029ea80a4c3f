//! The page: [`Map`]'s layers and labels inside the template's SVG, its data as JSON for the
//! script that moves it through time.

use serde_json::Value;

use super::Map;

const TEMPLATE: &str = include_str!("template.html");
const DATA: &str = "__BORDERLINE_DATA__";
const LAYERS: &str = "__BORDERLINE_LAYERS__";
const LABELS: &str = "__BORDERLINE_LABELS__";

impl Map<'_> {
    /// The self-contained HTML page (see the module docs).
    pub fn html(&self) -> String {
        fill(&self.layers(true), &self.label_layer(true), &self.payload())
    }
}

/// The template with its three placeholders filled. The template is cut at the placeholders
/// first, so nothing inserted is searched again. The JSON sits in a
/// `<script type="application/json">` element, so every `<` is written `\u003c` (no
/// `</script>` or `<!--` can end or change it) and U+2028/U+2029 as escapes; the SVG text is
/// XML-escaped where it is written.
fn fill(layers: &str, labels: &str, data: &Value) -> String {
    let payload = serde_json::to_string(data)
        .unwrap_or_else(|e| unreachable!("a JSON value always serialises: {e}"))
        .replace('<', "\\u003c")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029");
    let (head, rest) = split(TEMPLATE, LAYERS);
    let (middle, rest) = split(rest, LABELS);
    let (tail, end) = split(rest, DATA);
    [head, layers, middle, labels, tail, &payload, end].concat()
}

fn split<'t>(text: &'t str, token: &str) -> (&'t str, &'t str) {
    text.split_once(token)
        .unwrap_or_else(|| unreachable!("the template has {token} (a unit test checks it)"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn template_has_each_placeholder_once_in_order() {
        for token in [LAYERS, LABELS, DATA] {
            assert_eq!(TEMPLATE.matches(token).count(), 1, "{token}");
        }
        assert!(TEMPLATE.find(LAYERS) < TEMPLATE.find(LABELS));
        assert!(TEMPLATE.find(LABELS) < TEMPLATE.find(DATA));
    }

    #[test]
    fn hostile_text_cannot_leave_the_data_element() {
        let text = "</script><script>alert(1)</script> <!-- \u{2028}\u{2029} \"q\" __BORDERLINE_DATA__ __BORDERLINE_LABELS__ ü 🚧";
        let html = fill(text, text, &json!({"title": text}));
        let open = "id=\"borderline-data\">";
        let start = html.find(open).unwrap() + open.len();
        let end = start + html[start..].find("</script>").unwrap();
        let back: Value = serde_json::from_str(&html[start..end]).unwrap();
        assert_eq!(back["title"], text);
        assert!(!html[start..end].contains('\u{2028}'));
    }
}
