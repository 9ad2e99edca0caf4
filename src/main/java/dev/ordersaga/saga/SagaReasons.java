package dev.ordersaga.saga;

/**
 * Why a saga is compensated, as a stable code: what its journal record, its compensation exchanges (the
 * {@code compensation-reason} header) and its order keep. The technical cause is logged, never kept as the reason.
 */
public interface SagaReasons {

    /** The code for a saga whose step failed with this cause. */
    String failed(Throwable cause);

    /** The code for a saga that did not end before its deadline. */
    String timedOut();

    /** The cause's message as the code: for tests of the saga machinery alone. */
    SagaReasons MESSAGES = new SagaReasons() {
        @Override
        public String failed(Throwable cause) {
            return cause.getMessage();
        }

        @Override
        public String timedOut() {
            return "saga timed out";
        }
    };
}
