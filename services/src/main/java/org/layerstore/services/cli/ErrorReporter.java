// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.cli;

import org.layerstore.services.config.ConfigException;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failed command into one clear line on stderr and an exit code: 2 for a configuration error,
 * 1 for anything else. The stack trace is for the log, not the operator's terminal.
 */
final class ErrorReporter implements IExecutionExceptionHandler {

    static final int CONFIG_ERROR = 2;
    static final int FAILURE = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, ParseResult parseResult) {
        String command = cli.getCommandName();
        cli.getErr().println(command + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        return e instanceof ConfigException ? CONFIG_ERROR : FAILURE;
    }
}
