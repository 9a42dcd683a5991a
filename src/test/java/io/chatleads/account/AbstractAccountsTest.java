package io.chatleads.account;

import io.chatleads.error.Conflict;
import io.chatleads.error.InvalidInput;
import io.chatleads.error.Refused;
import io.chatleads.error.Unauthenticated;
import io.chatleads.owner.Owner;
import io.chatleads.owner.OwnerRepository;
import io.chatleads.support.DatabaseTestBase;
import io.chatleads.support.MutableClock;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Accounts, sessions and the sign-in throttle on a real database, with a clock the test moves. */
abstract class AbstractAccountsTest extends DatabaseTestBase {

    private static final String PASSWORD = "a long enough password";
    private static final String ADDRESS = "203.0.113.7";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-10T12:00:00Z"));
    private Accounts accounts;
    private Accounts cachedElsewhere;

    @BeforeAll
    void accounts() {
        AccountSettings settings = new AccountSettings(Duration.ofMinutes(60), Duration.ofHours(24), false, Duration.ZERO);
        OwnerRepository owners = new OwnerRepository(app.database().jdbi(), clock);
        accounts = new Accounts(app.database().jdbi(), clock, owners, new PasswordHasher(), settings);
        // A second server on the same database, which caches sessions for 5 s.
        cachedElsewhere = new Accounts(app.database().jdbi(), clock, owners, new PasswordHasher(),
                new AccountSettings(Duration.ofMinutes(60), Duration.ofHours(24), false, Duration.ofSeconds(5)));
    }

    private Owner owner() {
        return accounts.createOwner("acct-" + UUID.randomUUID() + "@example.com", PASSWORD);
    }

    @Test
    void passwordsAreStoredAsArgon2idWithTheirParametersAndNeverInClear() {
        Owner owner = owner();
        Account account = accounts.owners().find(owner.id()).orElseThrow();
        assertTrue(account.passwordHash().startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), account.passwordHash());
        assertFalse(account.passwordHash().contains(PASSWORD));
        assertFalse(account.toString().contains(account.passwordHash()));
        PasswordHasher hasher = new PasswordHasher();
        assertTrue(hasher.verify(PASSWORD, account.passwordHash()));
        assertFalse(hasher.verify(PASSWORD + "!", account.passwordHash()));
        assertFalse(hasher.verify(PASSWORD, "$argon2id$v=19$m=19456,t=2,p=1$bm9wZQ$bm9wZQ"), "a hash of something else");
        assertFalse(hasher.verify(PASSWORD, null));
        assertThrows(InvalidInput.class, () -> PasswordHasher.requireAcceptable("password", "short"));
        assertThrows(InvalidInput.class, () -> PasswordHasher.requireAcceptable("password", " ".repeat(12)));
        assertThrows(Conflict.class, () -> accounts.createOwner(owner.email().toUpperCase(), PASSWORD));
    }

    @Test
    void aSessionEndsAfterItsIdleTimeoutAndAfterItsLifetimeHoweverUsed() {
        Owner owner = owner();
        SessionStore.Created idle = accounts.signIn(owner.email(), PASSWORD, ADDRESS);
        clock.advance(Duration.ofMinutes(59));
        assertTrue(accounts.sessions().find(idle.cookieValue()).isPresent(), "59 minutes idle");
        clock.advance(Duration.ofMinutes(59));
        assertTrue(accounts.sessions().find(idle.cookieValue()).isPresent(), "the last view moved the idle timeout");
        clock.advance(Duration.ofMinutes(61));
        assertTrue(accounts.sessions().find(idle.cookieValue()).isEmpty(), "61 minutes idle");

        SessionStore.Created busy = accounts.signIn(owner.email(), PASSWORD, ADDRESS);
        for (int i = 0; i < 28; i++) {
            clock.advance(Duration.ofMinutes(50));
            assertTrue(accounts.sessions().find(busy.cookieValue()).isPresent(), "in use, " + (i + 1) * 50 + " minutes after sign-in");
        }
        clock.advance(Duration.ofMinutes(50));
        assertTrue(accounts.sessions().find(busy.cookieValue()).isEmpty(), "in use all along, but past 24 hours since sign-in");
        assertTrue(accounts.sessions().find("x".repeat(32)).isEmpty());
        assertTrue(accounts.sessions().find(null).isEmpty());
    }

    @Test
    void anEndedSessionStopsAtOnceOnTheServerThatEndedItAndWithinTheCacheTtlOnOthers() {
        Owner owner = owner();
        SessionStore.Created session = cachedElsewhere.signIn(owner.email(), PASSWORD, ADDRESS);
        assertTrue(cachedElsewhere.sessions().find(session.cookieValue()).isPresent());
        cachedElsewhere.sessions().end(session.session());
        assertTrue(cachedElsewhere.sessions().find(session.cookieValue()).isEmpty(), "forgotten here at once");

        SessionStore.Created other = cachedElsewhere.signIn(owner.email(), PASSWORD, ADDRESS);
        assertTrue(cachedElsewhere.sessions().find(other.cookieValue()).isPresent());
        accounts.sessions().endAll(owner.id(), null); // through "another server"
        assertTrue(accounts.sessions().find(other.cookieValue()).isEmpty());
        int swept = app.database().jdbi().withHandle(h -> h.createQuery(
                "SELECT count(*) FROM console_sessions WHERE owner_id = :o").bind("o", owner.id()).mapTo(Integer.class).one());
        assertEquals(0, swept);
    }

    @Test
    void settingThePasswordEndsEverySessionAndChangingItEndsTheOthers() {
        Owner owner = owner();
        SessionStore.Created first = accounts.signIn(owner.email(), PASSWORD, ADDRESS);
        SessionStore.Created second = accounts.signIn(owner.email(), PASSWORD, ADDRESS);
        accounts.changePassword(first.session(), PASSWORD, "another long password");
        assertTrue(accounts.sessions().find(first.cookieValue()).isPresent());
        assertTrue(accounts.sessions().find(second.cookieValue()).isEmpty());
        accounts.setPassword(owner.id(), "the operator's new one");
        assertTrue(accounts.sessions().find(first.cookieValue()).isEmpty());
        assertThrows(Unauthenticated.class, () -> accounts.signIn(owner.email(), "another long password", ADDRESS));
        assertTrue(accounts.sessions().find(accounts.signIn(owner.email(), "the operator's new one", ADDRESS).cookieValue()).isPresent());
    }

    @Test
    void theLockLastsFifteenMinutesFromTheLastFailureAndASuccessEndsTheRun() {
        Owner owner = owner();
        for (int i = 0; i < 4; i++) {
            assertThrows(Unauthenticated.class, () -> accounts.signIn(owner.email(), "wrong", ADDRESS));
        }
        accounts.signIn(owner.email(), PASSWORD, ADDRESS);
        for (int i = 0; i < 4; i++) {
            assertThrows(Unauthenticated.class, () -> accounts.signIn(owner.email(), "wrong", ADDRESS));
        }
        // Four after the success: not locked, the earlier four no longer count.
        accounts.signIn(owner.email(), PASSWORD, ADDRESS);
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMinutes(1));
            assertThrows(Unauthenticated.class, () -> accounts.signIn(owner.email(), "wrong", ADDRESS));
        }
        Refused locked = assertThrows(Refused.class, () -> accounts.signIn(owner.email(), PASSWORD, ADDRESS));
        String until = java.time.format.DateTimeFormatter.ofPattern("HH:mm").withZone(java.time.ZoneOffset.UTC)
                .format(clock.instant().plus(Duration.ofMinutes(15)));
        assertTrue(locked.getMessage().contains("locked until " + until + " UTC"), locked.getMessage());
        clock.advance(Duration.ofMinutes(14));
        assertThrows(Refused.class, () -> accounts.signIn(owner.email(), PASSWORD, ADDRESS), "attempts while locked do not count");
        clock.advance(Duration.ofMinutes(1).plusSeconds(1));
        assertTrue(accounts.sessions().find(accounts.signIn(owner.email(), PASSWORD, ADDRESS).cookieValue()).isPresent());
    }

    @Test
    void clientNetworksAreAddressesForIpv4AndSlash64ForIpv6() {
        assertEquals("net:203.0.113.7", SignInThrottle.networkSubject("203.0.113.7"));
        assertEquals(SignInThrottle.networkSubject("2001:db8:1:2::1"), SignInThrottle.networkSubject("2001:db8:1:2:ffff:ffff:ffff:ffff"));
        assertFalse(SignInThrottle.networkSubject("2001:db8:1:2::1").equals(SignInThrottle.networkSubject("2001:db8:1:3::1")));
        assertEquals("net:203.0.113.7", SignInThrottle.networkSubject("::ffff:203.0.113.7"), "an IPv4-mapped address is the IPv4 one");
        assertEquals("net:proxy.example", SignInThrottle.networkSubject("proxy.example"), "never a DNS look-up");
        assertEquals(SignInThrottle.emailSubject(" Ada@Example.com"), SignInThrottle.emailSubject("ada@example.com"));
    }

    @Test
    void anInvitationIsUsedOnceAndExpiresAfter24Hours() {
        Owner owner = accounts.createOwner("inv-" + UUID.randomUUID() + "@example.com", null);
        String token = accounts.invite(owner.id());
        clock.advance(Duration.ofHours(23));
        assertTrue(accounts.invited(token).isPresent());
        assertTrue(accounts.sessions().find(accounts.acceptInvite(token, PASSWORD).cookieValue()).isPresent());
        assertThrows(io.chatleads.error.NotFound.class, () -> accounts.acceptInvite(token, PASSWORD));
        String late = accounts.invite(owner.id());
        clock.advance(Duration.ofHours(24).plusSeconds(1));
        assertTrue(accounts.invited(late).isEmpty());
    }
}
