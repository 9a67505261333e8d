package dev.nanolet.ui.web;

import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Where an event's object is shown: {@code deployment/ns/name} → its page, {@code node/n} → the
 * nodes page at that node; a replica has no page of its own (its event does not name the
 * deployment), so it gets none. For templates: {@code ${@eventLinks.of(e.object)}}.
 */
@Component("eventLinks")
public class EventLinks {

    /** The page's path, or null when the object has no page. */
    public String of(String object) {
        String[] parts = object == null ? new String[0] : object.split("/");
        if (parts.length == 3 && "deployment".equals(parts[0])) {
            return UriComponentsBuilder.fromPath("/deployments/{ns}/{name}").buildAndExpand(parts[1], parts[2]).encode().toUriString();
        }
        if (parts.length == 2 && "node".equals(parts[0])) {
            return UriComponentsBuilder.fromPath("/nodes").fragment("node-" + parts[1]).build().encode().toUriString();
        }
        return null;
    }
}
