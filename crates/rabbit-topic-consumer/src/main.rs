//! # rabbit-topic-consumer: topic mode, the receiving side (tutorial 1.3②, 5. topic)
//!
//! Teaches: binding patterns. A routing key is a list of words separated by dots; in a binding
//! key, `*` matches **exactly one** word and `#` matches **zero or more** words.
//!
//! (The tutorial's text in 1.1② and its consumer's comment say the opposite, "`*` is many
//! words, `#` is one"; its helper's comment has it right.)
//!
//! | binding key       | `imooc.topic88.three` | `imooc.three` | `imooc` |
//! |-------------------|-----------------------|---------------|---------|
//! | `#`               | yes                   | yes           | yes     |
//! | `imooc.#`         | yes                   | yes           | yes     |
//! | `imooc.*.three`   | yes                   | no            | no      |
//! | `imooc.*`         | no                    | yes           | no      |
//!
//! Run it (or everything at once with `just rabbit-topic`):
//! ```text
//! cargo run -p rabbit-topic-consumer -- --binding-key '#'              # terminal 1
//! cargo run -p rabbit-topic-consumer -- --binding-key 'imooc.*.three'  # terminal 2
//! cargo run -p rabbit-topic-producer                                   # terminal 3
//! ```
//!
//! Output in terminal 2 (only the `three`s):
//! ```text
//!  [*] Waiting for messages. To exit press CTRL+C
//!  [x] Received hello imooc.topic88.three!0 (routing key imooc.topic88.three)
//! ```

use std::process::ExitCode;

use clap::Parser;
use mq_common::config::{RabbitArgs, parse_amqp_name, parse_binding_key};
use mq_common::rabbit::{ConsumeOptions, ConsumerArgs, Mode, RabbitMQ, names};

/// Topic: receive the messages whose routing key matches a binding pattern.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// The topic exchange to bind to.
    #[arg(long, default_value = names::TOPIC_EXCHANGE, value_parser = parse_amqp_name)]
    exchange: String,
    /// Binding pattern (`*` = exactly one word, `#` = zero or more); repeat to bind several.
    #[arg(long = "binding-key", value_name = "PATTERN", value_parser = parse_binding_key,
          default_value = "imooc.topic88.three")]
    binding_keys: Vec<String>,
    #[command(flatten)]
    consumer: ConsumerArgs,
    #[command(flatten)]
    rabbit: RabbitArgs,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Args = mq_common::cli::init();
    mq_common::cli::exit(run(args).await)
}

async fn run(args: Args) -> anyhow::Result<()> {
    // ANCHOR: main
    let rabbitmq = RabbitMQ::recovering(&args.rabbit, Mode::Topic, &args.exchange).await?;
    rabbitmq
        .consume(
            &args.binding_keys,
            &ConsumeOptions::from_args(&args.consumer),
        )
        .await?;
    // ANCHOR_END: main
    Ok(())
}
