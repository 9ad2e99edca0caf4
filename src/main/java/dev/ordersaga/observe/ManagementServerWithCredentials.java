package dev.ordersaga.observe;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.AuthenticationProvider;
import io.vertx.ext.auth.authentication.UsernamePasswordCredentials;
import io.vertx.ext.web.handler.AuthenticationHandler;
import io.vertx.ext.web.handler.BasicAuthHandler;
import org.apache.camel.CamelContext;
import org.apache.camel.Service;
import org.apache.camel.component.platform.http.main.DefaultMainHttpServerFactory;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig;
import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig.AuthenticationConfigEntry;
import org.apache.camel.main.HttpManagementServerConfigurationProperties;

/**
 * Camel's management server (health, metrics, Jolokia), with HTTP Basic credentials required on the paths given and
 * on no others: Kubernetes probes the health paths without credentials, Hawtio and Prometheus present them.
 * Camel's own option protects one path and reads a password file; this protects several, with the credentials
 * from settings (a Kubernetes Secret). The handlers are in place before the server's first request.
 */
public final class ManagementServerWithCredentials extends DefaultMainHttpServerFactory {

    private final List<String> protectedPaths;
    private final String realm;
    private final AuthenticationProvider credentials;

    public ManagementServerWithCredentials(CamelContext camel, List<String> protectedPaths, String realm,
                                           String username, String password) {
        setCamelContext(camel);
        this.protectedPaths = List.copyOf(protectedPaths);
        this.realm = realm;
        this.credentials = new FixedCredentials(username, password);
    }

    @Override
    public Service newHttpManagementServer(CamelContext camel, HttpManagementServerConfigurationProperties config) {
        ManagementHttpServer server = (ManagementHttpServer) super.newHttpManagementServer(camel, config);
        AuthenticationConfig authentication = server.getConfiguration().getAuthenticationConfig();
        for (String path : protectedPaths) {
            AuthenticationConfigEntry entry = new AuthenticationConfigEntry();
            entry.setPath(path);
            entry.setAuthenticationProviderFactory(vertx -> credentials);
            entry.setAuthenticationHandlerFactory(new AuthenticationConfig.AuthenticationHandlerFactory() {
                @Override
                public <T extends AuthenticationProvider> AuthenticationHandler createAuthenticationHandler(T provider) {
                    return BasicAuthHandler.create(provider, realm);
                }
            });
            authentication.getEntries().add(entry);
        }
        authentication.setEnabled(!protectedPaths.isEmpty());
        return server;
    }

    /** One username and password, compared in constant time. */
    private static final class FixedCredentials implements AuthenticationProvider {
        private final String username;
        private final byte[] username8;
        private final byte[] password8;

        FixedCredentials(String username, String password) {
            this.username = username;
            this.username8 = username.getBytes(StandardCharsets.UTF_8);
            this.password8 = password.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public void authenticate(JsonObject credentials, Handler<AsyncResult<User>> resultHandler) {
            resultHandler.handle(authenticate(new UsernamePasswordCredentials(credentials)));
        }

        @Override
        public Future<User> authenticate(io.vertx.ext.auth.authentication.Credentials offered) {
            if (offered instanceof UsernamePasswordCredentials given && given.getUsername() != null
                    && given.getPassword() != null) {
                boolean userMatches = MessageDigest.isEqual(username8, given.getUsername().getBytes(StandardCharsets.UTF_8));
                boolean passwordMatches = MessageDigest.isEqual(password8,
                        given.getPassword().getBytes(StandardCharsets.UTF_8));
                if (userMatches && passwordMatches) {
                    return Future.succeededFuture(User.fromName(username));
                }
            }
            return Future.failedFuture("wrong username or password");
        }
    }
}
