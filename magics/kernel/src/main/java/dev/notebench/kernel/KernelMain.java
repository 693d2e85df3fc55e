package dev.notebench.kernel;

import dev.notebench.kernel.agent.KernelAgent;
import dev.notebench.logging.LogFormat;
import dev.notebench.logging.LogSetup;
import io.github.spencerpark.jupyter.channels.JupyterConnection;
import io.github.spencerpark.jupyter.kernel.KernelConnectionProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the kernel for a Jupyter client: {@code java -javaagent:KERNEL_JAR ...
 * dev.notebench.kernel.KernelMain CONNECTION_FILE}, as written into the kernelspec by
 * {@code ./notebench kernel install}; the agent ({@link KernelAgent}) keeps cells from ending the JVM.
 *
 * <p>System properties: {@code notebench.log.level} (default {@code WARN}) and
 * {@code notebench.log.format} ({@code text} or {@code json}); logs go to standard error, which
 * Jupyter shows in its own log, never in the notebook.
 */
public final class KernelMain {
    private KernelMain() {
    }

    /**
     * Runs the kernel until the client shuts it down or goes away.
     *
     * @param args the path of the connection file
     * @throws Exception when the connection file cannot be read or the sockets cannot bind
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: java -cp ... dev.notebench.kernel.KernelMain CONNECTION_FILE"
                    + " (Jupyter passes the file; install the kernel with ./notebench kernel install)");
            System.exit(2);
        }
        LogSetup.configure(LogFormat.parse(System.getProperty("notebench.log.format", "text")),
                System.getProperty("notebench.log.level", "WARN"));
        Logger log = LoggerFactory.getLogger(KernelMain.class);

        String json = Files.readString(Path.of(args[0]), StandardCharsets.UTF_8);
        NotebenchKernel kernel = NotebenchKernel.builder().environment(System.getenv()).build(); // the edge: magics get it from here
        JupyterConnection connection = new JupyterConnection(KernelConnectionProperties.parse(json));
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        exitWithParent(log);
        if (!KernelAgent.exitGuardInstalled()) { // asked once the kernel is up, so as not to delay its start
            log.warn("System.exit in a cell will end this kernel: {}; reinstall the kernel with ./notebench kernel install",
                    KernelAgent.exitGuardProblem());
        }
        connection.waitUntilClose();
        kernel.close();
        System.exit(0); // cell code may have left non-daemon threads behind
    }

    /** basekernel does not notice its client dying; without this, kernels would be orphaned. */
    private static void exitWithParent(Logger log) {
        Optional.ofNullable(System.getenv("JPY_PARENT_PID"))
                .flatMap(pid -> {
                    try {
                        return ProcessHandle.of(Long.parseLong(pid.strip()));
                    } catch (NumberFormatException e) {
                        return Optional.empty();
                    }
                })
                .ifPresent(parent -> parent.onExit().thenRun(() -> {
                    log.warn("the Jupyter process {} exited; shutting the kernel down", parent.pid());
                    Runtime.getRuntime().halt(0);
                }));
    }
}
