package dev.fedplane.cli;

/**
 * The user asked for something fedctl cannot do as asked (a bad file, a bad value, a missing option
 * that picocli cannot check): exit status {@link ExitCodes#USAGE} with this message.
 */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
