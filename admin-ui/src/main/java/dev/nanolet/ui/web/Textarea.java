package dev.nanolet.ui.web;

import org.springframework.stereotype.Component;

/**
 * What a template puts between {@code <textarea>} and {@code </textarea>} ({@code th:text="${@textarea.content(text)}"}):
 * HTML drops one line break right after the start tag, so a text that starts with one (an empty first arg) would come
 * back without it; one line break first is that one, and the text then comes back whole.
 */
@Component("textarea")
public class Textarea {
    public String content(String text) {
        return "\n" + (text == null ? "" : text);
    }
}
