package dev.ordersaga.it;

import static dev.ordersaga.it.Orders.available;
import static dev.ordersaga.it.Orders.order;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.ordersaga.app.OrderSagaApplication;
import dev.ordersaga.domain.Order;
import dev.ordersaga.json.Json;
import dev.ordersaga.messaging.Command;
import dev.ordersaga.flow.CommandType;
import dev.ordersaga.testsupport.Flows;
import dev.ordersaga.messaging.MessageHeaders;
import dev.ordersaga.messaging.Reply;
import dev.ordersaga.messaging.ReplyCorrelator.DroppedReplies;

/**
 * The messaging contract under stray traffic, on the real broker: replies nobody awaits (duplicate, unknown,
 * malformed) are counted and dropped without harm; a command sent again is answered with its first reply and applies
 * nothing twice; an undo that overtakes its do is remembered and the late do refused.
 */
@ExtendWith(RunningApplication.class)
class RepliesAndCommandsTest {

    private final ApiClient api = RunningApplication.api();
    private final OrderSagaApplication app = RunningApplication.application();
    private KafkaProducer<String, String> producer;

    @BeforeEach
    void connect() {
        producer = new KafkaProducer<>(Map.of("bootstrap.servers", app.bootstrapServers()), new StringSerializer(),
                new StringSerializer());
    }

    @AfterEach
    void disconnect() {
        producer.close();
    }

    @Test
    void strayRepliesAreCountedAndDroppedAndSagasCarryOn() throws Exception {
        String orderId = api.placeOrderAndWait(order("tok_visa", "DUP-1:1:3.00")).body().get("orderId").asText();
        DroppedReplies before = app.replyCorrelator().droppedReplies();
        long malformedBefore = app.replyInbox().malformedReplies();

        String createOrderId = Flows.command("CreateOrder").correlationId(orderId);
        sendReply(new Reply(createOrderId, orderId, orderId, "CreateOrder", Reply.Outcome.FAILURE, "order-exists", "a duplicate",
                false, "order-service", Instant.now()));
        sendReply(new Reply("no-such-saga:create-order:do", "no-such-saga", "x", "CreateOrder",
                Reply.Outcome.SUCCESS, null, null, false, "order-service", Instant.now()));
        producer.send(new ProducerRecord<>("order-saga.replies", "x", "this is not JSON")).get();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            DroppedReplies now = app.replyCorrelator().droppedReplies();
            assertThat(now.duplicate()).isEqualTo(before.duplicate() + 1);
            assertThat(now.unknown()).isEqualTo(before.unknown() + 1);
            assertThat(app.replyInbox().malformedReplies()).isEqualTo(malformedBefore + 1);
        });
        assertThat(api.get("/api/orders/" + orderId).body().get("status").asText()).isEqualTo("APPROVED");
        assertThat(api.placeOrderAndWait(order("tok_visa", "DUP-1:1:3.00")).body().get("status").asText())
                .isEqualTo("APPROVED");
    }

    @Test
    void aCommandSentAgainGetsItsFirstReplyAndAppliesNothingTwice() throws Exception {
        String orderId = api.placeOrderAndWait(order("tok_visa", "DUP-1:2:3.00")).body().get("orderId").asText();
        Order order = app.orders().order(orderId).orElseThrow();
        int stockBefore = available(api, "DUP-1");
        String replyTopic = newReplyTopic();

        sendCommand(Flows.command("ReserveInventory"), orderId, order, replyTopic);

        List<Reply> replies = readReplies(replyTopic, 1);
        assertThat(replies.get(0).correlationId()).isEqualTo(Flows.command("ReserveInventory").correlationId(orderId));
        assertThat(replies.get(0).outcome()).isEqualTo(Reply.Outcome.SUCCESS);
        assertThat(available(api, "DUP-1")).isEqualTo(stockBefore);
    }

    @Test
    void anUndoThatOvertakesItsDoIsRememberedAndTheLateDoRefused() throws Exception {
        Order template = app.orders().order(
                api.placeOrderAndWait(order("tok_visa", "DUP-1:1:3.00")).body().get("orderId").asText()).orElseThrow();
        String sagaId = "commute-" + UUID.randomUUID();
        Order order = new Order(sagaId, template.customerId(), template.customerEmail(), template.currency(),
                template.items(), template.cardToken(), template.total(), template.createdAt());
        int stockBefore = available(api, "DUP-1");
        String replyTopic = newReplyTopic();

        sendCommand(Flows.command("ReleaseInventory"), sagaId, order, replyTopic);
        sendCommand(Flows.command("ReserveInventory"), sagaId, order, replyTopic);

        List<Reply> replies = readReplies(replyTopic, 2);
        assertThat(replies.get(0).commandType()).isEqualTo("ReleaseInventory");
        assertThat(replies.get(0).outcome()).isEqualTo(Reply.Outcome.SUCCESS);
        assertThat(replies.get(1).commandType()).isEqualTo("ReserveInventory");
        assertThat(replies.get(1).outcome()).isEqualTo(Reply.Outcome.FAILURE);
        assertThat(replies.get(1).reason()).isEqualTo("reserve-inventory was already compensated");
        assertThat(available(api, "DUP-1")).isEqualTo(stockBefore);
    }

    private void sendReply(Reply reply) throws Exception {
        ProducerRecord<String, String> record = new ProducerRecord<>("order-saga.replies", reply.orderId(),
                Json.writeString(reply));
        record.headers().add(MessageHeaders.CORRELATION_ID, reply.correlationId().getBytes(StandardCharsets.UTF_8));
        producer.send(record).get();
    }

    private void sendCommand(CommandType type, String sagaId, Order order, String replyTopic) throws Exception {
        Command command = Command.of(type, sagaId, order, null, Instant.now());
        ProducerRecord<String, String> record = new ProducerRecord<>(Flows.defaultCommandTopic(type.participant()),
                order.orderId(), Json.writeString(command));
        record.headers().add(MessageHeaders.SAGA_ID, sagaId.getBytes(StandardCharsets.UTF_8));
        record.headers().add(MessageHeaders.CORRELATION_ID, command.correlationId().getBytes(StandardCharsets.UTF_8));
        record.headers().add(MessageHeaders.COMMAND_TYPE, type.wireName().getBytes(StandardCharsets.UTF_8));
        record.headers().add(MessageHeaders.REPLY_TO, replyTopic.getBytes(StandardCharsets.UTF_8));
        producer.send(record).get();
    }

    private String newReplyTopic() throws Exception {
        String topic = "test-replies-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", app.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        return topic;
    }

    private List<Reply> readReplies(String topic, int count) {
        Properties props = new Properties();
        props.put("bootstrap.servers", app.bootstrapServers());
        props.put("group.id", "test-" + UUID.randomUUID());
        props.put("auto.offset.reset", "earliest");
        List<Reply> replies = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    replies.add(Json.read(record.value(), Reply.class));
                }
                return replies.size() >= count;
            });
        }
        assertThat(replies).hasSize(count);
        return replies;
    }
}
