package io.chatleads.cli;

import io.chatleads.Settings;
import io.chatleads.chatbot.Chatbot;
import io.chatleads.lead.Lead;
import io.chatleads.lead.NewLead;
import io.chatleads.owner.Owner;
import io.chatleads.support.DatabaseTestBase;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code lead purge} and {@code owner retention}, in-process against a real database. */
abstract class AbstractRetentionCliTest extends DatabaseTestBase {

    record Result(int status, String out, String err) {
    }

    Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Settings settings = database.settings();
        int status = ChatleadsCommand.run(args, () -> settings, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Lead lead(Chatbot chatbot, int daysAgo) {
        return app.leads().create(new NewLead(chatbot.id(), chatbot.ownerId(), "Ada", null, null, null,
                Instant.now().minus(Duration.ofDays(daysAgo)).minusSeconds(60)));
    }

    @Test
    void dryRunCountsAndChangesNothingThenPurgeDeletes() {
        Owner owner = app.owners().create("purge-" + UUID.randomUUID() + "@example.com");
        Chatbot chatbot = app.chatbots().create(owner.id(), "purge");
        Lead old = lead(chatbot, 90);
        Lead young = lead(chatbot, 5);

        Result dry = run("lead", "purge", "--older-than", "30", "--chatbot", chatbot.id(), "--dry-run");
        assertEquals(0, dry.status(), dry.toString());
        assertTrue(dry.out().startsWith("would delete 1 lead created before "), dry.out());
        assertTrue(app.leads().find(old.id()).isPresent(), "a dry run deletes nothing");

        Result purge = run("lead", "purge", "--older-than", "30", "--chatbot", chatbot.id());
        assertEquals(0, purge.status(), purge.toString());
        assertTrue(purge.out().startsWith("deleted 1 lead created before "), purge.out());
        assertTrue(app.leads().find(old.id()).isEmpty());
        assertTrue(app.leads().find(young.id()).isPresent());
    }

    @Test
    void wrongInputNamesWhatWasWrong() {
        Owner owner = app.owners().create("purge-" + UUID.randomUUID() + "@example.com");
        Chatbot chatbot = app.chatbots().create(owner.id(), "purge");
        Result zero = run("lead", "purge", "--older-than", "0", "--chatbot", chatbot.id());
        assertEquals(2, zero.status(), zero.toString());
        assertTrue(zero.err().contains("--older-than: days must be between 1 and 36500, got 0"), zero.err());
        Result unknown = run("lead", "purge", "--older-than", "3", "--chatbot", "nope");
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().contains("chatbot 'nope' not found"), unknown.err());
        Result days = run("owner", "retention", owner.id(), "--days", "soon");
        assertEquals(2, days.status());
        assertTrue(days.err().contains("--days must be a number of days from 1 to 36500, forever, or default; got 'soon'"),
                days.err());
        Result noOwner = run("owner", "retention", "nobody", "--days", "30");
        assertEquals(2, noOwner.status());
        assertTrue(noOwner.err().contains("owner 'nobody' not found"), noOwner.err());
    }

    @Test
    void ownerRetentionIsSetAndShownInTheOwnerList() {
        Owner owner = app.owners().create("kept-" + UUID.randomUUID() + "@example.com");
        assertEquals("forever (default)", retentionListed(owner));
        Result set = run("owner", "retention", owner.id(), "--days", "730");
        assertEquals(0, set.status(), set.toString());
        assertEquals("leads of " + owner.id() + " are kept 730 days", set.out().strip());
        assertEquals("730 days", retentionListed(owner));
        assertEquals(0, run("owner", "retention", owner.id(), "--days", "forever").status());
        assertEquals("forever", retentionListed(owner));
        assertEquals(0, run("owner", "retention", owner.id(), "--days", "default").status());
        assertEquals("forever (default)", retentionListed(owner));
    }

    private String retentionListed(Owner owner) {
        Result list = run("owner", "list");
        assertEquals(0, list.status(), list.toString());
        assertTrue(list.out().lines().findFirst().orElseThrow().endsWith("\tRETENTION"), list.out());
        String line = list.out().lines().filter(l -> l.startsWith(owner.id() + "\t")).findFirst().orElseThrow();
        return line.substring(line.lastIndexOf('\t') + 1);
    }
}
