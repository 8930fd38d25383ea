// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.cli;

import org.layerstore.board.BoardDetector;
import org.layerstore.board.BoardException;
import org.layerstore.datapath.BoardDatapath;
import org.layerstore.services.config.ConfigException;

import picocli.CommandLine.Option;

/** {@code --board ID}: the board profile whose limits a command applies, detected unless named. */
final class BoardOption {

    @Option(names = "--board", paramLabel = "ID", defaultValue = "${env:LAYERSTORE_BOARD:-auto}",
            description = "Board profile whose limits apply (default: $LAYERSTORE_BOARD, else ${DEFAULT-VALUE}: the detected board).")
    String board;

    /** The running system's board (or the named one) as the datapath and the frame manager take it. */
    BoardDatapath datapath() {
        try {
            return BoardDatapath.of(BoardDetector.detectRunningSystem(board).profile());
        } catch (BoardException e) {
            throw new ConfigException("--board: " + e.getMessage(), e);
        }
    }
}
