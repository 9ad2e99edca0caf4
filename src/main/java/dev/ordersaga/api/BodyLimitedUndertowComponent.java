package dev.ordersaga.api;

import java.net.URI;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.camel.component.undertow.HttpHandlerRegistrationInfo;
import org.apache.camel.component.undertow.UndertowComponent;
import org.apache.camel.component.undertow.UndertowConsumer;
import org.apache.camel.component.undertow.UndertowHost;
import org.apache.camel.component.undertow.UndertowHostKey;
import org.apache.camel.component.undertow.UndertowHostOptions;
import org.apache.camel.component.undertow.handlers.CamelRootHandler;
import org.apache.camel.component.undertow.handlers.RestRootHandler;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;

/**
 * camel-undertow, with every request's body held to the API's limit ({@link RequestBodyLimit}) by the server itself,
 * before any consumer reads it. The server is camel-undertow's own but for that: Undertow's default limit (2 MiB,
 * checked before any handler runs) is lifted, since it answered a longer declared body with a bare 400, and the
 * API's limit is checked first of every request instead. camel-undertow's {@code handlers} option cannot do it: it
 * wraps nothing for REST DSL endpoints.
 */
public final class BodyLimitedUndertowComponent extends UndertowComponent {

    private final RequestBodyLimit limit;

    public BodyLimitedUndertowComponent(RequestBodyLimit limit) {
        this.limit = limit;
    }

    @Override
    protected UndertowHost createUndertowHost(UndertowHostKey key) {
        return new Host(key, getHostOptions(), limit);
    }

    /** One Undertow server: REST DSL consumers by path and verb, any other consumer by its path. */
    private static final class Host implements UndertowHost {
        private final Lock lock = new ReentrantLock();
        private final UndertowHostKey key;
        private final UndertowHostOptions options;
        private final RequestBodyLimit limit;
        private final RestRootHandler rest = new RestRootHandler();
        private final CamelRootHandler root = new CamelRootHandler(rest);
        private Undertow server;

        Host(UndertowHostKey key, UndertowHostOptions options, RequestBodyLimit limit) {
            this.key = key;
            this.options = options;
            this.limit = limit;
            rest.init(key.getPort());
        }

        @Override
        public void validateEndpointURI(URI httpURI) {
            // any path of this host's port will do
        }

        @Override
        public HttpHandler registerHandler(UndertowConsumer consumer, HttpHandlerRegistrationInfo registration,
                                           HttpHandler handler) {
            lock.lock();
            try {
                if (server == null) {
                    server = start();
                }
                if (consumer != null && consumer.isRest()) {
                    rest.addConsumer(consumer);
                    return rest;
                }
                return root.add(registration.getUri().getPath(), registration.getMethodRestrict(),
                        Boolean.TRUE.equals(registration.isMatchOnUriPrefix()), handler);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void unregisterHandler(UndertowConsumer consumer, HttpHandlerRegistrationInfo registration) {
            lock.lock();
            try {
                if (consumer != null && consumer.isRest()) {
                    rest.removeConsumer(consumer);
                } else {
                    root.remove(registration.getUri().getPath(), registration.getMethodRestrict(),
                            Boolean.TRUE.equals(registration.isMatchOnUriPrefix()));
                }
                if (server != null && rest.consumers() == 0 && root.isEmpty()) {
                    server.stop();
                    server = null;
                }
            } finally {
                lock.unlock();
            }
        }

        private Undertow start() {
            Undertow.Builder builder = Undertow.builder().addHttpListener(key.getPort(), key.getHost())
                    .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, Long.MAX_VALUE)
                    .setHandler(exchange -> {
                        if (!limit.refused(exchange)) {
                            root.handleRequest(exchange);
                        }
                    });
            if (options != null && options.getWorkerThreads() != null) {
                builder.setWorkerThreads(options.getWorkerThreads());
            }
            if (options != null && options.getIoThreads() != null) {
                builder.setIoThreads(options.getIoThreads());
            }
            Undertow started = builder.build();
            started.start();
            return started;
        }
    }
}
