//! The Markdown tables of the reliability settings (`sweep.rs`) and of the streams comparison
//! (`streams.rs`).

use serde_json::Value;

use super::{Rows, grouped};

impl Rows {
    /// The price of each guarantee: throughput, and latency at a fixed rate.
    pub(super) fn markdown_settings(&self) -> String {
        let mut lines = vec![
            "Each reliability setting, as taught: throughput of a producer and a consumer together, and end-to-end latency at a fixed rate:".to_owned(),
            String::new(),
            "| Setting | Broker | msg/s | Latency at msg/s | p50 ms | p99 ms | max ms | PerfTest p50 ms | PerfTest p99 ms |".to_owned(),
            "|---|---|---:|---:|---:|---:|---:|---:|---:|".to_owned(),
        ];
        for r in &self.settings {
            let ms = |v: &Value| v.as_f64().map_or("-".to_owned(), |x| format!("{x:.2}"));
            let latency = &r["latency"];
            let perf = &r["perf_test_latency"];
            lines.push(format!(
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                r["setting"].as_str().unwrap_or(""),
                r["broker"].as_str().unwrap_or(""),
                grouped(r["msg_per_s"].as_u64().unwrap_or(0)),
                grouped(latency["msg_per_s"].as_u64().unwrap_or(0)),
                ms(&latency["p50_ms"]),
                ms(&latency["p99_ms"]),
                ms(&latency["max_ms"]),
                ms(&perf["p50_ms"]),
                ms(&perf["p99_ms"]),
            ));
        }
        lines.join("\n")
    }
}

impl Rows {
    /// Streams beside queues and Kafka: the same messages written, then read.
    pub(super) fn markdown_streams(&self) -> String {
        let mut lines = vec![
            "Streams beside queues and Kafka, the same messages written then read:".to_owned(),
            String::new(),
            "| Subject | Tool | Messages | publish msg/s | consume msg/s |".to_owned(),
            "|---|---|---:|---:|---:|".to_owned(),
        ];
        for r in &self.streams {
            lines.push(format!(
                "| {} | {} | {} | {} | {} |",
                r["subject"].as_str().unwrap_or(""),
                r["tool"].as_str().unwrap_or(""),
                grouped(r["messages"].as_u64().unwrap_or(0)),
                grouped(r["publish_msg_per_s"].as_u64().unwrap_or(0)),
                grouped(r["consume_msg_per_s"].as_u64().unwrap_or(0)),
            ));
        }
        let publish = |subject: &str| {
            self.streams
                .iter()
                .find(|r| r["subject"] == subject)
                .and_then(|r| r["publish_msg_per_s"].as_f64())
        };
        if let (Some(ours), Some(amqp)) = (
            publish("RabbitMQ stream"),
            publish("RabbitMQ stream over AMQP"),
        ) {
            lines.push(String::new());
            lines.push(format!(
                "The stream client publishes {:.1}x as fast as PerfTest over AMQP, to the same stream.",
                ours / amqp.max(1.0)
            ));
        }
        lines.join("\n")
    }
}
