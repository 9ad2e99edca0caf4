package dev.ordersaga.unit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.SagaPropagation;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.ordersaga.flow.FlowVersion;
import dev.ordersaga.messaging.MessageHeaders;
import dev.ordersaga.saga.FinalizeRetryPolicy;
import dev.ordersaga.saga.OrderSagaService;
import dev.ordersaga.saga.SagaOptions;
import dev.ordersaga.saga.SagaOwnership;
import dev.ordersaga.saga.SagaReasons;
import dev.ordersaga.saga.SagaTraces;
import dev.ordersaga.saga.SagaListener.SagaOutcome;
import dev.ordersaga.saga.SagaRecord;
import dev.ordersaga.saga.SagaRecord.EnlistedStep;
import dev.ordersaga.saga.SagaRecord.SagaState;
import dev.ordersaga.testsupport.InMemorySagaJournal;

/**
 * The saga service behind the Saga EIP, on direct: routes: completion and compensation, their order, their retries,
 * the saga timeout, and that an ended saga leaves memory.
 */
class OrderSagaServiceTest extends CamelTestSupport {

    private static final int MAX_ATTEMPTS = 4;

    private final Map<String, SagaOutcome> outcomes = new ConcurrentHashMap<>();
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<String> unknown = new CopyOnWriteArrayList<>();
    private final AtomicInteger undoAFailuresLeft = new AtomicInteger();
    private final InMemorySagaJournal journal = new InMemorySagaJournal();
    private final SagaOwnership ownership = new SagaOwnership(1);
    private OrderSagaService sagas;

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        sagas = new OrderSagaService(MessageHeaders.ORDER_ID,
                new FinalizeRetryPolicy(MAX_ATTEMPTS, Duration.ofMillis(10), Duration.ofMillis(40)),
                journal, ownership, Runnable::run, (sagaId, outcome, took) -> outcomes.put(sagaId, outcome),
                SagaReasons.MESSAGES, SagaTraces.disabled(), Clock.systemUTC());
        context.addService(sagas);
        return context;
    }

    @BeforeEach
    void reset() {
        ownership.assign(List.of(0));
        calls.clear();
        unknown.clear();
        outcomes.clear();
        undoAFailuresLeft.set(0);
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(noErrorHandler());

                from("direct:saga").routeId("saga")
                    .saga().propagation(SagaPropagation.REQUIRES_NEW).timeout(Duration.ofSeconds(10))
                        .option(MessageHeaders.ORDER_ID, header(MessageHeaders.ORDER_ID))
                        .completion("direct:on-complete")
                        .compensation("direct:on-compensate")
                    .choice().when(header("failFirst").isEqualTo(true))
                        .throwException(new IllegalStateException("step a not reached"))
                    .end()
                    .to("direct:step-a")
                    .to("direct:step-b")
                    .choice().when(header("fail").isEqualTo(true))
                        .throwException(new IllegalStateException("step c refused"))
                    .end()
                    .choice().when(header("linger").isEqualTo(true))
                        .delay(2000)
                    .end();

                from("direct:short-saga").routeId("short-saga")
                    .saga().propagation(SagaPropagation.REQUIRES_NEW).timeout(Duration.ofMillis(300))
                        .option(MessageHeaders.ORDER_ID, header(MessageHeaders.ORDER_ID))
                        .compensation("direct:on-compensate")
                    .to("direct:step-a")
                    .delay(2000);

                from("direct:step-a").saga().propagation(SagaPropagation.MANDATORY).compensation("direct:undo-a")
                    .option(MessageHeaders.ORDER_ID, header(MessageHeaders.ORDER_ID))
                    .option("step", constant("a"))
                    .process(e -> calls.add("do-a"));
                from("direct:step-b").saga().propagation(SagaPropagation.MANDATORY).compensation("direct:undo-b")
                    .process(e -> calls.add("do-b"));

                from("direct:parallel-saga").routeId("parallel-saga")
                    .saga().propagation(SagaPropagation.REQUIRES_NEW).timeout(Duration.ofSeconds(10))
                        .option(MessageHeaders.ORDER_ID, header(MessageHeaders.ORDER_ID))
                        .completion("direct:on-complete")
                        .compensation("direct:on-compensate")
                    .to("direct:step-a")
                    .multicast().parallelProcessing().to("direct:step-c", "direct:step-d").end()
                    .choice().when(header("fail").isEqualTo(true))
                        .throwException(new IllegalStateException("step e refused"))
                    .end();
                parallelStep("c");
                parallelStep("d");

                from("direct:undo-a").process(this::undoA);
                from("direct:undo-b").process(e -> calls.add("undo-b"));
                from("direct:on-complete").process(e -> calls.add("complete:" + headerOf(e, Exchange.SAGA_LONG_RUNNING_ACTION)));
                from("direct:on-compensate").process(
                        e -> calls.add("compensate:" + headerOf(e, MessageHeaders.COMPENSATION_REASON)));
            }

            /** A step of the group c-and-d: notes how many steps the journal held when it ran. */
            private void parallelStep(String name) {
                from("direct:step-" + name).saga().propagation(SagaPropagation.MANDATORY)
                    .compensation("direct:undo-" + name)
                    .option(MessageHeaders.ORDER_ID, header(MessageHeaders.ORDER_ID))
                    .option(SagaOptions.PARALLEL_GROUP, constant(new SagaOptions.ParallelGroup("c-and-d", 2)))
                    .process(e -> calls.add("do-" + name + " after a record of "
                            + lastRecordOf(headerOf(e, MessageHeaders.ORDER_ID)).steps().size() + " steps"));
                from("direct:undo-" + name).process(e -> calls.add("undo-" + name));
            }

            private void undoA(Exchange exchange) {
                calls.add("undo-a:" + headerOf(exchange, MessageHeaders.ORDER_ID) + ":" + headerOf(exchange, "step"));
                if (undoAFailuresLeft.getAndDecrement() > 0) {
                    throw new IllegalStateException("participant away");
                }
            }
        };
    }

    @Test
    void aSagaThatSucceedsRunsItsCompletionAndLeavesMemory() {
        template.sendBodyAndHeader("direct:saga", "order", MessageHeaders.ORDER_ID, "order-1");

        assertThat(calls).containsExactly("do-a", "do-b", "complete:order-1");
        assertThat(outcomes).containsEntry("order-1", SagaOutcome.COMPLETED);
        assertThat(sagas.runningCount()).isZero();
    }

    @Test
    void aFailedSagaCompensatesEveryDoneStepInReverseOrder() {
        Exchange result = template.send("direct:saga", e -> {
            e.getMessage().setHeader(MessageHeaders.ORDER_ID, "order-2");
            e.getMessage().setHeader("fail", true);
        });

        assertThat(result.getException()).hasMessage("step c refused");
        assertThat(calls).containsExactly("do-a", "do-b", "undo-b", "undo-a:order-2:a", "compensate:step c refused");
        assertThat(outcomes).containsEntry("order-2", SagaOutcome.COMPENSATED);
        assertThat(sagas.runningCount()).isZero();
    }

    @Test
    void aCompensationThatFailsIsRetriedUntilItSucceeds() {
        undoAFailuresLeft.set(2);

        template.send("direct:saga", e -> {
            e.getMessage().setHeader(MessageHeaders.ORDER_ID, "order-3");
            e.getMessage().setHeader("fail", true);
        });

        assertThat(calls).containsExactly("do-a", "do-b", "undo-b", "undo-a:order-3:a", "undo-a:order-3:a",
                "undo-a:order-3:a", "compensate:step c refused");
        assertThat(outcomes).containsEntry("order-3", SagaOutcome.COMPENSATED);
    }

    @Test
    void aCompensationThatNeverSucceedsEndsCompensationFailedButTheOthersStillRun() {
        undoAFailuresLeft.set(Integer.MAX_VALUE);

        template.send("direct:saga", e -> {
            e.getMessage().setHeader(MessageHeaders.ORDER_ID, "order-4");
            e.getMessage().setHeader("fail", true);
        });

        assertThat(calls.stream().filter(c -> c.startsWith("undo-a"))).hasSize(MAX_ATTEMPTS);
        assertThat(calls).contains("undo-b", "compensate:step c refused");
        assertThat(outcomes).containsEntry("order-4", SagaOutcome.COMPENSATION_FAILED);
        assertThat(sagas.runningCount()).isZero();
    }

    @Test
    void aSagaThatOutlivesItsTimeoutIsCompensated() {
        template.asyncSend("direct:short-saga", e -> e.getMessage().setHeader(MessageHeaders.ORDER_ID, "order-5"));

        await().atMost(Duration.ofSeconds(5)).until(() -> outcomes.containsKey("order-5"));
        assertThat(outcomes).containsEntry("order-5", SagaOutcome.COMPENSATED);
        assertThat(calls).containsExactly("do-a", "undo-a:order-5:a", "compensate:saga timed out");
        assertThat(sagas.runningCount()).isZero();
    }

    @Test
    void aSecondSagaWithTheSameIdIsRefusedWhileTheFirstRuns() {
        template.asyncSend("direct:saga", e -> {
            e.getMessage().setHeader(MessageHeaders.ORDER_ID, "order-6");
            e.getMessage().setHeader("linger", true);
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> sagas.runningCount() == 1);

        Exchange second = template.send("direct:saga", e -> e.getMessage().setHeader(MessageHeaders.ORDER_ID, "order-6"));

        assertThat(second.getException()).hasMessageContaining("already running");
    }

    @Test
    void aSagaWhosePartitionGoesToAnotherReplicaStopsHereWithoutAnotherCallOrWrite() {
        CompletableFuture<Exchange> run = template.asyncSend("direct:saga", e -> {
            e.getMessage().setHeader(MessageHeaders.ORDER_ID, "order-13");
            e.getMessage().setHeader("linger", true);
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> calls.contains("do-b"));
        int recordsWritten = journal.history("order-13").size();

        ownership.revoke(List.of(0));
        assertThat(sagas.release(Set.of(0))).isEqualTo(1);
        run.join();

        assertThat(calls).containsExactly("do-a", "do-b");
        assertThat(outcomes).doesNotContainKey("order-13");
        assertThat(journal.history("order-13")).hasSize(recordsWritten);
        assertThat(journal.readAll().get("order-13").state()).isEqualTo(SagaState.RUNNING);
        assertThat(sagas.runningCount()).isZero();
    }

    @Test
    void everyStepIsJournalledBeforeItRunsAndAnEndedSagaIsForgotten() {
        template.sendBodyAndHeader("direct:saga", "order", MessageHeaders.ORDER_ID, "order-7");

        List<SagaRecord> history = journal.history("order-7");
        assertThat(history).extracting(SagaRecord::state)
                .containsExactly(SagaState.RUNNING, SagaState.RUNNING, SagaState.COMPLETING);
        assertThat(history.get(0).steps()).as("the saga's own step is written with the first step that sends")
                .extracting(EnlistedStep::compensationUri).containsExactly("direct://on-compensate", "direct://undo-a");
        assertThat(history.get(1).steps()).extracting(EnlistedStep::compensationUri)
                .containsExactly("direct://on-compensate", "direct://undo-a", "direct://undo-b");
        assertThat(history.get(1).steps().get(1).options()).containsEntry(MessageHeaders.ORDER_ID, "order-7");
        assertThat(journal.readAll()).doesNotContainKey("order-7");
    }

    @Test
    void aCompensationFailedSagaIsKeptInTheJournalAndCanBeRetried() {
        undoAFailuresLeft.set(Integer.MAX_VALUE);
        template.send("direct:saga", e -> {
            e.getMessage().setHeader(MessageHeaders.ORDER_ID, "order-8");
            e.getMessage().setHeader("fail", true);
        });
        assertThat(journal.readAll().get("order-8").state()).isEqualTo(SagaState.COMPENSATION_FAILED);
        assertThat(sagas.failedSagas()).containsKey("order-8");

        undoAFailuresLeft.set(0);
        calls.clear();
        sagas.retry("order-8", "action-1").orElseThrow().join();

        assertThat(calls).containsExactly("undo-b", "undo-a:order-8:a", "compensate:step c refused");
        assertThat(outcomes).containsEntry("order-8", SagaOutcome.COMPENSATED);
        assertThat(journal.readAll()).doesNotContainKey("order-8");
        assertThat(sagas.failedSagas()).isEmpty();
        assertThat(sagas.retry("order-8", "action-2")).isEmpty();
    }

    @Test
    void aRetryIsRecordedUnderItsOperatorActionAndThatActionIsNeverCarriedOutTwice() {
        undoAFailuresLeft.set(Integer.MAX_VALUE);
        template.send("direct:saga", e -> {
            e.getMessage().setHeader(MessageHeaders.ORDER_ID, "order-30");
            e.getMessage().setHeader("fail", true);
        });
        calls.clear();

        // the retry fails again: the saga is COMPENSATION_FAILED once more, and its record names the action
        sagas.retry("order-30", "action-1").orElseThrow().join();
        SagaRecord failedAgain = journal.readAll().get("order-30");
        assertThat(failedAgain.state()).isEqualTo(SagaState.COMPENSATION_FAILED);
        assertThat(failedAgain.operatorActions()).containsExactly("action-1");
        assertThat(journal.history("order-30")).filteredOn(r -> r.state() == SagaState.COMPENSATING).last()
                .extracting(SagaRecord::operatorActions).as("the write that starts the retry names it")
                .isEqualTo(List.of("action-1"));
        assertThat(sagas.hasCarriedOut("order-30", "action-1")).isTrue();

        // the same action read again (after a restart, or by the partition's next owner) does nothing
        int callsBefore = calls.size();
        assertThat(sagas.retry("order-30", "action-1")).isEmpty();
        assertThat(calls).hasSize(callsBefore);
        assertThat(sagas.failedSagas()).containsKey("order-30");

        // a new action retries again, and the record keeps both
        undoAFailuresLeft.set(0);
        sagas.retry("order-30", "action-2").orElseThrow().join();
        assertThat(outcomes).containsEntry("order-30", SagaOutcome.COMPENSATED);
        assertThat(journal.readAll()).doesNotContainKey("order-30");
    }

    @Test
    void recoveryFinishesASagaTheJournalShowsCompensating() {
        journal.write(new SagaRecord("order-9", null, SagaState.COMPENSATING, "hold-payment timed out", List.of(
                new EnlistedStep("direct://on-compensate", "direct://on-complete", Map.of()),
                new EnlistedStep("direct://undo-a", null, Map.of(MessageHeaders.ORDER_ID, "order-9", "step", "a")),
                new EnlistedStep("direct://undo-b", null, Map.of())), Instant.now(), List.of())).join();
        List<String> runAgain = new CopyOnWriteArrayList<>();

        sagas.recover(Set.of(0), flow -> true, runAgain::add, (sagaId, flow) -> unknown.add(sagaId));

        await().atMost(Duration.ofSeconds(5)).until(() -> outcomes.containsKey("order-9"));
        assertThat(calls).containsExactly("undo-b", "undo-a:order-9:a", "compensate:hold-payment timed out");
        assertThat(outcomes).containsEntry("order-9", SagaOutcome.COMPENSATED);
        assertThat(runAgain).isEmpty();
        assertThat(journal.readAll()).doesNotContainKey("order-9");
    }

    @Test
    void recoveryLeavesAloneASagaOfAFlowVersionThisReplicaDoesNotKnow() {
        FlowVersion newer = new FlowVersion("order-saga", 7);
        journal.write(new SagaRecord("order-20", newer, SagaState.COMPENSATING, "hold-payment timed out", List.of(
                new EnlistedStep("direct://on-compensate", "direct://on-complete", Map.of()),
                new EnlistedStep("direct://undo-a", null, Map.of(MessageHeaders.ORDER_ID, "order-20", "step", "a"))),
                Instant.now(), List.of())).join();
        journal.write(new SagaRecord("order-21", newer, SagaState.RUNNING, null, List.of(), Instant.now(), List.of())).join();
        List<String> runAgain = new CopyOnWriteArrayList<>();

        Map<String, SagaRecord> found = sagas.recover(Set.of(0), flow -> !flow.equals(newer), runAgain::add,
                (sagaId, flow) -> unknown.add(sagaId + "@" + flow.version()));

        assertThat(found).containsKeys("order-20", "order-21");
        assertThat(unknown).containsExactlyInAnyOrder("order-20@7", "order-21@7");
        assertThat(runAgain).isEmpty();
        assertThat(calls).isEmpty();
        assertThat(sagas.isRunning("order-20")).isFalse();
        assertThat(journal.readAll()).containsKeys("order-20", "order-21");
    }

    @Test
    void recoveryRunsAgainASagaTheJournalShowsRunning() {
        journal.write(new SagaRecord("order-10", null, SagaState.RUNNING, null, List.of(
                new EnlistedStep("direct://on-compensate", "direct://on-complete",
                        Map.of(MessageHeaders.ORDER_ID, "order-10"))), Instant.now(), List.of())).join();
        List<String> runAgain = new CopyOnWriteArrayList<>();

        sagas.recover(Set.of(0), flow -> true, runAgain::add, (sagaId, flow) -> unknown.add(sagaId));
        runAgain.forEach(id -> template.sendBodyAndHeader("direct:saga", "order", MessageHeaders.ORDER_ID, id));

        assertThat(runAgain).containsExactly("order-10");
        assertThat(calls).containsExactly("do-a", "do-b", "complete:order-10");
        assertThat(outcomes).containsEntry("order-10", SagaOutcome.COMPLETED);
    }

    @Test
    void aSagaRunAgainAfterACrashStillCompensatesTheStepsItsEarlierRunDidOnce() {
        journal.write(new SagaRecord("order-11", null, SagaState.RUNNING, null, List.of(
                new EnlistedStep("direct://on-compensate", "direct://on-complete",
                        Map.of(MessageHeaders.ORDER_ID, "order-11")),
                new EnlistedStep("direct://undo-a", null, Map.of(MessageHeaders.ORDER_ID, "order-11", "step", "a")),
                new EnlistedStep("direct://undo-b", null, Map.of())), Instant.now(), List.of())).join();
        List<String> runAgain = new CopyOnWriteArrayList<>();
        sagas.recover(Set.of(0), flow -> true, runAgain::add, (sagaId, flow) -> unknown.add(sagaId));

        template.send("direct:saga", e -> {
            e.getMessage().setHeader(MessageHeaders.ORDER_ID, "order-11");
            e.getMessage().setHeader("failFirst", true);
        });

        assertThat(calls).containsExactly("undo-b", "undo-a:order-11:a", "compensate:step a not reached");
    }

    @Test
    void aSagaRunAgainEnlistsTheStepsItMeetsAgainOnlyOnce() {
        journal.write(new SagaRecord("order-12", null, SagaState.RUNNING, null, List.of(
                new EnlistedStep("direct://on-compensate", "direct://on-complete",
                        Map.of(MessageHeaders.ORDER_ID, "order-12")),
                new EnlistedStep("direct://undo-a", null, Map.of(MessageHeaders.ORDER_ID, "order-12", "step", "a"))),
                Instant.now(), List.of())).join();
        sagas.recover(Set.of(0), flow -> true, id -> { }, (sagaId, flow) -> unknown.add(sagaId));

        template.send("direct:saga", e -> {
            e.getMessage().setHeader(MessageHeaders.ORDER_ID, "order-12");
            e.getMessage().setHeader("fail", true);
        });

        assertThat(calls).containsExactly("do-a", "do-b", "undo-b", "undo-a:order-12:a", "compensate:step c refused");
    }

    @Test
    void theStepsOfAParallelGroupAreJournalledAsOneRecordBeforeEitherRuns() {
        template.sendBodyAndHeader("direct:parallel-saga", "order", MessageHeaders.ORDER_ID, "order-40");

        List<SagaRecord> history = journal.history("order-40");
        assertThat(history).extracting(SagaRecord::state)
                .containsExactly(SagaState.RUNNING, SagaState.RUNNING, SagaState.COMPLETING);
        SagaRecord groupRecord = history.get(1);
        assertThat(groupRecord.steps()).extracting(EnlistedStep::compensationUri).containsExactlyInAnyOrder(
                "direct://on-compensate", "direct://undo-a", "direct://undo-c", "direct://undo-d");
        assertThat(groupRecord.steps()).as("the group is not journalled")
                .allSatisfy(step -> assertThat(step.options()).doesNotContainKey(SagaOptions.PARALLEL_GROUP));
        assertThat(calls).containsExactlyInAnyOrder("do-a", "do-c after a record of 4 steps",
                "do-d after a record of 4 steps", "complete:order-40");
        assertThat(outcomes).containsEntry("order-40", SagaOutcome.COMPLETED);
    }

    @Test
    void aFailedSagaCompensatesBothStepsOfItsParallelGroup() {
        template.send("direct:parallel-saga", e -> {
            e.getMessage().setHeader(MessageHeaders.ORDER_ID, "order-41");
            e.getMessage().setHeader("fail", true);
        });

        assertThat(calls.subList(3, 5)).containsExactlyInAnyOrder("undo-c", "undo-d");
        assertThat(calls.subList(5, calls.size())).containsExactly("undo-a:order-41:a", "compensate:step e refused");
        assertThat(outcomes).containsEntry("order-41", SagaOutcome.COMPENSATED);
    }

    private SagaRecord lastRecordOf(String sagaId) {
        List<SagaRecord> history = journal.history(sagaId);
        return history.get(history.size() - 1);
    }

    private static String headerOf(Exchange exchange, String name) {
        return exchange.getMessage().getHeader(name, String.class);
    }
}
