//! Who is running this, for classes on one shared broker: `STUDENT`, or the login name. The
//! exercises and their checker put it in front of every queue, exchange, topic and group they
//! use, so that 30 students on one broker never share a name.

/// The student's name: `STUDENT`, else the login name (`USER`, `LOGNAME`), else `student`;
/// reduced to letters, digits, `-` and `_`, which every broker accepts in a name.
pub fn student() -> String {
    let raw = ["STUDENT", "USER", "LOGNAME"]
        .iter()
        .find_map(|key| std::env::var(key).ok().filter(|v| !v.trim().is_empty()))
        .unwrap_or_else(|| "student".to_owned());
    let name: String = raw
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .take(40)
        .collect();
    name
}

/// The student's name for the class tools: as [`student`], but a `STUDENT` that is not a usable
/// name already is an error to fix, not a name to change silently (in a class, the board takes
/// a result only if it names the student's RabbitMQ user, which `STUDENT` must then be).
pub fn checked() -> Result<String, String> {
    let name = student();
    match std::env::var("STUDENT") {
        Ok(raw) if !raw.trim().is_empty() && raw != name => Err(format!(
            "STUDENT='{raw}' is not a usable name: letters, digits, - and _ only, at most 40 \
             (for example '{name}'); fix it in .env"
        )),
        _ => Ok(name),
    }
}

/// `name`, prefixed with the student's name: `alice-hello`.
pub fn prefixed(name: &str) -> String {
    format!("{}-{name}", student())
}
