package io.chatleads.console;

import io.chatleads.chatbot.Chatbot;
import io.chatleads.chatbot.ChatbotRepository;
import io.chatleads.error.NotFound;
import io.chatleads.lead.LeadStats;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The signed-in owner's things named in a URL, and how times are shown to them. A chatbot that is
 * missing and one that is another owner's both throw the same {@link NotFound}.
 */
final class Owned {

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final ChatbotRepository chatbots;
    private final LeadStats stats;
    private final Clock clock;

    Owned(ChatbotRepository chatbots, LeadStats stats, Clock clock) {
        this.chatbots = chatbots;
        this.stats = stats;
        this.clock = clock;
    }

    Chatbot chatbot(ConsoleRequest request) {
        String id = request.path("chatbotId");
        return chatbots.findOwned(id, request.ownerId()).orElseThrow(() -> new NotFound("chatbot '" + id + "' not found"));
    }

    /** The chatbot with its lead count and its leads of the last 7 days: its overview. */
    Views.ChatbotRow row(Chatbot chatbot, ZoneId zone) {
        return rows(List.of(chatbot), zone).get(0);
    }

    /**
     * The chatbot as the leads, chart and settings pages head it: without the counts, which for a
     * chatbot of 200,000 leads would cost more than the page itself (BENCHMARKS.md, console).
     */
    static Views.ChatbotRow heading(Chatbot chatbot, ZoneId zone) {
        return new Views.ChatbotRow(chatbot.id(), chatbot.name(), local(chatbot.createdAt(), zone), utc(chatbot.createdAt()), -1, -1);
    }

    List<Views.ChatbotRow> rows(List<Chatbot> list, ZoneId zone) {
        var counts = stats.perChatbot(list.stream().map(Chatbot::id).toList(),
                clock.millis() - Duration.ofDays(7).toMillis());
        return list.stream().map(c -> {
            var count = counts.getOrDefault(c.id(), LeadStats.ChatbotCounts.NONE);
            return new Views.ChatbotRow(c.id(), c.name(), local(c.createdAt(), zone), utc(c.createdAt()),
                    count.total(), count.recent());
        }).toList();
    }

    static String local(Instant instant, ZoneId zone) {
        return instant == null ? "" : LOCAL.format(instant.atZone(zone));
    }

    static String utc(Instant instant) {
        return instant == null ? "" : UTC.format(instant);
    }
}
