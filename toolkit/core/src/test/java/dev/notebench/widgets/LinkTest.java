package dev.notebench.widgets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LinkTest {

    @Test
    void linkedTraitsFollowEachOtherBothWaysUntilUnlinked() {
        IntSlider a = new IntSlider().value(7);
        IntSlider b = new IntSlider();
        Link link = Link.of(a, "value", b, "value");
        assertEquals(7, b.value(), "the target takes the source's value");
        a.value(9);
        assertEquals(9, b.value());
        b.value(3);
        assertEquals(3, a.value());
        link.close();
        a.value(50);
        assertEquals(3, b.value());
    }

    @Test
    void aLinkConvertsBetweenWholeNumbersAndNumbers() {
        IntSlider steps = new IntSlider().value(4);
        FloatSlider scale = new FloatSlider();
        Link.of(steps, "value", scale, "value");
        assertEquals(4.0, scale.value());
        scale.value(6.0);
        assertEquals(6, steps.value());
    }

    @Test
    void aChangeFromTheFrontEndTravelsTheLinkAndReachesTheOtherWidgetsView() {
        RecordingComms comms = new RecordingComms();
        List<RuntimeException> problems = new ArrayList<>();
        WidgetSession session = RecordingComms.liveSession(comms, problems);
        Text text = new Text();
        Textarea copy = new Textarea();
        Link.of(text, "value", copy, "value");
        session.view(new VBox(text, copy));
        comms.clear();
        comms.fromFrontEnd(text.id(), Map.of("method", "update", "state", Map.of("value", "typed")));
        assertEquals("typed", copy.value());
        assertEquals(List.of(Map.of("method", "update", "state", Map.of("value", "typed"), "buffer_paths", List.of())),
                comms.messages(copy.id()));
        assertEquals(List.of(Map.of("method", "echo_update", "state", Map.of("value", "typed"), "buffer_paths", List.of())),
                comms.messages(text.id()), "the text box only gets its echo: the value came from it");
        assertEquals(List.of(), problems);
    }
}
