package dev.nanolet.agent.replica;

/**
 * A thread of the {@link GuestPool}: knows its kernel thread id (read once, at its start, when the
 * pool may demote runs) and whether it retires after its current run (written off, or put in the
 * background, whose priority cannot be raised again).
 */
final class GuestThread extends Thread {

    private final boolean readNativeId;
    private volatile long nativeId = -1;
    private volatile boolean retiring;

    GuestThread(Runnable work, String name, boolean readNativeId) {
        super(work, name);
        this.readNativeId = readNativeId;
        setDaemon(true);
    }

    @Override
    public void run() {
        if (readNativeId) {
            nativeId = ThreadPriority.currentNativeId();
        }
        super.run();
    }

    /** Puts this thread in the background for good; false if that failed and it runs on as before. */
    boolean lower(ThreadPriority priority) {
        if (!priority.lower(nativeId)) {
            return false;
        }
        setName(getName() + "-background");
        return true;
    }

    /** This thread leaves the pool once its current run returns. */
    void retire() {
        retiring = true;
    }

    boolean retiring() {
        return retiring;
    }
}
