package dev.nanolet.ui.security;

import java.time.Duration;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ServerWebExchange;

/**
 * The sign-in form; Spring Security's form login handles the POST (see {@link SecurityConfig}), unless
 * the client must wait ({@link SignInThrottleFilter}): then this page says for how long.
 */
@Controller
class SignInController {
    static final String VIEW = "sign-in";

    @GetMapping(SecurityConfig.SIGN_IN)
    String signIn(@RequestParam(required = false) String error, ServerWebExchange exchange, Model model) {
        var query = exchange.getRequest().getQueryParams();
        model.addAttribute("error", error);
        model.addAttribute("signedOutNow", query.containsKey("signedOut"));
        model.addAttribute("expired", query.containsKey("expired"));
        model.addAttribute("conflict", query.containsKey("conflict"));
        model.addAttribute("retry", query.containsKey("retry"));
        model.addAttribute("wait", exchange.getAttribute(SignInThrottleFilter.WAIT) instanceof Duration wait ? wait.toSeconds() : null);
        return VIEW;
    }
}
