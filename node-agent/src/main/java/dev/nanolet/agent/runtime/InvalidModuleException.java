package dev.nanolet.agent.runtime;

/** The bytes are not a Wasm module this runtime can run; the message says why. */
public class InvalidModuleException extends RuntimeException {
    public InvalidModuleException(String message, Throwable cause) {
        super(message, cause);
    }
}
