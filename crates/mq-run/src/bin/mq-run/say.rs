//! The runner's own lines: a bold `==>` for a step, four spaces for a detail (as the scripts
//! print them).

pub fn step(text: &str) {
    println!("\x1b[1m==>\x1b[0m {text}");
}

pub fn info(text: &str) {
    println!("    {text}");
}

/// The learner's language, as the class tools choose it (crates/mq-class/src/lang.rs): zh when
/// MQ_LANG (in the environment, or in .env) says so, or when it is unset and the locale
/// (LC_ALL, LC_MESSAGES, LANG: the first set) is Chinese; en otherwise.
pub fn chinese() -> bool {
    let from_env_file = || mq_run::settings_file(".env").ok()?.get("MQ_LANG").cloned();
    std::env::var("MQ_LANG")
        .ok()
        .filter(|v| !v.is_empty())
        .or_else(from_env_file)
        .into_iter()
        .chain(
            ["LC_ALL", "LC_MESSAGES", "LANG"]
                .iter()
                .filter_map(|name| std::env::var(name).ok()),
        )
        .find(|v| !v.is_empty())
        .is_some_and(|v| v.to_lowercase().starts_with("zh"))
}
