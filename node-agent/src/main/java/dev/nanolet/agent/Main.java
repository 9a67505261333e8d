package dev.nanolet.agent;

import dev.nanolet.agent.cli.RunCommand;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;

/**
 * The jar's entry point: {@code run …} runs one module locally without starting the agent (see
 * {@link RunCommand}); anything else starts the node agent.
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("run")) {
            int code = new RunCommand(System.in, System.out, System.err).execute(Arrays.asList(args).subList(1, args.length));
            System.out.flush();
            System.exit(code);
        }
        SpringApplication.run(NodeAgentApplication.class, args);
    }
}
