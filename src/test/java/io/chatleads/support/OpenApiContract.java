package io.chatleads.support;

import io.chatleads.http.Route;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.chatleads.app.Server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The OpenAPI document as a test oracle: every response a test sees must be one the document
 * describes (status, required headers and their schemas, content type, body schema), checked with
 * networknt's JSON Schema 2020-12 validator, the dialect OpenAPI 3.1 schemas are written in.
 * Conventions from the document's description: a path not in the document answers
 * {@code components.responses.NotFound}; a method not listed for a path answers
 * {@code components.responses.MethodNotAllowed}.
 */
public final class OpenApiContract {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    private final JsonNode document;
    private final SchemaRegistry schemas = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();
    private final Set<String> exercised = ConcurrentHashMap.newKeySet();

    private OpenApiContract(JsonNode document) {
        this.document = document;
    }

    public static OpenApiContract load() {
        try (InputStream in = OpenApiContract.class.getResourceAsStream("/openapi.json")) {
            assertNotNull(in, "openapi.json on the classpath");
            return new OpenApiContract(JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode document() {
        return document;
    }

    /** "GET /path/{id}" for every operation in the document. */
    public Set<String> operations() {
        Set<String> operations = new TreeSet<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
            if (METHODS.contains(method)) {
                operations.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }));
        return operations;
    }

    /** The routes the server registers and the document's operations, as the same strings. */
    public static Set<String> registered(List<Route> routes) {
        Set<String> registered = new TreeSet<>();
        for (Route route : routes) {
            // Javalin writes path parameters as {id} or <id>; OpenAPI as {id}
            registered.add(route.method() + " " + route.path().replace('<', '{').replace('>', '}'));
        }
        return registered;
    }

    /** "GET /path/{id} 200" for every documented response. */
    public Set<String> documentedResponses() {
        Set<String> responses = new TreeSet<>();
        document.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (METHODS.contains(op.getKey())) {
                op.getValue().path("responses").fieldNames().forEachRemaining(status ->
                        responses.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey() + " " + status));
            }
        }));
        return responses;
    }

    /** "GET /path/{id} 200" for every response {@link #check} has seen. */
    public Set<String> exercised() {
        return new TreeSet<>(exercised);
    }

    /** Fails unless the document describes this response to {@code method path}. */
    public void check(String method, HttpResponse<String> response) {
        String path = response.uri().getRawPath();
        int status = response.statusCode();
        String context = method + " " + response.uri() + " -> " + status + " " + abbreviate(response.body());
        Optional<String> template = template(path);
        JsonNode declared;
        if (template.isEmpty()) {
            assertEquals(404, status, "a path the document does not name must be 404: " + context);
            declared = resolve(document.at("/components/responses/NotFound"));
            exercised.add("* unknown-path 404");
        } else {
            JsonNode operation = document.path("paths").path(template.get()).path(method.toLowerCase(Locale.ROOT));
            if (operation.isMissingNode()) {
                assertEquals(405, status, "a method the document does not list for a path must be 405: " + context);
                declared = resolve(document.at("/components/responses/MethodNotAllowed"));
                exercised.add("* unknown-method 405");
            } else {
                JsonNode byStatus = operation.path("responses").path(Integer.toString(status));
                if (byStatus.isMissingNode()) {
                    byStatus = operation.path("responses").path("default");
                }
                assertFalse(byStatus.isMissingNode(), "status " + status + " is not documented for "
                        + method + " " + template.get() + ": " + context);
                declared = resolve(byStatus);
                exercised.add(method + " " + template.get() + " " + status);
            }
        }
        checkHeaders(declared, response, context);
        checkBody(declared, response, context);
    }

    private void checkHeaders(JsonNode declared, HttpResponse<String> response, String context) {
        Iterator<Map.Entry<String, JsonNode>> headers = declared.path("headers").fields();
        while (headers.hasNext()) {
            Map.Entry<String, JsonNode> entry = headers.next();
            JsonNode header = resolve(entry.getValue());
            Optional<String> value = response.headers().firstValue(entry.getKey());
            if (header.path("required").asBoolean(false)) {
                assertTrue(value.isPresent(), "required header " + entry.getKey() + " missing: " + context);
            }
            if (value.isPresent() && header.has("schema")) {
                List<Error> errors = schema(header.get("schema")).validate(JSON.valueToTree(value.get()).toString(), InputFormat.JSON);
                assertTrue(errors.isEmpty(), "header " + entry.getKey() + "=" + value.get() + " " + errors + ": " + context);
            }
        }
    }

    private void checkBody(JsonNode declared, HttpResponse<String> response, String context) {
        JsonNode content = declared.path("content");
        if (content.isMissingNode() || content.isEmpty()) {
            assertTrue(response.body().isEmpty(), "no body is documented: " + context);
            return;
        }
        String contentType = response.headers().firstValue("Content-Type").orElse("")
                .split(";")[0].trim().toLowerCase(Locale.ROOT);
        JsonNode media = content.path(contentType);
        assertFalse(media.isMissingNode(), "content type '" + contentType + "' is not documented (documented: "
                + JSON.valueToTree(iterable(content.fieldNames())) + "): " + context);
        if (!media.has("schema")) {
            return;
        }
        String body = contentType.endsWith("json") ? response.body() : JSON.valueToTree(response.body()).toString();
        List<Error> errors = schema(media.get("schema")).validate(body, InputFormat.JSON);
        assertTrue(errors.isEmpty(), "body does not match the documented schema " + errors + ": " + context);
    }

    /**
     * A schema from the document, made self-contained: the document's components ride along so
     * that {@code #/components/schemas/…} references resolve inside it.
     */
    private Schema schema(JsonNode schema) {
        return compiled.computeIfAbsent(schema.toString(), key -> {
            ObjectNode wrapper = JSON.createObjectNode();
            wrapper.put("$schema", "https://json-schema.org/draft/2020-12/schema");
            wrapper.setAll((ObjectNode) schema.deepCopy());
            wrapper.set("components", document.get("components"));
            return schemas.getSchema(wrapper.toString(), InputFormat.JSON);
        });
    }

    private JsonNode resolve(JsonNode node) {
        while (node.has("$ref")) {
            String ref = node.get("$ref").asText();
            assertTrue(ref.startsWith("#/"), "only local references are used: " + ref);
            node = document.at(ref.substring(1));
            assertFalse(node.isMissingNode(), "dangling reference " + ref);
        }
        return node;
    }

    private Optional<String> template(String path) {
        Iterator<String> templates = document.path("paths").fieldNames();
        while (templates.hasNext()) {
            String template = templates.next();
            String regex = template.replaceAll("\\{[^/}]+}", "[^/]+");
            if (path.matches(regex)) {
                return Optional.of(template);
            }
        }
        return Optional.empty();
    }

    private static <T> List<T> iterable(Iterator<T> iterator) {
        List<T> list = new ArrayList<>();
        iterator.forEachRemaining(list::add);
        return list;
    }

    private static String abbreviate(String body) {
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }

    /** Fails with every documented operation the server lacks and every route the document lacks. */
    public void assertSameRoutes(List<Route> routes) {
        Set<String> registered = registered(routes);
        Set<String> documented = operations();
        Set<String> undocumented = new TreeSet<>(registered);
        undocumented.removeAll(documented);
        Set<String> unserved = new TreeSet<>(documented);
        unserved.removeAll(registered);
        if (!undocumented.isEmpty() || !unserved.isEmpty()) {
            fail("routes missing from openapi.json: " + undocumented + "; documented but not served: " + unserved);
        }
    }
}
