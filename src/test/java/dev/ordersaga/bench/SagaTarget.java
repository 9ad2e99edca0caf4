package dev.ordersaga.bench;

/**
 * What the open-loop driver runs sagas against: the orchestrator over HTTP, or the raw Kafka floor. {@link #start}
 * is called on the driver's one thread at each scheduled send time and must not block; the saga reports its end
 * once, from any thread.
 */
interface SagaTarget extends AutoCloseable {

    /** How the saga ended: {@link #ok()} when it ended as it should (APPROVED), {@link #failed} with a short kind. */
    interface Outcome {
        void ok();

        void failed(String kind);
    }

    String name();

    void start(Outcome outcome);

    @Override
    void close() throws Exception;
}
