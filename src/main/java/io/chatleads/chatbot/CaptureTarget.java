package io.chatleads.chatbot;

/** What a lead submission needs to know about its chatbot: its owner, and how it takes leads. */
public record CaptureTarget(Chatbot chatbot, ChatbotSettings settings) {
}
