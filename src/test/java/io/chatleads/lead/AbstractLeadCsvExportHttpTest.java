package io.chatleads.lead;

import io.chatleads.chatbot.Chatbot;
import io.chatleads.owner.Owner;
import io.chatleads.support.ServerTestBase;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET get-leads with Accept: text/csv through a real server. */
abstract class AbstractLeadCsvExportHttpTest extends ServerTestBase {

    Owner owner;
    Chatbot chatbot;
    String secret;
    List<Lead> stored = new ArrayList<>();

    @BeforeAll
    void seed() {
        owner = app.owners().create("csv@example.com");
        chatbot = app.chatbots().create(owner.id(), "bot");
        secret = app.apiKeys().create(owner.id(), "k").secret();
        Instant base = Instant.parse("2024-03-01T00:00:00Z");
        // 2,500 leads cross several export chunks; every fifth pair shares a timestamp to test the id tie-break.
        for (int i = 0; i < 2_500; i++) {
            stored.add(app.leads().create(new NewLead(chatbot.id(), owner.id(), "Lead " + i, "l" + i + "@example.com",
                    null, null, base.plusSeconds(60L * (i - i % 2)))));
        }
        String[] tricky = {"=1+2", "+cmd", "-2", "@SUM(A1)", "quote \" and, comma", "\ttab"};
        for (String name : tricky) {
            stored.add(app.leads().create(new NewLead(chatbot.id(), owner.id(), name, null, "+14155550100", null,
                    Instant.parse("2024-04-01T00:00:00Z"))));
        }
    }

    HttpResponse<String> csv(String query) {
        return server.send(server.request("/api/v1/get-leads?chatbotId=" + chatbot.id() + query)
                .header("Authorization", "Bearer " + secret).header("Accept", "text/csv").build());
    }

    static List<CSVRecord> parse(String body) throws IOException {
        return CSVFormat.RFC4180.parse(new StringReader(body)).getRecords();
    }

    @Test
    void wholeRangeNewestFirstWithHeaderAndGuardedCells() throws IOException {
        HttpResponse<String> response = csv("&page=3&size=5");
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
        assertTrue(response.body().contains("\r\n"), "RFC 4180 lines end in CRLF");
        List<CSVRecord> records = parse(response.body());
        assertEquals(List.of("id", "created_at", "chatbot_owner_user_id", "chatbot_id", "phone", "email", "name"),
                records.get(0).toList());
        List<CSVRecord> rows = records.subList(1, records.size());
        assertEquals(stored.size(), rows.size());
        List<Lead> expected = new ArrayList<>(stored);
        expected.sort((a, b) -> a.createdAt().equals(b.createdAt())
                ? Long.compare(b.id(), a.id()) : b.createdAt().compareTo(a.createdAt()));
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(Long.toString(expected.get(i).id()), rows.get(i).get(0), "row " + i);
        }
        List<String> names = rows.subList(0, 6).stream().map(r -> r.get(6)).toList();
        assertTrue(names.containsAll(List.of("'=1+2", "'+cmd", "'-2", "'@SUM(A1)", "quote \" and, comma", "'\ttab")), names.toString());
        assertEquals("'+14155550100", rows.get(0).get(4));
        assertEquals("", rows.get(0).get(5));
        assertEquals(owner.id(), rows.get(0).get(2));
        assertEquals("2024-04-01T00:00:00.000Z", rows.get(0).get(1));
    }

    @Test
    void sameFiltersAsJson() throws IOException {
        List<CSVRecord> records = parse(csv("&startDate=2024-03-01&endDate=2024-03-01").body());
        // 1,440 minutes in the day, two leads per even minute.
        assertEquals(1 + 1440, records.size());
        assertTrue(records.get(1).get(1).startsWith("2024-03-01T23:58"));
        assertEquals("2024-03-01T00:00:00.000Z", records.get(records.size() - 1).get(1));
        assertEquals(1, parse(csv("&startDate=2030-01-01").body()).size());
    }

    @Test
    void errorsStayJson() {
        assertMessage(csv("&startDate=2024-3-1"), 400, "startDate");
        HttpResponse<String> unknown = server.send(server.request("/api/v1/get-leads?chatbotId=nope")
                .header("Authorization", "Bearer " + secret).header("Accept", "text/csv").build());
        assertMessage(unknown, 404, "nope");
        HttpResponse<String> json = server.send(server.request("/api/v1/get-leads?chatbotId=" + chatbot.id())
                .header("Authorization", "Bearer " + secret).header("Accept", "text/csv;q=0, application/json").build());
        assertTrue(json.body().startsWith("{\"data\":"), json.body().substring(0, 20));
    }

    /**
     * CSV only when the client prefers it to JSON: a JSON client that also lists text/csv, at a lower
     * or the same preference, got the whole range as CSV instead of its page.
     */
    @Test
    void csvOnlyWhenPreferredToJson() {
        Map<String, Boolean> csvWanted = Map.of(
                "text/csv", true,
                "text/csv, */*", true,
                "text/csv, application/json;q=0.5", true,
                "application/json, text/csv", false,
                "text/csv;q=0.1, application/json", false,
                "application/json;q=0.9, text/csv;q=0.5", false,
                "*/*", false);
        csvWanted.forEach((accept, wanted) -> {
            HttpResponse<String> response = server.send(server.request("/api/v1/get-leads?chatbotId=" + chatbot.id())
                    .header("Authorization", "Bearer " + secret).header("Accept", accept).build());
            assertEquals(200, response.statusCode(), accept);
            assertEquals(wanted, response.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"), accept);
        });
    }
}
