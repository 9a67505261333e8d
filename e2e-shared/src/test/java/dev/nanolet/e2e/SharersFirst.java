package dev.nanolet.e2e;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * Runs the classes that use {@link SharedPlatform} first, in their discovery order otherwise, and counts them, so that
 * the shared platform stops after the last of them ({@link #lastDone}) rather than idling beside the classes that start,
 * stop or load their own platform, benchmarks among them. Set in junit-platform.properties.
 */
final class SharersFirst implements ClassOrderer {
    private static final AtomicInteger remaining = new AtomicInteger();

    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(Comparator.comparing(d -> !shares(d.getTestClass())));
        int sharers = (int) context.getClassDescriptors().stream().filter(d -> shares(d.getTestClass())).count();
        if (sharers > 0) {
            remaining.set(sharers);
        }
    }

    /** Whether the class that uses the shared platform and just ended was the last of them; false when no count was made. */
    static boolean lastDone() {
        return remaining.decrementAndGet() == 0;
    }

    private static boolean shares(Class<?> testClass) {
        return Arrays.stream(testClass.getDeclaredFields())
                .anyMatch(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == SharedPlatform.class);
    }
}
