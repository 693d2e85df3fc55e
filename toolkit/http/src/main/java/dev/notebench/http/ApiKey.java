package dev.notebench.http;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.secrets.Secrets;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * An API key read from an environment variable whose <em>name</em> is configured, so that keys
 * live in the environment and never in notebooks, manifests, journals or logs. {@link #toString()}
 * shows the variable's name only; {@link #interceptor()} adds {@code Authorization: Bearer ...}
 * to every request.
 */
public final class ApiKey {
    private final String variable;
    private final String value;

    private ApiKey(String variable, String value) {
        this.variable = variable;
        this.value = value;
    }

    /**
     * Reads the key from an environment, which the application reads at its edge (the CLI, the
     * kernel) and passes in.
     *
     * @param variable the variable's name, e.g. {@code OPENAI_API_KEY}
     * @param environment the variables
     * @throws NotebenchException (CONFIG_INVALID) when the variable is unset or blank
     */
    public static ApiKey fromEnvironment(String variable, Map<String, String> environment) {
        Objects.requireNonNull(variable, "variable");
        String value = environment.get(variable);
        if (value == null || value.isBlank()) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "the environment variable " + variable
                    + " holds no API key; set it before starting the kernel or the command (never in a notebook), or"
                    + " give no key variable for a local server that needs none");
        }
        return new ApiKey(variable, value.strip());
    }

    /** The environment variable's name. */
    public String variable() {
        return variable;
    }

    /** Whether {@code text} contains the key (for checks that nothing leaks). */
    public boolean appearsIn(CharSequence text) {
        return text.toString().contains(value);
    }

    /** The key as a secret to scrub from whatever a server answers (see {@link SecretScrubber}). */
    public Secrets secrets() {
        return Secrets.of(value);
    }

    /** An interceptor that sends the key as a bearer token. */
    public Interceptor interceptor() {
        return new Interceptor() {
            @Override
            public Response intercept(Chain chain) throws IOException {
                return chain.proceed(chain.request().newBuilder().header("Authorization", "Bearer " + value).build());
            }

            @Override
            public String toString() {
                return "bearer key from $" + variable;
            }
        };
    }

    /** {@code $VARIABLE}: never the key itself. */
    @Override
    public String toString() {
        return "$" + variable;
    }
}
