package io.chatleads.console;

import io.chatleads.account.Session;

/**
 * What the layout of every page needs: its title, which part of the navigation is current, who is
 * signed in (null on the sign-in pages) and the CSRF token their forms carry, and a one-line
 * notice after an action ("Key revoked.").
 */
record View(String title, String section, String email, String csrfToken, String notice) {

    static View signedOut(String title, String formToken) {
        return new View(title, "", null, formToken, null);
    }

    static View of(Session session, String title, String section, String notice) {
        return new View(title, section, session.email(), session.csrfToken(), notice);
    }

    boolean signedIn() {
        return email != null;
    }
}
