package io.chatleads.console;

import io.chatleads.account.Accounts;
import io.chatleads.error.InvalidInput;

import java.time.ZoneId;
import java.util.List;

/** The owner's account: password, time zone, signing out everywhere. */
final class AccountPages {

    private static final List<String> ZONES = ZoneId.getAvailableZoneIds().stream()
            .filter(zone -> zone.contains("/") && !zone.startsWith("Etc/") && !zone.startsWith("SystemV/"))
            .sorted()
            .toList();

    private final Accounts accounts;
    private final ConsoleSecurity security;

    AccountPages(Accounts accounts, ConsoleSecurity security) {
        this.accounts = accounts;
        this.security = security;
    }

    void show(ConsoleRequest request) {
        show(request, 200, Form.empty(), Form.empty().with("timeZone", request.session().timeZone()));
    }

    private void show(ConsoleRequest request, int status, Form password, Form zone) {
        List<String> zones = new java.util.ArrayList<>(ZONES);
        zones.add(0, "UTC");
        request.render(status, "account.jte", View.of(request.session(), "Account", "account", Notices.text(request.query("notice"))),
                new Views.AccountPage(request.session().email(), request.session().timeZone(), zones, password, zone));
    }

    /** The current password first; then every other session of the owner ends, this one goes on. */
    void changePassword(ConsoleRequest request) {
        try {
            accounts.changePassword(request.session(), request.field("currentPassword"), request.field("newPassword"));
        } catch (InvalidInput e) {
            String field = e.getMessage().startsWith("currentPassword") ? "currentPassword" : "newPassword";
            show(request, 400, Form.empty().error(field, e.getMessage()),
                    Form.empty().with("timeZone", request.session().timeZone()));
            return;
        }
        request.redirect("/console/account?notice=password");
    }

    void changeTimeZone(ConsoleRequest request) {
        String zone = request.field("timeZone");
        try {
            accounts.setTimeZone(request.session(), zone);
        } catch (InvalidInput e) {
            show(request, 400, Form.empty(), Form.empty().with("timeZone", zone).error("timeZone", e.getMessage()));
            return;
        }
        request.redirect("/console/account?notice=time-zone");
    }

    void signOutEverywhere(ConsoleRequest request) {
        accounts.sessions().endAll(request.ownerId(), null);
        security.clearSessionCookie(request.ctx());
        request.redirect("/console/sign-in");
    }
}
