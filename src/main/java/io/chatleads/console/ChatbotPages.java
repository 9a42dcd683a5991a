package io.chatleads.console;

import io.chatleads.widget.WidgetSettingsRepository;
import io.chatleads.widget.WidgetSnippet;

import io.chatleads.chatbot.CaptureTarget;
import io.chatleads.chatbot.Chatbot;
import io.chatleads.chatbot.ChatbotRepository;
import io.chatleads.chatbot.ChatbotSettings;
import io.chatleads.chatbot.ChatbotSettingsRepository;
import io.chatleads.error.InvalidInput;
import io.chatleads.error.NotFound;
import io.chatleads.lead.LeadStats;

import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** The chatbot list, one chatbot's page (its widget and the widget's settings, rename, delete), and its capture settings. */
final class ChatbotPages {

    private final ChatbotRepository chatbots;
    private final ChatbotSettingsRepository settings;
    private final WidgetSettingsRepository widgetSettings;
    private final Owned owned;

    private final ConsoleSecurity security;

    ChatbotPages(ChatbotRepository chatbots, ChatbotSettingsRepository settings, WidgetSettingsRepository widgetSettings,
                 Owned owned, LeadStats stats, Clock clock, ConsoleSecurity security) {
        this.security = security;
        this.widgetSettings = widgetSettings;
        this.chatbots = chatbots;
        this.settings = settings;
        this.owned = owned;
    }

    void list(ConsoleRequest request) {
        showList(request, 200, Form.empty());
    }

    private void showList(ConsoleRequest request, int status, Form form) {
        ZoneId zone = ZoneId.of(request.session().timeZone());
        List<Chatbot> mine = settings.listByOwner(request.ownerId()).stream().map(CaptureTarget::chatbot).toList();
        request.render(status, "chatbots.jte", View.of(request.session(), "Chatbots", "chatbots", Notices.text(request.query("notice"))),
                new Views.Chatbots(owned.rows(mine, zone), form));
    }

    void create(ConsoleRequest request) {
        String name = request.field("name");
        String checked;
        try {
            // The same rule and message as update-chatbot-settings' name.
            checked = ChatbotSettings.chatbotName("name", name);
        } catch (InvalidInput e) {
            showList(request, 400, Form.empty().with("name", name).error("name", e.getMessage()));
            return;
        }
        Chatbot created = chatbots.create(request.ownerId(), checked);
        request.redirect("/console/chatbots/" + created.id() + "?notice=created");
    }

    void show(ConsoleRequest request) {
        Chatbot chatbot = owned.chatbot(request);
        showChatbot(request, 200, chatbot, Form.empty().with("name", chatbot.name()), Form.empty(), null);
    }

    /** {@code widget}: the widget settings form as sent back with its errors; null draws the saved settings. */
    private void showChatbot(ConsoleRequest request, int status, Chatbot chatbot, Form rename, Form delete, Form widget) {
        ZoneId zone = ZoneId.of(request.session().timeZone());
        Form widgetForm = widget != null ? widget : WidgetForm.of(widgetSettings.find(chatbot.id()));
        request.render(status, "chatbot.jte",
                View.of(request.session(), chatbot.name(), "chatbots", Notices.text(request.query("notice"))),
                new Views.ChatbotPage(owned.row(chatbot, zone), rename, delete,
                        // The snippet of `chatbot embed`: the default floating bubble, on the address visitors use.
                        WidgetSnippet.html(security.ownOrigin(request.ctx()), chatbot.id(), "bubble", null),
                        WidgetForm.view(widgetForm), widget != null));
    }

    /**
     * The widget settings form: what {@code chatbot widget} and PUT widget-settings do, with the
     * settings' own rules. A refused form is drawn again as typed, every wrong field marked, and
     * nothing is saved; a saved one goes back to the page, whose preview draws the new settings.
     */
    void saveWidgetSettings(ConsoleRequest request) {
        Chatbot chatbot = owned.chatbot(request);
        WidgetForm.Posted posted = WidgetForm.read(request);
        if (!posted.check(widgetSettings.find(chatbot.id()))) {
            showChatbot(request, 400, chatbot, Form.empty().with("name", chatbot.name()), Form.empty(), posted.form());
            return;
        }
        widgetSettings.update(chatbot.id(), posted::applyTo).orElseThrow(() -> new NotFound("chatbot"));
        request.redirect("/console/chatbots/" + chatbot.id() + "?notice=widget-saved");
    }

    void rename(ConsoleRequest request) {
        Chatbot chatbot = owned.chatbot(request);
        String name = request.field("name");
        try {
            settings.update(chatbot.id(), ChatbotSettings.Change.none().withName(name))
                    .orElseThrow(() -> new NotFound("chatbot"));
        } catch (InvalidInput e) {
            showChatbot(request, 400, chatbot, Form.empty().with("name", name).error("name", e.getMessage()), Form.empty(), null);
            return;
        }
        request.redirect("/console/chatbots/" + chatbot.id() + "?notice=renamed");
    }

    /** Only when the name typed is the chatbot's: deleting takes its leads with it, for good. */
    void delete(ConsoleRequest request) {
        Chatbot chatbot = owned.chatbot(request);
        String typed = request.field("confirmName");
        if (!typed.strip().equals(chatbot.name())) {
            showChatbot(request, 400, chatbot, Form.empty().with("name", chatbot.name()),
                    Form.empty().with("confirmName", typed).error("confirmName",
                            "Type the chatbot's name exactly as shown to delete it."), null);
            return;
        }
        chatbots.delete(chatbot.id());
        request.redirect("/console/chatbots?notice=deleted");
    }

    void captureSettings(ConsoleRequest request) {
        Chatbot chatbot = owned.chatbot(request);
        ChatbotSettings current = settings.find(chatbot.id()).orElseThrow(() -> new NotFound("chatbot"));
        Form form = Form.empty()
                .with("leadCapture", current.captureEnabled() ? "on" : "")
                .with("allowedOrigins", String.join("\n", current.allowedOrigins()))
                .with("defaultRegion", current.defaultRegion() == null ? "" : current.defaultRegion());
        showCapture(request, 200, chatbot, form);
    }

    private void showCapture(ConsoleRequest request, int status, Chatbot chatbot, Form form) {
        request.render(status, "capture.jte",
                View.of(request.session(), "Capture settings: " + chatbot.name(), "chatbots", Notices.text(request.query("notice"))),
                new Views.Capture(Owned.heading(chatbot, ZoneId.of(request.session().timeZone())), form));
    }

    /** What {@code chatbot update} and update-chatbot-settings do, with their rules and messages. */
    void saveCaptureSettings(ConsoleRequest request) {
        Chatbot chatbot = owned.chatbot(request);
        boolean capture = request.checked("leadCapture");
        String origins = request.field("allowedOrigins");
        String region = request.field("defaultRegion");
        Form form = Form.empty().with("leadCapture", capture ? "on" : "").with("allowedOrigins", origins)
                .with("defaultRegion", region);
        ChatbotSettings.Change change = ChatbotSettings.Change.none().withCaptureEnabled(capture);
        List<String> originList = new ArrayList<>();
        for (String line : origins.split("[\\r\\n,]+")) {
            if (!line.isBlank()) {
                originList.add(line.strip());
            }
        }
        try {
            change = change.withAllowedOrigins(originList);
        } catch (InvalidInput e) {
            form.error("allowedOrigins", e.getMessage());
        }
        try {
            change = change.withDefaultRegion(region.isBlank() ? null : region);
        } catch (InvalidInput e) {
            form.error("defaultRegion", e.getMessage());
        }
        if (form.hasErrors()) {
            showCapture(request, 400, chatbot, form);
            return;
        }
        settings.update(chatbot.id(), change).orElseThrow(() -> new NotFound("chatbot"));
        request.redirect("/console/chatbots/" + chatbot.id() + "/settings?notice=saved");
    }
}
