package dev.notebench.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsTest {
    private static final String KEY = "sk-live-0123456789abcdef";

    @Test
    void theKeyIsRedactedAloneAndAfterBearerWhereverItStands() {
        Secrets s = Secrets.of(KEY);
        assertEquals("Authorization: Bearer [redacted]", s.scrub("Authorization: Bearer " + KEY));
        assertEquals("[redacted]", s.scrub(KEY));
        assertEquals("{\"error\":\"bad key [redacted].\"}", s.scrub("{\"error\":\"bad key " + KEY + ".\"}"));
        assertEquals("x[redacted]y", s.scrub("x" + KEY + "y"));
        assertEquals("no secret here", s.scrub("no secret here"));
    }

    @Test
    void echoesWrittenAsJsonUrlOrHtmlAreRedacted() {
        String key = "k3y/with\"quote&amp<tag>=é";
        Secrets s = Secrets.of(key);
        assertEquals("{\"a\":\"[redacted]\"}", s.scrub("{\"a\":\"k3y/with\\\"quote&amp<tag>=é\"}"));
        assertEquals("{\"c\":\"{\\\"a\\\":\\\"[redacted]\\\"}\"}", s.scrub("{\"c\":\"{\\\"a\\\":\\\"k3y/with\\\\\\\"quote&amp<tag>=é\\\"}\"}"));
        assertEquals("\"[redacted]\"", s.scrub("\"k3y\\/with\\\"quote&amp<tag>=é\""));
        assertEquals("\"[redacted]\"", s.scrub("\"k3y/with\\\"quote\\u0026amp\\u003ctag\\u003e\\u003dé\""));
        assertEquals("\"[redacted]\"", s.scrub("\"k3y/with\\\"quote&amp<tag>=\\u00e9\""));
        assertEquals("?key=[redacted]", s.scrub("?key=k3y%2Fwith%22quote%26amp%3Ctag%3E%3D%C3%A9"));
        assertEquals("<td>[redacted]</td>", s.scrub("<td>k3y/with&quot;quote&amp;amp&lt;tag&gt;=é</td>"));
    }

    @Test
    void aCutOffOrMaskedEchoOfALongKeyIsRedactedFromTwelveCharactersOn() {
        Secrets s = Secrets.of(KEY);
        assertEquals("Bearer [redacted]…", s.scrub("Bearer sk-live-0123…"));
        assertEquals("key [redacted]****", s.scrub("key sk-live-0123****"));
        assertEquals("key ****[redacted]", s.scrub("key ****456789abcdef"));
        assertEquals("key sk-live-012…", s.scrub("key sk-live-012…"), "11 characters are no echo");
    }

    @Test
    void aUrlIsRedactedWholeAndByItsTokensButItsPublicBeginningStays() {
        Secrets s = Secrets.of("https://discord.com/api/webhooks/123456789012345678/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789?thread_id=42");
        assertEquals(3, s.size()); // the URL, the id and the token
        assertEquals("posted to [redacted]", s.scrub("posted to https://discord.com/api/webhooks/123456789012345678/"
                + "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789?thread_id=42"));
        assertEquals("see https://discord.com/api/webhooks/1/x", s.scrub("see https://discord.com/api/webhooks/1/x"));
        assertEquals("token [redacted]…", s.scrub("token AbCdEfGhIjKlMnOp…"));
        assertEquals("id [redacted]", s.scrub("id 123456789012345678"));
        Secrets proxy = Secrets.of("https://user:pa55word@a-rather-long-proxy-host.example.org/v1");
        assertEquals("login [redacted] at a-rather-long-proxy-host.example.org",
                proxy.scrub("login pa55word at a-rather-long-proxy-host.example.org"));
    }

    @Test
    void aShortValueIsOnlyRedactedAsAWholeWord() {
        Secrets s = Secrets.of("ollama");
        assertEquals("Bearer [redacted]", s.scrub("Bearer ollama"));
        assertEquals("\"[redacted]\"", s.scrub("\"ollama\""));
        assertEquals("fp_ollama and ollamas stay", s.scrub("fp_ollama and ollamas stay"));
    }

    @Test
    void headerValuesAreSecretsWithTheCredentialAfterTheirScheme() {
        Secrets s = Secrets.builder().header("Authorization", "Token t0ken-0123456789").header("X-Api-Key", "abc")
                .header("X-Debug", "1").header("X-Title", "My notebook").build();
        assertEquals(4, s.size()); // "Token t0ken-...", "t0ken-...", "abc", "My notebook"
        assertEquals("got [redacted] and [redacted]", s.scrub("got Token t0ken-0123456789 and t0ken-0123456789"));
        assertEquals("key [redacted], id 1, [redacted]", s.scrub("key abc, id 1, My notebook"));
    }

    @Test
    void variablesThatAreSetAreSecretsAndOthersAreIgnored() {
        Secrets s = Secrets.builder().fromEnvironment(Map.of("MY_KEY", KEY, "EMPTY", "  "), "MY_KEY", "EMPTY", "UNSET", null).build();
        assertEquals(1, s.size());
        assertSame(Secrets.NONE, Secrets.builder().fromEnvironment(Map.of(), "UNSET").build());
        assertEquals("text " + KEY, Secrets.NONE.scrub("text " + KEY));
    }

    @Test
    void combinedSecretsScrubBothAndNeverShowAValue() {
        Secrets s = Secrets.of(KEY).and(Secrets.of("https://hooks.example/services/T0/B0/secretpart"));
        assertEquals("[redacted] [redacted]", s.scrub(KEY + " https://hooks.example/services/T0/B0/secretpart"));
        assertEquals("Secrets[2 values]", s.toString());
        assertTrue(s.isFoundIn("a " + KEY));
        assertFalse(s.isFoundIn("nothing"));
        assertTrue(s.isFoundIn(new IOException("outer", new IOException("inner " + KEY))));
        assertEquals("inner [redacted]", s.scrubMessage(new IOException("inner " + KEY)));
    }
}
