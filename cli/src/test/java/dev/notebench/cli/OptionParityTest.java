package dev.notebench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.magics.DeclaredMagics;
import dev.notebench.magics.MagicOptions;
import dev.notebench.magics.MagicsProvider;
import dev.notebench.magics.NotebookContext;
import dev.notebench.options.Option;
import dev.notebench.options.OptionSet;
import io.github.spencerpark.jupyter.kernel.magic.registry.CellMagic;
import io.github.spencerpark.jupyter.kernel.magic.registry.LineMagic;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command is one declaration: for each command of {@code ./notebench}, the magic of the
 * same name accepts the same options, with the same types, ranges, defaults and help, and every
 * option has help. What only one front end has is listed here with its reason, so that a new
 * option or command cannot drift unnoticed.
 */
class OptionParityTest {
    /** Magic options the command line cannot have. */
    private static final Map<String, Set<String>> MAGIC_ONLY = Map.of(
            "train", Set.of("background"), // a kernel thread: the command line has no kernel to keep usable
            "generate", Set.of("interactive"), // a widget form
            "enrich", Set.of("table"), // a notebook's table variable
            "associations", Set.of("table")); // a notebook's table variable

    /** Commands without a magic, and why. */
    private static final Map<String, String> COMMAND_LINE_ONLY = Map.ofEntries(
            Map.entry("tokenizer count", "a benchmark of encoding speed for the shell"),
            Map.entry("kernel install", "installs the kernel itself"),
            Map.entry("kernel uninstall", "removes the kernel itself"),
            Map.entry("demo", "runs notebooks in a kernel"),
            Map.entry("batch", "runs worker processes from a manifest"),
            Map.entry("serve", "a long-lived HTTP server; a notebook has its kernel"));

    /** The declared magics of every provider on the classpath, by name ("tokenizer train" for a sub-command). */
    private static Map<String, OptionSet> magics() {
        NotebookContext none = (NotebookContext) Proxy.newProxyInstance(OptionParityTest.class.getClassLoader(),
                new Class<?>[] {NotebookContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("environment")) { // read when magics are made
                        return Map.of();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        Map<String, OptionSet> out = new TreeMap<>();
        for (MagicsProvider p : ServiceLoader.load(MagicsProvider.class)) {
            Object magics = p.create(none);
            if (!(magics instanceof DeclaredMagics declared)) {
                continue;
            }
            for (Method m : magics.getClass().getDeclaredMethods()) {
                LineMagic line = m.getAnnotation(LineMagic.class);
                CellMagic cell = m.getAnnotation(CellMagic.class);
                String name = line != null ? (line.value().isEmpty() ? m.getName() : line.value())
                        : cell != null ? (cell.value().isEmpty() ? m.getName() : cell.value()) : null;
                MagicOptions syntax = name == null ? null : declared.syntax(name).orElse(null);
                if (syntax == null) {
                    continue;
                }
                if (!syntax.options().options().isEmpty() || syntax.commandForms().isEmpty()) {
                    out.put(name, syntax.options());
                }
                syntax.commandForms().forEach((command, form) -> out.put(name + " " + command, form));
            }
        }
        return out;
    }

    /** Every command of ./notebench by its words, e.g. "tokenizer train". */
    private static Map<String, CommandLine> commands() {
        Map<String, CommandLine> out = new TreeMap<>();
        collect(Notebench.commandLine(), "", out);
        return out;
    }

    private static void collect(CommandLine cl, String prefix, Map<String, CommandLine> into) {
        for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
            String name = (prefix + " " + e.getKey()).strip();
            if (e.getValue().getCommandSpec().usageMessage().hidden() || e.getKey().equals("help")) {
                continue;
            }
            if (e.getValue().getSubcommands().isEmpty()) {
                into.put(name, e.getValue());
            } else {
                collect(e.getValue(), name, into);
            }
        }
    }

    /** An option as a front end shows it: synopsis, repeatable, and help with range and default. */
    private static String shown(Option<?> o) {
        return o.synopsis() + (o.isRepeatable() ? "..." : "") + (o.isRequired() ? " (required)" : "") + "  " + o.describe();
    }

    private static Map<String, String> shown(OptionSet set) {
        Map<String, String> out = new LinkedHashMap<>();
        set.positional().ifPresent(p -> out.put(p.label(), p.label() + "... (at least " + p.min() + ")  " + p.help()));
        for (Option<?> o : set.options()) {
            out.put(o.name(), shown(o));
        }
        return out;
    }

    @Test
    void theMagicAndTheCommandLineAcceptTheSameOptionsWithTheSameDefaultsAndRanges() {
        Map<String, OptionSet> magics = magics();
        List<String> compared = new ArrayList<>();
        for (Map.Entry<String, CommandLine> c : commands().entrySet()) {
            String name = c.getKey();
            Object command = c.getValue().getCommand();
            if (COMMAND_LINE_ONLY.containsKey(name)) {
                continue;
            }
            assertTrue(command instanceof Declared.Command, name + " declares its options by hand; declare them beside its"
                    + " capability (an OptionSet) and let Declared derive the command");
            OptionSet cli = ((Declared.Command) command).options();
            OptionSet magic = magics.get(name);
            assertNotNull(magic, "no magic declares the options of '" + name + "': " + magics.keySet());
            Map<String, String> magicShown = shown(magic);
            magicShown.keySet().removeAll(MAGIC_ONLY.getOrDefault(name, Set.of()));
            assertEquals(shown(cli), magicShown, name);
            compared.add(name);
        }
        assertEquals(List.of("arrange", "associations", "cache", "embed", "enrich", "eval", "export", "generate", "report", "runs", "score", "tokenizer encode", "tokenizer stats",
                "tokenizer train", "train"), compared);
    }

    @Test
    void aBatchTaskTakesTheCommandsOwnOptionsWithTheirFileRoles() {
        Map<String, OptionSet> commands = new TreeMap<>();
        commands().forEach((name, cl) -> {
            if (cl.getCommand() instanceof Declared.Command d) {
                commands.put(name, d.options());
            }
        });
        Map<String, OptionSet> tasks = new TreeMap<>(BatchManifest.TASK_OPTIONS);
        tasks.putAll(BatchManifest.TASK_ARGS);
        assertEquals(List.of("arrange", "associations", "embed", "enrich"), List.copyOf(tasks.keySet()));
        tasks.forEach((type, task) -> {
            OptionSet command = commands.get(type);
            assertNotNull(command, type + " tasks are not the options of a declared command: " + commands.keySet());
            for (Option<?> o : task.options()) {
                Option<?> same = command.find(o.name()).orElse(null);
                assertNotNull(same, type + " task field " + o.name());
                assertEquals(shown(same).replace(" (required)", ""), shown(o).replace(" (required)", ""), type + " " + o.name());
                assertEquals(same.role(), o.role(), type + " " + o.name());
            }
            task.positional().ifPresent(p -> assertEquals(command.positional().orElseThrow().role(), p.role(), type));
        });
        assertEquals(Set.of("--examples", "--input", "--instructions-file", "--patterns", "--schema"), BatchManifest.INPUT_OPTIONS);
        assertEquals(Set.of("--cooccurrence-out", "--dot", "--graphml", "--out"), BatchManifest.OUTPUT_OPTIONS);
    }

    @Test
    void theCommandLineShowsEachDeclaredOptionWithItsTypeAndHelp() {
        for (Map.Entry<String, CommandLine> c : commands().entrySet()) {
            if (!(c.getValue().getCommand() instanceof Declared.Command d)) {
                continue;
            }
            CommandLine.Model.CommandSpec spec = c.getValue().getCommandSpec();
            for (Option<?> o : d.options().options()) {
                CommandLine.Model.OptionSpec os = spec.findOption("--" + o.name());
                assertNotNull(os, c.getKey() + " --" + o.name());
                assertEquals(o.isFlag() ? boolean.class : o.isRepeatable() ? List.class : o.type().javaType(), os.type(),
                        c.getKey() + " --" + o.name());
                assertEquals(o.describe().substring(1), String.join(" ", os.description()).substring(1)
                        .replace("%%", "%").replaceAll("\\.$", ""), c.getKey() + " --" + o.name());
            }
        }
    }

    @Test
    void everyOptionHasHelp() {
        Set<String> without = new TreeSet<>();
        Map<String, OptionSet> all = new TreeMap<>(magics());
        commands().forEach((name, cl) -> {
            if (cl.getCommand() instanceof Declared.Command d) {
                all.put("cli " + name, d.options());
            }
        });
        assertFalse(all.isEmpty());
        all.forEach((name, set) -> {
            for (Option<?> o : set.options()) {
                if (o.help().isBlank()) {
                    without.add(name + " --" + o.name());
                }
            }
            set.positional().filter(p -> p.help().isBlank()).ifPresent(p -> without.add(name + " " + p.label()));
        });
        assertEquals(Set.of(), without);
    }
}
