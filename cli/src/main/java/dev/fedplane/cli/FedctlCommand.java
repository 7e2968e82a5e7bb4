package dev.fedplane.cli;

import dev.fedplane.cli.connect.Connection;
import dev.fedplane.cli.connect.ConnectionOptions;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Base of fedctl's leaf commands: the run's environment, connection and streams. */
@Command
public abstract class FedctlCommand implements Callable<Integer> {
    @Spec protected CommandSpec spec;

    protected Fedctl root() {
        return (Fedctl) spec.root().userObject();
    }

    protected FedctlEnvironment env() {
        return root().env();
    }

    protected Connection connection() {
        return root().connection();
    }

    protected ConnectionOptions connectionOptions() {
        return root().connectionOptions();
    }

    /** The global connection flags (for {@code config}, which stores them). */
    public ConnectionOptions connectionOptionsForConfig() {
        return connectionOptions();
    }

    public FedctlEnvironment environment() {
        return env();
    }

    protected PrintWriter out() {
        return env().out();
    }

    /** {@code explicit} when given, else the context's tenant; a usage error when neither is. */
    protected String tenant(String explicit) {
        if (explicit != null && !explicit.isBlank()) {
            return explicit;
        }
        String t = connection().defaultTenant();
        if (t == null) {
            throw new UsageException(
                    "no tenant: give --tenant (or TENANT/NAME), or set one on the context"
                            + " (fedctl config set-context NAME --tenant TENANT)");
        }
        return t;
    }

    /** Splits "tenant/name" or takes "name" with {@link #tenant(String)}. */
    protected String[] tenantAndName(String arg, String tenantOption) {
        int slash = arg.indexOf('/');
        if (slash >= 0) {
            String t = arg.substring(0, slash);
            String n = arg.substring(slash + 1);
            if (t.isEmpty() || n.isEmpty() || n.contains("/")) {
                throw new UsageException("\"" + arg + "\" is neither NAME nor TENANT/NAME");
            }
            if (tenantOption != null && !tenantOption.equals(t)) {
                throw new UsageException(
                        "\"" + arg + "\" names tenant " + t + " but --tenant says " + tenantOption);
            }
            return new String[] {t, n};
        }
        return new String[] {tenant(tenantOption), arg};
    }

    @Override
    public final Integer call() throws Exception {
        int status = run();
        out().flush();
        return status;
    }

    protected abstract int run() throws Exception;
}
