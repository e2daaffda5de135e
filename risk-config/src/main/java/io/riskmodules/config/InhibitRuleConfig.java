package io.riskmodules.config;

/**
 * One entry of {@code alerting.inhibit}: while an alert of kind {@code source} fires for a
 * service, alerts of kind {@code target} for the same service are not sent.
 *
 * @param source {@code source}: breaker_open, breaker_forced_open, risk_high or custom
 * @param target {@code target}: one of the same kinds, not the source
 */
public record InhibitRuleConfig(String source, String target) {}
