-- The lead widget's form, per chatbot (widget/WidgetSettings): one JSON document of the owner's
-- choices. Always read and written whole, never queried by its parts, so a column per text would
-- only mean a migration for every new text. A chatbot without a row has the defaults.
CREATE TABLE widget_settings (
    chatbot_id text   PRIMARY KEY REFERENCES chatbots (id) ON DELETE CASCADE,
    settings   text   NOT NULL,
    updated_at bigint NOT NULL
);
