package io.iotgrid.client;

import com.hazelcast.core.HazelcastInstance;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * What every command shares: the connection options of {@link GridCli}, the command line's writers, and one
 * client for the run, shut down when it ends.
 */
abstract class ClientCommand implements Callable<Integer> {

    @ParentCommand
    GridCli cli;

    @Spec
    CommandSpec spec;

    /** Checks what picocli's types cannot, before connecting; throws {@link #badOption}. */
    void validate() {
    }

    /** The command's work; returns the exit status. */
    abstract int run(HazelcastInstance client, PrintWriter out) throws Exception;

    @Override
    public Integer call() throws Exception {
        validate();
        HazelcastInstance client = cli.connect();
        try {
            return run(client, spec.commandLine().getOut());
        } finally {
            client.shutdown();
        }
    }

    /** A bad option: picocli prints the message and the usage and exits with status 2. */
    ParameterException badOption(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
