package io.chatleads.ops;

import io.chatleads.http.Responses;
import io.chatleads.http.Routes;
import io.vertx.core.http.HttpMethod;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * The OpenAPI document ({@code src/main/resources/openapi.json}, served as written) and Swagger UI
 * at {@code /docs}, whose scripts come from the swagger-ui webjar under {@code /webjars}: a browser
 * viewing the docs loads nothing from the internet.
 */
public final class ApiDocs {

    public static final String OPENAPI = "/openapi.json";
    public static final String DOCS = "/docs";
    public static final String RESOURCE = "/openapi.json";

    private final byte[] document;
    private final byte[] page;

    public ApiDocs() {
        this.document = resource(RESOURCE);
        String ui = "/webjars/swagger-ui/" + swaggerUiVersion();
        this.page = ("""
                <!DOCTYPE html>
                <html lang="en">
                <head>
                  <meta charset="utf-8">
                  <title>chatleads API</title>
                  <link rel="stylesheet" href="%1$s/swagger-ui.css">
                  <link rel="icon" type="image/png" href="%1$s/favicon-32x32.png">
                </head>
                <body>
                  <div id="swagger-ui"></div>
                  <script src="%1$s/swagger-ui-bundle.js"></script>
                  <script src="%1$s/swagger-ui-standalone-preset.js"></script>
                  <script>
                    window.ui = SwaggerUIBundle({
                      url: "%2$s",
                      dom_id: "#swagger-ui",
                      presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
                      layout: "StandaloneLayout",
                      validatorUrl: null
                    });
                  </script>
                </body>
                </html>
                """).formatted(ui, OPENAPI).getBytes(StandardCharsets.UTF_8);
    }

    public void register(Routes routes) {
        routes.onLoop(HttpMethod.GET, OPENAPI, ctx -> Responses.json(ctx, 200, document));
        routes.onLoop(HttpMethod.GET, DOCS, ctx -> Responses.send(ctx, 200, "text/html; charset=utf-8", page));
    }

    /** The webjar's version, read from its own metadata so a dependency bump needs no code change. */
    static String swaggerUiVersion() {
        try (InputStream in = ApiDocs.class.getResourceAsStream("/META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("the swagger-ui webjar is missing from the classpath");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = ApiDocs.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
