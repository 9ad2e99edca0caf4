package dev.ordersaga.orders;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import dev.ordersaga.domain.OrderSnapshot;

/**
 * Which order holds each Idempotency-Key: the first order placed with a key holds it, on whichever replica it was
 * placed, since every replica reads the placements of one key in the same order (they share its partition).
 */
final class IdempotencyKeys {

    /** What a snapshot read from the store is to its key. */
    sealed interface Claim {
        /** The snapshot's order holds the key (it is its first order, or holds it already). */
        record Holds() implements Claim {
        }

        /** An earlier order holds the key: the snapshot's order is not taken. */
        record Refused(String holder) implements Claim {
        }

        /** The snapshot's order takes the key from {@code loser}, a bare placement that came first in a compacted log. */
        record TakesOver(String loser) implements Claim {
        }
    }

    private final Map<String, String> holders = new ConcurrentHashMap<>();

    Optional<String> holder(String key) {
        return Optional.ofNullable(holders.get(key));
    }

    boolean isKnown(String key) {
        return holders.containsKey(key);
    }

    /**
     * Decides whether {@code snapshot}'s order may hold its key. Read back from a compacted store, the holder's
     * placement may be gone and only its later snapshots left, after a competing placement that lost: an order whose
     * saga has moved on (revision above 1) then wins over a mere placement.
     *
     * @param revisionOf the revision shown for an order, if it is known
     */
    Claim claim(OrderSnapshot snapshot, Function<String, Optional<Long>> revisionOf) {
        String orderId = snapshot.order().orderId();
        String holder = holders.putIfAbsent(snapshot.idempotencyKey(), orderId);
        if (holder == null || holder.equals(orderId)) {
            return new Claim.Holds();
        }
        Optional<Long> heldRevision = revisionOf.apply(holder);
        if (heldRevision.isPresent() && !(snapshot.revision() > 1 && heldRevision.get() == 1)) {
            return new Claim.Refused(holder);
        }
        holders.put(snapshot.idempotencyKey(), orderId);
        return heldRevision.isPresent() ? new Claim.TakesOver(holder) : new Claim.Holds();
    }

    /** The order no longer holds its key (it was forgotten). */
    void release(String key, String orderId) {
        holders.remove(key, orderId);
    }
}
