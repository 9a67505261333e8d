package dev.nanolet.ui.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.stereotype.Component;

/** Short human ages ("12s", "5m", "3h", "2d") for templates: {@code ${@ages.since(t)}}. */
@Component("ages")
public class Ages {
    private final Clock clock;

    Ages(Clock clock) {
        this.clock = clock;
    }

    public String since(Instant time) {
        if (time == null) {
            return "–";
        }
        Duration d = Duration.between(time, clock.instant());
        if (d.isNegative()) {
            d = Duration.ZERO;
        }
        if (d.toSeconds() < 120) {
            return d.toSeconds() + "s";
        }
        if (d.toMinutes() < 120) {
            return d.toMinutes() + "m";
        }
        return d.toHours() < 48 ? d.toHours() + "h" : d.toDays() + "d";
    }

    /** The first 12 hex digits of a {@code sha256:} digest. */
    public String shortDigest(String digest) {
        if (digest == null) {
            return "–";
        }
        String hex = digest.startsWith("sha256:") ? digest.substring(7) : digest;
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }
}
