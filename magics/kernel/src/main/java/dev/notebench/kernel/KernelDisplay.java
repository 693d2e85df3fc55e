package dev.notebench.kernel;

import dev.notebench.display.Display;
import dev.notebench.display.DisplayHandle;
import dev.notebench.plots.FigureHtml;
import dev.notebench.plots.PlotlyJs;
import io.github.spencerpark.jupyter.channels.JupyterSocket;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.Renderer;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import io.github.spencerpark.jupyter.messages.Message;
import io.github.spencerpark.jupyter.messages.MessageContext;
import io.github.spencerpark.jupyter.messages.MessageType;
import io.github.spencerpark.jupyter.messages.publish.PublishDisplayData;
import io.github.spencerpark.jupyter.messages.publish.PublishUpdateDisplayData;
import dev.notebench.widgets.Widget;
import dev.notebench.widgets.WidgetSession;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows values in the notebook from any thread: publishes {@code display_data} and
 * {@code update_display_data} on the IOPub channel under the execute request that is running or
 * ran last, so that toolkit code on background threads (a training loop, a progress bar) can
 * update what a cell showed, also after the cell finished.
 *
 * <p>The first figure of a session is preceded by one output that loads the bundled plotly.js,
 * which later figures reuse; saved notebooks and their HTML exports keep it, so plots draw offline.
 *
 * <p>A {@link Widget} is shown as {@value WidgetSession#VIEW_MIME_TYPE} (its comm opened first)
 * with its text as {@code text/plain}, where a widgets front end is connected; elsewhere as its
 * text alone, so that nbconvert and saved pages show text and no script that needs a network.
 */
final class KernelDisplay implements Display {
    private static final Logger log = LoggerFactory.getLogger(KernelDisplay.class);

    private final Renderer renderer;
    private final WidgetSession widgets;
    private final AtomicBoolean plotlySent = new AtomicBoolean();
    private volatile JupyterSocket iopub;
    private volatile MessageContext context;

    KernelDisplay(Renderer renderer, WidgetSession widgets) {
        this.renderer = renderer;
        this.widgets = widgets;
    }

    void attach(JupyterSocket iopub) {
        this.iopub = iopub;
    }

    /** Sets the request that outputs belong to: the execute request now running. */
    void setContext(MessageContext context) {
        this.context = context;
    }

    @Override
    public boolean showsWidgets() {
        return widgets.live();
    }

    @Override
    public DisplayHandle show(Object value) {
        String id = display(value);
        return new Handle(id);
    }

    String display(Object value, String... mimeTypes) {
        DisplayData data = render(value, mimeTypes);
        String id = data.hasDisplayId() ? data.getDisplayId() : UUID.randomUUID().toString();
        data.setDisplayId(id);
        publish(MessageType.PUBLISH_DISPLAY_DATA, new PublishDisplayData(data));
        return id;
    }

    void update(String id, Object value, String... mimeTypes) {
        DisplayData data = render(value, mimeTypes);
        data.setDisplayId(id);
        publish(MessageType.PUBLISH_UPDATE_DISPLAY_DATA, new PublishUpdateDisplayData(data));
    }

    /**
     * Sends the plotly.js loader first if {@code data} draws a figure and the session has not
     * loaded it yet; the kernel calls this for cell results, which basekernel publishes itself.
     */
    void preparePage(DisplayData data) {
        Object html = data.getData(MIMEType.TEXT_HTML);
        if (html instanceof String s && FigureHtml.needsPlotly(s) && plotlySent.compareAndSet(false, true)) {
            DisplayData loader = new DisplayData();
            loader.putHTML(PlotlyJs.loaderScript());
            send(MessageType.PUBLISH_DISPLAY_DATA, new PublishDisplayData(loader));
        }
    }

    /** Renders a value as display data: a widget as its view and text, anything else by its renderer. */
    DisplayData render(Object value, String... mimeTypes) {
        if (value instanceof DisplayData d) {
            return new DisplayData(d);
        }
        if (value instanceof Widget w) {
            DisplayData data = new DisplayData(w.toString());
            if (mimeTypes.length == 0 || Arrays.asList(mimeTypes).contains(WidgetSession.VIEW_MIME_TYPE)) {
                widgets.view(w).ifPresent(view -> data.putData(WidgetSession.VIEW_MIME_TYPE, view));
            }
            return data;
        }
        return mimeTypes.length == 0 ? renderer.render(value) : renderer.renderAs(value, mimeTypes);
    }

    private <T> void publish(MessageType<T> type, T content) {
        if (content instanceof DisplayData d) {
            preparePage(d);
        }
        send(type, content);
    }

    private <T> void send(MessageType<T> type, T content) {
        JupyterSocket socket = iopub;
        MessageContext ctx = context;
        if (socket == null || ctx == null) {
            log.debug("no notebook connected yet; dropping a {} message", type.getName());
            return;
        }
        socket.sendMessage(new Message<>(ctx, type, content));
    }

    private final class Handle implements DisplayHandle {
        private final String id;

        Handle(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public void update(Object value) {
            KernelDisplay.this.update(id, value);
        }
    }
}
