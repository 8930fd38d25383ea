// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.relay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.layerstore.hal.libc.PacketSocket;

/**
 * The impairment relay, a process of its own in the middle namespace (the kernel has no sch_netem): it
 * moves every frame between two interfaces with AF_PACKET, one {@link Forwarder} thread per direction,
 * impairing each direction from a seed as {@link Impairment} says. It shares no code with the user-space
 * stack or the emulated frame manager, so the stack is never judged by its own wire: only the HAL's
 * packet socket.
 *
 * <pre>
 * java -cp ... org.layerstore.netstack.relay.ImpairmentRelay --a IF --b IF --seed N [--a-to-b SPEC] [--b-to-a SPEC]
 * </pre>
 *
 * It prints {@code ready} once both sockets are open, then answers lines on standard input:
 * {@code counters} prints {@code a-to-b COUNTERS} and {@code b-to-a COUNTERS} ({@link RelayCounters#line});
 * {@code impair a-to-b SPEC} (or {@code b-to-a}) replaces that direction's impairment and prints {@code ok};
 * anything else prints {@code error ...}. At the end of standard input it stops, prints the counters and exits.
 */
public final class ImpairmentRelay {

    static final String A_TO_B = "a-to-b";
    static final String B_TO_A = "b-to-a";

    private ImpairmentRelay() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Map<String, String> options = options(args);
        long seed = Long.parseLong(options.getOrDefault("--seed", "1"));
        try (PacketSocket a = PacketSocket.open(required(options, "--a"));
                PacketSocket b = PacketSocket.open(required(options, "--b"))) {
            RelayCounters aToBCounters = new RelayCounters();
            RelayCounters bToACounters = new RelayCounters();
            // Distinct seeds per direction, so the two directions do not lose the same frame numbers.
            Forwarder aToB = new Forwarder(a, b, seed, aToBCounters);
            Forwarder bToA = new Forwarder(b, a, seed * 31 + 17, bToACounters);
            aToB.impairment(Impairment.parse(options.getOrDefault("--" + A_TO_B, "")));
            bToA.impairment(Impairment.parse(options.getOrDefault("--" + B_TO_A, "")));
            Thread aToBThread = Thread.ofPlatform().name("relay-" + A_TO_B).start(aToB);
            Thread bToAThread = Thread.ofPlatform().name("relay-" + B_TO_A).start(bToA);
            PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
            out.println("ready");
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = commands.readLine()) != null) {
                out.println(answer(line.strip(), aToB, bToA, aToBCounters, bToACounters));
            }
            aToB.stop();
            bToA.stop();
            aToBThread.join();
            bToAThread.join();
            out.println(counters(aToBCounters, bToACounters));
        }
    }

    private static String answer(String command, Forwarder aToB, Forwarder bToA, RelayCounters aToBCounters,
            RelayCounters bToACounters) {
        String[] words = command.split(" +", 3);
        try {
            if (words[0].equals("counters") && words.length == 1) {
                return counters(aToBCounters, bToACounters);
            }
            if (words[0].equals("impair") && words.length >= 2) {
                Impairment impairment = Impairment.parse(words.length == 3 ? words[2] : "");
                switch (words[1]) {
                    case A_TO_B -> aToB.impairment(impairment);
                    case B_TO_A -> bToA.impairment(impairment);
                    default -> {
                        return "error unknown direction " + words[1];
                    }
                }
                return "ok";
            }
        } catch (IllegalArgumentException e) {
            return "error " + e.getMessage();
        }
        return "error unknown command: " + command;
    }

    private static String counters(RelayCounters aToB, RelayCounters bToA) {
        return A_TO_B + " " + aToB.line() + System.lineSeparator() + B_TO_A + " " + bToA.line();
    }

    private static Map<String, String> options(String[] args) {
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("options come as --name value pairs");
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String v = options.get(name);
        if (v == null) {
            throw new IllegalArgumentException(name + " IF is required");
        }
        return v;
    }
}
