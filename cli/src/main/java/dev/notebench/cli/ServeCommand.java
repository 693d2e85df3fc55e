package dev.notebench.cli;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.options.OptionSet;
import dev.notebench.options.OptionValues;
import dev.notebench.secrets.Secrets;
import dev.notebench.serve.NotebenchServer;
import dev.notebench.serve.ServeOptions;
import dev.notebench.train.notify.WebhookNotifier;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ./notebench serve}: the HTTP API over the runs, until Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true, modelTransformer = Declared.Transformer.class,
        description = "Serve the runs over HTTP: their true status, logs, metrics and live streams of both (server-sent events),"
                + " cancel, and the OpenAPI document at /openapi.json. Bound to 127.0.0.1 unless --host says otherwise, which"
                + " needs --token-env. Runs until Ctrl-C.")
final class ServeCommand implements Callable<Integer>, Declared.Command {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public OptionSet options() {
        return ServeOptions.SERVE;
    }

    @Override
    public Integer call() throws InterruptedException {
        OptionValues v = Declared.values(spec, options());
        Map<String, String> env = System.getenv(); // read here, at the edge
        String tokenEnv = v.get(ServeOptions.TOKEN_ENV);
        String token = null;
        if (tokenEnv != null) {
            token = env.get(tokenEnv);
            if (token == null || token.isBlank()) {
                throw new NotebenchException(ErrorCode.CONFIG_INVALID, "--token-env " + tokenEnv + " names an environment variable"
                        + " that is not set or empty; export " + tokenEnv + "=<a long random token> first");
            }
        }
        Secrets secrets = Secrets.builder().fromEnvironment(env, WebhookNotifier.ENV, "OPENAI_API_KEY").build();
        NotebenchServer server = NotebenchServer.builder(v.get(ServeOptions.RUNS_DIR)).host(v.get(ServeOptions.HOST))
                .port(v.get(ServeOptions.PORT)).tokenizersDir(v.get(ServeOptions.TOKENIZERS_DIR)).token(token).secrets(secrets)
                .build().start();
        Thread stop = new Thread(server::close, "notebench-serve-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        PrintWriter out = spec.commandLine().getOut();
        out.println("Serving " + v.get(ServeOptions.RUNS_DIR) + " at " + server.url() + "/runs (API: " + server.url()
                + "/openapi.json)" + (token != null ? "; requests need 'Authorization: Bearer $" + tokenEnv + "'" : "")
                + ". Ctrl-C stops it.");
        out.flush();
        server.join();
        return 0;
    }
}
