//! The lines the chapters' binaries print and the tools wait for: the runner (`mq-run`), the
//! exercise checker, the bench and the tests. The binaries print them through these constants
//! and the tools match them through the same constants, so the two cannot drift apart.
//!
//! A line starts with one of these and goes on with its details, for example
//! `" [x] Received hello 0 (routing key ziyiSimple)"`.

/// A consumer is subscribed: what it prints before the first delivery can arrive.
pub const WAITING: &str = " [*] Waiting for messages";
/// A consumer got a message (RabbitMQ queues and streams).
pub const RECEIVED: &str = " [x] Received";
/// A producer sent a message.
pub const SENT: &str = " [x] Sent";
/// The RPC server is subscribed to its request queue.
pub const AWAITING_RPC: &str = " [x] Awaiting RPC requests";
/// A reply the RPC client matched to its request, or an answer the server computed.
pub const FIB_REPLY: &str = " [.] fib";
/// A Kafka group member was given partitions by the group coordinator.
pub const ASSIGNED: &str = " [rebalance] assigned";
/// A Kafka group member gave partitions back.
pub const REVOKED: &str = " [rebalance] revoked";
/// A Kafka consumer got a message: `Partition:P Offset:O Key:K Value:V`.
pub const KAFKA_MESSAGE: &str = "Partition:";

/// A Kafka consumer (`kafka-consumer`) prints the partitions it reads, `[0, 1, 2]`, once it has
/// them: that line is its [`WAITING`].
pub fn is_kafka_assignment(line: &str) -> bool {
    line.starts_with('[')
}

/// A line that reports one message received, on either broker.
pub fn is_message(line: &str) -> bool {
    line.starts_with(RECEIVED) || line.starts_with(KAFKA_MESSAGE)
}

/// A consumer's "I am ready" line: [`WAITING`] (RabbitMQ) or its partitions (Kafka).
pub fn is_ready(line: &str) -> bool {
    line.starts_with(WAITING) || is_kafka_assignment(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_and_readiness_are_recognised() {
        assert!(is_message(" [x] Received hello 0 (routing key ziyiSimple)"));
        assert!(is_message("Partition:2 Offset:0 Key: Value:x"));
        assert!(!is_message(" [x] Sent 'hello 0'"));
        assert!(is_ready(" [*] Waiting for messages. To exit press CTRL+C"));
        assert!(is_ready("[0, 2]"));
        assert!(!is_ready(" [x] Received [0]"));
    }
}
