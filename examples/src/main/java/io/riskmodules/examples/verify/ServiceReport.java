package io.riskmodules.examples.verify;

import java.util.List;
import java.util.Map;

/**
 * One service's result: its settings, its checks and what its breaker went through.
 *
 * @param service the service (breaker) name
 * @param settings the breaker settings verified, with the YAML keys as names
 * @param passed whether every check passed
 * @param checks the rows of its table
 * @param timeline states, calls, risk readings and alerts, in milliseconds since its start
 */
record ServiceReport(String service, Map<String, Object> settings, boolean passed, List<Check> checks,
    Timeline.Data timeline) {}
