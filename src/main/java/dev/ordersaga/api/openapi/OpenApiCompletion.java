package dev.ordersaga.api.openapi;

import java.net.URI;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.model.Model;
import org.apache.camel.model.rest.ResponseMessageDefinition;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.VerbDefinition;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Completes the OpenAPI document camel-openapi-java 4.18 generates with what its reader leaves out of the REST DSL:
 * <ul>
 * <li>the content type a response message declares ({@code contentType}, such as {@code application/problem+json}):
 * the reader gives every response the verb's {@code produces} instead;</li>
 * <li>a response of an operation whose verb declares none: the reader writes {@code "default": {}}, which has no
 * description and makes the document invalid; it is documented as a plain 200;</li>
 * <li>the responses of a GET whose sub-path is empty on a REST resource that also has a POST with an empty sub-path
 * ({@code GET /api/orders} beside {@code POST /api/orders}): the reader drops them and writes {@code "default": {}};
 * they are written from the verb's declarations, each body a reference to its model's schema, which the reader
 * writes for the other operations that answer it;</li>
 * <li>the security of an operation that requires none: {@code security: []}, OpenAPI's way to say so (the reader
 * leaves it out, and then it is unsaid);</li>
 * <li>a server the reader names by the address the API listens on, when that is the wildcard address
 * ({@code api.host=0.0.0.0}), which no client can reach: the server becomes relative, the host the document was
 * fetched from.</li>
 * </ul>
 */
final class OpenApiCompletion extends ServiceSupport implements Processor {

    /** What an operation that declares no responses answers, as far as its route says. */
    private static final String UNDECLARED_ANSWER = "OK (the route declares nothing more)";
    private static final String OK = "200";
    private static final String DEFAULT = "default";
    private static final String SCHEMAS = "#/components/schemas/";
    private static final String SECURITY = "security";
    private static final String URL = "url";
    private static final Set<String> WILDCARD_HOSTS = Set.of("0.0.0.0", "[::]");

    private final Processor generated;
    private final CamelContext camel;
    private final ObjectMapper json = new ObjectMapper();
    private final ObjectMapper yaml = new YAMLMapper();

    OpenApiCompletion(Processor generated, CamelContext camel) {
        this.generated = generated;
        this.camel = camel;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        generated.process(exchange);
        byte[] document = exchange.getMessage().getBody(byte[].class);
        if (document == null) {
            return;
        }
        String contentType = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, "", String.class);
        ObjectMapper format = contentType.toLowerCase(Locale.ROOT).contains("yaml") ? yaml : json;
        JsonNode tree = format.readTree(document);
        complete(tree, verbsByOperationId());
        byte[] completed = format.writerWithDefaultPrettyPrinter().writeValueAsBytes(tree);
        exchange.getMessage().setBody(completed);
        exchange.getMessage().setHeader(Exchange.CONTENT_LENGTH, completed.length);
    }

    private static void complete(JsonNode document, Map<String, VerbDefinition> verbs) {
        document.path("servers").forEach(OpenApiCompletion::reachable);
        boolean securedAtRoot = document.has(SECURITY);
        document.path("paths").forEach(path -> path.forEach(operation -> {
            VerbDefinition verb = verbs.get(operation.path("operationId").asText());
            if (verb == null || !(operation.get("responses") instanceof ObjectNode responses)) {
                return;
            }
            if (!securedAtRoot && !operation.has(SECURITY)) {
                ((ObjectNode) operation).putArray(SECURITY);
            }
            if (verb.getResponseMsgs().isEmpty()) {
                responses.removeAll();
                responses.putObject(OK).put("description", UNDECLARED_ANSWER);
            } else if (responses.size() == 1 && responses.has(DEFAULT)) {
                responses.removeAll();
                verb.getResponseMsgs().forEach(declared -> responses.set(declared.getCode(), dropped(declared, verb)));
            }
            verb.getResponseMsgs().forEach(declared -> withDeclaredContentType(responses, declared));
        }));
    }

    private static void reachable(JsonNode server) {
        URI url = URI.create(server.path(URL).asText());
        if (url.getHost() != null && WILDCARD_HOSTS.contains(url.getHost())) {
            ((ObjectNode) server).put(URL, url.getPath().isEmpty() ? "/" : url.getPath());
        }
    }

    /** A declared response the reader dropped, with its body's schema by reference and its headers. */
    private static ObjectNode dropped(ResponseMessageDefinition declared, VerbDefinition verb) {
        ObjectNode response = JsonNodeFactory.instance.objectNode().put("description", declared.getMessage());
        String model = declared.getResponseModel();
        if (model != null) {
            boolean array = model.endsWith("[]");
            String name = model.substring(model.lastIndexOf('.') + 1).replace("[]", "");
            ObjectNode reference = JsonNodeFactory.instance.objectNode().put("$ref", SCHEMAS + name);
            ObjectNode schema = array ? JsonNodeFactory.instance.objectNode().put("type", "array")
                    .set("items", reference) : reference;
            String media = declared.getContentType() != null ? declared.getContentType() : verb.getProduces();
            response.putObject("content").putObject(media).set("schema", schema);
        }
        if (declared.getHeaders() != null) {
            ObjectNode headers = response.putObject("headers");
            declared.getHeaders().forEach(header -> {
                ObjectNode described = headers.putObject(header.getName());
                described.put("description", header.getDescription());
                described.putObject("schema").put("type", header.getDataType() == null ? "string"
                        : header.getDataType());
            });
        }
        return response;
    }

    /** The response's one media type (the verb's produces) becomes the one the response message declares. */
    private static void withDeclaredContentType(ObjectNode responses, ResponseMessageDefinition declared) {
        if (declared.getContentType() != null
                && responses.path(declared.getCode()).get("content") instanceof ObjectNode content
                && !content.isEmpty()) {
            JsonNode media = content.elements().next();
            content.removeAll();
            content.set(declared.getContentType(), media);
        }
    }

    private Map<String, VerbDefinition> verbsByOperationId() {
        Map<String, VerbDefinition> verbs = new HashMap<>();
        for (RestDefinition rest : camel.getCamelContextExtension().getContextPlugin(Model.class).getRestDefinitions()) {
            for (VerbDefinition verb : rest.getVerbs()) {
                if (verb.getId() != null) {
                    verbs.put(camel.resolvePropertyPlaceholders(verb.getId()), verb);
                }
            }
        }
        return verbs;
    }

    @Override
    protected void doInit() throws Exception {
        ServiceHelper.initService(generated);
    }

    @Override
    protected void doStart() throws Exception {
        ServiceHelper.startService(generated);
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(generated);
    }
}
