package io.chatleads.widget;

import io.chatleads.error.InvalidInput;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Every text the widget shows, each with its built-in wording per language. An owner may override
 * any of them ({@link WidgetSettings#texts()}); the public widget configuration carries them
 * resolved, so the script itself holds no translations.
 */
enum WidgetText {
    TITLE("title", 200,
            "Get in touch",
            "Kontakt aufnehmen",
            "Contactez-nous",
            "Contacta con nosotros"),
    INTRO("intro", 1000,
            "Leave your details and we will get back to you.",
            "Hinterlassen Sie Ihre Kontaktdaten, wir melden uns bei Ihnen.",
            "Laissez vos coordonnées et nous vous recontacterons.",
            "Déjanos tus datos y te responderemos."),
    NAME_LABEL("nameLabel", 200, "Name", "Name", "Nom", "Nombre"),
    EMAIL_LABEL("emailLabel", 200, "Email", "E-Mail", "E-mail", "Correo electrónico"),
    PHONE_LABEL("phoneLabel", 200, "Phone", "Telefon", "Téléphone", "Teléfono"),
    NAME_PLACEHOLDER("namePlaceholder", 200, "", "", "", ""),
    EMAIL_PLACEHOLDER("emailPlaceholder", 200,
            "name@example.com", "name@beispiel.de", "nom@exemple.fr", "nombre@ejemplo.es"),
    PHONE_PLACEHOLDER("phonePlaceholder", 200,
            "+1 415 555 0100", "+49 30 1234567", "+33 1 23 45 67 89", "+34 912 345 678"),
    OPTIONAL("optional", 200, "(optional)", "(optional)", "(facultatif)", "(opcional)"),
    SUBMIT("submit", 200, "Send", "Senden", "Envoyer", "Enviar"),
    SENDING("sending", 200, "Sending…", "Wird gesendet…", "Envoi…", "Enviando…"),
    SUCCESS("success", 1000,
            "Thank you! We will be in touch soon.",
            "Vielen Dank! Wir melden uns in Kürze.",
            "Merci ! Nous vous recontacterons bientôt.",
            "¡Gracias! Nos pondremos en contacto contigo pronto."),
    OPEN("open", 200, "Contact us", "Kontakt", "Nous contacter", "Contáctanos"),
    CLOSE("close", 200, "Close", "Schließen", "Fermer", "Cerrar"),
    CONSENT("consent", 1000,
            "I agree that my details are used to answer my request.",
            "Ich bin einverstanden, dass meine Angaben zur Beantwortung meiner Anfrage verwendet werden.",
            "J'accepte que mes coordonnées soient utilisées pour répondre à ma demande.",
            "Acepto que mis datos se utilicen para responder a mi solicitud."),
    CONSENT_LINK("consentLink", 200,
            "Privacy policy", "Datenschutzerklärung", "Politique de confidentialité", "Política de privacidad"),
    REQUIRED("required", 500,
            "Please fill in this field.",
            "Bitte füllen Sie dieses Feld aus.",
            "Veuillez remplir ce champ.",
            "Rellena este campo."),
    INVALID_EMAIL("invalidEmail", 500,
            "Please enter a valid email address.",
            "Bitte geben Sie eine gültige E-Mail-Adresse ein.",
            "Veuillez saisir une adresse e-mail valide.",
            "Introduce una dirección de correo válida."),
    EMAIL_OR_PHONE("emailOrPhone", 500,
            "Please enter an email address or a phone number.",
            "Bitte geben Sie eine E-Mail-Adresse oder eine Telefonnummer ein.",
            "Veuillez saisir une adresse e-mail ou un numéro de téléphone.",
            "Introduce un correo electrónico o un número de teléfono."),
    CONSENT_REQUIRED("consentRequired", 500,
            "Please tick the box to continue.",
            "Bitte setzen Sie das Häkchen, um fortzufahren.",
            "Veuillez cocher la case pour continuer.",
            "Marca la casilla para continuar."),
    RETRYING("retrying", 500,
            "Connection problem. Trying again…",
            "Verbindungsproblem. Neuer Versuch…",
            "Problème de connexion. Nouvelle tentative…",
            "Problema de conexión. Reintentando…"),
    WAITING("waiting", 500,
            "Too many attempts. Trying again in a moment…",
            "Zu viele Versuche. Gleich geht es weiter…",
            "Trop de tentatives. Nouvel essai dans un instant…",
            "Demasiados intentos. Reintentando en un momento…"),
    FAILED("failed", 500,
            "Sorry, your details could not be sent. Please try again later.",
            "Leider konnten Ihre Angaben nicht gesendet werden. Bitte versuchen Sie es später erneut.",
            "Désolé, vos coordonnées n'ont pas pu être envoyées. Veuillez réessayer plus tard.",
            "Lo sentimos, no se pudieron enviar tus datos. Inténtalo de nuevo más tarde."),
    BACK("back", 200, "Back", "Zurück", "Retour", "Volver"),
    UNAVAILABLE("unavailable", 500,
            "This form is not available on this website.",
            "Dieses Formular ist auf dieser Website nicht verfügbar.",
            "Ce formulaire n'est pas disponible sur ce site.",
            "Este formulario no está disponible en este sitio web.");

    /** The languages of the built-in texts, in the order of each constant's wordings. */
    static final List<String> LANGUAGES = List.of("en", "de", "fr", "es");

    private final String key;
    private final int maxLength;
    private final List<String> wordings;

    WidgetText(String key, int maxLength, String... wordings) {
        this.key = key;
        this.maxLength = maxLength;
        this.wordings = List.of(wordings);
        if (wordings.length != 4) {
            throw new IllegalStateException(key + " needs a wording for each of " + List.of("en", "de", "fr", "es"));
        }
    }

    /** The name in JSON and on the command line ({@code --text KEY=VALUE}). */
    String key() {
        return key;
    }

    int maxLength() {
        return maxLength;
    }

    String builtIn(String language) {
        return wordings.get(LANGUAGES.indexOf(language));
    }

    private static final Map<String, WidgetText> BY_KEY = Map.copyOf(Arrays.stream(values())
            .collect(java.util.stream.Collectors.toMap(WidgetText::key, text -> text)));

    /** The text named {@code key}; an {@link InvalidInput} naming {@code field} and listing the names otherwise. */
    static WidgetText require(String field, String key) {
        WidgetText text = key == null ? null : BY_KEY.get(key);
        if (text == null) {
            throw new InvalidInput(field + ": '" + key + "' is not a text of the widget; the texts are "
                    + String.join(", ", keys()));
        }
        return text;
    }

    static List<String> keys() {
        return Arrays.stream(values()).map(WidgetText::key).toList();
    }
}
