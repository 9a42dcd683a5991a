package io.chatleads.account;

import org.jdbi.v3.core.Jdbi;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Failed sign-ins counted in the database, so a deployment of several servers allows no more tries
 * than one. Two counts of failures within a {@link #WINDOW}:
 * <ul>
 *   <li>per email address typed, known or not: {@link #ACCOUNT_FAILURES} failures lock that address
 *       for {@link #WINDOW} from the last of them. Unknown addresses lock the same way, so the lock
 *       says nothing about whether an account exists;</li>
 *   <li>per client network (an IPv4 address, or an IPv6 /64, which one customer usually holds
 *       whole): {@link #NETWORK_FAILURES} failures, whatever the addresses tried, stop that
 *       network's sign-ins for the same time.</li>
 * </ul>
 * While locked, attempts are refused without checking the password, and do not extend the lock.
 */
public final class SignInThrottle {

    public static final Duration WINDOW = Duration.ofMinutes(15);
    public static final int ACCOUNT_FAILURES = 5;
    public static final int NETWORK_FAILURES = 20;

    private final Jdbi jdbi;
    private final Clock clock;

    public SignInThrottle(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** Why sign-in is refused right now, and until when. */
    public record Lock(boolean wholeNetwork, Instant until) {
    }

    /** The lock in force for this email or this client network, if any. */
    Optional<Lock> lockFor(String email, String clientAddress) {
        Optional<Instant> account = lockedUntil(emailSubject(email), ACCOUNT_FAILURES);
        if (account.isPresent()) {
            return Optional.of(new Lock(false, account.get()));
        }
        return lockedUntil(networkSubject(clientAddress), NETWORK_FAILURES).map(until -> new Lock(true, until));
    }

    /**
     * Locked when the latest {@code limit} failures came within one {@link #WINDOW} (a run), until
     * one window after the last of them. Attempts while locked record nothing, so the lock ends on
     * time; a run that ended more than a window ago locks nothing.
     */
    private Optional<Instant> lockedUntil(String subject, int limit) {
        long now = clock.millis();
        List<Long> recent = jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT failed_at FROM sign_in_failures
                        WHERE subject = :subject AND failed_at > :since
                        ORDER BY failed_at DESC
                        LIMIT :limit
                        """)
                .bind("subject", subject)
                .bind("since", now - 2 * WINDOW.toMillis())
                .bind("limit", limit)
                .mapTo(Long.class)
                .list());
        if (recent.size() < limit) {
            return Optional.empty();
        }
        long last = recent.get(0);
        long first = recent.get(limit - 1);
        if (last - first > WINDOW.toMillis() || last + WINDOW.toMillis() <= now) {
            return Optional.empty();
        }
        return Optional.of(Instant.ofEpochMilli(last + WINDOW.toMillis()));
    }

    void recordFailure(String email, String clientAddress) {
        long now = clock.millis();
        jdbi.useHandle(handle -> handle.prepareBatch("INSERT INTO sign_in_failures (subject, failed_at) VALUES (:subject, :now)")
                .bind("subject", emailSubject(email)).bind("now", now).add()
                .bind("subject", networkSubject(clientAddress)).bind("now", now).add()
                .execute());
    }

    /** After a successful sign-in: the address's run of failures is over. The network's count stays. */
    void clear(String email) {
        jdbi.useHandle(handle -> handle.createUpdate("DELETE FROM sign_in_failures WHERE subject = :subject")
                .bind("subject", emailSubject(email))
                .execute());
    }

    /** Forgets failures too old to be part of a lock (two windows); each server runs it now and then. */
    public int sweep() {
        return jdbi.withHandle(handle -> handle.createUpdate("DELETE FROM sign_in_failures WHERE failed_at <= :cutoff")
                .bind("cutoff", clock.millis() - 2 * WINDOW.toMillis())
                .execute());
    }

    static String emailSubject(String email) {
        return "email:" + email.strip().toLowerCase(Locale.ROOT);
    }

    /** {@code net:} and the IPv4 address, or the first four groups of an IPv6 address (its /64). */
    static String networkSubject(String clientAddress) {
        // Only address literals are parsed: getByName would look a host name up in DNS.
        if (!clientAddress.contains(":") && !clientAddress.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            return "net:" + clientAddress;
        }
        try {
            byte[] bytes = InetAddress.getByName(clientAddress).getAddress();
            if (bytes.length == 16) {
                StringBuilder prefix = new StringBuilder("net:");
                for (int i = 0; i < 8; i += 2) {
                    prefix.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
                }
                return prefix.append(":/64").toString();
            }
            return "net:" + InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException e) {
            // Not an address literal (a proxy header could say anything): counted by its text.
            return "net:" + clientAddress;
        }
    }
}
