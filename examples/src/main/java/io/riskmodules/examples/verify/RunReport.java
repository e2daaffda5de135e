package io.riskmodules.examples.verify;

import java.util.List;

/**
 * A whole run, as {@code --json FILE} writes it.
 *
 * @param config where the files came from
 * @param files the files verified
 * @param clock {@code simulated} or {@code real-time}
 * @param startedAt when the run started (ISO-8601, UTC)
 * @param channels what became of each alert channel of the files (the console always shows alerts)
 * @param passed whether every check of every service passed
 * @param checks checks made
 * @param failed checks that failed
 * @param services one entry per service
 */
record RunReport(String config, List<String> files, String clock, String startedAt, List<Channels.Use> channels,
    boolean passed, int checks, int failed, List<ServiceReport> services) {}
