package dev.notebench.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

class AdaptiveConcurrencyTest {
    /** Fills half the limit, answers one request successfully and gives the others back without an outcome. */
    private static void succeedAtTheLimit(AdaptiveConcurrency c) throws InterruptedException {
        List<AdaptiveConcurrency.Permit> permits = new ArrayList<>();
        for (int i = (int) Math.ceil(c.exactLimit() / 2); i > 0; i--) {
            permits.add(c.acquire());
        }
        c.release(permits.get(permits.size() - 1), false, true);
        permits.forEach(p -> c.release(p, false, false));
    }

    @Test
    void successesWhileHalfTheLimitIsInUseRaiseItByOneOverTheLimitUpToTheMaximum() throws InterruptedException {
        AdaptiveConcurrency c = new AdaptiveConcurrency(4, 2, 0.5);
        succeedAtTheLimit(c);
        assertEquals(2.5, c.exactLimit(), 1e-12);
        succeedAtTheLimit(c);
        assertEquals(2.9, c.exactLimit(), 1e-12);
        succeedAtTheLimit(c);
        assertEquals(2.9 + 1 / 2.9, c.exactLimit(), 1e-12);
        assertEquals(3, c.limit());
        for (int i = 0; i < 20; i++) {
            succeedAtTheLimit(c);
        }
        assertEquals(4.0, c.exactLimit());
    }

    @Test
    void nearTheLimitThatDrewA429TheLimitGrowsFourTimesMoreSlowly() throws InterruptedException {
        AdaptiveConcurrency c = new AdaptiveConcurrency(8, 4, 0.75);
        c.release(c.acquire(), true, false);
        assertEquals(3.0, c.exactLimit());
        succeedAtTheLimit(c); // 3 + 1/3: 4.33 would pass the 429's 4, so the next steps are quartered
        assertEquals(3 + 1 / 3.0, c.exactLimit(), 1e-12);
        succeedAtTheLimit(c);
        assertEquals(3 + 1 / 3.0 + 1 / (4 * (3 + 1 / 3.0)), c.exactLimit(), 1e-12);
    }

    @Test
    void successesWithLessThanHalfTheLimitInUseLeaveItAlone() throws InterruptedException {
        AdaptiveConcurrency c = new AdaptiveConcurrency(8, 4, 0.5);
        for (int i = 0; i < 10; i++) {
            c.release(c.acquire(), false, true); // one in flight of four allowed
        }
        assertEquals(4.0, c.exactLimit());
    }

    @Test
    void manyThrottledAnswersOfOneRoundLowerTheLimitOnceAndNeverBelowOne() throws InterruptedException {
        AdaptiveConcurrency c = new AdaptiveConcurrency(8, 8, 0.5);
        List<AdaptiveConcurrency.Permit> round = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            round.add(c.acquire());
        }
        assertEquals(8, c.inFlight());
        round.forEach(p -> c.release(p, true, false));
        assertEquals(4, c.limit());
        assertEquals(1, c.decreases());
        for (int i = 0; i < 5; i++) {
            c.release(c.acquire(), true, false);
        }
        assertEquals(1, c.limit());
        assertEquals(6, c.decreases());
        c.release(c.acquire(), false, false); // a 5xx or an I/O error: no change
        assertEquals(1, c.limit());
        assertEquals(8, c.peakInFlight());
    }

    @Test
    void againstAServerThatAllowsThreeAtOnceFarFewerRequestsAreRefusedThanWithoutAdapting() throws InterruptedException {
        AdaptiveConcurrency adaptive = new AdaptiveConcurrency(8);
        int refusedAdaptive = refusedByAServerAllowingThree(adaptive);
        int refusedFixed = refusedByAServerAllowingThree(null);
        assertEquals(327, refusedFixed); // 5 of 8 refused a round while 8 or more are left, then 2 of 5
        assertEquals(19, refusedAdaptive); // halved at the first 429s, then grown back slowly near 3
        assertTrue(refusedAdaptive * 3 < refusedFixed, "429s: adaptive " + refusedAdaptive + ", fixed 8 at once " + refusedFixed);
        assertTrue(adaptive.decreases() >= 1, "a 429 lowered the limit");
    }

    /**
     * 200 requests in rounds against a server that serves 3 at once and refuses the others with
     * 429 (they are asked again next round): each round sends as many as the limit allows (8 at
     * once without adapting), in arrival order the first 3 succeed. No threads, no clock: the
     * count is exact.
     */
    private static int refusedByAServerAllowingThree(AdaptiveConcurrency c) throws InterruptedException {
        int left = 200;
        int refused = 0;
        while (left > 0) {
            int sent = Math.min(left, c == null ? 8 : c.limit());
            List<AdaptiveConcurrency.Permit> round = new ArrayList<>();
            for (int i = 0; i < sent && c != null; i++) {
                round.add(c.acquire());
            }
            int served = Math.min(sent, 3);
            left -= served;
            refused += sent - served;
            for (int i = 0; i < round.size(); i++) {
                c.release(round.get(i), i >= 3, i < 3);
            }
        }
        return refused;
    }

    @Test
    void theIntercepterReleasesItsPermitWhenTheCallFails() {
        AdaptiveConcurrency c = new AdaptiveConcurrency(2);
        OkHttpClient client = new OkHttpClient.Builder().addInterceptor(c.interceptor()).build();
        for (int i = 0; i < 3; i++) {
            try (Response r = client.newCall(new Request.Builder().url("http://127.0.0.1:1/x").build()).execute()) {
                throw new AssertionError("port 1 answered " + r.code());
            } catch (IOException expected) {
                // refused
            }
        }
        assertEquals(0, c.inFlight());
        assertEquals(2, c.limit());
    }
}
