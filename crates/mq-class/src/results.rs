//! A check's result, as the class board receives it: one persistent JSON message per
//! `just check` of a student's code, published to the exchange `class-results` of the
//! teacher's vhost. Only a student of a class publishes: the class `.env` that
//! `just class-setup` writes names that vhost in `CLASS_RESULTS_URL`; without it, nothing is
//! sent.
//!
//! Every student may write to that exchange, so the body's `student` field alone proves
//! nothing. Each result carries the AMQP `user_id` property, set to the RabbitMQ user of the
//! connection: the broker refuses a message whose `user_id` is not the user that logged in,
//! and the board takes a result only when `user_id` is there and the body names that user.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context as _, bail};
use lapin::options::{BasicPublishOptions, ConfirmSelectOptions};
use lapin::{BasicProperties, Confirmation};
use mq_common::config::RabbitArgs;
use mq_common::rabbit::RabbitMQ;
use serde::{Deserialize, Serialize};

/// The exchange students publish to (write-only for them) and the stream that keeps it all.
pub const EXCHANGE: &str = "class-results";
pub const STREAM: &str = "class-results";

/// One check of one student's exercise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckResult {
    /// Unique per check (student and time): a board that reads the stream again after a
    /// reconnection counts each check once.
    pub id: String,
    pub student: String,
    pub exercise: String,
    pub passed: bool,
    /// What failed, in order.
    pub failed: Vec<String>,
    /// When, in seconds since 1970.
    pub at: u64,
}

impl CheckResult {
    pub fn new(student: &str, exercise: &str, failed: Vec<String>) -> Self {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        Self {
            id: format!("{student}-{exercise}-{}", now.as_nanos()),
            student: student.to_owned(),
            exercise: exercise.to_owned(),
            passed: failed.is_empty(),
            failed,
            at: now.as_secs(),
        }
    }
}

/// Where this student's results go: `CLASS_RESULTS_URL`, set only by a class `.env`.
pub fn destination() -> Option<String> {
    std::env::var("CLASS_RESULTS_URL")
        .ok()
        .filter(|url| !url.trim().is_empty())
}

/// How often a result the broker returned is sent again (a second apart): right after a broker
/// restart, the stream may not take messages yet.
const ATTEMPTS: u32 = 5;

/// The RabbitMQ user that `url` logs in as: what a result's `user_id` must say.
pub fn user_of(url: &str) -> anyhow::Result<String> {
    let uri: lapin::uri::AMQPUri = url
        .parse()
        .map_err(|reason| anyhow::anyhow!("CLASS_RESULTS_URL is not an AMQP URL: {reason}"))?;
    Ok(uri.authority.userinfo.username)
}

/// Whether the board may believe a result: the broker checked its `user_id` against the
/// connection's user, and the body must name that same user.
pub fn vouched_for(result: &CheckResult, user_id: Option<&str>) -> bool {
    user_id == Some(result.student.as_str())
}

/// Publishes one result to the class board's exchange and waits for the broker's confirm.
pub fn publish(url: &str, result: &CheckResult) -> anyhow::Result<()> {
    let body = serde_json::to_vec(result).context("encoding the result")?;
    let user = user_of(url)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting Tokio")?;
    runtime.block_on(async {
        let args = RabbitArgs {
            amqp_url: Some(url.to_owned()),
        };
        let rabbitmq = RabbitMQ::open(&args, "class result").await?;
        let channel = rabbitmq.channel();
        channel
            .confirm_select(ConfirmSelectOptions::default())
            .await
            .context("turning on confirms")?;
        let mut answer = None;
        for attempt in 1..=ATTEMPTS {
            let confirm = channel
                .basic_publish(
                    EXCHANGE.into(),
                    "".into(),
                    BasicPublishOptions {
                        mandatory: true,
                        ..BasicPublishOptions::default()
                    },
                    &body,
                    // ANCHOR: user_id
                    // The broker checks this against the user that logged in.
                    BasicProperties::default()
                        .with_delivery_mode(2)
                        .with_content_type("application/json".into())
                        .with_user_id(user.as_str().into()),
                    // ANCHOR_END: user_id
                )
                .await
                .context("publishing the result")?
                .await
                .context("waiting for the confirm")?;
            if matches!(confirm, Confirmation::Ack(None)) {
                answer = None;
                break;
            }
            answer = Some(confirm);
            if attempt < ATTEMPTS {
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
        rabbitmq.close().await?;
        match answer {
            None => Ok(()),
            Some(Confirmation::Ack(Some(_))) => bail!(
                "the broker returned it {ATTEMPTS} times: no stream takes '{EXCHANGE}' \
                 (`just class-setup` makes it)"
            ),
            Some(other) => bail!("the broker did not take the result: {other:?}"),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The board believes a result only when the broker-checked user and the body agree.
    #[test]
    fn only_a_user_id_that_matches_the_body_vouches_for_it() {
        let result = CheckResult::new("hoa", "topic", Vec::new());
        assert!(vouched_for(&result, Some("hoa")));
        assert!(!vouched_for(&result, Some("mallo")));
        assert!(!vouched_for(&result, None));
    }

    #[test]
    fn the_user_comes_from_the_url() {
        let user = user_of("amqp://mallo:secret@127.0.0.1:5672/class-board").expect("a URL");
        assert_eq!(user, "mallo");
        assert!(user_of("not a url").is_err());
    }
}
