package org.trustledger.server.graph;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** {@code /graph}: the web-of-trust page (static, built with npm at build time). */
@Controller
public class GraphPage {

    @GetMapping({"/graph", "/graph/"})
    public String page() {
        return "redirect:/graph/index.html";
    }
}
