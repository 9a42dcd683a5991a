package io.chatleads.http;

/** A route as registered: its method and path template, as the OpenAPI document writes them. */
public record Route(String method, String path) {
}
