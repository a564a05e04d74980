//! Message bodies are bytes, not text: print them without trusting them.

use std::borrow::Cow;

/// A message body made safe for a terminal: invalid UTF-8 becomes `�`, and control characters
/// (an escape sequence could repaint the learner's screen) are shown escaped, e.g. `\u{1b}`.
pub(crate) fn printable(body: &[u8]) -> Cow<'_, str> {
    let text = String::from_utf8_lossy(body);
    if text.chars().any(char::is_control) {
        Cow::Owned(
            text.chars()
                .map(|c| {
                    if c.is_control() {
                        c.escape_default().to_string()
                    } else {
                        c.to_string()
                    }
                })
                .collect(),
        )
    } else {
        text
    }
}

/// At most this many characters of a body are printed; longer bodies (`--size`) are cut.
const PREVIEW_CHARS: usize = 80;

/// [`printable`], cut to [`PREVIEW_CHARS`] characters with the full size noted.
pub fn preview(body: &[u8]) -> Cow<'_, str> {
    let text = printable(body);
    match text.char_indices().nth(PREVIEW_CHARS) {
        Some((cut, _)) => Cow::Owned(format!("{}… ({} bytes)", &text[..cut], body.len())),
        None => text,
    }
}

/// Builds a message body from a template: `{i}` becomes the message number, `{key}` the
/// routing key, and `{now}` the time it is built, in microseconds since 1970 (`just bench`
/// measures latency with it); then the body is padded with `.` to `size` bytes (`--size`).
pub fn body(template: &str, i: u64, key: &str, size: Option<usize>) -> Vec<u8> {
    let mut text = template.replace("{i}", &i.to_string());
    if text.contains("{now}") {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |t| t.as_micros());
        text = text.replace("{now}", &now.to_string());
    }
    let mut body = text.replace("{key}", key).into_bytes();
    if let Some(size) = size {
        body.resize(size.max(body.len()), b'.');
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_passes_through_unchanged() {
        assert_eq!(printable("hello 0 订阅模式".as_bytes()), "hello 0 订阅模式");
    }

    #[test]
    fn invalid_utf8_and_control_characters_are_made_safe() {
        assert_eq!(printable(b"ok\xff\x1b[2J"), "ok\u{fffd}\\u{1b}[2J");
    }

    #[test]
    fn long_bodies_are_cut_in_previews() {
        assert_eq!(preview(b"short"), "short");
        let long = body("x", 0, "", Some(1000));
        assert_eq!(preview(&long), format!("x{}… (1000 bytes)", ".".repeat(79)));
    }

    #[test]
    fn body_fills_template_and_pads() {
        assert_eq!(body("hello {i}", 3, "k", None), b"hello 3");
        assert_eq!(body("{key}!{i}", 1, "imooc_one", None), b"imooc_one!1");
        assert_eq!(body("ab", 0, "", Some(5)), b"ab...");
        // --size never truncates: a body longer than --size stays whole.
        assert_eq!(body("abcdef", 0, "", Some(2)), b"abcdef");
    }

    #[test]
    fn now_is_the_time_in_microseconds() {
        let text = String::from_utf8(body("t={now} {i}", 7, "", None)).expect("text");
        let (now, rest) = text["t=".len()..].split_once(' ').expect("two words");
        let now: u128 = now.parse().expect("a number");
        // After 2020-01-01 and no later than now.
        assert!(now > 1_577_836_800_000_000, "{text}");
        assert_eq!(rest, "7");
    }
}
