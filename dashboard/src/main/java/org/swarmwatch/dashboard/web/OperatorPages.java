package org.swarmwatch.dashboard.web;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The operator's page (OPERATOR or ADMIN): P2P share by protocol over time, top pseudonymous
 * subscribers, probe health. Drawn in the browser (Chart.js, served from the app's webjar) from
 * the API through {@link ApiBridge}, so that the time range, probe and link pickers and the
 * auto-refresh change the data without reloading the page.
 */
@Controller
class OperatorPages {
    @GetMapping("/traffic")
    String traffic(Model model) {
        model.addAttribute("section", "traffic");
        return "traffic";
    }
}
