package dev.ordersaga.hawtio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.catalina.Context;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanFilter;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.awaitility.Awaitility;

/**
 * Hawtio, the web console for Camel, on this machine: Hawtio's war ({@code io.hawt:hawtio-default}, copied by Maven to
 * {@code target/hawtio/hawtio-default.war}) in an embedded Tomcat 11, talking to the application's Jolokia
 * ({@code http://localhost:9876/observe/jolokia} by default) through Hawtio's proxy. Nothing is downloaded at run
 * time.
 *
 * <p>Two contexts: {@code /hawtio}, the console, and {@code /}, a page that stores the connection to the application
 * in the browser (Hawtio 4 keeps its connections in {@code localStorage["connect.connections"]}) and opens
 * {@code /hawtio/?con=order-saga}, so nobody has to fill in Hawtio's Connect form.
 *
 * <p>Test-scope code: the application's jar and run-time class path carry neither Tomcat nor Hawtio. Run it with
 * {@code mvn -q -Phawtio test-compile exec:java} beside a running application (docs/hawtio.md); the browser test
 * starts it in a JVM of its own with {@link #fork}.
 */
public final class HawtioConsole implements AutoCloseable {

    /** The id and name of the connection the entry page stores in the browser. */
    public static final String CONNECTION = "order-saga";

    private static final Path DEFAULT_WAR = Paths.get("target", "hawtio", "hawtio-default.war");

    private final Tomcat tomcat;
    private final Path baseDir;
    private final int port;
    private final URI jolokia;

    private HawtioConsole(Tomcat tomcat, Path baseDir, int port, URI jolokia) {
        this.tomcat = tomcat;
        this.baseDir = baseDir;
        this.port = port;
        this.jolokia = jolokia;
    }

    /**
     * Starts Hawtio on {@code port} (0: any free port), connected to the application's Jolokia at {@code jolokiaUrl}
     * (e.g. {@code http://127.0.0.1:9876/observe/jolokia}), from the war at {@code war}.
     */
    public static HawtioConsole start(int port, Path war, String jolokiaUrl) {
        URI jolokia = URI.create(jolokiaUrl);
        if (!"http".equals(jolokia.getScheme()) && !"https".equals(jolokia.getScheme()) || jolokia.getHost() == null
                || jolokia.getPort() < 0) {
            throw new IllegalArgumentException("Jolokia URL must be http(s)://host:port/path, not " + jolokiaUrl);
        }
        if (!Files.isRegularFile(war)) {
            throw new IllegalStateException("No Hawtio war at " + war.toAbsolutePath()
                    + ": run `mvn test-compile` (maven-dependency-plugin copies io.hawt:hawtio-default there)");
        }
        // Hawtio reads these at start-up (io.hawt.system.ConfigManager): no login in front of a local console; its
        // proxy reaches only this machine and the application's host
        System.setProperty("hawtio.authenticationEnabled", "false");
        System.setProperty("hawtio.proxyAllowlist", "localhost,127.0.0.1," + jolokia.getHost());
        System.setProperty("hawtio.localAddressProbing", "false");

        Path baseDir;
        try {
            Path parent = war.toAbsolutePath().getParent();
            baseDir = Files.createTempDirectory(parent, "tomcat.");
            Files.createDirectories(baseDir.resolve("webapps"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        tomcat.setPort(port);
        tomcat.setSilent(true);
        tomcat.getConnector().setThrowOnFailure(true); // the HTTP connector on `port`: fail if it cannot listen
        tomcat.getHost().setAppBase(baseDir.resolve("webapps").toString());
        // the web applications' parent: the class loader that has Tomcat (under `mvn exec:java` that is not the
        // system class loader, which Tomcat would use otherwise)
        tomcat.getServer().setParentClassLoader(HawtioConsole.class.getClassLoader());

        // the console; Tomcat's defaults (static files, mime types, welcome file) without the JSP servlet: no Jasper
        tomcat.setAddDefaultWebXmlToWebapp(false);
        Context console = tomcat.addWebapp("/hawtio", war.toAbsolutePath().toString());
        console.addLifecycleListener(event -> {
            if (Lifecycle.BEFORE_START_EVENT.equals(event.getType())) {
                Tomcat.addServlet(console, "default", "org.apache.catalina.servlets.DefaultServlet")
                        .setLoadOnStartup(1);
                console.addServletMappingDecoded("/", "default");
                Tomcat.addDefaultMimeTypeMappings(console);
                console.addWelcomeFile("index.html");
            }
        });
        // the war's descriptor names every filter, servlet and listener: no need to scan jars for annotations, TLDs
        // or fragments (the class path alone is hundreds of jars in a test run)
        StandardJarScanner scanner = new StandardJarScanner();
        scanner.setScanClassPath(false);
        scanner.setScanManifest(false);
        StandardJarScanFilter filter = new StandardJarScanFilter();
        filter.setDefaultPluggabilityScan(false);
        filter.setDefaultTldScan(false);
        scanner.setJarScanFilter(filter);
        console.setJarScanner(scanner);

        // the entry page: stores the connection in the browser and opens the console on it
        Context root = tomcat.addContext("", baseDir.toString());
        Tomcat.addServlet(root, "connect", new ConnectPage(jolokia));
        root.addServletMappingDecoded("/", "connect");

        try {
            tomcat.start();
        } catch (LifecycleException e) {
            stopQuietly(tomcat);
            deleteQuietly(baseDir);
            throw new IllegalStateException("Hawtio did not start on port " + port + " (in use? choose another with "
                    + "-Dhawtio.port or HAWTIO_PORT)", e);
        }
        if (tomcat.getConnector().getLocalPort() < 0 || !console.getState().isAvailable()) {
            stopQuietly(tomcat);
            deleteQuietly(baseDir);
            throw new IllegalStateException("Hawtio did not start on port " + port + " (see the log above)");
        }
        return new HawtioConsole(tomcat, baseDir, tomcat.getConnector().getLocalPort(), jolokia);
    }

    /** The entry page: open this in a browser. */
    public String url() {
        return "http://localhost:" + port + "/";
    }

    /** The console itself, on the application's connection. */
    public String consoleUrl() {
        return "http://localhost:" + port + "/hawtio/?con=" + CONNECTION;
    }

    public int port() {
        return port;
    }

    public URI jolokia() {
        return jolokia;
    }

    public void stop() {
        stopQuietly(tomcat);
        deleteQuietly(baseDir);
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * {@code mvn -q -Phawtio test-compile exec:java}: Hawtio on port 8090 ({@code -Dhawtio.port}, {@code HAWTIO_PORT})
     * against {@code http://localhost:9876/observe/jolokia} ({@code -Djolokia.url}, {@code JOLOKIA_URL}, or just the
     * management port: {@code MANAGEMENT_PORT}). Stops with Ctrl-C.
     */
    public static void main(String[] args) throws InterruptedException {
        // started by fork(): ends with the process that started it
        String parent = System.getProperty("hawtio.parent-pid");
        if (parent != null) {
            ProcessHandle.of(Long.parseLong(parent)).ifPresentOrElse(
                    process -> process.onExit().thenRun(() -> System.exit(0)), () -> System.exit(0));
        }
        int port = Integer.parseInt(setting("hawtio.port", "HAWTIO_PORT", "8090"));
        String jolokia = setting("jolokia.url", "JOLOKIA_URL",
                "http://localhost:" + setting("management.port", "MANAGEMENT_PORT", "9876") + "/observe/jolokia");
        Path war = Paths.get(setting("hawtio.war", "HAWTIO_WAR", DEFAULT_WAR.toString()));
        HawtioConsole hawtio = start(port, war, jolokia);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            hawtio.stop();
            stopped.countDown();
        }, "hawtio-stop"));
        System.out.println();
        System.out.println("Hawtio is up, connected to the application's Jolokia at " + jolokia);
        System.out.println("  Open " + hawtio.url() + "  (it opens " + hawtio.consoleUrl() + ")");
        System.out.println("  Routes:  Camel (left) > tree: order-saga-orchestrator > routes, tab Routes");
        System.out.println("  Diagram: tree: routes > order-saga, tab Route Diagram");
        System.out.println("  Trace:   route order-saga, tab Trace, Start Tracing; place an order; click a message's ID");
        System.out.println("  (the application must be running: mvn -q compile exec:java). Stop with Ctrl-C.");
        stopped.await();
    }

    /**
     * Starts Hawtio in a JVM of its own (this class path), as an operator runs it beside the application: the
     * application's JMX then holds only the application's MBeans, not Hawtio's (Hawtio registers some, e.g. its
     * RBACRegistry, which its UI would then find and use through the application's Jolokia). Returns once Hawtio
     * answers; its output goes to {@code log}. The JVM ends with {@link Forked#stop()} or with this process.
     */
    public static Forked fork(int port, Path war, String jolokiaUrl, Path log, Duration startTimeout) {
        List<String> command = List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-cp", System.getProperty("java.class.path"),
                "-Dhawtio.port=" + port, "-Dhawtio.war=" + war.toAbsolutePath(), "-Djolokia.url=" + jolokiaUrl,
                "-Dhawtio.parent-pid=" + ProcessHandle.current().pid(),
                HawtioConsole.class.getName());
        Process process;
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Forked forked = new Forked(process, port, URI.create(jolokiaUrl), log);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/hawtio/"))
                .timeout(Duration.ofSeconds(5)).build();
        try {
            Awaitility.await("Hawtio answering on port " + port).atMost(startTimeout)
                    .pollInterval(Duration.ofMillis(250)).ignoreExceptionsInstanceOf(IOException.class)
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("Hawtio's JVM ended (exit " + process.exitValue()
                                    + "), see " + log.toAbsolutePath() + ":\n" + tail(log));
                        }
                        return http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                    });
        } catch (RuntimeException e) {
            forked.stop();
            throw e;
        }
        return forked;
    }

    /** Hawtio in a JVM of its own: {@link #fork}. */
    public static final class Forked implements AutoCloseable {

        private final Process process;
        private final int port;
        private final URI jolokia;
        private final Path log;

        private Forked(Process process, int port, URI jolokia, Path log) {
            this.process = process;
            this.port = port;
            this.jolokia = jolokia;
            this.log = log;
        }

        /** The entry page: it opens the console on the application's connection. */
        public String url() {
            return "http://localhost:" + port + "/";
        }

        public URI jolokia() {
            return jolokia;
        }

        public Path log() {
            return log;
        }

        public void stop() {
            process.destroy(); // SIGTERM: its shutdown hook stops Tomcat
            try {
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            stop();
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static String setting(String property, String env, String fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(env);
        }
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static void stopQuietly(Tomcat tomcat) {
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            System.err.println("Hawtio did not stop cleanly: " + e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory under target/: `mvn clean` removes what is left
        }
    }

    /** Stores the connection to the application in the browser, then opens Hawtio on it. */
    private static final class ConnectPage extends HttpServlet {

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
}
