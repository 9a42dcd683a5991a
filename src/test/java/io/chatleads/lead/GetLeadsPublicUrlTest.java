package io.chatleads.lead;

import io.chatleads.Settings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code CHATLEADS_PUBLIC_URL}: the base of get-leads' next link, checked when the server starts. */
class GetLeadsPublicUrlTest {

    private static String publicUrl(String value) {
        return GetLeadsRoute.publicUrl(Settings.from(Map.of("CHATLEADS_PUBLIC_URL", value)));
    }

    @ParameterizedTest
    @CsvSource({
            "https://leads.example.com, https://leads.example.com",
            "https://leads.example.com/, https://leads.example.com",
            "HTTP://leads.example.com:8443, http://leads.example.com:8443",
            "' https://[2001:db8::1]:8443 ', https://[2001:db8::1]:8443"})
    void aSchemeAndHostWithoutPathAreTheBase(String setting, String base) {
        assertEquals(base, publicUrl(setting));
    }

    @ParameterizedTest
    @ValueSource(strings = {"leads.example.com", "ftp://leads.example.com", "https://", "https://leads.example.com/api",
            "https://user:pw@leads.example.com", "https://leads.example.com/?x=1", "https://leads.example.com/#top", "https://le ads"})
    void anythingElseIsRefusedNamingTheSetting(String setting) {
        Settings.SettingsException refused = assertThrows(Settings.SettingsException.class, () -> publicUrl(setting));
        assertTrue(refused.getMessage().startsWith("CHATLEADS_PUBLIC_URL must be an http or https URL with a host and no path"),
                refused.getMessage());
    }

    @org.junit.jupiter.api.Test
    void unsetMeansTheRequestsOwnAddress() {
        assertEquals(null, GetLeadsRoute.publicUrl(Settings.from(Map.of())));
    }
}
