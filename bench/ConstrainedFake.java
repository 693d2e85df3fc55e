import com.google.gson.JsonObject;
import dev.notebench.enrich.FakeChatServer;

/**
 * Serves the fake of a grammar-constrained decoder with a weak model (FakeChatServer's
 * constrainedDecoder: every json_schema request is answered with the smallest document the schema
 * allows) on loopback until killed; prints its base URL, then, per call, nothing.
 *   java -cp ... bench/ConstrainedFake.java
 */
public final class ConstrainedFake {
    public static void main(String[] args) throws Exception {
        FakeChatServer server = FakeChatServer.builder(row -> new JsonObject()).constrainedDecoder().start();
        System.out.println(server.baseUrl());
        System.out.flush();
        Thread.currentThread().join(); // until the script that started it kills it
    }
}
