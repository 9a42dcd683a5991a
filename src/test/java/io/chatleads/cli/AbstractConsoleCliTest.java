package io.chatleads.cli;

import io.chatleads.Settings;
import io.chatleads.account.Account;
import io.chatleads.account.PasswordHasher;
import io.chatleads.lead.NewLead;
import io.chatleads.support.DatabaseTestBase;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands the console adds: owner passwords, invitations and listings, chatbot list and delete. */
abstract class AbstractConsoleCliTest extends DatabaseTestBase {

    record Result(int status, String out, String err) {
    }

    /** Runs the command with {@code stdin} as standard input (null: none). */
    Result run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Settings settings = database.settings();
        InputStream before = System.in;
        System.setIn(new ByteArrayInputStream((stdin == null ? "" : stdin).getBytes(StandardCharsets.UTF_8)));
        try {
            int status = ChatleadsCommand.run(args, () -> settings, new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setIn(before);
        }
    }

    private Account account(String email) {
        return app.accounts().owners().findByEmail(email).orElseThrow();
    }

    @Test
    void ownerCreateTakesAPasswordFromStandardInputOnlyWhenAsked() {
        String email = "cli-" + UUID.randomUUID() + "@example.com";
        Result created = run("a long enough password\n", "owner", "create", "--email", email, "--password-stdin");
        assertEquals(0, created.status(), created.err());
        assertEquals(account(email).ownerId(), created.out().strip());
        assertTrue(new PasswordHasher().verify("a long enough password", account(email).passwordHash()), "the final newline is not part of it");
        assertFalse(created.out().contains("a long enough password") || created.err().contains("a long enough password"));

        String without = "nopw-" + UUID.randomUUID() + "@example.com";
        assertEquals(0, run("ignored", "owner", "create", "--email", without).status());
        assertNull(account(without).passwordHash(), "no terminal and no --password-stdin: no password");

        Result tooShort = run("short", "owner", "create", "--email", "x-" + email, "--password-stdin");
        assertEquals(2, tooShort.status());
        assertEquals("error: password must be at least 10 characters", tooShort.err().strip());
        assertTrue(app.accounts().owners().findByEmail("x-" + email).isEmpty(), "nothing created");
    }

    @Test
    void setPasswordNeedsStandardInputWithoutATerminalAndEndsTheSessions() {
        String email = "set-" + UUID.randomUUID() + "@example.com";
        run(null, "owner", "create", "--email", email);
        Result noInput = run(null, "owner", "set-password", "--email", email);
        assertEquals(2, noInput.status());
        assertTrue(noInput.err().contains("--password-stdin"), noInput.err());
        Result set = run("the operator's choice", "owner", "set-password", "--email", email, "--password-stdin");
        assertEquals(0, set.status(), set.err());
        assertTrue(new PasswordHasher().verify("the operator's choice", account(email).passwordHash()));
        assertEquals(2, run("the operator's choice", "owner", "set-password", "--email", "nobody@example.com",
                "--password-stdin").status());
    }

    @Test
    void invitePrintsAOneTimeLinkAndCreatesANewOwner() {
        String email = "invite-" + UUID.randomUUID() + "@example.com";
        Result invited = run(null, "owner", "invite", "--email", email);
        assertEquals(0, invited.status(), invited.err());
        String link = invited.out().strip();
        assertTrue(link.matches("http://localhost:8080/console/invite/[A-Za-z0-9_-]{32}"), link);
        String token = link.substring(link.lastIndexOf('/') + 1);
        assertEquals(email, app.accounts().invited(token).orElseThrow().email());
        assertTrue(invited.err().contains("24 hours"), invited.err());
    }

    @Test
    void ownerListAndChatbotListAndDelete() {
        String email = "list-" + UUID.randomUUID() + "@example.com";
        String owner = run("a long enough password", "owner", "create", "--email", email, "--password-stdin").out().strip();
        String bot = run(null, "chatbot", "create", "--owner", owner, "--name", "Listed").out().strip();
        app.leads().create(new NewLead(bot, owner, null, "a@example.com", null, null, Instant.now()));
        List<String> owners = run(null, "owner", "list").out().lines().toList();
        assertEquals("ID\tEMAIL\tCREATED\tPASSWORD\tCHATBOTS\tRETENTION", owners.get(0));
        assertTrue(owners.stream().anyMatch(l -> l.startsWith(owner + "\t" + email + "\t") && l.endsWith("\tyes\t1\tforever (default)")),
                owners.toString());
        List<String> chatbots = run(null, "chatbot", "list", "--owner", owner).out().lines().toList();
        assertEquals("ID\tNAME\tCREATED\tLEADS\tCAPTURE", chatbots.get(0));
        assertTrue(chatbots.get(1).startsWith(bot + "\tListed\t") && chatbots.get(1).endsWith("\t1\ton"), chatbots.toString());
        assertEquals(2, run(null, "chatbot", "list", "--owner", "nobody").status());
        Result deleted = run(null, "chatbot", "delete", bot);
        assertEquals(0, deleted.status(), deleted.err());
        assertTrue(app.chatbots().find(bot).isEmpty());
        assertEquals(2, run(null, "chatbot", "delete", bot).status(), "gone");
    }
}
