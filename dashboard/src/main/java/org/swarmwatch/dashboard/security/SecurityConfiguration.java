package org.swarmwatch.dashboard.security;

import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.csrf.CsrfFilter;
import org.swarmwatch.dashboard.DashboardProperties;
import org.swarmwatch.dashboard.lists.UploadLimits;
import org.swarmwatch.dashboard.token.ApiTokens;
import org.swarmwatch.dashboard.token.BearerTokenFilter;

/**
 * Who may call what. All authorization is here, by path, so that one page answers "can an
 * operator see incidents?" (no):
 *
 * <ul>
 *   <li>{@code /api/**} and {@code /actuator/**}: HTTP Basic, no session, JSON 401 / 403; read
 *       only (GET), so no CSRF token (a state-changing endpoint added later must reconsider).
 *   <li>everything else: form login with a session, CSRF tokens on every form.
 * </ul>
 */
@Configuration
public class SecurityConfiguration {

    @Bean
    PasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder();
    }

    @Bean
    DashboardUsers dashboardUsers(DashboardProperties properties, Environment environment, PasswordEncoder encoder) {
        if (properties.usersFile() != null) {
            return new DashboardUsers(UsersFile.read(properties.usersFile()));
        }
        if (environment.acceptsProfiles(Profiles.of("demo"))) {
            return new DashboardUsers(DemoUsers.create(encoder, System.out));
        }
        throw new UsersConfigurationException("No users are configured: " + UsersFile.PROPERTY
                + " is not set and the 'demo' profile is not active. The dashboard has no built-in users or passwords.");
    }

    @Bean
    UserDetailsService userDetailsService(DashboardUsers users) {
        List<UserDetails> details = users.all().stream()
                .map(u -> User.withUsername(u.username()).password(u.passwordHash())
                        .roles(u.roles().stream().map(Role::name).toArray(String[]::new)).build())
                .toList();
        return new InMemoryUserDetailsManager(details);
    }

    @Bean
    @Order(1)
    SecurityFilterChain api(HttpSecurity http, DashboardProperties properties, ApiTokens tokens, SignInThrottle throttle) throws Exception {
        JsonSecurityErrors errors = new JsonSecurityErrors();
        // API tokens (Authorization: Bearer swt_...) beside HTTP Basic: the token's user, with that user's roles
        http.addFilterBefore(new BearerTokenFilter(tokens), BasicAuthenticationFilter.class);
        // too many failed Basic sign-ins for a user from an address: 429 before the password is checked
        http.addFilterBefore(new SignInThrottleFilter(throttle, false), BasicAuthenticationFilter.class);
        http.securityMatcher("/api/**", "/actuator/**")
                .authorizeHttpRequests(a -> {
                    a.requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**").permitAll();
                    if (properties.metricsPublic()) {
                        a.requestMatchers(HttpMethod.GET, "/actuator/prometheus").permitAll();
                    }
                    // the OpenAPI description: it describes the API and opens none of it
                    a.requestMatchers(HttpMethod.GET, "/api/openapi", "/api/openapi.yaml").permitAll();
                    // API tokens: made, listed and revoked by an administrator (POST and DELETE: no session
                    // or cookie reaches this chain, only an Authorization header, so there is nothing for CSRF to forge)
                    a.requestMatchers(HttpMethod.GET, "/api/admin/tokens").hasRole(Role.ADMIN.name())
                            .requestMatchers(HttpMethod.POST, "/api/admin/tokens").hasRole(Role.ADMIN.name())
                            .requestMatchers(HttpMethod.DELETE, "/api/admin/tokens/*").hasRole(Role.ADMIN.name());
                    // probe health's Kafka side
                    a.requestMatchers(HttpMethod.GET, "/api/probes/lag").hasAnyRole(Role.OPERATOR.name(), Role.ADMIN.name());
                    a.requestMatchers("/actuator/**").hasRole(Role.ADMIN.name())
                            .requestMatchers(HttpMethod.GET, "/api/admin/**").hasRole(Role.ADMIN.name())
                            // the export signing key's public half: compliance, and the administrator who manages keys
                            .requestMatchers(HttpMethod.GET, "/api/incidents/export/public-key")
                            .hasAnyRole(Role.COMPLIANCE.name(), Role.ADMIN.name())
                            // signed exports and their signatures are incident evidence: compliance only
                            .requestMatchers(HttpMethod.GET, "/api/incidents/export", "/api/incidents/export/*/signature")
                            .hasRole(Role.COMPLIANCE.name())
                            // incident evidence: compliance only, whatever else a person holds
                            .requestMatchers(HttpMethod.GET, "/api/incidents", "/api/incidents/**", "/api/lists")
                            .hasRole(Role.COMPLIANCE.name())
                            .requestMatchers(HttpMethod.GET, "/api/traffic", "/api/subscribers/top", "/api/probes")
                            .hasAnyRole(Role.OPERATOR.name(), Role.ADMIN.name())
                            .anyRequest().denyAll();
                })
                .httpBasic(b -> b.authenticationEntryPoint(errors))
                .exceptionHandling(e -> e.authenticationEntryPoint(errors).accessDeniedHandler(errors))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(c -> c.disable());
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain pages(HttpSecurity http, UploadLimits uploads, SignInThrottle throttle) throws Exception {
        // too many failed sign-ins through the form for a user from an address: back to the form, unchecked
        http.addFilterBefore(new SignInThrottleFilter(throttle, true), UsernamePasswordAuthenticationFilter.class);
        // the error page itself is open (it shows a status, never details), so that a refusal is seen as one;
        // the pages by role, as the API's rules (docs/dashboard.md, "Pages"); /ui/api/** is the API for the
        // session (ApiBridge), which the API chain above authorises again on the forward
        http.authorizeHttpRequests(a -> a.requestMatchers("/error", "/login", "/css/**", "/js/**", "/img/**", "/webjars/**").permitAll()
                        .requestMatchers("/traffic", "/traffic/**").hasAnyRole(Role.OPERATOR.name(), Role.ADMIN.name())
                        .requestMatchers("/incidents", "/incidents/**", "/lists", "/lists/**").hasRole(Role.COMPLIANCE.name())
                        .requestMatchers("/admin", "/admin/**").hasRole(Role.ADMIN.name())
                        .requestMatchers(HttpMethod.GET, "/ui/api/**").authenticated()
                        .anyRequest().authenticated())
                .formLogin(f -> f.loginPage("/login").defaultSuccessUrl("/", true))
                .logout(l -> l.logoutSuccessUrl("/login?logout"));
        // CSRF protection stays on (Spring Security's default) for every form, login and logout included, with one
        // exception: a list upload whose body the container refused for its size has no readable token. It changes
        // nothing (CompliancePages answers it with the refusal), it still needs a COMPLIANCE session, and the session
        // cookie is SameSite=Lax, so another site cannot send one with it.
        http.csrf(c -> c.requireCsrfProtectionMatcher(request -> CsrfFilter.DEFAULT_CSRF_MATCHER.matches(request)
                && !uploads.refusedUnread(request)));
        return http.build();
    }
}
