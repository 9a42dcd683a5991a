package io.chatleads;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * {@link Settings#redactUrl}, which {@code config} and start-up errors print: whatever shape the
 * password has and wherever the URL carries it, nothing of it is left, and the rest of the URL is.
 */
class SettingsRedactUrlTest {

    @Test
    void userInfoPasswordsHoldingUrlCharactersAreMaskedWhole() {
        assertEquals("jdbc:postgresql://app:****@db:5432/x", Settings.redactUrl("jdbc:postgresql://app:pw@db:5432/x"));
        // an '@' in the password: the user info ends at the last '@' before the query
        assertEquals("jdbc:postgresql://app:****@db:5432/x", Settings.redactUrl("jdbc:postgresql://app:p@ss@db:5432/x"));
        // a '/' or a '?' in the password
        assertEquals("jdbc:postgresql://app:****@db/x", Settings.redactUrl("jdbc:postgresql://app:pa/ss@db/x"));
        assertEquals("jdbc:postgresql://app:****@db/x?sslmode=disable",
                Settings.redactUrl("jdbc:postgresql://app:p?ss@db/x?sslmode=disable"));
        assertEquals("postgresql://app:****@db/x", Settings.redactUrl("postgresql://app:se:cr@et@db/x"));
    }

    @Test
    void passwordParametersAreMaskedUpToTheNextParameter() {
        assertEquals("jdbc:postgresql://db/x?user=app&password=****&ssl=true",
                Settings.redactUrl("jdbc:postgresql://db/x?user=app&password=s3cr%40t&ssl=true"));
        // '@', '/' and ';' in a parameter's password, and a user with an '@' before it
        assertEquals("jdbc:postgresql://db:5432/x?user=me@corp&password=****",
                Settings.redactUrl("jdbc:postgresql://db:5432/x?user=me@corp&password=p@ss/w;rd@db"));
        assertEquals("jdbc:postgresql://db/x?PASSWORD=****&sslpassword=****",
                Settings.redactUrl("jdbc:postgresql://db/x?PASSWORD=a&sslpassword=b"));
        // both at once
        String both = Settings.redactUrl("jdbc:postgresql://u:first@db/x?password=second@x");
        assertEquals("jdbc:postgresql://u:****@db/x?password=****", both);
        assertFalse(both.contains("first") || both.contains("second"), both);
    }

    @Test
    void urlsWithoutAPasswordAreLeftAlone() {
        for (String url : new String[] {"jdbc:sqlite:./data/chatleads.db", "jdbc:postgresql://db:5432/leads",
                "jdbc:postgresql://app@db:5432/leads", "jdbc:postgresql://db:5432/leads?user=me@corp&sslmode=require",
                "jdbc:postgresql:leads", "jdbc:sqlite:/var/lib/chat@leads/x.db"}) {
            assertEquals(url, Settings.redactUrl(url));
        }
    }
}
