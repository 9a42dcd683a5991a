package io.chatleads.console;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;

import java.nio.charset.StandardCharsets;

import java.util.Map;

/**
 * The console's jte templates (src/main/jte), compiled into this package by jte-maven-plugin at
 * build time: rendering loads a class, nothing is parsed or compiled at run time. HTML output
 * escapes every value for the context it lands in (element text, attribute, URL).
 */
final class Templates {

    private final TemplateEngine engine = TemplateEngine.createPrecompiled(null, ContentType.Html, null,
            Templates.class.getPackageName());

    /** The page {@code name} (say "chatbots.jte"), drawn in the layout with {@code view}. */
    byte[] render(String name, View view, Object page) {
        StringOutput output = new StringOutput(8192);
        engine.render(name, Map.of("view", view, "page", page), output);
        return output.toString().getBytes(StandardCharsets.UTF_8);
    }
}
