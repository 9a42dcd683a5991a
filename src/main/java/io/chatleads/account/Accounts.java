package io.chatleads.account;

import io.chatleads.error.InvalidInput;
import io.chatleads.error.NotFound;
import io.chatleads.error.Refused;
import io.chatleads.error.Unauthenticated;
import io.chatleads.lead.LeadValidator;
import io.chatleads.owner.Owner;
import io.chatleads.owner.OwnerRepository;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * Owners' passwords, sign-in and sessions: what the console and the {@code owner} commands do with
 * an account, each rule in one place for both.
 */
public final class Accounts {

    /** The one answer to a wrong password and to an unknown email. */
    public static final String WRONG_EMAIL_OR_PASSWORD = "The email or password is not right.";
    private static final DateTimeFormatter CLOCK_TIME = DateTimeFormatter.ofPattern("HH:mm");

    private final OwnerRepository owners;
    private final OwnerAccounts accounts;
    private final PasswordHasher hasher;
    private final SessionStore sessions;
    private final SignInThrottle throttle;
    private final Invites invites;
    private final AccountSettings settings;
    private final Clock clock;
    // When this server last swept expired sessions and old failures: at most once a minute, on a sign-in.
    private final java.util.concurrent.atomic.AtomicLong lastSweep = new java.util.concurrent.atomic.AtomicLong();

    public Accounts(Jdbi jdbi, Clock clock, OwnerRepository owners, PasswordHasher hasher, AccountSettings settings) {
        this.owners = owners;
        this.accounts = new OwnerAccounts(jdbi);
        this.hasher = hasher;
        this.sessions = new SessionStore(jdbi, clock, settings);
        this.throttle = new SignInThrottle(jdbi, clock);
        this.invites = new Invites(jdbi, clock);
        this.settings = settings;
        this.clock = clock;
    }

    /** The accounts of a server or command, with the settings of docs/operations.md. */
    public static Accounts of(io.chatleads.Settings settings, Jdbi jdbi, Clock clock, OwnerRepository owners,
                              java.time.Duration cacheTtl) {
        return new Accounts(jdbi, clock, owners, new PasswordHasher(), AccountSettings.from(settings, cacheTtl));
    }

    public OwnerAccounts owners() {
        return accounts;
    }

    public SessionStore sessions() {
        return sessions;
    }

    public SignInThrottle throttle() {
        return throttle;
    }

    public boolean signUpAllowed() {
        return settings.signUpAllowed();
    }

    /**
     * A new session when the password is the owner's. A wrong password and an unknown email get the
     * same {@link Unauthenticated}, after the same work (a hash is checked either way); a locked
     * email or network gets {@link Refused} saying until when, before any hash.
     */
    public SessionStore.Created signIn(String email, String password, String clientAddress) {
        String typed = email == null ? "" : email.strip();
        if (typed.isEmpty()) {
            throw new InvalidInput("email is required");
        }
        if (password == null || password.isEmpty()) {
            throw new InvalidInput("password is required");
        }
        if (password.length() > PasswordHasher.MAX_LENGTH) {
            throw new InvalidInput("password must be at most " + PasswordHasher.MAX_LENGTH + " characters");
        }
        sweepNowAndThen();
        Optional<SignInThrottle.Lock> lock = throttle.lockFor(typed, clientAddress);
        if (lock.isPresent()) {
            String until = CLOCK_TIME.format(lock.get().until().atZone(ZoneId.of("UTC")));
            throw new Refused(lock.get().wholeNetwork()
                    ? "Too many failed sign-ins from your network. Sign-in is paused until " + until + " UTC."
                    : "Too many failed sign-ins for this email address: it is locked until " + until
                    + " UTC. Try again then, or ask your operator for an invitation link to choose a new password.");
        }
        Optional<Account> account = accounts.findByEmail(typed);
        boolean right;
        if (account.isPresent() && account.get().passwordHash() != null) {
            right = hasher.verify(password, account.get().passwordHash());
        } else {
            hasher.verifyDummy(password);
            right = false;
        }
        if (!right) {
            throttle.recordFailure(typed, clientAddress);
            throw new Unauthenticated(WRONG_EMAIL_OR_PASSWORD);
        }
        throttle.clear(typed);
        return sessions.create(account.get());
    }

    /**
     * Keeps the sessions and failures tables to what is live, without a background thread of its
     * own: sign-ins are what add rows, so they are what sweeps, one of them a minute per server.
     */
    private void sweepNowAndThen() {
        long now = clock.millis();
        long last = lastSweep.get();
        if (now - last >= 60_000 && lastSweep.compareAndSet(last, now)) {
            sessions.sweepExpired();
            throttle.sweep();
        }
    }

    /** Self-service sign-up ({@code CHATLEADS_CONSOLE_SIGN_UP}); the new owner is signed in. */
    public SessionStore.Created signUp(String email, String password) {
        if (!settings.signUpAllowed()) {
            throw new Refused("sign-up is turned off on this server; ask its operator for an invitation");
        }
        Owner owner = createOwner(email, password);
        return sessions.create(accounts.find(owner.id()).orElseThrow());
    }

    /** A new owner, with a password or (null) without one; the email rule is the API's. */
    public Owner createOwner(String email, String password) {
        String normalized = requireEmail(email);
        String hash = password == null ? null : hasher.hash(PasswordHasher.requireAcceptable("password", password));
        Owner owner;
        try {
            owner = owners.create(normalized);
        } catch (OwnerRepository.DuplicateOwnerException e) {
            throw new io.chatleads.error.Conflict(e.getMessage());
        }
        if (hash != null) {
            accounts.setPasswordHash(owner.id(), hash);
        }
        return owner;
    }

    static String requireEmail(String email) {
        String normalized = LeadValidator.email(email);
        if (normalized == null) {
            throw new InvalidInput("email is required");
        }
        return normalized;
    }

    /** Sets the password (the operator's {@code owner set-password}) and ends every session of the owner. */
    public void setPassword(String ownerId, String password) {
        String hash = hasher.hash(PasswordHasher.requireAcceptable("password", password));
        accounts.find(ownerId).orElseThrow(() -> new NotFound("owner '" + ownerId + "' not found"));
        accounts.setPasswordHash(ownerId, hash);
        sessions.endAll(ownerId, null);
    }

    /**
     * The owner's own change from the account page: the current password first, then the new one,
     * and every other session ends (a thief's included); this one goes on.
     */
    public void changePassword(Session session, String current, String replacement) {
        Account account = accounts.find(session.ownerId()).orElseThrow(() -> new Unauthenticated("signed out"));
        if (current == null || current.isEmpty() || current.length() > PasswordHasher.MAX_LENGTH
                || !hasher.verify(current, account.passwordHash())) {
            throw new InvalidInput("currentPassword is not your current password");
        }
        String hash = hasher.hash(PasswordHasher.requireAcceptable("newPassword", replacement));
        accounts.setPasswordHash(session.ownerId(), hash);
        sessions.endAll(session.ownerId(), session);
    }

    public String setTimeZone(Session session, String zone) {
        String checked = io.chatleads.lead.LeadStatsRequest.timeZone("timeZone", zone);
        accounts.setTimeZone(session.ownerId(), checked);
        sessions.timeZoneChanged(session.ownerId(), checked);
        return checked;
    }

    /** A one-time token with which the owner chooses a password within 24 hours. */
    public String invite(String ownerId) {
        accounts.find(ownerId).orElseThrow(() -> new NotFound("owner '" + ownerId + "' not found"));
        return invites.create(ownerId);
    }

    /** The owner a live invitation is for. */
    public Optional<Account> invited(String token) {
        return invites.ownerOf(token).flatMap(accounts::find);
    }

    /** Sets the password through an invitation, which is then used up, and signs the owner in. */
    public SessionStore.Created acceptInvite(String token, String password) {
        PasswordHasher.requireAcceptable("password", password);
        if (invited(token).isEmpty()) {
            throw new NotFound("this invitation link has expired or was already used");
        }
        String hash = hasher.hash(password);
        String ownerId = invites.use(token)
                .orElseThrow(() -> new NotFound("this invitation link has expired or was already used"));
        accounts.setPasswordHash(ownerId, hash);
        sessions.endAll(ownerId, null);
        return sessions.create(accounts.find(ownerId).orElseThrow());
    }
}
