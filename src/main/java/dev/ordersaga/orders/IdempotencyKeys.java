package dev.ordersaga.orders;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

import dev.ordersaga.domain.OrderSnapshot;
import dev.ordersaga.domain.OrderStatus;
import dev.ordersaga.domain.RejectionReason;

/**
 * Which order holds each Idempotency-Key, for {@code api.idempotency-key.retention} (24 h) from the moment that order
 * was placed, however many orders pass meanwhile. The first order placed with a key holds it, on whichever replica it
 * was placed, since every replica reads the placements of one key in the same order (they share its partition).
 * <p>
 * While its order is in memory (unfinished, or among the newest {@code orders.retained-ended} ended ones), a key
 * costs one map entry pointing at it. Once the order leaves that retention and its key still has time left, the key
 * keeps only what answers a repeat of the request ({@link Remembered}: the request's hash, the outcome); the order's
 * record stays in the order store until the key's time is up, so that a restart remembers the key too.
 * About 400 bytes per remembered key with a UUID as key (map entry, key, order id, hash, time, expiry queue entry),
 * up to about 650 with a key of 255 characters: a million keys placed in 24 h take about 400 MB.
 * <p>
 * Whether a key has expired is decided from the times in the records (when its holder and a competing placement were
 * placed), not by each replica's clock, so that every replica, and a replica reading the store again after a
 * restart, decides alike; only answering the API's lookups and forgetting expired keys use the clock.
 */
final class IdempotencyKeys {

    /** What a snapshot read from the store is to its key. */
    sealed interface Claim {
        /** The snapshot's order holds the key (it is its first order, or holds it already, or the key had expired). */
        record Holds() implements Claim {
        }

        /** An earlier order holds the key: the snapshot's order is not taken. */
        record Refused(String holder) implements Claim {
        }

        /** The snapshot's order takes the key from {@code loser}, a bare placement that came first in a compacted log. */
        record TakesOver(String loser) implements Claim {
        }
    }

    /** The order holding a key, since when, and, once that order has left memory, what is remembered of it. */
    record Holder(String orderId, Instant placedAt, Remembered remembered) {
    }

    /** What a repeat of the request is answered with once its order has left memory: its body's hash, its outcome. */
    record Remembered(String requestHash, OrderStatus status, RejectionReason reason) {
    }

    private record Expiry(String key, Holder holder) {
    }

    private final Map<String, Holder> holders = new ConcurrentHashMap<>();
    /** Keys whose orders have left memory, roughly oldest first (in the order their orders left). */
    private final Queue<Expiry> remembered = new ConcurrentLinkedQueue<>();
    private final Duration retention;
    private final Clock clock;

    IdempotencyKeys(Duration retention, Clock clock) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive, was " + retention);
        }
        this.retention = retention;
        this.clock = clock;
    }

    /** The order holding the key now, if its time is not up. */
    Optional<Holder> holder(String key) {
        Holder holder = holders.get(key);
        return holder == null || expired(holder, clock.instant()) ? Optional.empty() : Optional.of(holder);
    }

    boolean isKnown(String key) {
        return holder(key).isPresent();
    }

    /**
     * Decides whether {@code snapshot}'s order may hold its key. A key whose holder was placed longer than the
     * retention before the snapshot's order is free again. Read back from a compacted store, the holder's placement
     * may be gone and only its later snapshots left, after a competing placement that lost: an order whose saga has
     * moved on (revision above 1) then wins over a mere placement.
     *
     * @param revisionOf the revision shown for an order, if it is in memory
     */
    Claim claim(OrderSnapshot snapshot, Function<String, Optional<Long>> revisionOf) {
        String key = snapshot.idempotencyKey();
        String orderId = snapshot.order().orderId();
        Instant placedAt = snapshot.order().createdAt();
        Holder held = holders.get(key);
        if (held != null && held.orderId().equals(orderId)) {
            return new Claim.Holds();
        }
        if (held == null || expired(held, placedAt)) {
            holders.put(key, new Holder(orderId, placedAt, null));
            return new Claim.Holds();
        }
        if (held.remembered() != null) {
            return new Claim.Refused(held.orderId());
        }
        Optional<Long> heldRevision = revisionOf.apply(held.orderId());
        if (heldRevision.isPresent() && !(snapshot.revision() > 1 && heldRevision.get() == 1)) {
            return new Claim.Refused(held.orderId());
        }
        holders.put(key, new Holder(orderId, placedAt, null));
        return heldRevision.isPresent() ? new Claim.TakesOver(held.orderId()) : new Claim.Holds();
    }

    /**
     * The ended order that holds {@code key} leaves memory: the key is remembered, with what answers a repeat, until
     * its time is up.
     *
     * @return whether the key is remembered (false if it has expired already, or the order does not hold it)
     */
    boolean remember(String key, String orderId, Remembered what) {
        Holder held = holders.get(key);
        if (held == null || !held.orderId().equals(orderId)) {
            return false;
        }
        if (expired(held, clock.instant())) {
            holders.remove(key, held);
            return false;
        }
        Holder kept = new Holder(orderId, held.placedAt(), what);
        if (!holders.replace(key, held, kept)) {
            return false;
        }
        remembered.add(new Expiry(key, kept));
        return true;
    }

    /** Forgets the remembered keys whose time is up; returns their orders, whose records may now go. */
    List<String> expire() {
        Instant now = clock.instant();
        List<String> orders = new ArrayList<>();
        Expiry oldest;
        while ((oldest = remembered.peek()) != null && expired(oldest.holder(), now)) {
            if (remembered.remove(oldest)) {
                // the key may have been taken since by a new order, placed once it had expired: this order goes anyway
                holders.remove(oldest.key(), oldest.holder());
                orders.add(oldest.holder().orderId());
            }
        }
        return orders;
    }

    /** The order no longer holds its key (it was deleted from the store, or lost it). */
    void release(String key, String orderId) {
        holders.computeIfPresent(key, (k, holder) -> holder.orderId().equals(orderId) ? null : holder);
    }

    /** Whether the holder's time is up at {@code at}: honoured until just before placedAt + retention. */
    private boolean expired(Holder holder, Instant at) {
        return !at.isBefore(holder.placedAt().plus(retention));
    }
}
