package dev.ordersaga.hawtio.console;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The entry page, {@code /}: stores the connection to the application's Jolokia in the browser (Hawtio 4 keeps its
 * connections in {@code localStorage["connect.connections"]}) and opens Hawtio on it, {@code /hawtio/?con=order-saga},
 * so that nobody fills in Hawtio's Connect form.
 */
final class ConnectPage extends HttpServlet {

    /** The id and name of the connection the page stores in the browser. */
    static final String CONNECTION = "order-saga";

    private static final long serialVersionUID = 1L;

    private final transient URI jolokia;

    ConnectPage(URI jolokia) {
        this.jolokia = jolokia;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!"/".equals(request.getServletPath()) || request.getPathInfo() != null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        String connection = "{\"id\":\"" + CONNECTION + "\",\"name\":\"" + CONNECTION + "\",\"scheme\":\""
                + jolokia.getScheme() + "\",\"host\":\"" + jolokia.getHost() + "\",\"port\":" + jolokia.getPort()
                + ",\"path\":\"" + (jolokia.getRawPath().isEmpty() ? "/" : jolokia.getRawPath()) + "\"}";
        response.setContentType("text/html");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write("""
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>Hawtio: order saga orchestrator</title></head>
                <body>
                <p>Opening Hawtio on the order saga orchestrator's Jolokia (%s)&hellip;</p>
                <script>
                  // Hawtio 4 (connect plugin) keeps its connections here; ?con= picks one
                  const connection = %s;
                  const connections = JSON.parse(localStorage.getItem('connect.connections') || '{}');
                  connections[connection.id] = connection;
                  localStorage.setItem('connect.connections', JSON.stringify(connections));
                  location.replace('/hawtio/?con=' + encodeURIComponent(connection.id));
                </script>
                <noscript>Hawtio needs JavaScript.</noscript>
                </body></html>
                """.formatted(jolokia, connection));
    }
}
