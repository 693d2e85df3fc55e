package dev.notebench.widgets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The widget protocol as the kernel speaks it over its comms, against a recording fake of them. */
class WidgetSessionTest {
    private final RecordingComms comms = new RecordingComms();
    private final List<RuntimeException> problems = new ArrayList<>();

    private static Map<String, Object> update(Map<String, Object> state) {
        return Map.of("method", "update", "state", state, "buffer_paths", List.of());
    }

    @Test
    void withoutAWidgetsFrontEndAWidgetShowsAsTextAndNoCommOpens() {
        WidgetSession session = new WidgetSession(comms, problems::add);
        IntSlider s = new IntSlider();
        assertFalse(session.live());
        assertEquals(Optional.empty(), session.view(s));
        s.value(5);
        assertEquals(List.of(), comms.sent());
        assertFalse(s.isOpen());
        assertNull(session.accept(WidgetSession.CONTROL_TARGET, comms.comm(WidgetSession.CONTROL_TARGET, "c"), Map.of(),
                Map.of("version", "2.0.0")), "a control protocol of another major version is closed");
        assertNull(session.accept("jupyter.other", comms.comm("jupyter.other", "o"), Map.of(), Map.of()));
        assertFalse(session.live());
    }

    @Test
    void showingAWidgetOpensWhatItRefersToFirstWithTheProtocolVersion() {
        WidgetSession session = RecordingComms.liveSession(comms, problems);
        Button stop = new Button("Stop");
        Map<String, Object> view = session.view(stop).orElseThrow();
        assertEquals(Map.of("version_major", 2, "version_minor", 0, "model_id", stop.id()), view);
        List<RecordingComms.Sent> sent = comms.sent();
        assertEquals(List.of(stop.layout().id(), stop.style().id(), stop.id()), sent.stream().map(RecordingComms.Sent::id).toList());
        for (RecordingComms.Sent s : sent) {
            assertEquals("open", s.type());
            assertEquals("jupyter.widget", s.target());
            assertEquals(Map.of("version", "2.1.0"), s.metadata());
            assertEquals(List.of(), s.data().get("buffer_paths"));
        }
        assertEquals(stop.state(), sent.get(2).data().get("state"));
        assertEquals(List.of("state", "buffer_paths"), List.copyOf(sent.get(2).data().keySet()));
        assertEquals(sent, comms.sent(), "nothing more");
        session.view(stop);
        assertEquals(3, comms.sent().size(), "showing it again opens nothing new");
        assertEquals(new java.util.TreeSet<>(List.of(stop.id(), stop.layout().id(), stop.style().id())), session.openIds());
    }

    @Test
    void aChangeInJavaIsSentAsAnUpdateOfThatTraitAlone() {
        WidgetSession session = RecordingComms.liveSession(comms, problems);
        FloatSlider t = new FloatSlider().max(2).value(0.8);
        session.view(t);
        comms.clear();
        t.value(1.25);
        t.value(1.25); // no change, nothing sent
        t.description("temperature");
        assertEquals(List.of(update(Map.of("value", 1.25)), update(Map.of("description", "temperature"))), comms.messages(t.id()));
    }

    @Test
    void anUpdateFromTheFrontEndIsAppliedEchoedAndHeard() {
        WidgetSession session = RecordingComms.liveSession(comms, problems);
        IntSlider s = new IntSlider();
        List<Change> heard = new ArrayList<>();
        s.onChange("value", heard::add);
        session.view(s);
        comms.clear();
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("value", 42L); // JSON numbers arrive as Long
        state.put("_model_name", "Hacked"); // fixed by the model: ignored
        state.put("layout", "IPY_MODEL_x"); // references belong to the kernel: ignored
        state.put("no_such_trait", 1L); // ignored, as ipywidgets does
        comms.fromFrontEnd(s.id(), Map.of("method", "update", "state", state, "buffer_paths", List.of()));
        assertEquals(42, s.value());
        assertEquals("IntSliderModel", s.modelName());
        assertEquals(List.of(new Change(s, "value", 0, 42, true)), heard);
        assertEquals(List.of(Map.of("method", "echo_update", "state", Map.of("value", 42), "buffer_paths", List.of())),
                comms.messages(s.id()), "echoed as ipywidgets 8 does, and not sent back as an update");
        assertEquals(List.of(), problems);

        comms.fromFrontEnd(s.id(), Map.of("method", "update", "state", Map.of("value", "many")));
        assertEquals(42, s.value());
        assertEquals("the front end set IntSlider.value takes a whole number, got many (String); ignored",
                problems.get(0).getMessage());
    }

    @Test
    void requestStateIsAnsweredWithTheWholeStateAndTheControlCommWithEveryWidget() {
        RecordingComms comms = this.comms;
        WidgetSession session = new WidgetSession(comms, problems::add);
        Comm control = comms.comm(WidgetSession.CONTROL_TARGET, "control");
        Comm.Handler h = session.accept(WidgetSession.CONTROL_TARGET, control, Map.of(), Map.of("version", "1.0.0"));
        assertTrue(session.live());
        Label l = new Label("hello");
        session.view(l);
        comms.clear();
        comms.fromFrontEnd(l.id(), Map.of("method", "request_state"));
        assertEquals(List.of(update(l.state())), comms.messages(l.id()));

        h.message(Map.of("method", "request_states"));
        Map<String, Object> answer = comms.messages("control").get(0);
        assertEquals("update_states", answer.get("method"));
        assertEquals(List.of(), answer.get("buffer_paths"));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> states = (Map<String, Map<String, Object>>) answer.get("states");
        assertEquals(new java.util.TreeSet<>(List.of(l.id(), l.layout().id(), l.style().id())), new java.util.TreeSet<>(states.keySet()));
        assertEquals(Map.of("model_name", "LabelModel", "model_module", "@jupyter-widgets/controls", "model_module_version", "2.0.0",
                "state", l.state()), states.get(l.id()));
    }

    @Test
    void aClickRunsTheButtonsListenersAndCustomMessagesReachOnMessage() {
        WidgetSession session = RecordingComms.liveSession(comms, problems);
        Button b = new Button("Go");
        List<String> heard = new ArrayList<>();
        b.onClick(x -> heard.add("click " + x.description()));
        b.onMessage(m -> heard.add("message " + m));
        session.view(b);
        comms.fromFrontEnd(b.id(), Map.of("method", "custom", "content", Map.of("event", "click")));
        assertEquals(List.of("click Go", "message {event=click}"), heard);

        b.onClick(x -> {
            throw new IllegalStateException("listener failed");
        });
        comms.fromFrontEnd(b.id(), Map.of("method", "custom", "content", Map.of("event", "click")));
        assertEquals(List.of("click Go", "message {event=click}", "click Go", "message {event=click}"), heard,
                "a failing listener does not keep the others from running");
        assertEquals("listener failed", problems.get(0).getMessage());

        comms.clear();
        b.send(Map.of("note", "hi"));
        assertEquals(List.of(Map.of("method", "custom", "content", Map.of("note", "hi"))), comms.messages(b.id()));
    }

    @Test
    void aClosedWidgetIsForgottenAndSendsNothingMore() {
        WidgetSession session = RecordingComms.liveSession(comms, problems);
        Button b = new Button("Stop");
        List<String> heard = new ArrayList<>();
        b.onClick(x -> heard.add("click"));
        session.view(b);
        comms.clear();
        b.close();
        assertEquals(List.of("close " + b.id(), "close " + b.layout().id(), "close " + b.style().id()),
                comms.sent().stream().map(s -> s.type() + " " + s.id()).toList(), "its own layout and style close with it");
        assertEquals(java.util.Set.of(), session.openIds());
        assertTrue(b.isClosed());
        comms.clear();
        b.description("gone");
        b.click();
        assertEquals(List.of(), comms.sent());
        assertEquals(List.of(), heard, "listeners are released");
        assertEquals(Optional.empty(), session.view(b));
    }

    @Test
    void aWidgetTheFrontEndClosesIsReleased() {
        WidgetSession session = RecordingComms.liveSession(comms, problems);
        Text t = new Text();
        session.view(t);
        comms.closedByFrontEnd(t.id());
        assertTrue(t.isClosed());
        assertEquals(java.util.Set.of(), session.openIds(), "its layout and style are closed with it");
        assertEquals(List.of("close " + t.layout().id(), "close " + t.style().id()), comms.sent().stream()
                .filter(s -> s.type().equals("close")).map(s -> s.type() + " " + s.id()).toList());
    }

    @Test
    void closingTheSessionClosesEveryWidgetAndOpensNoMore() {
        WidgetSession session = RecordingComms.liveSession(comms, problems);
        Checkbox c = new Checkbox();
        session.view(new HBox(c));
        session.close();
        assertEquals(java.util.Set.of(), session.openIds());
        assertTrue(c.isClosed());
        assertEquals(5, comms.sent().stream().filter(s -> s.type().equals("close")).count(), "the box, its layout, the checkbox, its layout and style");
        assertFalse(session.live());
        assertEquals(Optional.empty(), session.view(new Label("late")));
    }

    @Test
    void aChildAddedToAnOpenBoxIsOpenedBeforeTheBoxRefersToIt() {
        WidgetSession session = RecordingComms.liveSession(comms, problems);
        VBox box = new VBox();
        session.view(box);
        comms.clear();
        Output out = new Output();
        box.children(List.of(out));
        List<RecordingComms.Sent> sent = comms.sent();
        assertEquals(List.of("open " + out.layout().id(), "open " + out.id(), "msg " + box.id()),
                sent.stream().map(s -> s.type() + " " + s.id()).toList());
        assertEquals(update(Map.of("children", List.of("IPY_MODEL_" + out.id()))), sent.get(2).data());
    }
}
