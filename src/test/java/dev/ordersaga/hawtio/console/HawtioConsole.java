package dev.ordersaga.hawtio.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import org.apache.catalina.Context;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.apache.tomcat.util.scan.StandardJarScanFilter;
import org.apache.tomcat.util.scan.StandardJarScanner;

/**
 * Hawtio, the web console for Camel, as an operator runs it: one jar ({@code
 * target/hawtio-console/order-saga-orchestrator-hawtio-console.jar}, built with the suite) holding this class, an
 * embedded Tomcat 11 and Hawtio's war ({@code io.hawt:hawtio-default}), connected to one application's Jolokia, a
 * pod's through {@code kubectl port-forward} or the demo's on this machine, through Hawtio's proxy, with the management
 * credentials when Jolokia asks for them ({@link JolokiaCredentials}). Nothing is downloaded at run time.
 *
 * <p>Two contexts: {@code /hawtio}, the console, and {@code /}, the {@link ConnectPage} that opens it on the
 * application. Neither the war nor Tomcat is in the application's jar, image or runtime class path.
 */
public final class HawtioConsole implements AutoCloseable {

    /** Hawtio's war, inside the console's jar. */
    static final String WAR = "/hawtio-default.war";

    private final Tomcat tomcat;
    private final Path baseDir;
    private final String url;

    private HawtioConsole(Tomcat tomcat, Path baseDir, String url) {
        this.tomcat = tomcat;
        this.baseDir = baseDir;
        this.url = url;
    }

    /** {@code java -jar ...-hawtio-console.jar [options]}: see {@link ConsoleOptions#USAGE}. Stops on SIGTERM. */
    public static void main(String[] args) throws InterruptedException {
        Optional<ConsoleOptions> parsed;
        try {
            parsed = ConsoleOptions.parse(args, System.getenv());
        } catch (ConsoleOptions.Invalid e) {
            System.err.println(e.getMessage());
            System.err.println();
            System.err.print(ConsoleOptions.USAGE);
            System.exit(2);
            return;
        }
        if (parsed.isEmpty()) {
            System.out.print(ConsoleOptions.USAGE);
            return;
        }
        ConsoleOptions options = parsed.get();
        endWithTheLauncher();
        HawtioConsole hawtio = start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            hawtio.close();
            stopped.countDown();
        }, "hawtio-stop"));
        System.out.println();
        System.out.println("Hawtio is up, connected to the application's Jolokia at " + options.jolokiaUrl()
                + options.credentials().map(c -> " as " + c.user()).orElse(""));
        System.out.println("  Open " + hawtio.url() + "  (it opens Hawtio on that connection)");
        System.out.println("  Routes:  Camel (left) > tree: order-saga-orchestrator > routes, tab Routes");
        System.out.println("  Diagram: tree: routes > order-saga, tab Route Diagram");
        System.out.println("  Trace:   route order-saga, tab Trace, Start Tracing; place an order; click a message's ID");
        System.out.println("  Stop with Ctrl-C.");
        stopped.await();
    }

    /** Starts Hawtio with these options; fails if it cannot listen or Hawtio does not start. */
    public static HawtioConsole start(ConsoleOptions options) {
        URI jolokia = options.jolokiaUrl();
        // Hawtio reads these at start-up (io.hawt.system.ConfigManager): no login in front of a console on this
        // machine; its proxy reaches only this machine and the application's host
        System.setProperty("hawtio.authenticationEnabled", "false");
        System.setProperty("hawtio.proxyAllowlist", "localhost,127.0.0.1," + jolokia.getHost());
        System.setProperty("hawtio.localAddressProbing", "false");

        Path baseDir;
        Path war;
        try {
            baseDir = Files.createTempDirectory("hawtio-console.");
            Files.createDirectories(baseDir.resolve("webapps"));
            war = baseDir.resolve("hawtio-default.war");
            try (InputStream in = HawtioConsole.class.getResourceAsStream(WAR)) {
                if (in == null) {
                    throw new IllegalStateException("No Hawtio war (" + WAR + ") on the class path: run the console "
                            + "from its jar, target/hawtio-console/order-saga-orchestrator-hawtio-console.jar");
                }
                Files.copy(in, war);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        tomcat.setPort(options.port());
        tomcat.setSilent(true);
        tomcat.getConnector().setProperty("address", options.bindAddress());
        tomcat.getConnector().setThrowOnFailure(true); // the HTTP connector on its port: fail if it cannot listen
        tomcat.getHost().setAppBase(baseDir.resolve("webapps").toString());
        tomcat.getServer().setParentClassLoader(HawtioConsole.class.getClassLoader());

        // the console; Tomcat's defaults (static files, mime types, welcome file) without the JSP servlet: no Jasper
        tomcat.setAddDefaultWebXmlToWebapp(false);
        Context console = tomcat.addWebapp("/hawtio", war.toString());
        console.addLifecycleListener(event -> {
            if (Lifecycle.BEFORE_START_EVENT.equals(event.getType())) {
                Tomcat.addServlet(console, "default", "org.apache.catalina.servlets.DefaultServlet")
                        .setLoadOnStartup(1);
                console.addServletMappingDecoded("/", "default");
                Tomcat.addDefaultMimeTypeMappings(console);
                console.addWelcomeFile("index.html");
            }
        });
        options.credentials().ifPresent(credentials -> addFilter(console, "jolokia-credentials",
                new JolokiaCredentials(jolokia, credentials), "/proxy/*"));
        // the war's descriptor names every filter, servlet and listener: no need to scan jars for annotations, TLDs
        // or fragments
        StandardJarScanner scanner = new StandardJarScanner();
        scanner.setScanClassPath(false);
        scanner.setScanManifest(false);
        StandardJarScanFilter filter = new StandardJarScanFilter();
        filter.setDefaultPluggabilityScan(false);
        filter.setDefaultTldScan(false);
        scanner.setJarScanFilter(filter);
        console.setJarScanner(scanner);

        Context root = tomcat.addContext("", baseDir.toString());
        Tomcat.addServlet(root, "connect", new ConnectPage(jolokia));
        root.addServletMappingDecoded("/", "connect");

        try {
            tomcat.start();
        } catch (LifecycleException e) {
            stop(tomcat, baseDir);
            throw new IllegalStateException("Hawtio did not start on port " + options.port() + " (in use? choose "
                    + "another with --port)", e);
        }
        if (tomcat.getConnector().getLocalPort() < 0 || !console.getState().isAvailable()) {
            stop(tomcat, baseDir);
            throw new IllegalStateException("Hawtio did not start on port " + options.port() + " (see the log above)");
        }
        String host = options.bindAddress().equals("0.0.0.0") || options.bindAddress().equals("::") ? "localhost"
                : options.bindAddress();
        return new HawtioConsole(tomcat, baseDir, "http://" + host + ":" + tomcat.getConnector().getLocalPort() + "/");
    }

    /** The entry page: open this in a browser. */
    public String url() {
        return url;
    }

    @Override
    public void close() {
        stop(tomcat, baseDir);
    }

    /**
     * Started by a program that waits for it (the browser test), with {@code -Dhawtio.parent-pid=PID}: ends with that
     * process, whatever way it ends.
     */
    private static void endWithTheLauncher() {
        String parent = System.getProperty("hawtio.parent-pid");
        if (parent != null) {
            ProcessHandle.of(Long.parseLong(parent)).ifPresentOrElse(
                    process -> process.onExit().thenRun(() -> System.exit(0)), () -> System.exit(0));
        }
    }

    private static void addFilter(Context context, String name, jakarta.servlet.Filter filter, String urlPattern) {
        FilterDef def = new FilterDef();
        def.setFilterName(name);
        def.setFilter(filter);
        context.addFilterDef(def);
        FilterMap map = new FilterMap();
        map.setFilterName(name);
        map.addURLPatternDecoded(urlPattern);
        context.addFilterMap(map);
    }

    private static void stop(Tomcat tomcat, Path baseDir) {
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            System.err.println("Hawtio did not stop cleanly: " + e);
        }
        try (Stream<Path> paths = Files.walk(baseDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory: what is left goes with the machine's temporary files
        }
    }
}
