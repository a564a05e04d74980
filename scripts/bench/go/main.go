// go-tutorial: the Go tutorial's clients as a reference for `just bench`.
//
// It does what the tutorial's programs do, with the tutorial's libraries (streadway/amqp and
// IBM/sarama), and takes the same count, size, prefetch and ack mode as our binaries in the
// bench. It prints nothing per message; the bench measures it from outside (wall time, CPU,
// peak RSS), as it measures ours.
//
// Two departures from the tutorial, both so that the library is what gets measured:
//
//   - PublishSimple declares the queue before every message (a round trip each); here the
//     queue is declared once, as our producer does.
//
//   - The tutorial's consumer starts at OffsetNewest and never stops; here it reads from the
//     oldest offset until it has -count messages, as `kafka-consumer --from-beginning` does.
//
//     go-tutorial rabbit-publish -url URL -queue Q -count N -size S
//     go-tutorial rabbit-consume -url URL -queue Q -count N [-prefetch P] [-auto-ack]
//     go-tutorial kafka-produce  -brokers B -topic T -count N -size S [-batch 1000]
//     go-tutorial kafka-consume  -brokers B -topic T -count N
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"sync"
	"sync/atomic"

	"github.com/IBM/sarama"
	"github.com/streadway/amqp"
)

func main() {
	if len(os.Args) < 2 {
		fail("usage: go-tutorial rabbit-publish|rabbit-consume|kafka-produce|kafka-consume [flags]")
	}
	mode := os.Args[1]
	flags := flag.NewFlagSet(mode, flag.ExitOnError)
	url := flags.String("url", "amqp://guest:guest@127.0.0.1:5672/", "AMQP URL with the vhost")
	queue := flags.String("queue", "bench-go", "queue name")
	brokers := flags.String("brokers", "127.0.0.1:9092", "Kafka bootstrap server")
	topic := flags.String("topic", "bench-go", "Kafka topic")
	count := flags.Int("count", 100000, "messages to send or receive")
	size := flags.Int("size", 200, "bytes per message")
	prefetch := flags.Int("prefetch", 1000, "unacknowledged messages the broker may push")
	autoAck := flags.Bool("auto-ack", false, "the tutorial's autoAck: true")
	batch := flags.Int("batch", 1000, "messages per SendMessages call")
	_ = flags.Parse(os.Args[2:])

	switch mode {
	case "rabbit-publish":
		rabbitPublish(*url, *queue, *count, *size)
	case "rabbit-consume":
		rabbitConsume(*url, *queue, *count, *prefetch, *autoAck)
	case "kafka-produce":
		kafkaProduce(*brokers, *topic, *count, *size, *batch)
	case "kafka-consume":
		kafkaConsume(*brokers, *topic, *count)
	default:
		fail("unknown mode " + mode)
	}
}

func fail(text string) {
	fmt.Fprintln(os.Stderr, "error:", text)
	os.Exit(1)
}

func check(err error, doing string) {
	if err != nil {
		fail(doing + ": " + err.Error())
	}
}

func payload(i, size int) []byte {
	body := []byte(fmt.Sprintf("hello %d ", i))
	if len(body) < size {
		body = append(body, bytes.Repeat([]byte{'.'}, size-len(body))...)
	}
	return body
}

// The tutorial's NewRabbitMQSimple: one connection, one channel.
func rabbit(url, queue string) (*amqp.Connection, *amqp.Channel) {
	conn, err := amqp.Dial(url)
	check(err, "connecting to RabbitMQ")
	ch, err := conn.Channel()
	check(err, "opening a channel")
	// The tutorial declares (queue, false, false, false, false, nil): not durable and not
	// exclusive, which RabbitMQ 4.3 refuses by default. Durable here, as in our chapters, so
	// that both clients write to the same kind of queue.
	_, err = ch.QueueDeclare(queue, true, false, false, false, nil)
	check(err, "declaring the queue")
	return conn, ch
}

// The tutorial's PublishSimple, count times.
func rabbitPublish(url, queue string, count, size int) {
	conn, ch := rabbit(url, queue)
	for i := 0; i < count; i++ {
		err := ch.Publish("", queue, false, false, amqp.Publishing{
			ContentType: "text/plain",
			Body:        payload(i, size),
		})
		check(err, "publishing")
	}
	check(ch.Close(), "closing the channel")
	check(conn.Close(), "closing the connection")
}

// The tutorial's ConsumeSimple (auto-ack), or with manual acks and a prefetch as ours does.
func rabbitConsume(url, queue string, count, prefetch int, autoAck bool) {
	conn, ch := rabbit(url, queue)
	if !autoAck {
		check(ch.Qos(prefetch, 0, false), "setting the prefetch")
	}
	msgs, err := ch.Consume(queue, "", autoAck, false, false, false, nil)
	check(err, "consuming")
	fmt.Println(" [*] Waiting for messages. To exit press CTRL+C")
	received := 0
	for d := range msgs {
		if !autoAck {
			check(d.Ack(false), "acknowledging")
		}
		received++
		if received == count {
			break
		}
	}
	if received < count {
		fail(fmt.Sprintf("the delivery channel closed after %d messages", received))
	}
	check(ch.Close(), "closing the channel")
	check(conn.Close(), "closing the connection")
}

// The tutorial's producer.go: a SyncProducer, acks from all replicas, random partitions,
// with SendMessages batches so that it is compared with `kafka-producer --batch`.
func kafkaProduce(brokers, topic string, count, size, batch int) {
	config := sarama.NewConfig()
	config.Producer.RequiredAcks = sarama.WaitForAll
	config.Producer.Partitioner = sarama.NewRandomPartitioner
	config.Producer.Return.Successes = true
	client, err := sarama.NewSyncProducer([]string{brokers}, config)
	check(err, "connecting to Kafka")
	for sent := 0; sent < count; {
		n := batch
		if count-sent < n {
			n = count - sent
		}
		msgs := make([]*sarama.ProducerMessage, n)
		for j := range msgs {
			msgs[j] = &sarama.ProducerMessage{Topic: topic, Value: sarama.ByteEncoder(payload(sent+j, size))}
		}
		check(client.SendMessages(msgs), "producing")
		sent += n
	}
	check(client.Close(), "closing the producer")
}

// The tutorial's consumer.go: one partition consumer per partition (by id, not by index),
// here from the oldest offset, until count messages have arrived.
func kafkaConsume(brokers, topic string, count int) {
	consumer, err := sarama.NewConsumer([]string{brokers}, nil)
	check(err, "connecting to Kafka")
	partitions, err := consumer.Partitions(topic)
	check(err, "listing the partitions")
	var received atomic.Int64
	done := make(chan struct{})
	var once sync.Once
	var pcs []sarama.PartitionConsumer
	for _, partition := range partitions {
		pc, err := consumer.ConsumePartition(topic, partition, sarama.OffsetOldest)
		check(err, "consuming a partition")
		pcs = append(pcs, pc)
		go func(pc sarama.PartitionConsumer) {
			for range pc.Messages() {
				if received.Add(1) == int64(count) {
					once.Do(func() { close(done) })
				}
			}
		}(pc)
	}
	<-done
	for _, pc := range pcs {
		pc.AsyncClose()
	}
	check(consumer.Close(), "closing the consumer")
}
