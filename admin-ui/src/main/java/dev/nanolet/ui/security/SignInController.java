package dev.nanolet.ui.security;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The sign-in form; Spring Security's form login handles the POST (see {@link SecurityConfig}). */
@Controller
class SignInController {
    static final String VIEW = "sign-in";

    @GetMapping(SecurityConfig.SIGN_IN)
    String signIn(@RequestParam(required = false) String error, @RequestParam(required = false) String signedOut,
                  @RequestParam(required = false) String expired, Model model) {
        model.addAttribute("error", error);
        model.addAttribute("signedOutNow", signedOut != null);
        model.addAttribute("expired", expired != null);
        return VIEW;
    }
}
