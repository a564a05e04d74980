//! The learner's language: the class tools (`just check`, `hint`, `watch`, `progress`, `quiz`)
//! speak Chinese to a Chinese learner and English otherwise. Their messages are in
//! `locales/class.yml`, through `rust-i18n`; the hints come from the book of the same language.

/// `zh` when `MQ_LANG` (in `.env` or the environment) says so, or when it is unset and the
/// locale is Chinese (`LC_ALL`, `LC_MESSAGES`, `LANG`: the first one set, as the C library
/// reads them); `en` otherwise.
pub fn language() -> &'static str {
    let set = |key: &str| std::env::var(key).ok().filter(|v| !v.trim().is_empty());
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"].into_iter().find_map(set);
    language_of(set("MQ_LANG").as_deref(), locale.as_deref())
}

/// The language for an `MQ_LANG` and a locale, either unset.
fn language_of(mq_lang: Option<&str>, locale: Option<&str>) -> &'static str {
    match mq_lang.or(locale) {
        Some(value) if value.trim().to_ascii_lowercase().starts_with("zh") => "zh",
        _ => "en",
    }
}

/// Sets the language of this process's messages; every class tool calls it first.
pub fn init() {
    rust_i18n::set_locale(language());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// MQ_LANG first, then the locale; only Chinese gives Chinese.
    #[test]
    fn the_language_follows_mq_lang_then_the_locale() {
        assert_eq!(language_of(None, Some("zh_CN.UTF-8")), "zh");
        assert_eq!(language_of(None, Some("C.UTF-8")), "en");
        assert_eq!(language_of(Some("zh"), Some("C.UTF-8")), "zh");
        assert_eq!(language_of(Some("en"), Some("zh_TW.UTF-8")), "en");
        assert_eq!(language_of(None, None), "en");
    }
}
