package dev.nanolet.ui.tokens;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.springframework.web.server.WebSession;

/**
 * The token create forms one web session was shown, each by a one-time id, and what each one's post did: a post
 * creates at most one token, so a reload of the page that shows a new secret (which posts the form again) creates
 * nothing. Kept in the session (admin-ui's memory), the latest {@value #LIMIT} forms: an older id is unknown, and
 * a post of it is refused too. Never holds a secret, only the token's id and name.
 */
final class CreateForms {
    static final int LIMIT = 50;
    private static final String ATTRIBUTE = CreateForms.class.getName();
    private final Map<String, Form> forms = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Form> eldest) {
            return size() > LIMIT;
        }
    };

    /** What became of one form: shown and not sent, sent and not answered yet (or its answer lost), or a token it created. */
    sealed interface Form {
        record Open() implements Form {}

        record Sending(String name) implements Form {}

        record Created(String name, String tokenId) implements Form {}
    }

    static CreateForms of(WebSession session) {
        return (CreateForms) session.getAttributes().computeIfAbsent(ATTRIBUTE, k -> new CreateForms());
    }

    /** A new form's id: 128 random bits, URL-safe. */
    synchronized String open(RandomGenerator random) {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        forms.put(id, new Form.Open());
        return id;
    }

    /**
     * Marks form {@code id} as sent for a token named {@code name}, if it is open, and answers what it was
     * before: {@link Form.Open} means this post may create the token; null, that the id is none this session was shown.
     */
    synchronized Form send(String id, String name) {
        Form before = forms.get(id);
        if (before instanceof Form.Open) {
            forms.put(id, new Form.Sending(name));
        }
        return before;
    }

    /** The form's post created the token. */
    synchronized void created(String id, String name, String tokenId) {
        forms.replace(id, new Form.Created(name, tokenId));
    }

    /** The form's post created nothing (refused before or by platform-api): it may be sent again. */
    synchronized void reopen(String id) {
        forms.replace(id, new Form.Open());
    }
}
