package io.chatleads.console;

import io.chatleads.chatbot.Chatbot;
import io.chatleads.error.InvalidInput;
import io.chatleads.error.NotFound;
import io.chatleads.lead.Lead;
import io.chatleads.lead.LeadCsvExport;
import io.chatleads.lead.LeadCursor;
import io.chatleads.lead.LeadRepository;
import io.chatleads.lead.LeadSearch;
import io.chatleads.lead.LeadStats;
import io.chatleads.lead.LeadStatsRequest;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** A chatbot's leads: the table with its date range, search and keyset pages; the CSV; erasing; the chart. */
final class LeadPages {

    static final int PAGE_SIZE = 50;

    private final Owned owned;
    private final LeadRepository leads;
    private final LeadSearch search;
    private final LeadStats stats;
    private final Clock clock;
    private final int idleTimeoutSeconds;

    LeadPages(Owned owned, LeadRepository leads, LeadSearch search, LeadStats stats, Clock clock, int idleTimeoutSeconds) {
        this.owned = owned;
        this.leads = leads;
        this.search = search;
        this.stats = stats;
        this.clock = clock;
        this.idleTimeoutSeconds = idleTimeoutSeconds;
    }

    /** The range asked for, in the owner's time zone; either end may be open. Errors go beside their field. */
    private record Range(long fromMillis, long toMillis, String startDate, String endDate) {
    }

    private static Range range(ConsoleRequest request, ZoneId zone, Form form) {
        String start = request.query("startDate");
        String end = request.query("endDate");
        form.with("startDate", start).with("endDate", end);
        LocalDate from = date(form, "startDate", start);
        LocalDate to = date(form, "endDate", end);
        if (from != null && to != null && from.isAfter(to)) {
            form.error("endDate", "startDate " + from + " is after endDate " + to);
        }
        if (form.hasErrors()) {
            return null;
        }
        return new Range(from == null ? Long.MIN_VALUE : from.atStartOfDay(zone).toInstant().toEpochMilli(),
                to == null ? Long.MAX_VALUE : to.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli() - 1,
                start, end);
    }

    private static LocalDate date(Form form, String field, String value) {
        if (value.isEmpty()) {
            return null;
        }
        try {
            // get-leads' rules and messages.
            return LeadStatsRequest.date(field, value);
        } catch (InvalidInput e) {
            form.error(field, e.getMessage());
            return null;
        }
    }

    void table(ConsoleRequest request) {
        Chatbot chatbot = owned.chatbot(request);
        ZoneId zone = ZoneId.of(request.session().timeZone());
        Form filter = Form.empty();
        String term = request.query("search");
        filter.with("search", term);
        if (term.length() > LeadSearch.MAX_TERM) {
            filter.error("search", "search must be at most " + LeadSearch.MAX_TERM + " characters");
        }
        Range range = range(request, zone, filter);
        String rawCursor = request.query("cursor");
        LeadCursor cursor = null;
        if (!rawCursor.isEmpty()) {
            try {
                cursor = LeadCursor.decode(rawCursor);
            } catch (InvalidInput e) {
                filter.error("search", e.getMessage());
            }
        }
        List<Views.LeadRow> rows = new ArrayList<>();
        String nextUrl = null;
        int status = 200;
        if (filter.hasErrors()) {
            status = 400;
        } else {
            LeadSearch.Page page = search.page(chatbot.id(), request.ownerId(), range.fromMillis(), range.toMillis(), term,
                    cursor, PAGE_SIZE);
            for (Lead lead : page.leads()) {
                rows.add(row(lead, zone));
            }
            if (page.next() != null) {
                nextUrl = url(chatbot, "leads", Map.of("startDate", range.startDate(), "endDate", range.endDate(),
                        "search", term, "cursor", page.next().encode()));
            }
        }
        String firstUrl = url(chatbot, "leads", Map.of("startDate", filter.value("startDate"),
                "endDate", filter.value("endDate"), "search", term));
        String csvUrl = url(chatbot, "leads.csv", Map.of("startDate", filter.value("startDate"), "endDate", filter.value("endDate")));
        request.render(status, "leads.jte",
                View.of(request.session(), "Leads: " + chatbot.name(), "chatbots", Notices.text(request.query("notice"))),
                new Views.Leads(Owned.heading(chatbot, zone), filter, rows, nextUrl, firstUrl, csvUrl, zone.getId(), cursor == null));
    }

    /** The date range's leads as CSV, newest first, through the API's streamed export. */
    void csv(ConsoleRequest request) throws Exception {
        Chatbot chatbot = owned.chatbot(request);
        ZoneId zone = ZoneId.of(request.session().timeZone());
        Form filter = Form.empty();
        Range range = range(request, zone, filter);
        if (range == null) {
            String problem = filter.errorOf("startDate");
            throw new InvalidInput(problem != null ? problem : filter.errorOf("endDate"));
        }
        new LeadCsvExport(leads).respond(request.ctx(), chatbot.id(), request.ownerId(), range.fromMillis(), range.toMillis(),
                idleTimeoutSeconds);
    }

    private Lead ownedLead(ConsoleRequest request, Chatbot chatbot) {
        String raw = request.path("leadId");
        if (!raw.matches("\\d{1,18}")) {
            throw new NotFound("lead");
        }
        long id = Long.parseLong(raw);
        return leads.find(id).filter(l -> l.chatbotId().equals(chatbot.id()) && l.ownerId().equals(request.ownerId()))
                .orElseThrow(() -> new NotFound("lead " + id + " not found"));
    }

    void confirmErase(ConsoleRequest request) {
        Chatbot chatbot = owned.chatbot(request);
        ZoneId zone = ZoneId.of(request.session().timeZone());
        Lead lead = ownedLead(request, chatbot);
        request.render("erase.jte", View.of(request.session(), "Erase a lead", "chatbots", null),
                new Views.Erase(Owned.heading(chatbot, zone), row(lead, zone)));
    }

    void erase(ConsoleRequest request) {
        Chatbot chatbot = owned.chatbot(request);
        Lead lead = ownedLead(request, chatbot);
        leads.delete(lead.id());
        request.redirect("/console/chatbots/" + chatbot.id() + "/leads?notice=erased");
    }

    void chart(ConsoleRequest request) {
        Chatbot chatbot = owned.chatbot(request);
        ZoneId zone = ZoneId.of(request.session().timeZone());
        String start = request.query("startDate");
        String end = request.query("endDate");
        Form filter = Form.empty().with("startDate", start).with("endDate", end);
        List<Views.Day> days = new ArrayList<>();
        long total = 0;
        int status = 200;
        try {
            LeadStatsRequest range = LeadStatsRequest.of(start, end, zone.getId(), clock);
            filter.with("startDate", range.startDate().toString()).with("endDate", range.endDate().toString());
            LeadStats.Daily daily = stats.daily(chatbot.id(), range.startDate(), range.endDate(), zone);
            daily.counts().forEach((day, count) -> days.add(new Views.Day(day.toString(), count)));
            total = daily.total();
        } catch (InvalidInput e) {
            filter.error(e.getMessage().startsWith("startDate") ? "startDate" : "endDate", e.getMessage());
            status = 400;
        }
        StringJoiner dates = new StringJoiner(",");
        StringJoiner counts = new StringJoiner(",");
        for (Views.Day day : days) {
            dates.add(day.date());
            counts.add(Long.toString(day.count()));
        }
        request.render(status, "chart.jte", View.of(request.session(), "Chart: " + chatbot.name(), "chatbots", null),
                new Views.Chart(Owned.heading(chatbot, zone), filter, days, total, zone.getId(), dates.toString(), counts.toString()));
    }

    private static Views.LeadRow row(Lead lead, ZoneId zone) {
        return new Views.LeadRow(lead.id(), lead.name(), lead.email(), lead.phone(), Owned.local(lead.createdAt(), zone),
                Owned.utc(lead.createdAt()));
    }

    /** A page of this chatbot with the non-empty parameters, in a fixed order. */
    private static String url(Chatbot chatbot, String page, Map<String, String> params) {
        StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
        for (String name : List.of("startDate", "endDate", "search", "cursor")) {
            String value = params.get(name);
            if (value != null && !value.isEmpty()) {
                query.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
        return "/console/chatbots/" + chatbot.id() + "/" + page + query;
    }
}
