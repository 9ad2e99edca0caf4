package dev.ordersaga.contracts;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.ordersaga.testsupport.NodeScripts;

/**
 * The validators of the published contracts, run as other teams would run them: the npm packages of contracts/
 * (@apidevtools/swagger-parser, @redocly/cli, @asyncapi/parser, pinned by contracts/package-lock.json), on Node.js.
 */
public final class ContractValidators {

    /** Where the OpenAPI document under test is written; contracts/.redocly.lint-ignore.yaml names this path. */
    public static final Path OPENAPI_DOCUMENT = Path.of("target", "contracts", "openapi.json");
    public static final Path ASYNCAPI_DOCUMENT = Path.of("docs", "asyncapi.yaml");

    private static final Path FOLDER = Path.of("contracts");
    private static final long TIMEOUT_SECONDS = 120;
    // no usage reports and no update checks: they would reach for the network, which CI does not have
    private static final NodeScripts SCRIPTS = new NodeScripts(FOLDER, Map.of(
            "REDOCLY_TELEMETRY", "off",
            "REDOCLY_SUPPRESS_UPDATE_NOTICE", "true"));

    private ContractValidators() {
    }

    /** swagger-parser's validation and redocly's lint (contracts/redocly.yaml) of an OpenAPI document. */
    public static List<NodeScripts.Outcome> checkOpenApi(String document) throws Exception {
        Files.createDirectories(OPENAPI_DOCUMENT.getParent());
        Files.writeString(OPENAPI_DOCUMENT, document, StandardCharsets.UTF_8);
        String file = fromFolder(OPENAPI_DOCUMENT);
        SCRIPTS.installed("@apidevtools/swagger-parser");
        return List.of(
                SCRIPTS.attempt(List.of("node", "validate-openapi.mjs", file), TIMEOUT_SECONDS,
                        "swagger-parser validate " + file),
                SCRIPTS.attempt(List.of("node", "node_modules/@redocly/cli/bin/cli.js", "lint", "--config",
                        "redocly.yaml", "--format", "stylish", file), TIMEOUT_SECONDS, "redocly lint " + file));
    }

    /** @asyncapi/parser's diagnostics of an AsyncAPI document; exit code 1 if one of them is an error. */
    public static NodeScripts.Outcome checkAsyncApi(Path document) throws Exception {
        SCRIPTS.installed("@asyncapi/parser");
        String file = fromFolder(document);
        return SCRIPTS.attempt(List.of("node", "validate-asyncapi.mjs", file), TIMEOUT_SECONDS,
                "@asyncapi/parser " + file);
    }

    private static String fromFolder(Path file) {
        return FOLDER.toAbsolutePath().relativize(file.toAbsolutePath()).toString();
    }
}
