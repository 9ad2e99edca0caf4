package dev.ordersaga.hawtio.console;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Gives the management credentials to Hawtio's proxy ({@code /hawtio/proxy/<scheme>/<host>/<port>/<path>}) for the
 * application's Jolokia, and for no other target: a request the browser sends without an Authorization header gets
 * HTTP Basic, which the proxy passes on. The browser never holds the password, and the console asks for no login
 * (it listens on this machine only, by default).
 */
final class JolokiaCredentials extends HttpFilter {

    private static final long serialVersionUID = 1L;
    private static final String AUTHORIZATION = "Authorization";

    private final String proxiedPrefix;
    private final String authorization;

    JolokiaCredentials(URI jolokia, ConsoleOptions.Credentials credentials) {
        this.proxiedPrefix = "/" + jolokia.getScheme() + "/" + jolokia.getHost() + "/" + jolokia.getPort() + "/";
        this.authorization = "Basic " + Base64.getEncoder().encodeToString(
                (credentials.user() + ":" + credentials.password()).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String target = request.getPathInfo();
        if (target != null && target.startsWith(proxiedPrefix) && request.getHeader(AUTHORIZATION) == null) {
            chain.doFilter(new WithAuthorization(request, authorization), response);
        } else {
            chain.doFilter(request, response);
        }
    }

    /** The browser's request with one more header. */
    private static final class WithAuthorization extends HttpServletRequestWrapper {

        private final String authorization;

        WithAuthorization(HttpServletRequest request, String authorization) {
            super(request);
            this.authorization = authorization;
        }

        @Override
        public String getHeader(String name) {
            return AUTHORIZATION.equalsIgnoreCase(name) ? authorization : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return AUTHORIZATION.equalsIgnoreCase(name) ? Collections.enumeration(List.of(authorization))
                    : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            List<String> names = Collections.list(super.getHeaderNames());
            names.add(AUTHORIZATION);
            return Collections.enumeration(names);
        }
    }
}
